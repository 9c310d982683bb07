// Text renderer of a LoadSummary (stdout of `pollscope load`).
#include <fmt/format.h>

#include "core/load/summary.hpp"

namespace pollscope::load {

namespace {

std::string dur(double us) {
  if (us < 1000) return fmt::format("{:.1f}us", us);
  if (us < 1e6) return fmt::format("{:.2f}ms", us / 1e3);
  return fmt::format("{:.3f}s", us / 1e6);
}

std::string lat_row(const char* name, const LatencyStats& l) {
  return fmt::format("  {:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", name, dur(l.p50), dur(l.p90),
                     dur(l.p99), dur(l.p99_9), dur(l.p99_99), dur(l.max), dur(l.mean));
}

}  // namespace

std::string render_summary_text(const LoadSummary& s) {
  std::string o;
  o += fmt::format("{:<16}{} {} {}\n", "target", s.target, s.proto, s.open_loop ? "open loop" : "closed loop");
  o += fmt::format("{:<16}{} over {} thread{}, pipeline {}\n", "connections", s.connections, s.threads,
                   s.threads == 1 ? "" : "s", s.pipeline);
  o += fmt::format("{:<16}{:.3f} s (warmup {:.3f} s excluded){}\n", "duration", s.duration_s, s.warmup_s,
                   s.interrupted ? ", interrupted" : "");
  o += fmt::format("{:<16}{} after {:.3f} s: {}\n", "stop", stop_reason_name(s.stop), s.stop_after_s,
                   describe_stop(s.stop, s.lost, s.requests));
  o += fmt::format("{:<16}{} (sent {})\n", "requests", s.requests, s.sent);
  o += fmt::format("{:<16}{:.1f} req/s\n", "throughput", s.throughput);
  if (s.open_loop)
    o += fmt::format("{:<16}asked {:.1f} req/s, achieved {:.1f} req/s\n", "rate", s.rate_asked, s.rate_achieved);
  o += fmt::format("{:<16}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "latency", "p50", "p90", "p99", "p99.9",
                   "p99.99", "max", "mean");
  o += lat_row(s.open_loop ? "corrected" : "all", s.latency);
  if (s.uncorrected) o += lat_row("uncorrected", *s.uncorrected);
  o += fmt::format("{:<16}{}", "errors", s.errors_total);
  std::string kinds;
  for (int k = 0; k < kErrorKinds; ++k)
    kinds += fmt::format("{}{} {}", k ? ", " : "", error_kind_name(k), s.errors[static_cast<size_t>(k)]);
  o += " (" + kinds + ")\n";
  o += fmt::format("{:<16}sent {}, received {}\n", "bytes", s.bytes_sent, s.bytes_received);
  return o;
}

std::string render_stop_line(const LoadSummary& s) {
  std::string what = describe_stop(s.stop, s.lost, s.requests);
  std::string line = fmt::format("stopped after {:.1f} s", s.stop_after_s);
  // A run that ended as asked needs no yardstick; one that ended short says
  // how far it got against what was asked (-n when given, else the time).
  if (s.stop == StopReason::kDuration || s.stop == StopReason::kCount) return line + ": " + what;
  if (s.requests_asked)
    return line + fmt::format(" ({} of {} requests answered): ", s.requests, s.requests_asked) + what;
  return line + fmt::format(" of {:g} s: ", s.planned_s) + what;
}

}  // namespace pollscope::load
