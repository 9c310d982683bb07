// `pollscope report`: trace for a while (or replay a recording), then print
// one report.
#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>

#include "cli/support/registry.hpp"
#include "cli/support/trace_options.hpp"
#include "core/base/duration.hpp"
#include "core/base/error.hpp"
#include "core/model/recording_reader.hpp"
#include "core/model/snapshot_total.hpp"
#include "core/model/snapshot_filter.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/render/completeness.hpp"
#include "core/render/report_options.hpp"
#include "core/proc/stop_signals.hpp"
#include "core/proc/traced_command.hpp"
#include "core/trace/tracer.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope::cli {

namespace {

struct ReportCliOptions {
  TraceFlags trace;
  std::string duration;
  std::string interval = "1s";
  std::string format = "text";
  std::string output;
  std::string record;
  std::string input;
  ReportLayout layout;
  std::vector<std::string> command;
  std::vector<std::string> live_only_given;  // flags that mean nothing to a replay, as given
};

// Where the report goes: stdout, or -o FILE opened before tracing, so a path
// that cannot be written fails at once, not after the trace. The file is
// truncated only when the report is written: a run that ends in an error
// before it leaves an existing file as it was, and removes one it created
// (as it does one it created and could not write to the end).
class ReportOutput {
 public:
  explicit ReportOutput(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    fd_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd_.valid()) {
      created_ = true;
    } else if (errno == EEXIST) {
      fd_.reset(::open(path_.c_str(), O_WRONLY | O_CLOEXEC));
    }
    if (!fd_.valid()) throw Fatal("cannot write " + path_ + ": " + errno_text(errno));
  }
  ~ReportOutput() {
    if (created_ && !finished_) ::unlink(path_.c_str());
  }
  ReportOutput(const ReportOutput&) = delete;
  ReportOutput& operator=(const ReportOutput&) = delete;

  // The report in pieces, as they are made (a JSON report of many sockets
  // is too big to hold whole), then finish().
  void append(const std::string& text) {
    if (!fd_.valid()) {
      written_ = true;
      if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
        throw Fatal("cannot write the report to stdout: " + errno_text(errno));
      return;
    }
    if (!written_ && ::ftruncate(fd_.get(), 0) != 0) throw Fatal("cannot write " + path_ + ": " + errno_text(errno));
    written_ = true;
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(fd_.get(), text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Fatal("cannot write " + path_ + ": " + errno_text(errno));
      done += static_cast<size_t>(n);
    }
  }
  void finish() {
    if (!fd_.valid()) {
      if (std::fflush(stdout) != 0 || std::ferror(stdout))
        throw Fatal("cannot write the report to stdout: " + errno_text(errno));
      return;
    }
    if (::close(fd_.release()) != 0) throw Fatal("cannot write " + path_ + ": " + errno_text(errno));
    finished_ = true;
  }

 private:
  std::string path_;
  UniqueFd fd_;
  bool created_ = false;
  bool written_ = false;   // truncated, and written to
  bool finished_ = false;  // written to the end
};

void write_report(const Snapshot& s, const ReportCliOptions& o, ReportOutput& output) {
  if (o.format == "json")
    write_report_json(s, o.layout, [&](const std::string& text) { output.append(text); });
  else
    output.append(render_report_text(s, o.layout));
  output.finish();
}

int run_report(ReportCliOptions& o) {
  check_sort_key(o.layout.sort);

  if (!o.input.empty()) {
    if (!o.command.empty() || !o.record.empty())
      throw Fatal("--input replays a recording: it takes no COMMAND and no --record", kExitUsage);
    if (!o.live_only_given.empty())
      throw Fatal("--input replays a recording: " + o.live_only_given.front() + " applies to live tracing only",
                  kExitUsage);
    // The kernel filtered what was recorded; a filter given now filters the replay.
    FilterSpec filter{o.trace.pids, o.trace.ports, o.trace.comm};
    ReportOutput output(o.output);  // a bad -o path fails before a long read
    // Streamed: one line is parsed, merged into the total and dropped, so
    // memory follows the largest line and the total, not the file; closed
    // connections beyond --max-rows fold as they would live.
    RecordingReader reader(o.input);
    SnapshotTotal total(o.trace.max_rows);
    Snapshot s;
    while (reader.next(&s)) {
      apply_filter(filter, &s);
      total.add(std::move(s));
    }
    if (!reader.warning().empty()) std::fprintf(stderr, "pollscope report: %s\n", reader.warning().c_str());
    write_report(total.total(), o, output);
    return kExitOk;
  }

  double duration = o.duration.empty() ? (o.command.empty() ? 10.0 : 0.0) : parse_duration(o.duration, "--duration");
  double interval = parse_duration(o.interval, "--interval");
  if (interval < 0.05) throw Fatal("--interval must be at least 50ms", kExitUsage);

  TracerOptions topts = to_tracer_options(o.trace);
  // Only the total is shown: rows by connection lifetime, not by interval
  // (a recording holds intervals).
  topts.lifetime_rows = o.record.empty();
  if (!topts.cgroup.empty() && !o.command.empty())
    throw Fatal("--cgroup traces a cgroup's processes: it takes no COMMAND", kExitUsage);
  require_live_pids(topts.filter.pids);
  install_stop_signals();
  std::unique_ptr<TracedCommand> cmd;
  if (!o.command.empty()) {
    cmd = std::make_unique<TracedCommand>(o.command);
    topts.filter.pids.push_back(static_cast<uint32_t>(cmd->pid()));
    topts.filter.follow_children = true;
  }
  Tracer tracer(topts);
  ReportOutput output(o.output);  // after the privilege check, before the trace
  std::unique_ptr<RecordingWriter> recorder;
  if (!o.record.empty()) recorder = std::make_unique<RecordingWriter>(o.record);
  if (cmd) cmd->release();

  std::string what = duration > 0 ? fmt::format(" for {:g} s", duration) : "";
  if (cmd) what += fmt::format(" pid {} ({})", cmd->pid(), o.command[0]);
  std::fprintf(stderr, "pollscope report: tracing%s; Ctrl-C to stop\n", what.c_str());

  // Bounded memory whatever the churn: closed connections beyond the row
  // limit fold into exact per-process, per-port sums.
  SnapshotTotal total(topts.max_rows, topts.max_sockets);
  double elapsed = 0;
  bool done = false;
  while (!done) {
    double step = interval;
    if (duration > 0 && elapsed + step > duration) step = duration - elapsed;
    // Sleep in slices so an exiting command ends the trace promptly.
    double slept = 0;
    while (slept < step && !stop_requested()) {
      double slice = std::min(0.1, step - slept);
      sleep_unless_stopped(slice);
      slept += slice;
      if (cmd && cmd->exited()) break;
    }
    elapsed += slept;
    done = stop_requested() || (duration > 0 && elapsed >= duration - 1e-9) || (cmd && cmd->exited());
    Snapshot s = done ? tracer.collect_last() : tracer.collect();
    if (recorder) recorder->write(s);
    total.add(std::move(s));
    tracer.recycle(std::move(s));
  }
  if (cmd && cmd->exited())
    std::fprintf(stderr, "pollscope report: %s (pid %d) %s\n", o.command[0].c_str(), cmd->pid(),
                 cmd->how_it_ended().c_str());
  else if (cmd)
    cmd->terminate();
  warn_if_incomplete("pollscope report", total.total().health);
  write_report(total.total(), o, output);
  return kExitOk;
}

Runner setup_report(CLI::App& app) {
  auto o = std::make_shared<ReportCliOptions>();
  auto* sub = app.add_subcommand("report", "Trace for a while, then print one report (text or JSON)");
  sub->footer(
      "Traces sockets, threads and CPUs for --duration (default 10s), until Ctrl-C, or until\n"
      "COMMAND exits (then COMMAND's process tree is traced), and prints one report.\n"
      "With --input it renders a recording made with --record, without root.");
  sub->add_option("-d,--duration", o->duration, "How long to trace (e.g. 10s, 2m; 0: until Ctrl-C)");
  sub->add_option("--interval", o->interval, "How often the maps are read (and recorded)")->capture_default_str();
  add_trace_flags(sub, o->trace, "-p,--pid");
  sub->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  sub->add_option("-o,--output", o->output, "Write the report to FILE instead of stdout");
  sub->add_option("--record", o->record, "Also write each interval's snapshot to FILE (JSON lines; entries are then read every interval)");
  sub->add_option("-i,--input", o->input, "Render the report from a recording instead of tracing");
  sub->add_option("--sort", o->layout.sort,
                  "Sort sockets by: ready, reads, eagain, ready-read-p99, ready-read-p50, wakeups, "
                  "wake-run-p99, bytes, age, pid")
      ->capture_default_str();
  sub->add_option("--top", o->layout.top, "Socket rows in the text report (0: all)")
      ->capture_default_str()
      ->check(CLI::Range(0, std::numeric_limits<int>::max()));
  sub->add_flag("--wide", o->layout.wide, "Full local and remote addresses (wider than 80 columns)");
  sub->add_option("command", o->command, "COMMAND [ARGS...] to run and trace (after --)");
  return [o, sub] {
    for (const char* flag : {"--duration", "--interval", "--cgroup", "--probes", "--max-sockets", "--max-threads", "--self-cost"})
      if (sub->count(flag)) o->live_only_given.push_back(flag);
    return run_report(*o);
  };
}

const RegisterSubcommand kRegister{20, "report", setup_report};

}  // namespace

}  // namespace pollscope::cli
