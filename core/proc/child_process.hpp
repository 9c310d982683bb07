// A child process pollscope starts and owns (lab's server and load): stdout
// on a pipe, stderr to a log file, killed and reaped on destruction.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/proc/child_pid.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope {

class ChildProcess {
 public:
  // name: how messages call it ("server", "load"). Throws Fatal when it cannot start.
  ChildProcess(std::string name, const std::vector<std::string>& argv, const std::string& stderr_log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  const std::string& name() const { return name_; }
  pid_t pid() const { return child_.get(); }
  // One line of stdout, without the newline; false on timeout or EOF.
  bool read_line(std::string* line, double timeout_s);
  // Everything left on stdout until EOF (call after it exited).
  std::string read_rest();
  bool exited() { return child_.exited(); }  // reaps without blocking
  int exit_code() const { return child_.exit_code(); }  // valid once exited()
  std::string how_it_ended() const { return child_.how_it_ended(); }
  std::string stderr_tail(size_t max_lines = 3) const;  // last lines of its stderr log
  void terminate(double grace_s = 2.0) { child_.terminate(grace_s); }  // SIGTERM, SIGKILL after grace; reaps

 private:
  std::string name_;
  ChildPid child_;
  UniqueFd out_;
  std::string buffered_;
  std::string stderr_log_;
};

// Path of the running pollscope binary, for starting its own subcommands.
std::string self_executable();

}  // namespace pollscope
