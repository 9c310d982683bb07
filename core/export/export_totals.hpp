// What `pollscope export` serves: the interval Snapshots (deltas) added up
// since the start, per process and service port, per thread, per CPU, plus
// the probes' health. Counters only grow: a connection that closes keeps its
// counts in its process/port totals, since those are sums of deltas and a
// closed connection's last delta is added like any other. No per-socket state
// is kept, so the label sets stay bounded by processes x ports, not by
// connections.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

// One process's sockets on one service port (the local port of accepted and
// listening sockets, the remote port of connected ones: ephemeral ports
// never make a series).
struct PortKey {
  uint32_t pid = 0;
  std::string comm;
  std::string proto;  // "tcp", "udp", "tcp6", ...
  uint16_t port = 0;
  bool server = true;  // the port is the local end (accepted, listening)
  bool operator<(const PortKey& o) const {
    return std::tie(pid, comm, proto, port, server) < std::tie(o.pid, o.comm, o.proto, o.port, o.server);
  }
};

PortKey port_key_of(const SocketRow& r);

struct ThreadKey {
  uint32_t pid = 0;
  uint32_t tid = 0;
  bool operator<(const ThreadKey& o) const { return std::tie(pid, tid) < std::tie(o.pid, o.tid); }
};

// Per probe program, over the whole run.
struct ProbeTotals {
  std::string tracepoint, family, method, reason;
  bool attached = false;
  uint64_t run_cnt = 0, run_time_ns = 0;
};

struct HealthTotals {
  uint64_t events = 0;
  std::map<std::string, uint64_t> drops;  // by map, every map named even at 0
  uint64_t sock_events_lost = 0;
  bool self_cost = false;
  std::map<std::string, ProbeTotals> probes;  // by tracepoint
};

class ExportTotals {
 public:
  // Series beyond these bounds push out the ones updated longest ago (and
  // are counted in evicted()); threads are bounded by --max-threads.
  ExportTotals(size_t max_port_series, size_t max_thread_series);

  // Adds one interval; active_s is how long the probes were attached in it.
  void add(const Snapshot& interval, double active_s);

  const std::map<PortKey, SocketRow>& ports() const { return ports_; }
  const std::map<ThreadKey, ThreadRow>& threads() const { return threads_; }
  const std::map<int, CpuRow>& cpus() const { return cpus_; }
  const HealthTotals& health() const { return health_; }
  double active_seconds() const { return active_s_; }
  uint64_t evicted() const { return evicted_; }
  uint64_t intervals() const { return intervals_; }

 private:
  template <class Key, class Row>
  void bound(std::map<Key, Row>& rows, std::map<Key, uint64_t>& touched, size_t max);

  size_t max_ports_, max_threads_;
  std::map<PortKey, SocketRow> ports_;
  std::map<PortKey, uint64_t> port_touched_;  // interval of the last update
  std::map<ThreadKey, ThreadRow> threads_;
  std::map<ThreadKey, uint64_t> thread_touched_;
  std::map<int, CpuRow> cpus_;
  HealthTotals health_;
  double active_s_ = 0;
  uint64_t evicted_ = 0;
  uint64_t intervals_ = 0;
};

}  // namespace pollscope
