// JSON renderer of a LoadSummary (`pollscope load --json`).
#include <nlohmann/json.hpp>

#include "core/load/summary.hpp"

namespace pollscope::load {

namespace {

nlohmann::ordered_json lat_json(const LatencyStats& l) {
  nlohmann::ordered_json j;
  j["count"] = l.count;
  j["p50"] = l.p50;
  j["p90"] = l.p90;
  j["p99"] = l.p99;
  j["p99_9"] = l.p99_9;
  j["p99_99"] = l.p99_99;
  j["max"] = l.max;
  j["mean"] = l.mean;
  return j;
}

}  // namespace

std::string render_summary_json(const LoadSummary& s) {
  nlohmann::ordered_json j;
  j["target"] = s.target;
  j["proto"] = s.proto;
  j["mode"] = s.open_loop ? "open" : "closed";
  j["connections"] = s.connections;
  j["threads"] = s.threads;
  j["pipeline"] = s.pipeline;
  j["rate_asked"] = s.open_loop ? nlohmann::ordered_json(s.rate_asked) : nlohmann::ordered_json();
  j["rate_achieved"] = s.open_loop ? nlohmann::ordered_json(s.rate_achieved) : nlohmann::ordered_json();
  j["duration_s"] = s.duration_s;
  j["warmup_s"] = s.warmup_s;
  j["interrupted"] = s.interrupted;
  j["stop"] = {{"reason", stop_reason_name(s.stop)}, {"after_s", s.stop_after_s}};
  j["requests"] = s.requests;
  j["sent"] = s.sent;
  j["throughput_rps"] = s.throughput;
  j["latency_us"] = lat_json(s.latency);
  if (s.uncorrected) j["latency_uncorrected_us"] = lat_json(*s.uncorrected);
  nlohmann::ordered_json e;
  e["total"] = s.errors_total;
  for (int k = 0; k < kErrorKinds; ++k) e[error_kind_name(k)] = s.errors[static_cast<size_t>(k)];
  j["errors"] = e;
  j["bytes_sent"] = s.bytes_sent;
  j["bytes_received"] = s.bytes_received;
  return j.dump() + "\n";
}

}  // namespace pollscope::load
