#include "core/proc/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>

#include "core/base/error.hpp"
#include "core/base/monotonic_clock.hpp"

namespace pollscope {

std::string self_executable() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) throw Fatal("cannot find the pollscope binary: " + errno_text(errno));
  buf[n] = 0;
  return buf;
}

ChildProcess::ChildProcess(std::string name, const std::vector<std::string>& argv, const std::string& stderr_log)
    : name_(std::move(name)), stderr_log_(stderr_log) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Fatal("pipe: " + errno_text(errno));
  int err_fd = ::open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (err_fd < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw Fatal("cannot write " + stderr_log + ": " + errno_text(errno));
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw Fatal("fork: " + errno_text(errno));
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    // Its own process group: a terminal's Ctrl-C reaches pollscope, which
    // then stops the children itself, in order.
    ::setpgid(0, 0);
    // If pollscope dies without cleaning up (SIGKILL, SIGPIPE), so does the child.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    dprintf(STDERR_FILENO, "cannot run %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  child_ = ChildPid(pid);
  ::close(fds[1]);
  ::close(err_fd);
  out_.reset(fds[0]);
}

ChildProcess::~ChildProcess() {
  if (child_.running()) terminate(1.0);
}

bool ChildProcess::read_line(std::string* line, double timeout_s) {
  double deadline = monotonic_s() + timeout_s;
  for (;;) {
    auto nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      *line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return true;
    }
    double left = deadline - monotonic_s();
    if (left <= 0 || !out_.valid()) return false;
    pollfd p{out_.get(), POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left * 1000) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    char buf[4096];
    ssize_t n = ::read(out_.get(), buf, sizeof(buf));
    if (n <= 0) {
      out_.reset();
      return false;
    }
    buffered_.append(buf, n);
  }
}

std::string ChildProcess::read_rest() {
  std::string out = std::move(buffered_);
  buffered_.clear();
  char buf[65536];
  while (out_.valid()) {
    ssize_t n = ::read(out_.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, n);
  }
  out_.reset();
  return out;
}

std::string ChildProcess::stderr_tail(size_t max_lines) const {
  std::ifstream in(stderr_log_);
  std::deque<std::string> lines;
  std::string l;
  while (std::getline(in, l)) {
    if (l.empty()) continue;
    lines.push_back(l);
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& x : lines) out += (out.empty() ? "" : " | ") + x;
  return out;
}

}  // namespace pollscope
