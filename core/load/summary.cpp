#include "core/load/summary.hpp"

#include "core/load/proto.hpp"

namespace pollscope::load {

LatencyStats latency_stats(const HdrHistogram& h) {
  auto us = [](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  LatencyStats s;
  s.count = h.count();
  s.mean = h.mean() / 1000.0;
  s.p50 = us(h.percentile(50));
  s.p90 = us(h.percentile(90));
  s.p99 = us(h.percentile(99));
  s.p99_9 = us(h.percentile(99.9));
  s.p99_99 = us(h.percentile(99.99));
  s.max = us(h.max());
  return s;
}

LoadSummary summarize(const LoadConfig& cfg, const LoadResult& r, bool with_uncorrected) {
  LoadSummary s;
  s.target = cfg.target.text;
  s.proto = proto_name(cfg.proto.proto);
  s.open_loop = cfg.open_loop();
  s.connections = cfg.connections;
  s.threads = cfg.threads;
  s.pipeline = cfg.pipeline;
  s.duration_s = static_cast<double>(r.elapsed_ns) / 1e9;
  s.warmup_s = static_cast<double>(cfg.warmup_ns) / 1e9;
  s.requests = r.totals.requests;
  s.sent = r.totals.sent;
  s.throughput = s.duration_s > 0 ? static_cast<double>(s.requests) / s.duration_s : 0;
  if (s.open_loop) {
    s.rate_asked = cfg.rate;
    s.rate_achieved = s.duration_s > 0 ? static_cast<double>(s.sent) / s.duration_s : 0;
  }
  s.latency = latency_stats(r.totals.corrected);
  if (with_uncorrected) s.uncorrected = latency_stats(r.totals.uncorrected);
  s.errors = r.totals.errors;
  for (auto e : s.errors) s.errors_total += e;
  s.bytes_sent = r.totals.bytes_sent;
  s.bytes_received = r.totals.bytes_received;
  s.stop = r.stop;
  s.interrupted = r.stop == StopReason::kInterrupted;
  s.stop_after_s = static_cast<double>(r.stopped_after_ns) / 1e9;
  s.planned_s = static_cast<double>(cfg.warmup_ns + cfg.duration_ns) / 1e9;
  s.requests_asked = cfg.max_requests;
  s.lost = r.totals.lost;
  return s;
}

}  // namespace pollscope::load
