// The tracer: loads the probes with the given filters and turns their maps
// into one Snapshot per call to collect(). Owns every libbpf object (RAII);
// destroying it detaches and unloads everything.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"
#include "core/probe/tracepoints.hpp"

namespace pollscope {

struct TracerOptions {
  std::vector<probe::Family> families;  // empty: all
  std::vector<uint32_t> pids;           // processes (and their threads) to keep; empty: all
  std::vector<uint16_t> ports;          // local or remote ports to keep; empty: all
  std::string comm;                     // owner command name to keep; empty: all
  bool follow_children = false;         // forked children of kept pids are kept too
  bool self_cost = false;               // turn on bpf_stats while tracing (costs ~100 ns per event)
  bool verbose = false;                 // libbpf's own messages on stderr
  uint32_t max_sockets = 16384;         // socket map entries
  uint32_t max_threads = 4096;          // thread map entries
  size_t max_rows = kDefaultMaxRows;    // socket rows per snapshot before closed ones fold (0: no limit)
};

// Human description of the filters, e.g. "pid 12,13 port 6379 comm redis-server".
std::string describe_filters(const TracerOptions& o);

// Parses "sock,sched" into families; throws Fatal(kExitUsage) naming a bad one.
std::vector<probe::Family> parse_families(const std::string& list);

class TracerImpl;

class Tracer {
 public:
  // Throws Fatal with one clear line when the probes cannot run at all
  // (privileges, no BTF, nothing attachable).
  explicit Tracer(const TracerOptions& opts);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // Everything that happened since the previous call (or since start).
  Snapshot collect();

 private:
  std::unique_ptr<TracerImpl> impl_;
};

}  // namespace pollscope
