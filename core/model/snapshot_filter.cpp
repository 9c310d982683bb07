#include "core/model/snapshot_filter.hpp"

#include <algorithm>
#include <cstdlib>

namespace pollscope {

std::string FilterSpec::describe() const {
  std::string out;
  auto add = [&](const std::string& s) {
    if (!out.empty()) out += ' ';
    out += s;
  };
  if (!pids.empty()) {
    std::string p = "pid ";
    for (size_t i = 0; i < pids.size(); i++) p += (i ? "," : "") + std::to_string(pids[i]);
    add(p + (follow_children ? " (+children)" : ""));
  }
  if (!ports.empty()) {
    std::string p = "port ";
    for (size_t i = 0; i < ports.size(); i++) p += (i ? "," : "") + std::to_string(ports[i]);
    add(p);
  }
  if (!comm.empty()) add("comm " + comm);
  return out;
}

uint16_t port_of(const std::string& addr) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos || colon + 1 >= addr.size()) return 0;
  char* end = nullptr;
  unsigned long v = std::strtoul(addr.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || v > 65535) return 0;
  return static_cast<uint16_t>(v);
}

void apply_filter(const FilterSpec& f, Snapshot* s) {
  if (f.empty()) return;
  auto pid_ok = [&](uint32_t pid) {
    return f.pids.empty() || std::find(f.pids.begin(), f.pids.end(), pid) != f.pids.end();
  };
  auto comm_ok = [&](const std::string& c) { return f.comm.empty() || c == f.comm; };
  auto port_ok = [&](const SocketRow& r) {
    if (f.ports.empty()) return true;
    uint16_t a = port_of(r.local), b = port_of(r.remote);
    return std::find(f.ports.begin(), f.ports.end(), a) != f.ports.end() ||
           std::find(f.ports.begin(), f.ports.end(), b) != f.ports.end();
  };
  s->sockets.erase(std::remove_if(s->sockets.begin(), s->sockets.end(),
                                  [&](const SocketRow& r) { return !(pid_ok(r.pid) && comm_ok(r.comm) && port_ok(r)); }),
                   s->sockets.end());
  // Threads have no ports: with a port filter keep the threads that own a kept socket.
  std::vector<uint32_t> owners;
  if (!f.ports.empty())
    for (const auto& r : s->sockets) owners.push_back(r.pid);
  s->threads.erase(std::remove_if(s->threads.begin(), s->threads.end(),
                                  [&](const ThreadRow& t) {
                                    if (!(pid_ok(t.pid) && comm_ok(t.comm))) return true;
                                    if (!f.ports.empty() &&
                                        std::find(owners.begin(), owners.end(), t.pid) == owners.end())
                                      return true;
                                    return false;
                                  }),
                   s->threads.end());
  std::string d = f.describe();
  s->filters = s->filters.empty() ? d : s->filters + " + " + d;
}

}  // namespace pollscope
