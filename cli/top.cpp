// `pollscope top`: the live top/htop-like view of sockets, threads and CPUs.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/registry.hpp"
#include "core/error.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/probe/tracepoints.hpp"
#include "tui/run_top.hpp"
#include "tui/source.hpp"

namespace pollscope::cli {

namespace {

struct TopCliOptions {
  double delay = 1.0;
  uint64_t iterations = 0;
  bool batch = false;
  bool no_color = false;
  std::vector<uint32_t> pids;
  std::vector<uint16_t> ports;
  std::string comm;
  std::string probes;
  std::string sort;
  std::string view;
  std::string record;
  std::string replay;
  bool verbose = false;
};

std::unique_ptr<tui::SnapshotSource> live_source(const TopCliOptions& o);

int run_top_cmd(const TopCliOptions& o) {
  if (!o.record.empty() && !o.replay.empty())
    throw Fatal("--record and --replay cannot be used together", kExitUsage);
  if (!o.probes.empty()) {
    std::string list = o.probes;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      probe::Family f;
      if (!probe::parse_family(name, &f))
        throw Fatal("unknown probe family '" + name + "' (sock, sched, softirq, syscalls)", kExitUsage);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  tui::TopConfig cfg;
  cfg.delay_s = o.delay;
  cfg.iterations = o.iterations;
  cfg.batch = o.batch;
  cfg.color = !o.no_color;
  cfg.view = o.view;
  cfg.sort = o.sort;
  std::unique_ptr<tui::SnapshotSource> src;
  std::unique_ptr<RecordingWriter> recorder;
  if (!o.replay.empty()) {
    // The tracer filters live data in the kernel; replayed data is filtered here.
    cfg.filter.pids = o.pids;
    cfg.filter.ports = o.ports;
    cfg.filter.comm = o.comm;
    src = tui::ReplaySource::open(o.replay);
  } else {
    src = live_source(o);
    if (!o.record.empty()) {
      recorder = std::make_unique<RecordingWriter>(o.record);
      cfg.on_interval = [&recorder](const Snapshot& s) { recorder->write(s); };
    }
  }
  return tui::run_top(cfg, *src);
}

std::unique_ptr<tui::SnapshotSource> live_source(const TopCliOptions&) {
  throw Fatal("live mode needs the tracer, which this build does not have yet; use --replay FILE");
}

Runner setup_top(CLI::App& app) {
  auto o = std::make_shared<TopCliOptions>();
  auto* sub = app.add_subcommand("top", "Live top-like view of sockets, threads and CPUs");
  sub->description(
      "An interactive, top/htop-like screen: per socket readiness, reads, wakeups and\n"
      "ready->read latency; per thread epoll/poll/select calls and run-queue latency;\n"
      "per CPU softirq time; recent connections. Press h for the keys.\n"
      "-b prints plain-text frames instead; --replay FILE shows a recording (no root).");
  sub->add_option("-d,--delay", o->delay, "Seconds between updates (0.05 to 3600, default 1)")
      ->check(CLI::Range(0.05, 3600.0));
  sub->add_option("-n,--iterations", o->iterations, "Stop after N updates (default: until q)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  sub->add_flag("-b,--batch", o->batch, "Batch mode: plain-text frames on stdout, no keys");
  sub->add_option("-p,--pid", o->pids, "Only this process and its threads (repeatable)")
      ->check(CLI::Range(uint32_t{1}, uint32_t{4194304}));
  sub->add_option("--port", o->ports, "Only sockets with this local or remote port (repeatable)")
      ->check(CLI::Range(uint16_t{1}, uint16_t{65535}));
  sub->add_option("--comm", o->comm, "Only sockets and threads of processes with this command name");
  sub->add_option("--probes", o->probes, "Probe families to load: sock,sched,softirq,syscalls (default all)");
  sub->add_option("--sort", o->sort, "Sort column at start, by id (see FIELDS), e.g. ready, rr_p99");
  sub->add_option("--view", o->view, "View at start: sockets, threads, cpus or connections");
  sub->add_flag("-C,--no-color", o->no_color, "No colours (bold and reverse video only)");
  sub->add_option("--record", o->record, "Also write every interval to FILE (recording format)");
  sub->add_option("--replay", o->replay, "Show a recording instead of tracing (no root needed)");
  sub->add_flag("-v,--verbose", o->verbose, "Show libbpf's own messages");
  return [o] { return run_top_cmd(*o); };
}

const RegisterSubcommand kRegister{30, "top", setup_top};

}  // namespace

}  // namespace pollscope::cli
