// One lab run: a `pollscope serve` child, the tracer filtered to it, and a
// `pollscope load` child driving it, started in that order and stopped in
// reverse. check_children() turns a child's unexpected death into a Fatal
// that names it.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "core/load/summary.hpp"
#include "core/proc/child_process.hpp"
#include "core/trace/tracer.hpp"

namespace pollscope {

struct LabConfig {
  std::string mode = "epoll";
  std::string proto = "resp";
  int threads = 1;
  double rate = 2000;      // requests/s, total (open loop)
  int connections = 20;
  double duration_s = 600; // load's duration: every run is bounded
  std::string probes = "all";
  bool verbose = false;
  std::string work_dir;    // where the children's stderr logs go
};

class LabSession {
 public:
  explicit LabSession(const LabConfig& cfg);  // throws Fatal
  ~LabSession();

  const std::string& server_address() const { return address_; }
  pid_t server_pid() const { return server_->pid(); }
  Tracer& tracer() { return *tracer_; }
  // Throws Fatal naming the child when the server died, or the load died
  // other than by finishing its run; false once load finished cleanly.
  bool check_children();
  bool load_finished();
  // Stops load (if running) and returns its summary, when it printed one
  // (load --json, read back with load::parse_summary_json).
  std::optional<load::LoadSummary> finish_load();
  // Server CPU seconds (user+system, all threads) so far.
  double server_cpu_s() const;

 private:
  LabConfig cfg_;
  std::unique_ptr<ChildProcess> server_;
  std::unique_ptr<Tracer> tracer_;
  std::unique_ptr<ChildProcess> load_;
  std::string address_;
};

}  // namespace pollscope
