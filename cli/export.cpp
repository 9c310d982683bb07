// `pollscope export`: run the probes and serve what they see to Prometheus
// (/metrics), as a long-running service with an optional duty cycle.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "cli/support/registry.hpp"
#include "cli/support/trace_options.hpp"
#include "core/base/duration.hpp"
#include "core/base/error.hpp"
#include "core/export/duty_cycle.hpp"
#include "core/export/export_collectable.hpp"
#include "core/export/export_loop.hpp"
#include "core/export/metrics_server.hpp"
#include "core/proc/stop_signals.hpp"
#include "core/trace/tracer.hpp"

namespace pollscope::cli {

namespace {

constexpr const char* kPasswordEnv = "POLLSCOPE_EXPORT_PASSWORD";

struct ExportCliOptions {
  TraceFlags trace;
  std::string listen = "127.0.0.1:9464";
  std::string duty = kDefaultDuty;
  std::string interval = "1s";
  std::string auth_user;
  std::string auth_password_file;
};

BasicAuth basic_auth(const ExportCliOptions& o) {
  BasicAuth a;
  if (o.auth_user.empty()) {
    if (!o.auth_password_file.empty())
      throw Fatal("--basic-auth-password-file needs --basic-auth-user", kExitUsage);
    return a;
  }
  a.user = o.auth_user;
  if (!o.auth_password_file.empty()) {
    std::ifstream in(o.auth_password_file);
    if (!in) throw Fatal("cannot read " + o.auth_password_file, kExitUsage);
    std::getline(in, a.password);  // the first line, without its newline
  } else if (const char* env = std::getenv(kPasswordEnv)) {
    a.password = env;
  }
  if (a.password.empty())
    throw Fatal("--basic-auth-user needs a password: --basic-auth-password-file FILE or " + std::string(kPasswordEnv),
                kExitUsage);
  return a;
}

int run_export(const ExportCliOptions& o) {
  DutyCycle duty = parse_duty(o.duty);
  double interval = parse_duration(o.interval, "--interval");
  if (interval < 0.1) throw Fatal("--interval must be at least 100ms", kExitUsage);
  TracerOptions topts = to_tracer_options(o.trace);
  require_live_pids(topts.filter.pids);
  BasicAuth auth = basic_auth(o);
  install_stop_signals();

  ExportState state;
  state.duty_fraction = duty.fraction();
  state.cgroup = topts.cgroup;
  auto metrics = std::make_shared<ExportCollectable>(topts.max_rows, topts.max_threads, state);
  // Serving first: a scrape while the probes load is answered (with the
  // health metrics and pollscope_probes_attached 0).
  MetricsServer server(o.listen, metrics, auth);
  if (!is_loopback_address(o.listen))
    std::fprintf(stderr, "pollscope export: listening on %s, not a loopback address%s\n", o.listen.c_str(),
                 auth.user.empty() ? ", without authentication" : "");
  // The exporter bounds its series itself (--max-rows): its tracer must not
  // fold closed connections, whose folded rows lose their port and owner.
  TracerOptions tracer_opts = topts;
  tracer_opts.max_rows = 0;
  Tracer tracer(tracer_opts);
  std::fprintf(stderr, "pollscope export: serving http://%s/metrics (duty %s); SIGTERM or Ctrl-C to stop\n",
               o.listen.c_str(), duty.always_on() ? "always on" : o.duty.c_str());
  run_export_loop(tracer, *metrics, duty, interval);
  std::fprintf(stderr, "pollscope export: stopped\n");
  return kExitOk;
}

Runner setup_export(CLI::App& app) {
  auto o = std::make_shared<ExportCliOptions>();
  auto* sub = app.add_subcommand("export", "Run the probes and serve their totals to Prometheus (/metrics)");
  sub->footer(
      "Serves /metrics (Prometheus text format), / and /-/healthy on --listen until SIGTERM.\n"
      "Counters are totals since the start, per process and service port, per thread and per CPU;\n"
      "latencies are histograms with log2 buckets. With --duty ACTIVE/PERIOD the probes are\n"
      "attached for ACTIVE of every PERIOD only: divide by pollscope_active_seconds_total for rates.");
  sub->add_option("--listen", o->listen, "IP:PORT to serve on (another address than loopback is an explicit choice)")
      ->capture_default_str();
  add_trace_flags(sub, o->trace, "-p,--pid");
  sub->add_option("--duty", o->duty, "Attach the probes for ACTIVE of every PERIOD (1/1: always)")
      ->capture_default_str();
  sub->add_option("--interval", o->interval, "How often the maps are read")->capture_default_str();
  sub->add_option("--basic-auth-user", o->auth_user, "Require HTTP basic auth for /metrics with this user");
  sub->add_option("--basic-auth-password-file", o->auth_password_file,
                  std::string("The password's file (first line); else the environment variable ") + kPasswordEnv);
  return [o] { return run_export(*o); };
}

const RegisterSubcommand kRegister{35, "export", setup_export};

}  // namespace

}  // namespace pollscope::cli
