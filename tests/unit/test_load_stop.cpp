// Why a load run stopped: the decision from the workers' ends and the lost
// connections, and how the summary (text, JSON) and the stderr line say it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/load/stop.hpp"
#include "core/load/summary.hpp"
#include "core/load/target.hpp"

using namespace pollscope::load;

namespace {

LostCounts lost_of(std::initializer_list<std::pair<ErrorKind, uint64_t>> kinds) {
  LostCounts l{};
  for (auto& [k, n] : kinds) l[static_cast<size_t>(k)] = n;
  return l;
}

LoadSummary summary_of(StopReason why, LostCounts lost, double after_s, uint64_t n_asked = 0) {
  LoadConfig cfg;
  cfg.target = parse_target("127.0.0.1:6379");
  cfg.duration_ns = 10'000'000'000;
  cfg.max_requests = n_asked;
  LoadResult r;
  r.totals.requests = 1234;
  r.totals.lost = lost;
  r.totals.errors = lost;
  r.elapsed_ns = static_cast<uint64_t>(after_s * 1e9);
  r.stop = why;
  r.stopped_after_ns = static_cast<uint64_t>(after_s * 1e9);
  return summarize(cfg, r, false);
}

bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("load stop: a signal or the clock decides for every worker", "[load]") {
  using E = WorkerEnd;
  LostCounts none{};
  LostCounts some = lost_of({{kClosed, 3}});
  CHECK(decide_stop({E::kDuration, E::kDuration}, none) == StopReason::kDuration);
  CHECK(decide_stop({E::kNoConnections, E::kInterrupted}, some) == StopReason::kInterrupted);
  CHECK(decide_stop({E::kDuration, E::kInterrupted}, none) == StopReason::kInterrupted);
  // One worker lost all its connections, the other ran the whole -d: the run lasted its time.
  CHECK(decide_stop({E::kNoConnections, E::kDuration}, some) == StopReason::kDuration);
}

TEST_CASE("load stop: with no connection left, the lost ones say why", "[load]") {
  using E = WorkerEnd;
  const std::vector<E> out = {E::kNoConnections, E::kNoConnections};
  CHECK(decide_stop(out, {}) == StopReason::kCount);
  CHECK(decide_stop(out, lost_of({{kClosed, 10}})) == StopReason::kServerClosed);
  CHECK(decide_stop(out, lost_of({{kReset, 2}})) == StopReason::kServerClosed);
  CHECK(decide_stop(out, lost_of({{kClosed, 6}, {kReset, 4}})) == StopReason::kServerClosed);
  CHECK(decide_stop(out, lost_of({{kConnectRefused, 10}})) == StopReason::kAllConnectionsFailed);
  CHECK(decide_stop(out, lost_of({{kClosed, 9}, {kTimeout, 1}})) == StopReason::kAllConnectionsFailed);
  CHECK(decide_stop(out, lost_of({{kProtocolError, 1}})) == StopReason::kAllConnectionsFailed);
}

TEST_CASE("load stop: reason names and words", "[load]") {
  CHECK(std::string(stop_reason_name(StopReason::kDuration)) == "duration");
  CHECK(std::string(stop_reason_name(StopReason::kCount)) == "count");
  CHECK(std::string(stop_reason_name(StopReason::kInterrupted)) == "interrupted");
  CHECK(std::string(stop_reason_name(StopReason::kServerClosed)) == "server_closed");
  CHECK(std::string(stop_reason_name(StopReason::kAllConnectionsFailed)) == "all_connections_failed");
  CHECK(stopped_early(StopReason::kServerClosed));
  CHECK(stopped_early(StopReason::kAllConnectionsFailed));
  CHECK_FALSE(stopped_early(StopReason::kDuration));
  CHECK_FALSE(stopped_early(StopReason::kCount));
  CHECK_FALSE(stopped_early(StopReason::kInterrupted));
  CHECK(describe_stop(StopReason::kServerClosed, lost_of({{kClosed, 10}}), 0) ==
        "the server closed every connection (10 closed, 0 reset)");
  CHECK(describe_stop(StopReason::kAllConnectionsFailed, lost_of({{kConnectRefused, 8}, {kTimeout, 2}}), 0) ==
        "every connection failed (8 connect_refused, 2 timeout)");
  CHECK(describe_stop(StopReason::kCount, {}, 500) == "request count reached (500 answered)");
}

TEST_CASE("load stop: JSON summary has the reason and the time", "[load]") {
  auto j = nlohmann::json::parse(render_summary_json(summary_of(StopReason::kServerClosed, lost_of({{kClosed, 10}}), 4.02)));
  REQUIRE(j.contains("stop"));
  CHECK(j["stop"]["reason"] == "server_closed");
  CHECK(j["stop"]["after_s"].get<double>() == Approx(4.02));
  CHECK(j["interrupted"] == false);
  CHECK(j["errors"]["closed"] == 10);
  CHECK(j["errors"]["reset"] == 0);

  j = nlohmann::json::parse(render_summary_json(summary_of(StopReason::kInterrupted, {}, 3)));
  CHECK(j["stop"]["reason"] == "interrupted");
  CHECK(j["interrupted"] == true);
}

TEST_CASE("load stop: text summary has a stop line", "[load]") {
  std::string t = render_summary_text(summary_of(StopReason::kServerClosed, lost_of({{kClosed, 7}, {kReset, 3}}), 4.02));
  CHECK(has(t, "stop            server_closed after 4.020 s: the server closed every connection (7 closed, 3 reset)\n"));
  CHECK(has(t, "errors          10 (connect_refused 0, closed 7, reset 3, "));
  t = render_summary_text(summary_of(StopReason::kDuration, {}, 10));
  CHECK(has(t, "stop            duration after 10.000 s: duration reached\n"));
}

TEST_CASE("load stop: the stderr line", "[load]") {
  CHECK(render_stop_line(summary_of(StopReason::kServerClosed, lost_of({{kClosed, 10}}), 4.02)) ==
        "stopped after 4.0 s of 10 s: the server closed every connection (10 closed, 0 reset)");
  CHECK(render_stop_line(summary_of(StopReason::kAllConnectionsFailed, lost_of({{kTimeout, 3}}), 2.5, 100000)) ==
        "stopped after 2.5 s (1234 of 100000 requests answered): every connection failed (3 timeout)");
  CHECK(render_stop_line(summary_of(StopReason::kInterrupted, {}, 3.31)) ==
        "stopped after 3.3 s of 10 s: interrupted by a signal");
  CHECK(render_stop_line(summary_of(StopReason::kDuration, {}, 10)) == "stopped after 10.0 s: duration reached");
  CHECK(render_stop_line(summary_of(StopReason::kCount, {}, 1.5, 1234)) ==
        "stopped after 1.5 s: request count reached (1234 answered)");
}
