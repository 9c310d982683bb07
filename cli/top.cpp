// `pollscope top`: the live top/htop-like view of sockets, threads and CPUs.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/support/registry.hpp"
#include "cli/support/trace_options.hpp"
#include "cli/support/validators.hpp"
#include "core/base/error.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/proc/stop_signals.hpp"
#include "tui/live_source.hpp"
#include "tui/run_top.hpp"
#include "tui/source.hpp"

namespace pollscope::cli {

namespace {

struct TopCliOptions {
  TraceFlags trace;
  double delay = 1.0;
  uint64_t iterations = 0;
  bool batch = false;
  bool no_color = false;
  std::string sort;
  std::string view;
  std::string record;
  std::string replay;
};

int run_top_cmd(const TopCliOptions& o) {
  if (!o.record.empty() && !o.replay.empty())
    throw Fatal("--record and --replay cannot be used together", kExitUsage);
  // Validates --probes and --comm in both modes.
  TracerOptions topts = to_tracer_options(o.trace);
  tui::TopConfig cfg;
  cfg.delay_s = o.delay;
  cfg.iterations = o.iterations;
  cfg.batch = o.batch;
  cfg.color = !o.no_color;
  cfg.view = o.view;
  cfg.sort = o.sort;
  install_stop_signals();
  std::unique_ptr<tui::SnapshotSource> src;
  std::unique_ptr<RecordingWriter> recorder;
  if (!o.replay.empty()) {
    // The tracer filters live data in the kernel; replayed data is filtered here.
    cfg.filter.pids = o.trace.pids;
    cfg.filter.ports = o.trace.ports;
    cfg.filter.comm = o.trace.comm;
    src = tui::ReplaySource::open(o.replay);
  } else {
    require_live_pids(topts.filter.pids);
    src = std::make_unique<tui::LiveSource>(topts);
    if (!o.record.empty()) {
      recorder = std::make_unique<RecordingWriter>(o.record);
      cfg.on_interval = [&recorder](const Snapshot& s) { recorder->write(s); };
    }
  }
  return tui::run_top(cfg, *src);
}

Runner setup_top(CLI::App& app) {
  auto o = std::make_shared<TopCliOptions>();
  auto* sub = app.add_subcommand("top", "Live top-like view of sockets, threads and CPUs");
  sub->footer(
      "An interactive, top/htop-like screen: per socket readiness, reads, wakeups and\n"
      "ready->read latency; per thread epoll/poll/select calls and run-queue latency;\n"
      "per CPU softirq time; recent connections. Press h for the keys. Batch mode prints\n"
      "plain-text frames; a recording can be replayed without root.");
  sub->add_option("-d,--delay", o->delay, "Seconds between updates (0.05 to 3600)")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(0.05, 3600.0));
  sub->add_option("-n,--iterations", o->iterations, "Stop after N updates (default: until q)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  sub->add_flag("-b,--batch", o->batch, "Batch mode: plain-text frames on stdout, no keys");
  add_trace_flags(sub, o->trace, "-p,--pid");
  sub->add_option("--sort", o->sort, "Sort column at start, by id (see FIELDS), e.g. ready, ready-read-p99");
  sub->add_option("--view", o->view, "View at start: sockets, threads, cpus, connections or stages");
  sub->add_flag("-C,--no-color", o->no_color, "No colours (bold and reverse video only)");
  sub->add_option("--record", o->record, "Also write every interval to FILE (recording format)");
  sub->add_option("--replay", o->replay, "Show a recording instead of tracing (no root needed)");
  return [o] { return run_top_cmd(*o); };
}

const RegisterSubcommand kRegister{30, "top", setup_top};

}  // namespace

}  // namespace pollscope::cli
