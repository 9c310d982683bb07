#include "core/proc/process_tree.hpp"

#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

namespace pollscope {

std::optional<ProcStat> parse_proc_stat(const std::string& line) {
  // "PID (COMM) STATE PPID ..." where COMM may contain ") ": the last ')' ends it.
  auto open = line.find(" (");
  auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcStat st;
  char* end = nullptr;
  st.pid = static_cast<pid_t>(std::strtol(line.c_str(), &end, 10));
  if (end != line.c_str() + open || st.pid <= 0) return std::nullopt;
  std::istringstream in(line.substr(close + 1));
  std::string field;
  // Fields after the command, numbered as in proc(5): state(3) ppid(4) ...
  // utime(14) stime(15) ... starttime(22).
  for (int i = 3; i <= 22; i++) {
    if (!(in >> field)) return std::nullopt;
    switch (i) {
      case 3: st.state = field[0]; break;
      case 4: st.ppid = static_cast<pid_t>(std::strtol(field.c_str(), nullptr, 10)); break;
      case 14: st.utime_ticks = std::strtoull(field.c_str(), nullptr, 10); break;
      case 15: st.stime_ticks = std::strtoull(field.c_str(), nullptr, 10); break;
      case 22: st.start_ticks = std::strtoull(field.c_str(), nullptr, 10); break;
      default: break;
    }
  }
  return st;
}

std::optional<ProcStat> read_proc_stat(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  if (!f) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return parse_proc_stat(text);
}

std::vector<ProcStat> process_tree(pid_t root) {
  std::vector<ProcStat> tree;
  auto top = read_proc_stat(root);
  if (!top) return tree;
  std::multimap<pid_t, ProcStat> by_parent;
  if (DIR* d = ::opendir("/proc")) {
    while (dirent* e = ::readdir(d)) {
      char* end = nullptr;
      long pid = std::strtol(e->d_name, &end, 10);
      if (*end != 0 || pid <= 0) continue;
      if (auto st = read_proc_stat(static_cast<pid_t>(pid))) by_parent.emplace(st->ppid, *st);
    }
    ::closedir(d);
  }
  tree.push_back(*top);
  for (size_t i = 0; i < tree.size(); i++) {  // breadth first: parents before children
    auto range = by_parent.equal_range(tree[i].pid);
    for (auto it = range.first; it != range.second; ++it) tree.push_back(it->second);
  }
  return tree;
}

bool still_running(const ProcStat& p) {
  auto now = read_proc_stat(p.pid);
  return now && now->start_ticks == p.start_ticks && now->state != 'Z' && now->state != 'X';
}

}  // namespace pollscope
