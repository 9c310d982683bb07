#include "core/proc/child_pid.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/monotonic_clock.hpp"

namespace pollscope {

bool ChildPid::exited() {
  if (pid_ <= 0 || reaped_) return true;
  int st;
  pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    status_ = st;
  } else if (r < 0 && errno == ECHILD) {
    reaped_ = true;  // not ours to wait for (SIGCHLD ignored): gone, status unknown
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
  if (!status_) return -1;
  int st = *status_;
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return -1;
}

std::string ChildPid::how_it_ended() const {
  if (!status_) return "ended (exit status unknown)";
  int st = *status_;
  if (WIFEXITED(st)) return "exited with status " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st))
    return "was killed by signal " + std::to_string(WTERMSIG(st)) + " (" + strsignal(WTERMSIG(st)) + ")";
  return "ended";
}

}  // namespace pollscope
