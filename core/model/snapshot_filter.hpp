// The filters of report and top (pid, port, command name) as data: described
// in one way for every header ("pid 12,13 port 6379 comm redis-server"), and
// applied to a snapshot where the kernel did not apply them (a replay).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

struct FilterSpec {
  std::vector<uint32_t> pids;
  std::vector<uint16_t> ports;
  std::string comm;
  bool follow_children = false;  // live only: children of pids are traced too
  bool empty() const { return pids.empty() && ports.empty() && comm.empty(); }
  std::string describe() const;  // "pid 12,13 (+children) port 6379 comm redis-server"
};

// Keeps sockets of the given pids, with a local or remote port among ports,
// owned by comm; and the threads of kept processes (with a port filter, of
// processes that own a kept socket). Adds the filter to s->filters.
void apply_filter(const FilterSpec& f, Snapshot* s);

// Port of "127.0.0.1:6379" or "[::1]:80"; 0 when there is none.
uint16_t port_of(const std::string& addr);

}  // namespace pollscope
