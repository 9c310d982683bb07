// A command run under the tracer: forked first, held until the probes are
// attached (so its first packet is seen), then exec'd. A command that cannot
// be exec'd is an error of release(), not a short-lived process.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/proc/child_pid.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope {

class TracedCommand {
 public:
  explicit TracedCommand(const std::vector<std::string>& argv);  // forks; throws Fatal
  ~TracedCommand();  // terminates and reaps it if still running
  TracedCommand(const TracedCommand&) = delete;
  TracedCommand& operator=(const TracedCommand&) = delete;

  pid_t pid() const { return child_.get(); }
  // Lets it exec and waits until it has; throws Fatal ("cannot run ...") when
  // the exec failed.
  void release();
  bool exited() { return child_.exited(); }  // reaps without blocking
  std::string how_it_ended() const { return child_.how_it_ended(); }  // once exited()
  // SIGTERM to it and its descendants, SIGKILL after a grace period; reaps it.
  void terminate();

 private:
  ChildPid child_;
  UniqueFd go_;  // one byte lets the child exec; closing it without one, exit
  // The child writes errno here when exec fails; a successful exec closes it
  // (close-on-exec), so the parent reads EOF.
  UniqueFd exec_error_;
  std::string name_;
};

}  // namespace pollscope
