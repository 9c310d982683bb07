#include "cli/support/trace_options.hpp"

#include "core/error.hpp"

namespace pollscope::cli {

void add_trace_flags(CLI::App* sub, TraceFlags& f, const std::string& pid_flags) {
  sub->add_option(pid_flags, f.pids, "Trace only this process and its threads (repeatable)")
      ->check(CLI::Range(1u, 4194304u));
  sub->add_option("--port", f.ports, "Trace only sockets with this local or remote port (repeatable)")
      ->check(CLI::Range(1, 65535));
  sub->add_option("--comm", f.comm, "Trace only sockets and threads of processes with this command name");
  sub->add_option("--probes", f.probes,
                  "Probe families to load: sock,sched,softirq,syscalls or all")
      ->capture_default_str();
  sub->add_option("--max-sockets", f.max_sockets, "Size of the socket map (entries)")
      ->capture_default_str()
      ->check(CLI::Range(64u, 1u << 22));
  sub->add_option("--max-threads", f.max_threads, "Size of the thread map (entries)")
      ->capture_default_str()
      ->check(CLI::Range(64u, 1u << 20));
  sub->add_flag("--self-cost", f.self_cost,
                "Turn on bpf_stats to measure the probes' own cost (adds ~100 ns per probe event)");
  sub->add_flag("-v,--verbose", f.verbose, "Show libbpf's messages");
}

TracerOptions to_tracer_options(const TraceFlags& f) {
  TracerOptions o;
  o.families = parse_families(f.probes);
  o.pids = f.pids;
  o.ports = f.ports;
  if (f.comm.size() > 15)
    throw Fatal("--comm '" + f.comm + "' is longer than the kernel's 15-character command name", kExitUsage);
  o.comm = f.comm;
  o.max_sockets = f.max_sockets;
  o.max_threads = f.max_threads;
  o.self_cost = f.self_cost;
  o.verbose = f.verbose;
  return o;
}

}  // namespace pollscope::cli
