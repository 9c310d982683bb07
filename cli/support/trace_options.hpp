// Tracing flags shared by `report` and `top` (filters, probe families, map
// sizes), so both commands spell them the same way.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/trace/trace_options.hpp"

namespace pollscope::cli {

struct TraceFlags {
  std::vector<uint32_t> pids;
  std::vector<uint16_t> ports;
  std::string comm;
  std::string cgroup;  // --cgroup PATH as given
  std::string probes = "all";
  uint32_t max_sockets = 16384;
  uint32_t max_threads = 4096;
  size_t max_rows = kDefaultMaxRows;
  bool self_cost = false;
  bool verbose = false;
};

// pid_flags: the spelling of the pid option ("-p,--pid").
void add_trace_flags(CLI::App* sub, TraceFlags& f, const std::string& pid_flags);
// Validates and converts; throws Fatal(kExitUsage) on bad values.
TracerOptions to_tracer_options(const TraceFlags& f);
// For live tracing: every -p names a running process (not a thread of one),
// since the filter matches processes and would otherwise trace nothing,
// silently. Throws Fatal: exit 1 for no such process, 2 for a thread id.
void require_live_pids(const std::vector<uint32_t>& pids);

}  // namespace pollscope::cli
