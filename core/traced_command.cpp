#include "core/traced_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "core/process_tree.hpp"

namespace pollscope {

TracedCommand::TracedCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) throw Fatal("no command given", kExitUsage);
  name_ = argv[0];
  int go[2], err[2];
  if (::pipe2(go, O_CLOEXEC) != 0) throw Fatal("pipe: " + errno_text(errno));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    int e = errno;
    ::close(go[0]);
    ::close(go[1]);
    throw Fatal("pipe: " + errno_text(e));
  }
  pid_t pid = ::fork();
  if (pid < 0) throw Fatal("fork: " + errno_text(errno));
  if (pid == 0) {
    ::close(go[1]);
    ::close(err[0]);
    char c;
    // Wait until the parent has attached the probes (or died).
    while (::read(go[0], &c, 1) < 0 && errno == EINTR) {
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    int e = errno;
    (void)!::write(err[1], &e, sizeof(e));
    ::_exit(127);
  }
  child_ = ChildPid(pid);
  ::close(go[0]);
  ::close(err[1]);
  go_.reset(go[1]);
  exec_error_.reset(err[0]);
}

TracedCommand::~TracedCommand() {
  if (child_.running()) terminate();
}

void TracedCommand::release() {
  go_.reset();
  int e = 0;
  ssize_t n;
  while ((n = ::read(exec_error_.get(), &e, sizeof(e))) < 0 && errno == EINTR) {
  }
  exec_error_.reset();
  if (n == static_cast<ssize_t>(sizeof(e))) throw Fatal("cannot run " + name_ + ": " + errno_text(e));
}

void TracedCommand::terminate() {
  go_.reset();
  // Only while it is our unreaped child can its pid not belong to someone else.
  if (child_.exited()) return;
  // The whole tree the command started, as timeout(1) stops a process group
  // (the command keeps the terminal's group, so Ctrl-C still reaches it):
  // a wrapper script's background children would outlive it otherwise.
  std::vector<ProcStat> tree = process_tree(child_.get());
  for (size_t i = 1; i < tree.size(); i++) ::kill(tree[i].pid, SIGTERM);
  child_.terminate(2.0);
  // The descendants are not our children (nothing to reap): they get one more
  // second, then SIGKILL, each checked to be the same process first.
  for (int tries = 0;; tries++) {
    bool any = false;
    for (size_t i = 1; i < tree.size(); i++) {
      if (!still_running(tree[i])) continue;
      any = true;
      if (tries == 20) ::kill(tree[i].pid, SIGKILL);
    }
    if (!any || tries == 20) break;
    ::usleep(50000);
  }
}

}  // namespace pollscope
