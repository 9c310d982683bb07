// A LoadSummary as JSON (`pollscope load --json`) and back (lab reads its
// load child's summary).
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

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

LatencyStats lat_from(const nlohmann::json& j) {
  LatencyStats l;
  l.count = j.at("count").get<uint64_t>();
  l.p50 = j.at("p50").get<double>();
  l.p90 = j.at("p90").get<double>();
  l.p99 = j.at("p99").get<double>();
  l.p99_9 = j.at("p99_9").get<double>();
  l.p99_99 = j.at("p99_99").get<double>();
  l.max = j.at("max").get<double>();
  l.mean = j.at("mean").get<double>();
  return l;
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

std::optional<LoadSummary> parse_summary_json(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    LoadSummary s;
    s.target = j.at("target").get<std::string>();
    s.proto = j.at("proto").get<std::string>();
    s.open_loop = j.at("mode").get<std::string>() == "open";
    s.connections = j.at("connections").get<int>();
    s.threads = j.at("threads").get<int>();
    s.pipeline = j.at("pipeline").get<int>();
    // null in closed loop (lab's load is always open loop)
    if (s.open_loop) {
      s.rate_asked = j.at("rate_asked").get<double>();
      s.rate_achieved = j.at("rate_achieved").get<double>();
    }
    s.duration_s = j.at("duration_s").get<double>();
    s.warmup_s = j.at("warmup_s").get<double>();
    s.interrupted = j.at("interrupted").get<bool>();
    if (!parse_stop_reason(j.at("stop").at("reason").get<std::string>(), &s.stop)) return std::nullopt;
    s.stop_after_s = j.at("stop").at("after_s").get<double>();
    s.requests = j.at("requests").get<uint64_t>();
    s.sent = j.at("sent").get<uint64_t>();
    s.throughput = j.at("throughput_rps").get<double>();
    s.latency = lat_from(j.at("latency_us"));
    if (j.contains("latency_uncorrected_us")) s.uncorrected = lat_from(j["latency_uncorrected_us"]);
    const auto& e = j.at("errors");
    s.errors_total = e.at("total").get<uint64_t>();
    for (int k = 0; k < kErrorKinds; ++k) s.errors[static_cast<size_t>(k)] = e.at(error_kind_name(k)).get<uint64_t>();
    s.bytes_sent = j.at("bytes_sent").get<uint64_t>();
    s.bytes_received = j.at("bytes_received").get<uint64_t>();
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a key missing or of the wrong type
  }
}

}  // namespace pollscope::load
