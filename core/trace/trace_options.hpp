// What to trace and how big the kernel maps are: the one input of the tracing
// pipeline. A leaf header (data only) so the stages it configures, probe::ProbeSet
// and Collector, depend on it and not on the Tracer that composes them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"
#include "core/model/snapshot_filter.hpp"
#include "core/probe/tracepoints.hpp"

namespace pollscope {

struct TracerOptions {
  std::vector<probe::Family> families;  // empty: all
  FilterSpec filter;                    // pids, ports, comm, follow_children (kernel-side)
  bool self_cost = false;               // turn on bpf_stats while tracing (costs ~100 ns per event)
  bool verbose = false;                 // libbpf's own messages on stderr
  uint32_t max_sockets = 16384;         // socket map entries
  uint32_t max_threads = 4096;          // thread map entries
  size_t max_rows = kDefaultMaxRows;    // socket rows per snapshot before closed ones fold (0: no limit)
  // Socket rows cover an entry's whole life and come once: when the
  // connection closes, when its idle entry is deleted, or at
  // Tracer::collect_last(); not as interval deltas. For a run's total only
  // (report without --record): the sum is the same, and no previous reading
  // of any entry is kept nor any open connection's row made per interval.
  bool lifetime_rows = false;
  // A cgroup v2 directory (absolute, resolved): its processes and those of its
  // descendants are traced, the set re-read at every collect() (filter.pids
  // then holds the first reading; children are followed in between).
  std::string cgroup;
  // The pid filter is on even while filter.pids is empty, and checked through
  // the map only, so that Tracer::set_pids() can change it while tracing.
  bool dynamic_pids = false;
};

}  // namespace pollscope
