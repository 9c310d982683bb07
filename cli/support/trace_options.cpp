#include "cli/support/trace_options.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/base/error.hpp"
#include "core/proc/cgroup_procs.hpp"

namespace pollscope::cli {

void add_trace_flags(CLI::App* sub, TraceFlags& f, const std::string& pid_flags) {
  sub->add_option(pid_flags, f.pids, "Trace only this process and its threads (repeatable)")
      ->check(CLI::Range(1u, 4194304u));
  sub->add_option("--port", f.ports, "Trace only sockets with this local or remote port (repeatable)")
      ->check(CLI::Range(1, 65535));
  sub->add_option("--comm", f.comm, "Trace only sockets and threads of processes with this command name")
      ->check(
          [](const std::string& comm) -> std::string {
            if (comm.size() <= 15) return {};
            return "'" + comm + "' is longer than the kernel's 15-character command name";
          },
          "");
  sub->add_option("--cgroup", f.cgroup,
                  "Trace only the processes of this cgroup v2 and its descendants (absolute, or relative to "
                  "the cgroup2 mount); re-read every interval");
  sub->add_option("--probes", f.probes,
                  "Probe families to load: sock,sched,softirq,syscalls or all")
      ->capture_default_str();
  sub->add_option("--max-sockets", f.max_sockets, "Size of the socket map (entries)")
      ->capture_default_str()
      ->check(CLI::Range(64u, 1u << 22));
  sub->add_option("--max-threads", f.max_threads, "Size of the thread map (entries)")
      ->capture_default_str()
      ->check(CLI::Range(64u, 1u << 20));
  sub->add_option("--max-rows", f.max_rows,
                  "Connections kept as their own rows; beyond it closed ones fold into one row per "
                  "process and service port (0: no limit)")
      ->capture_default_str();
  sub->add_flag("--self-cost", f.self_cost,
                "Turn on bpf_stats to measure the probes' own cost (adds ~100 ns per probe event)");
  sub->add_flag("-v,--verbose", f.verbose, "Show libbpf's messages");
}

namespace {

// The Tgid line of /proc/PID/status: the process a pid (or thread id) belongs
// to; 0 when there is no such process or thread.
uint32_t process_of(uint32_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Tgid:", 0) == 0) return static_cast<uint32_t>(std::strtoul(line.c_str() + 5, nullptr, 10));
  return 0;
}

}  // namespace

TracerOptions to_tracer_options(const TraceFlags& f) {
  TracerOptions o;
  o.families = probe::parse_family_list(f.probes);
  o.filter.pids = f.pids;
  o.filter.ports = f.ports;
  o.filter.comm = f.comm;
  if (!f.cgroup.empty()) {
    if (!f.pids.empty()) throw Fatal("--cgroup and -p cannot be used together", kExitUsage);
    o.cgroup = resolve_cgroup(f.cgroup);
  }
  o.max_sockets = f.max_sockets;
  o.max_threads = f.max_threads;
  o.max_rows = f.max_rows;
  o.self_cost = f.self_cost;
  o.verbose = f.verbose;
  return o;
}

void require_live_pids(const std::vector<uint32_t>& pids) {
  for (uint32_t pid : pids) {
    uint32_t tgid = process_of(pid);
    if (tgid == 0) throw Fatal("no process with pid " + std::to_string(pid));
    if (tgid != pid)
      throw Fatal(std::to_string(pid) + " is a thread of process " + std::to_string(tgid) + ": use -p " +
                      std::to_string(tgid),
                  kExitUsage);
  }
}

}  // namespace pollscope::cli
