// Processes read from /proc: one process's stat line, and a process with all
// its descendants (this kernel has no /proc/PID/task/TID/children, so the
// tree comes from every process's parent pid).
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace pollscope {

struct ProcStat {
  pid_t pid = 0;
  pid_t ppid = 0;
  char state = '?';                   // R, S, D, Z, ...
  unsigned long long utime_ticks = 0;  // clock ticks (sysconf(_SC_CLK_TCK))
  unsigned long long stime_ticks = 0;
  unsigned long long start_ticks = 0;  // since boot: tells a reused pid apart
};

// Parses /proc/PID/stat; nullopt when the process is gone or unreadable.
std::optional<ProcStat> read_proc_stat(pid_t pid);

// The text of a /proc/PID/stat line, parsed (the command may hold spaces and
// parentheses). Exposed for tests.
std::optional<ProcStat> parse_proc_stat(const std::string& line);

// root and its descendants, parents before children; empty if root is gone.
std::vector<ProcStat> process_tree(pid_t root);

// p is still the same process (same start time) and has not exited (a zombie
// has). False once its pid is gone or reused.
bool still_running(const ProcStat& p);

}  // namespace pollscope
