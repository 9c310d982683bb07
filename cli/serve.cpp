// `pollscope serve`: the built-in server the story is told with.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include "cli/support/registry.hpp"
#include "cli/support/validators.hpp"
#include "core/base/error.hpp"
#include "core/serve/modes.hpp"
#include "core/serve/server.hpp"

namespace pollscope::cli {

namespace {

struct ServeCliOptions {
  std::string mode = "epoll";
  std::string proto = "resp";
  int threads = 1;
  std::string bind = "127.0.0.1";
  int port = 0;
  size_t max_request = 1 << 20;
  long long max_conns = 100000;
  double idle_timeout = 0;
  size_t body_size = 13;
  int spin_us = 20;
  uint32_t work_us = 0;
};

// "4096", "64K", "1M", "1MiB": bytes. Returns false when malformed.
// (CLI::AsSizeValue would also take "1.5 mb" or "1e", and its error lists
// every unit it knows.)
bool parse_size(const std::string& s, size_t* out) {
  size_t i = 0;
  unsigned long long v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (v > (1ULL << 50)) return false;
    v = v * 10 + static_cast<unsigned>(s[i++] - '0');
  }
  if (i == 0) return false;
  std::string unit = s.substr(i);
  unsigned long long mul = 1;
  if (unit.empty() || unit == "B") mul = 1;
  else if (unit == "K" || unit == "k" || unit == "KiB") mul = 1ULL << 10;
  else if (unit == "M" || unit == "MiB") mul = 1ULL << 20;
  else if (unit == "G" || unit == "GiB") mul = 1ULL << 30;
  else return false;
  *out = static_cast<size_t>(v * mul);
  return true;
}

// A size flag from min to max bytes, turned into bytes before CLI11 stores it;
// a bad one is "--max-request: '12Q' is not a size between ...".
CLI::Validator size_between(size_t min, size_t max, const std::string& what) {
  return CLI::Validator(
      [=](std::string& in) -> std::string {
        size_t v = 0;
        if (!parse_size(in, &v) || v < min || v > max) return "'" + in + "' is not a size " + what;
        in = std::to_string(v);
        return {};
      },
      "");
}

int run_serve_cmd(const ServeCliOptions& o) {
  serve::ServeConfig cfg;
  if (!serve::parse_mode(o.mode, &cfg.mode)) throw Fatal("--mode: unknown mode '" + o.mode + "'", kExitUsage);
  if (!serve::parse_proto(o.proto, &cfg.proto)) throw Fatal("--proto: unknown protocol '" + o.proto + "'", kExitUsage);
  // By hand: CLI::Range lets NaN through.
  if (!(o.idle_timeout >= 0) || std::isinf(o.idle_timeout) || o.idle_timeout > 86400 * 365) {
    throw Fatal("--idle-timeout must be a number of seconds >= 0", kExitUsage);
  }
  cfg.max_request = o.max_request;
  cfg.body_size = o.body_size;
  cfg.spin_us = o.spin_us;
  cfg.work_us = o.work_us;
  cfg.threads = o.threads;
  cfg.bind = o.bind;
  cfg.port = static_cast<uint16_t>(o.port);
  cfg.max_conns = static_cast<size_t>(o.max_conns);
  cfg.idle_timeout_s = o.idle_timeout;

  serve::ServeSummary s = serve::serve(cfg);
  std::fprintf(stderr, "pollscope serve: stopped: mode=%s proto=%s connections=%llu requests=%llu errors=%llu\n",
               serve::mode_name(cfg.mode), serve::proto_name(cfg.proto), static_cast<unsigned long long>(s.connections),
               static_cast<unsigned long long>(s.requests), static_cast<unsigned long long>(s.errors));
  return kExitOk;
}

// One line per mode of the table: "  busy-poll  non-blocking reads in a loop...".
std::string modes_help() {
  std::string out;
  for (const auto& m : serve::modes()) out += fmt::format("  {:<10} {}\n", m.name, m.description);
  return out;
}

Runner setup_serve(CLI::App& app) {
  auto o = std::make_shared<ServeCliOptions>();
  auto* sub = app.add_subcommand("serve", "Run the built-in server (resp, http, echo) in one waiting mode");
  sub->description(
      "Run the built-in server that exists to be traced: each mode is one way a process waits for\n"
      "network data:\n" +
      modes_help() +
      "Prints the bound address (127.0.0.1:PORT) as the first line of stdout; SIGINT or SIGTERM\n"
      "stops it and prints a one-line summary on stderr.");
  sub->add_option("--mode", o->mode, "How the server waits: one of the modes above (default epoll)")
      ->check(CLI::IsMember(serve::mode_names()));
  sub->add_option("--proto", o->proto, "resp (Redis protocol), http (HTTP/1.1) or echo (default resp)")
      ->check(CLI::IsMember({"resp", "http", "echo"}));
  sub->add_option("--threads", o->threads, "Event loops, each with its own SO_REUSEPORT listener (default 1)")
      ->check(CLI::Range(1, 256));
  sub->add_option("--bind", o->bind, "Address to listen on (default 127.0.0.1)");
  sub->add_option("-p,--port", o->port, "TCP port; 0 picks a free one (default 0)")->check(CLI::Range(0, 65535));
  sub->add_option("--max-request", o->max_request, "Largest request accepted, bytes or K/M/G (default 1M)")
      ->type_name("SIZE")
      ->transform(size_between(64, size_t{1} << 30, "between 64 and 1G (e.g. 4096, 64K, 1M)"));
  sub->add_option("--max-conns", o->max_conns, "Open connections allowed; more are refused (default 100000)")
      ->check(CLI::Range(1LL, std::numeric_limits<long long>::max()));
  sub->add_option("--idle-timeout", o->idle_timeout, "Close connections idle this many seconds (default 0: never)")
      ->check(finite_number());
  sub->add_option("--body-size", o->body_size, "http: bytes of the default response body (default 13)")
      ->type_name("SIZE")
      ->transform(size_between(0, size_t{64} << 20, "up to 64M"));
  sub->add_option("--spin-us", o->spin_us,
                  "epoll, epoll-et: under load, poll this many microseconds before sleeping (default 20; 0: always "
                  "sleep)")
      ->check(CLI::Range(0, 1000000));
  sub->add_option("--work-us", o->work_us,
                  "A slow handler: CPU microseconds burnt per request before answering (default 0)")
      ->check(CLI::Range(0u, 1000000u));
  return [o] { return run_serve_cmd(*o); };
}

const RegisterSubcommand kRegister{40, "serve", setup_serve};

}  // namespace

}  // namespace pollscope::cli
