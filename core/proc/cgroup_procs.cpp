#include "core/proc/cgroup_procs.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/base/error.hpp"

namespace pollscope {

namespace {

bool is_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

void collect_pids(const std::string& dir, std::vector<uint32_t>& out, int depth) {
  std::ifstream procs(dir + "/cgroup.procs");
  uint32_t pid;
  while (procs >> pid) out.push_back(pid);
  // Cgroup trees are shallow; the bound only guards against a loop through
  // a bind mount.
  if (depth > 64) return;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
    collect_pids(dir + "/" + e->d_name, out, depth + 1);
  }
  ::closedir(d);
}

}  // namespace

std::string cgroup2_mount_point(const std::string& mountinfo_path) {
  // mountinfo: ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
  std::ifstream in(mountinfo_path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, dev, root, mount_point, field;
    f >> id >> parent >> dev >> root >> mount_point;
    while (f >> field && field != "-") {
    }
    std::string fstype;
    f >> fstype;
    if (fstype == "cgroup2") return mount_point;
  }
  return {};
}

std::string resolve_cgroup(const std::string& path) {
  std::string dir = path;
  if (dir.empty() || dir[0] != '/') {
    std::string root = cgroup2_mount_point();
    if (root.empty()) throw Fatal("--cgroup " + path + ": no cgroup v2 hierarchy is mounted", kExitUsage);
    dir = root + "/" + path;
  }
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (!is_file(dir + "/cgroup.procs")) throw Fatal("--cgroup " + path + ": no such cgroup (" + dir + ")", kExitUsage);
  return dir;
}

std::vector<uint32_t> cgroup_pids(const std::string& dir) {
  std::vector<uint32_t> pids;
  collect_pids(dir, pids, 0);
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  return pids;
}

}  // namespace pollscope
