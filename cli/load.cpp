// `pollscope load`: a load generator for the built-in server, redis and nginx.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/support/registry.hpp"
#include "cli/support/validators.hpp"
#include "core/base/error.hpp"
#include "core/base/duration.hpp"
#include "core/proc/stop_signals.hpp"
#include "core/load/progress.hpp"
#include "core/load/resp.hpp"
#include "core/load/run.hpp"
#include "core/load/summary.hpp"
#include "core/load/target.hpp"

namespace pollscope::cli {

namespace {

struct LoadCliOptions {
  std::string target;
  std::string proto = "resp";
  std::string command = "PING";
  std::string path = "/";
  size_t size = 64;
  int connections = 10;
  int threads = 1;
  int pipeline = 1;
  double rate = 0;
  std::string duration;
  uint64_t requests = 0;
  std::string warmup = "0";
  double connect_rate = 0;
  std::string timeout = "2s";
  bool reconnect = false;
  bool uncorrected = false;
  bool json = false;
  bool quiet = false;
};

uint64_t duration_arg(const std::string& name, const std::string& v) {
  auto ns = parse_duration_ns(v);
  if (!ns) throw Fatal("bad " + name + " '" + v + "': expected a duration like 10s, 500ms, 2m", kExitUsage);
  return *ns;
}

load::LoadConfig make_config(const LoadCliOptions& o) {
  load::LoadConfig c;
  c.target = load::parse_target(o.target);
  c.proto.proto = *load::parse_proto(o.proto);
  c.proto.command = o.command;
  c.proto.path = o.path;
  c.proto.host = o.target;
  c.proto.size = o.size;
  if (load::split_words(o.command).empty()) throw Fatal("--command is empty", kExitUsage);
  if (o.path.empty() || o.path[0] != '/') throw Fatal("--path must start with /", kExitUsage);
  if (o.threads > o.connections) throw Fatal("-t must not exceed -c (each thread needs a connection)", kExitUsage);
  if (o.rate < 0 || o.rate > 1e8) throw Fatal("-R must be 0..100000000", kExitUsage);
  if (o.connect_rate < 0) throw Fatal("--connect-rate must be >= 0", kExitUsage);
  c.connections = o.connections;
  c.threads = o.threads;
  c.pipeline = o.pipeline;
  c.rate = o.rate;
  c.max_requests = o.requests;
  c.warmup_ns = duration_arg("--warmup", o.warmup);
  c.timeout_ns = duration_arg("--timeout", o.timeout);
  if (c.timeout_ns < 1'000'000) throw Fatal("--timeout must be at least 1ms", kExitUsage);
  if (!o.duration.empty()) {
    c.duration_ns = duration_arg("-d", o.duration);
    if (c.duration_ns == 0) throw Fatal("-d must be more than 0", kExitUsage);
  } else {
    // Every run is bounded: 10 s by default, 10 min at most with -n alone.
    c.duration_ns = o.requests ? 600'000'000'000ull : 10'000'000'000ull;
  }
  c.connect_rate = o.connect_rate;
  c.reconnect = o.reconnect;
  return c;
}

void raise_fd_limit(int connections) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  rlim_t want = static_cast<rlim_t>(connections) + 64;
  if (rl.rlim_cur >= want) return;
  rl.rlim_cur = std::min(want, rl.rlim_max);
  setrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < want)
    throw Fatal("-c " + std::to_string(connections) + " needs " + std::to_string(want) +
                " file descriptors; the limit is " + std::to_string(rl.rlim_cur));
}

int run_load_cmd(const LoadCliOptions& o) {
  load::LoadConfig cfg = make_config(o);
  raise_fd_limit(cfg.connections);
  load::check_reachable(cfg.target, cfg.timeout_ns);

  install_stop_signals();

  const bool tty = isatty(STDERR_FILENO);
  bool drew = false;
  load::ProgressFn progress;
  if (!o.quiet) {
    progress = [&](const load::Progress& p) {
      std::string line = load::format_progress(p);
      if (tty) {
        std::fprintf(stderr, "\r%s\033[K", line.c_str());
        drew = true;
      } else {
        std::fprintf(stderr, "%s\n", line.c_str());
      }
      std::fflush(stderr);
    };
  }
  load::LoadResult r = load::run_load(cfg, stop_flag(), progress);
  if (drew) std::fprintf(stderr, "\r\033[K");
  load::LoadSummary s = load::summarize(cfg, r, o.uncorrected);
  std::cout << (o.json ? load::render_summary_json(s) : load::render_summary_text(s));
  std::cout.flush();
  // Why it stopped, always when the run ended short (no connection left);
  // --quiet leaves out the ordinary ends, like the progress lines.
  if (!o.quiet || load::stopped_early(s.stop))
    std::fprintf(stderr, "pollscope load: %s\n", load::render_stop_line(s).c_str());
  if (s.errors_total > 0) {
    std::fprintf(stderr, "pollscope load: %llu errors against %s (see the summary)\n",
                 static_cast<unsigned long long>(s.errors_total), cfg.target.text.c_str());
    return kExitFailure;
  }
  return kExitOk;
}

Runner setup_load(CLI::App& app) {
  auto o = std::make_shared<LoadCliOptions>();
  auto* sub = app.add_subcommand("load", "Generate load against a server (resp, http, echo) and report latency");
  sub->footer(
      "Drives a server with -c connections over -t threads (one epoll loop each), closed loop\n"
      "(each reply triggers the next request, -P in flight per connection) or open loop at\n"
      "-R requests/s with latency measured from each request's intended send time\n"
      "(coordinated omission corrected). Prints a summary on stdout (text or JSON) and\n"
      "progress once a second on stderr, and at the end why the run stopped (duration, count,\n"
      "interrupted, server_closed, all_connections_failed). Exit 0 without errors, 1 with\n"
      "errors, 2 on bad usage.");
  sub->add_option("target", o->target, "Server address HOST:PORT")->required();
  sub->add_option("--proto", o->proto, "Protocol: resp, http or echo")
      ->check(CLI::IsMember({"resp", "http", "echo"}))
      ->capture_default_str();
  sub->add_option("--command", o->command, "resp: the command to send, words split on blanks")
      ->capture_default_str();
  sub->add_option("--path", o->path, "http: the path to GET")->capture_default_str();
  sub->add_option("--size", o->size, "echo: payload bytes per request")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{16} << 20));
  sub->add_option("-c,--connections", o->connections, "Connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  sub->add_option("-t,--threads", o->threads, "Threads (one epoll loop each)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  sub->add_option("-P,--pipeline", o->pipeline, "Requests in flight per connection")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  sub->add_option("-R,--rate", o->rate, "Open loop: total requests per second (0: closed loop)")
      ->capture_default_str()
      ->check(finite_number());
  sub->add_option("-d,--duration", o->duration, "Measured duration, e.g. 10s, 500ms (default 10s)");
  sub->add_option("-n,--requests", o->requests, "Stop after this many measured requests");
  sub->add_option("--warmup", o->warmup, "Time excluded from the results, before -d")->capture_default_str();
  sub->add_option("--connect-rate", o->connect_rate, "Open at most this many connections per second")
      ->capture_default_str()
      ->check(finite_number());
  sub->add_option("--timeout", o->timeout, "Per request (and connect) timeout")->capture_default_str();
  sub->add_flag("--reconnect", o->reconnect, "Reconnect after errors and keep going");
  sub->add_flag("--uncorrected", o->uncorrected, "Also report latency from the actual send time");
  sub->add_flag("--json", o->json, "Print the summary as one JSON document");
  sub->add_flag("-q,--quiet", o->quiet, "No progress lines on stderr");
  return [o] { return run_load_cmd(*o); };
}

const RegisterSubcommand kRegister{50, "load", setup_load};

}  // namespace

}  // namespace pollscope::cli
