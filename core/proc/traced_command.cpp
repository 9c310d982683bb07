#include "core/proc/traced_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "core/base/error.hpp"
#include "core/base/monotonic_clock.hpp"
#include "core/proc/process_tree.hpp"
#include "core/proc/stop_signals.hpp"

namespace pollscope {

namespace {

struct Pipe {
  UniqueFd read_end, write_end;
};

// Through syscall(2): Debian 12's <sys/pidfd.h> lacks C++ linkage.
int pidfd_open_(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
void pidfd_signal(int pidfd, int sig) { ::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0); }

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Fatal("pipe: " + errno_text(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace

TracedCommand::TracedCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) throw Fatal("no command given", kExitUsage);
  name_ = argv[0];
  Pipe go = make_pipe();
  Pipe err = make_pipe();
  pid_t pid = ::fork();
  if (pid < 0) throw Fatal("fork: " + errno_text(errno));
  if (pid == 0) {
    go.write_end.reset();
    err.read_end.reset();
    // Exec only on the parent's go byte: EOF means pollscope gave up (a
    // failed start, or it died) and the command must not run untraced.
    char c = 0;
    ssize_t n;
    while ((n = ::read(go.read_end.get(), &c, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1) ::_exit(127);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    int e = errno;
    (void)!::write(err.write_end.get(), &e, sizeof(e));
    ::_exit(127);
  }
  child_ = ChildPid(pid);
  go_ = std::move(go.write_end);
  exec_error_ = std::move(err.read_end);
}

TracedCommand::~TracedCommand() {
  if (child_.running()) terminate();
}

void TracedCommand::release() {
  // A child already gone makes the write fail with EPIPE: SIGPIPE is held
  // back (and a pending one taken) so that it cannot kill pollscope.
  sigset_t pipe_sig, old_mask;
  sigemptyset(&pipe_sig);
  sigaddset(&pipe_sig, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_sig, &old_mask);
  char go = 1;
  ssize_t wrote = ::write(go_.get(), &go, 1);
  int write_errno = errno;
  if (wrote != 1) {
    timespec zero{0, 0};
    ::sigtimedwait(&pipe_sig, nullptr, &zero);
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  go_.reset();
  if (wrote != 1 && write_errno != EPIPE) throw Fatal("cannot start " + name_ + ": " + errno_text(write_errno));
  // Wait for the exec (EOF: the pipe closed on exec) or its errno; a stop
  // request or a child gone before exec ends the wait too.
  for (;;) {
    pollfd p{exec_error_.get(), POLLIN, 0};
    int r = ::poll(&p, 1, 100);
    if (r < 0 && errno != EINTR) break;
    if (r > 0) {
      int e = 0;
      ssize_t n = ::read(exec_error_.get(), &e, sizeof(e));
      if (n < 0 && errno == EINTR) continue;
      exec_error_.reset();
      if (n == static_cast<ssize_t>(sizeof(e))) throw Fatal("cannot run " + name_ + ": " + errno_text(e));
      return;
    }
    if (stop_requested() || child_.exited()) break;
  }
  exec_error_.reset();
}

void TracedCommand::terminate() {
  go_.reset();  // not yet released: the child exits without exec
  // Only while it is our unreaped child can its pid not belong to someone else.
  if (child_.exited()) return;
  // The processes still in the command's tree (through parent pids; a daemon
  // that double-forked away is not), as timeout(1) stops a process group (the
  // command keeps the terminal's group, so Ctrl-C still reaches it): a
  // wrapper's background children would outlive it otherwise. Each is held by
  // a pidfd opened before its start time is checked again, so the signals
  // cannot reach a process that took over a reused pid.
  struct Held {
    ProcStat stat;
    UniqueFd pidfd;
  };
  std::vector<Held> kids;
  std::vector<ProcStat> tree = process_tree(child_.get());
  for (size_t i = 1; i < tree.size(); i++) {
    UniqueFd fd(pidfd_open_(tree[i].pid));
    if (fd.valid() && still_running(tree[i])) kids.push_back({tree[i], std::move(fd)});
  }
  for (auto& k : kids) pidfd_signal(k.pidfd.get(), SIGTERM);
  child_.terminate(2.0);
  // They are not our children (nothing to reap): one more second after the
  // command is gone, then SIGKILL.
  bool killed = false;
  for (int tries = 0;; tries++) {
    bool any = false;
    for (auto& k : kids) {
      if (!still_running(k.stat)) continue;
      any = true;
      if (tries == 20) {
        pidfd_signal(k.pidfd.get(), SIGKILL);
        killed = true;
      }
    }
    if (!any || tries == 20) break;
    ::usleep(50000);
  }
  // A SIGKILL is delivered, not done: wait (a second at most) for each pidfd
  // to say its process exited, so that pollscope returns with them gone.
  if (!killed) return;
  const double deadline = monotonic_s() + 1.0;
  for (auto& k : kids) {
    const double left = deadline - monotonic_s();
    if (left <= 0) break;
    struct pollfd p = {k.pidfd.get(), POLLIN, 0};
    while (::poll(&p, 1, static_cast<int>(left * 1000) + 1) < 0 && errno == EINTR) {
    }
  }
}

}  // namespace pollscope
