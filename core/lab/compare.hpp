// `pollscope lab --compare`: one row per (mode, connection count), numbers
// from the load generator's summary, the server's CPU time and the tracer's
// merged snapshot of the server.
#pragma once
#include <string>
#include <sys/types.h>
#include <vector>

#include "core/load/summary.hpp"
#include "core/model/snapshot.hpp"

namespace pollscope {

struct CompareRow {
  std::string mode;
  int connections = 0;
  double rate_asked = 0;
  double qps = 0;            // load's achieved throughput
  double p50_us = 0, p99_us = 0;  // load's latency (coordinated-omission corrected)
  uint64_t requests = 0;
  uint64_t errors = 0;
  int server_threads = 0;    // server threads seen reading, writing or waiting
  double server_cpu_pct = 0; // user+system of all server threads, % of one CPU
  double cpu_us_per_req = 0;
  double waits_per_req = 0;  // epoll_wait/poll/select calls of server threads
  double reads_per_req = 0;  // reads returning data on server sockets
  double eagain_per_req = 0; // reads returning EAGAIN on server sockets
  double wakeups_per_req = 0;  // wakeups of server threads
  double ctxsw_per_req = 0;    // voluntary + involuntary switches of server threads
  double ready_read_p99_ns = 0;
  double wake_run_p99_ns = 0;
  // The server threads' stage split: each stage's share of all ready->read
  // time, and the return stage's p50 (select and poll scan every descriptor
  // there on each wakeup; epoll does not).
  uint64_t split = 0;
  std::array<double, kStages> stage_share{};
  double return_p50_ns = 0;
};

CompareRow make_compare_row(const std::string& mode, int connections, const Snapshot& server,
                            const load::LoadSummary& load, double cpu_s, double wall_s, pid_t server_pid);
std::string render_compare_text(const std::vector<CompareRow>& rows);
std::string render_compare_json(const std::vector<CompareRow>& rows);

}  // namespace pollscope
