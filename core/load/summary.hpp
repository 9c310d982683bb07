// The result of a load run as numbers, independent of how it is shown:
// summarize() makes it from a run (summary.cpp, with latency_stats() of a
// histogram). Renderers: render_summary_text, render_stop_line
// (summary_text.cpp), render_summary_json and its reader parse_summary_json,
// for lab, which reads its load child's summary (summary_json.cpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/hdr_histogram.hpp"
#include "core/load/config.hpp"
#include "core/load/errors.hpp"
#include "core/load/run.hpp"

namespace pollscope::load {

struct LatencyStats {  // microseconds
  uint64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, p99_9 = 0, p99_99 = 0, max = 0;
};

LatencyStats latency_stats(const HdrHistogram& h);

struct LoadSummary {
  std::string target;
  std::string proto;
  bool open_loop = false;
  int connections = 0, threads = 0, pipeline = 0;
  double rate_asked = 0;     // requests/s (open loop)
  double rate_achieved = 0;  // measured requests sent / duration (open loop)
  double duration_s = 0;     // measured time (warmup excluded)
  double warmup_s = 0;
  uint64_t requests = 0;     // measured replies
  uint64_t sent = 0;         // measured requests sent
  double throughput = 0;     // requests / duration_s
  LatencyStats latency;                     // from the intended send time
  std::optional<LatencyStats> uncorrected;  // from the actual send time (--uncorrected)
  ErrorCounts errors{};
  uint64_t errors_total = 0;
  uint64_t bytes_sent = 0, bytes_received = 0;
  bool interrupted = false;  // stop == kInterrupted (kept for readers of the older JSON)
  StopReason stop = StopReason::kDuration;
  double stop_after_s = 0;   // from the start, warmup included
  double planned_s = 0;      // warmup + the -d bound (10 s, or 10 min with -n alone, by default)
  uint64_t requests_asked = 0;  // -n; 0 = none
  LostCounts lost{};         // connections given up, by kind
};

LoadSummary summarize(const LoadConfig& cfg, const LoadResult& r, bool with_uncorrected);

std::string render_summary_text(const LoadSummary& s);
std::string render_summary_json(const LoadSummary& s);
// What render_summary_json wrote, back; nullopt when text is not such a
// document. planned_s, requests_asked and lost are not in the JSON: they
// stay 0.
std::optional<LoadSummary> parse_summary_json(std::string_view text);
// The line for stderr: "stopped after 4.0 s of 10 s: the server closed every
// connection (10 closed, 0 reset)" (no program name, no newline).
std::string render_stop_line(const LoadSummary& s);

}  // namespace pollscope::load
