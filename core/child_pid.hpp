// A forked child's pid and its wait status: reaped without blocking, or
// stopped with SIGTERM and, after a grace period, SIGKILL. The one place
// pollscope waits for the children it starts (report's traced command,
// lab's server and load).
#pragma once
#include <sys/types.h>

namespace pollscope {

class ChildPid {
 public:
  ChildPid() = default;
  explicit ChildPid(pid_t pid) : pid_(pid) {}

  pid_t get() const { return pid_; }
  bool running() const { return pid_ > 0 && !reaped_; }
  bool exited();                  // reaps without blocking; true once reaped
  void terminate(double grace_s); // SIGTERM, SIGKILL after grace_s; reaps
  int status() const { return status_; }  // waitpid status, valid once exited()

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace pollscope
