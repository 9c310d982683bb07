// A forked child's pid and its wait status: reaped without blocking, or
// stopped with SIGTERM and, after a grace period, SIGKILL. The one place
// pollscope waits for the children it starts (report's traced command,
// lab's server and load).
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>

namespace pollscope {

class ChildPid {
 public:
  ChildPid() = default;
  explicit ChildPid(pid_t pid) : pid_(pid) {}

  pid_t get() const { return pid_; }
  bool running() const { return pid_ > 0 && !reaped_; }
  bool exited();                  // reaps without blocking; true once reaped
  void terminate(double grace_s); // SIGTERM, SIGKILL after grace_s; reaps
  // Valid once exited(): the exit status, or 128+signal; -1 when unknown
  // (reaped by the kernel because SIGCHLD was ignored).
  int exit_code() const;
  // "exited with status 1", "was killed by signal 9 (Killed)".
  std::string how_it_ended() const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::optional<int> status_;  // waitpid status, once known
};

}  // namespace pollscope
