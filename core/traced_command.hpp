// A command run under the tracer: forked first, held until the probes are
// attached (so its first packet is seen), then exec'd.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/unique_fd.hpp"

namespace pollscope {

class TracedCommand {
 public:
  explicit TracedCommand(const std::vector<std::string>& argv);  // forks; throws Fatal
  ~TracedCommand();  // terminates and reaps it if still running
  TracedCommand(const TracedCommand&) = delete;
  TracedCommand& operator=(const TracedCommand&) = delete;

  pid_t pid() const { return pid_; }
  void release();              // lets it exec
  bool exited();               // reaps without blocking
  void terminate();            // SIGTERM, then SIGKILL after a grace period; reaps

 private:
  pid_t pid_ = -1;
  UniqueFd go_;  // closing it lets the child exec
  bool reaped_ = false;
};

}  // namespace pollscope
