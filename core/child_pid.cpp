#include "core/child_pid.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/monotonic_clock.hpp"

namespace pollscope {

bool ChildPid::exited() {
  if (pid_ <= 0 || reaped_) return true;
  int st;
  if (::waitpid(pid_, &st, WNOHANG) == pid_) {
    reaped_ = true;
    status_ = st;
  }
  return reaped_;
}

void ChildPid::terminate(double grace_s) {
  if (exited()) return;
  ::kill(pid_, SIGTERM);
  double deadline = monotonic_s() + grace_s;
  while (monotonic_s() < deadline) {
    if (exited()) return;
    ::usleep(20000);
  }
  ::kill(pid_, SIGKILL);
  int st;
  pid_t r;
  while ((r = ::waitpid(pid_, &st, 0)) < 0 && errno == EINTR) {
  }
  if (r == pid_) status_ = st;
  reaped_ = true;
}

int ChildPid::exit_code() const {
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
  return -1;
}

std::string ChildPid::how_it_ended() const {
  if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_))
    return "was killed by signal " + std::to_string(WTERMSIG(status_)) + " (" + strsignal(WTERMSIG(status_)) + ")";
  return "ended";
}

}  // namespace pollscope
