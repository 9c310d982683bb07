#include "core/traced_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"
#include "core/stop_signals.hpp"

namespace pollscope {

TracedCommand::TracedCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) throw Fatal("no command given", kExitUsage);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Fatal("pipe: " + errno_text(errno));
  pid_ = ::fork();
  if (pid_ < 0) throw Fatal("fork: " + errno_text(errno));
  if (pid_ == 0) {
    ::close(fds[1]);
    char c;
    // Wait until the parent has attached the probes (or died).
    while (::read(fds[0], &c, 1) < 0 && errno == EINTR) {
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "pollscope: cannot run %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(fds[0]);
  go_.reset(fds[1]);
}

TracedCommand::~TracedCommand() {
  if (pid_ > 0 && !reaped_) terminate();
}

void TracedCommand::release() { go_.reset(); }

bool TracedCommand::exited() {
  if (reaped_) return true;
  if (::waitpid(pid_, nullptr, WNOHANG) == pid_) reaped_ = true;
  return reaped_;
}

void TracedCommand::terminate() {
  if (reaped_) return;
  go_.reset();
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 40 && !exited(); i++) ::usleep(50000);
  if (!exited()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    reaped_ = true;
  }
}

}  // namespace pollscope
