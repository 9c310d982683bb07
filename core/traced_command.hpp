// A command run under the tracer: forked first, held until the probes are
// attached (so its first packet is seen), then exec'd.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/child_pid.hpp"
#include "core/unique_fd.hpp"

namespace pollscope {

class TracedCommand {
 public:
  explicit TracedCommand(const std::vector<std::string>& argv);  // forks; throws Fatal
  ~TracedCommand();  // terminates and reaps it if still running
  TracedCommand(const TracedCommand&) = delete;
  TracedCommand& operator=(const TracedCommand&) = delete;

  pid_t pid() const { return child_.get(); }
  void release();              // lets it exec
  bool exited() { return child_.exited(); }  // reaps without blocking
  // SIGTERM to it and its descendants, SIGKILL after a grace period; reaps it.
  void terminate();

 private:
  ChildPid child_;
  UniqueFd go_;  // closing it lets the child exec
};

}  // namespace pollscope
