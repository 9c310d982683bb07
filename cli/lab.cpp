// `pollscope lab`: the whole story in one command. A built-in server, the
// load generator driving it and the probes on the server, shown in `top`
// (default), printed as a report (--report), or repeated for every waiting
// mode and printed as one comparison table (--compare).
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "cli/support/registry.hpp"
#include "cli/support/validators.hpp"
#include "core/base/duration.hpp"
#include "core/base/error.hpp"
#include "core/base/monotonic_clock.hpp"
#include "core/lab/compare.hpp"
#include "core/lab/lab_session.hpp"
#include "core/load/summary.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/render/report_options.hpp"
#include "core/proc/stop_signals.hpp"
#include "core/serve/modes.hpp"
#include "tui/run_top.hpp"
#include "tui/source.hpp"

namespace pollscope::cli {

namespace {

struct LabCliOptions {
  std::string mode = "epoll";
  std::string proto = "resp";
  int threads = 1;
  double rate = 2000;
  std::string connections;  // "" means 20 (live, --report) or 10,1000 (--compare)
  std::string duration;
  bool report = false;
  bool json = false;
  bool compare = false;
  std::string modes = serve::join_mode_names(",");
  std::string probes = "all";
  double delay = 1.0;
  bool no_color = false;
  bool verbose = false;
};

// A private folder for the children's logs, removed at exit.
class WorkDir {
 public:
  WorkDir() {
    char tmpl[] = "/tmp/pollscope-lab.XXXXXX";
    if (!::mkdtemp(tmpl)) throw Fatal("cannot create a temporary folder: " + errno_text(errno));
    path_ = tmpl;
  }
  ~WorkDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<int> parse_connections(const std::string& list) {
  std::vector<int> out;
  for (const auto& item : split(list)) {
    char* end = nullptr;
    long v = std::strtol(item.c_str(), &end, 10);
    if (*end || v < 1 || v > 10000)
      throw Fatal("--connections: '" + item + "' is not a count from 1 to 10000", kExitUsage);
    out.push_back(static_cast<int>(v));
  }
  if (out.empty()) throw Fatal("--connections needs at least one count", kExitUsage);
  return out;
}

// --duration, or default_s when not given; the load needs a positive one.
double lab_duration(const LabCliOptions& o, double default_s) {
  if (o.duration.empty()) return default_s;
  double d = parse_duration(o.duration, "--duration");
  if (d <= 0) throw Fatal("--duration must be more than 0", kExitUsage);
  return d;
}

LabConfig base_config(const LabCliOptions& o, const std::string& work_dir) {
  LabConfig c;
  c.mode = o.mode;
  c.proto = o.proto;
  c.threads = o.threads;
  c.rate = o.rate;
  c.probes = o.probes;
  c.verbose = o.verbose;
  c.work_dir = work_dir;
  return c;
}

// Runs one session for its whole duration, collecting once per interval.
// Returns the merged snapshot; *summary gets load's summary.
Snapshot run_session(LabSession& lab, double interval, load::LoadSummary* summary, double* cpu_s, double* wall_s) {
  Snapshot total;
  double cpu0 = lab.server_cpu_s();
  double t0 = monotonic_s();
  while (!stop_requested()) {
    sleep_unless_stopped(interval);
    total.merge(lab.tracer().collect());
    if (!lab.check_children()) break;  // load finished its run
  }
  *wall_s = monotonic_s() - t0;
  *cpu_s = lab.server_cpu_s() - cpu0;
  total.merge(lab.tracer().collect_last());  // a session's tracer is not used after it
  auto printed = lab.finish_load();
  if (!printed) throw Fatal("the load generator printed no summary");
  *summary = *printed;
  return total;
}

std::string load_summary_text(const load::LoadSummary& l) {
  return fmt::format(
      "LOAD: {} requests in {:.1f} s, {:.0f}/s achieved of {:.0f}/s asked, {} connections; "
      "latency p50 {:.0f}us p99 {:.0f}us max {:.0f}us; errors {}\n",
      l.requests, l.duration_s, l.throughput, l.rate_asked, l.connections, l.latency.p50, l.latency.p99,
      l.latency.max, l.errors_total);
}

int run_lab_report(const LabCliOptions& o, const std::string& work_dir) {
  LabConfig cfg = base_config(o, work_dir);
  cfg.connections = parse_connections(o.connections.empty() ? "20" : o.connections).front();
  cfg.duration_s = lab_duration(o, 10.0);
  LabSession lab(cfg);
  std::fprintf(stderr, "pollscope lab: server %s (pid %d, %s/%s), load %g req/s over %d connections for %g s\n",
               lab.server_address().c_str(), lab.server_pid(), cfg.mode.c_str(), cfg.proto.c_str(), cfg.rate,
               cfg.connections, cfg.duration_s);
  load::LoadSummary summary;
  double cpu_s = 0, wall_s = 0;
  Snapshot total = run_session(lab, 1.0, &summary, &cpu_s, &wall_s);
  ReportLayout layout;
  if (o.json) {
    nlohmann::ordered_json out;
    out["pollscope_lab"] = 1;
    out["server"] = {{"address", lab.server_address()}, {"pid", lab.server_pid()}, {"mode", cfg.mode},
                     {"proto", cfg.proto}, {"threads", cfg.threads}, {"cpu_s", cpu_s}};
    out["load"] = nlohmann::ordered_json::parse(load::render_summary_json(summary));
    out["report"] = nlohmann::ordered_json::parse(render_report_json(total, layout));
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s", load_summary_text(summary).c_str());
    std::printf("SERVER: pollscope serve --mode %s --proto %s at %s, %.0f%% of one CPU\n\n", cfg.mode.c_str(),
                cfg.proto.c_str(), lab.server_address().c_str(), wall_s > 0 ? 100 * cpu_s / wall_s : 0.0);
    std::printf("%s", render_report_text(total, layout).c_str());
  }
  return kExitOk;
}

int run_lab_compare(const LabCliOptions& o, const std::string& work_dir) {
  std::vector<std::string> modes = split(o.modes);
  if (modes.empty()) throw Fatal("--modes needs at least one mode", kExitUsage);
  for (const auto& m : modes) {
    if (!serve::find_mode(m))
      throw Fatal("--modes: unknown mode '" + m + "' (choose from " + serve::join_mode_names(", ") + ")", kExitUsage);
  }
  std::vector<int> conns = parse_connections(o.connections.empty() ? "10,1000" : o.connections);
  double per_mode = lab_duration(o, 5.0);
  std::vector<CompareRow> rows;
  for (int c : conns) {
    for (const auto& m : modes) {
      if (stop_requested()) break;
      LabConfig cfg = base_config(o, work_dir);
      cfg.mode = m;
      cfg.connections = c;
      cfg.duration_s = per_mode;
      std::fprintf(stderr, "pollscope lab: %s with %d connections at %g req/s for %g s...\n", m.c_str(), c, cfg.rate,
                   per_mode);
      LabSession lab(cfg);
      load::LoadSummary summary;
      double cpu_s = 0, wall_s = 0;
      Snapshot total = run_session(lab, 1.0, &summary, &cpu_s, &wall_s);
      rows.push_back(make_compare_row(m, c, total, summary, cpu_s, wall_s, lab.server_pid()));
    }
  }
  std::string out = o.json ? render_compare_json(rows) : render_compare_text(rows);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return stop_requested() ? kExitFailure : kExitOk;
}

// Live intervals of a lab session for the top screens.
class LabSource : public tui::SnapshotSource {
 public:
  LabSource(LabSession& lab, std::string what) : lab_(lab), what_(std::move(what)) {}
  bool next(Snapshot* out) override {
    if (finished_) return false;
    *out = lab_.tracer().collect();
    if (!lab_.check_children()) finished_ = true;  // throws when a child died
    return true;
  }
  bool live() const override { return true; }
  std::string label(uint64_t) const override { return "lab " + what_ + (finished_ ? " (load finished)" : ""); }
  void recycle(Snapshot&& done) override { lab_.tracer().recycle(std::move(done)); }

 private:
  LabSession& lab_;
  std::string what_;
  bool finished_ = false;
};

int run_lab_top(const LabCliOptions& o, const std::string& work_dir) {
  if (!::isatty(STDOUT_FILENO) || !::isatty(STDIN_FILENO))
    throw Fatal("the lab screen needs a terminal; use --report (or --compare) otherwise", kExitUsage);
  LabConfig cfg = base_config(o, work_dir);
  cfg.connections = parse_connections(o.connections.empty() ? "20" : o.connections).front();
  cfg.duration_s = lab_duration(o, 600.0);
  LabSession lab(cfg);
  LabSource src(lab, fmt::format("{}/{} {} @{:g}/s", cfg.mode, cfg.proto, lab.server_address(), cfg.rate));
  tui::TopConfig tcfg;
  tcfg.delay_s = o.delay;
  tcfg.color = !o.no_color;
  return tui::run_top(tcfg, src);
}

int run_lab(const LabCliOptions& o) {
  if (o.rate <= 0) throw Fatal("--rate must be above 0", kExitUsage);
  if (o.json && !o.report && !o.compare) throw Fatal("--json goes with --report or --compare", kExitUsage);
  if (o.report && o.compare) throw Fatal("choose --report or --compare, not both", kExitUsage);
  install_stop_signals();
  WorkDir dir;
  if (o.compare) return run_lab_compare(o, dir.path());
  if (o.report) return run_lab_report(o, dir.path());
  return run_lab_top(o, dir.path());
}

Runner setup_lab(CLI::App& app) {
  auto o = std::make_shared<LabCliOptions>();
  auto* sub = app.add_subcommand("lab", "Server, load and probes in one command: the whole story");
  sub->footer(
      "Starts `pollscope serve` and `pollscope load` (open loop) as children, attaches the probes\n"
      "to the server and shows them in `pollscope top`; q stops everything. --report prints one\n"
      "report instead; --compare runs every waiting mode under the same load and prints one table.");
  sub->add_option("--mode", o->mode, "Server mode: " + serve::join_mode_names(", "))
      ->check(CLI::IsMember(serve::mode_names()))
      ->capture_default_str();
  sub->add_option("--proto", o->proto, "Protocol: resp, http or echo")
      ->check(CLI::IsMember({"resp", "http", "echo"}))
      ->capture_default_str();
  sub->add_option("--threads", o->threads, "Server event loops")->capture_default_str()->check(CLI::Range(1, 64));
  sub->add_option("--rate", o->rate, "Load: total requests per second (open loop)")
      ->capture_default_str()
      ->check(finite_number());
  sub->add_option("--connections", o->connections,
                  "Load connections; --compare takes a list (default there: 10,1000)");
  sub->add_option("-d,--duration", o->duration,
                  "How long the load runs (default 600s live, 10s with --report, 5s per mode with --compare)");
  sub->add_flag("--report", o->report, "No screen: run for the duration, then print the report");
  sub->add_flag("--json", o->json, "With --report or --compare: print JSON");
  sub->add_flag("--compare", o->compare, "Run every mode under identical load and print one table");
  sub->add_option("--modes", o->modes, "Modes for --compare")->capture_default_str();
  sub->add_option("--probes", o->probes, "Probe families to load")->capture_default_str();
  sub->add_option("--delay", o->delay, "Screen refresh, seconds")->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(0.1, 60.0));
  sub->add_flag("-C,--no-color", o->no_color, "No colours on the screen");
  sub->add_flag("-v,--verbose", o->verbose, "Show libbpf's messages");
  return [o] { return run_lab(*o); };
}

const RegisterSubcommand kRegister{5, "lab", setup_lab};

}  // namespace

}  // namespace pollscope::cli
