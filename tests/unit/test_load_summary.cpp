#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/duration.hpp"
#include "core/load/progress.hpp"
#include "core/load/summary.hpp"
#include "core/load/target.hpp"
#include "core/base/error.hpp"

using namespace pollscope::load;
using pollscope::parse_duration_ns;

TEST_CASE("load: durations", "[load]") {
  CHECK(parse_duration_ns("10") == 10'000'000'000ull);
  CHECK(parse_duration_ns("1.5s") == 1'500'000'000ull);
  CHECK(parse_duration_ns("500ms") == 500'000'000ull);
  CHECK(parse_duration_ns("250us") == 250'000ull);
  CHECK(parse_duration_ns("2m") == 120'000'000'000ull);
  CHECK(parse_duration_ns("0") == 0ull);
  CHECK_FALSE(parse_duration_ns("").has_value());
  CHECK_FALSE(parse_duration_ns("5x").has_value());
  CHECK_FALSE(parse_duration_ns("-1s").has_value());
  CHECK_FALSE(parse_duration_ns("s").has_value());
}

TEST_CASE("load: targets", "[load]") {
  Target t = parse_target("127.0.0.1:6379");
  CHECK(t.text == "127.0.0.1:6379");
  CHECK(t.addr.ss_family == AF_INET);
  CHECK(parse_target("[::1]:80").addr.ss_family == AF_INET6);
  CHECK_THROWS_AS(parse_target("127.0.0.1"), pollscope::Fatal);
  CHECK_THROWS_AS(parse_target("127.0.0.1:0"), pollscope::Fatal);
  CHECK_THROWS_AS(parse_target("127.0.0.1:99999"), pollscope::Fatal);
  CHECK_THROWS_AS(parse_target(":80"), pollscope::Fatal);
}

namespace {

LoadResult sample_result() {
  LoadResult r;
  for (uint64_t i = 1; i <= 1000; ++i) {
    r.totals.corrected.record(i * 1000);       // 1us..1ms
    r.totals.uncorrected.record(i * 500);
  }
  r.totals.requests = 1000;
  r.totals.sent = 1002;
  r.totals.bytes_sent = 14028;
  r.totals.bytes_received = 7000;
  r.totals.errors[kClosed] = 4;
  r.totals.errors[kReset] = 2;
  r.totals.errors[kTimeout] = 1;
  r.elapsed_ns = 2'000'000'000;
  return r;
}

}  // namespace

TEST_CASE("load: summary numbers", "[load]") {
  LoadConfig cfg;
  cfg.target = parse_target("127.0.0.1:6379");
  cfg.rate = 500;
  cfg.connections = 4;
  LoadSummary s = summarize(cfg, sample_result(), true);
  CHECK(s.open_loop);
  CHECK(s.requests == 1000);
  CHECK(s.throughput == Approx(500));
  CHECK(s.rate_achieved == Approx(501));
  CHECK(s.errors_total == 7);
  CHECK(s.latency.p50 == Approx(500).epsilon(0.01));
  CHECK(s.latency.p99 == Approx(990).epsilon(0.01));
  CHECK(s.latency.max == Approx(1000));
  REQUIRE(s.uncorrected.has_value());
  CHECK(s.uncorrected->max == Approx(500));
  CHECK_FALSE(summarize(cfg, sample_result(), false).uncorrected.has_value());
}

TEST_CASE("load: JSON renderer", "[load]") {
  LoadConfig cfg;
  cfg.target = parse_target("127.0.0.1:6379");
  LoadSummary s = summarize(cfg, sample_result(), false);
  auto j = nlohmann::json::parse(render_summary_json(s));
  CHECK(j["mode"] == "closed");
  CHECK(j["rate_asked"].is_null());
  CHECK(j["requests"] == 1000);
  CHECK(j["errors"]["total"] == 7);
  CHECK(j["errors"]["closed"] == 4);  // FIN and RST are counted apart
  CHECK(j["errors"]["reset"] == 2);
  CHECK(j["errors"]["timeout"] == 1);
  CHECK(j["errors"]["connect_refused"] == 0);
  CHECK(j["latency_us"]["count"] == 1000);
  CHECK_FALSE(j.contains("latency_uncorrected_us"));
  CHECK(j["bytes_received"] == 7000);
}

TEST_CASE("load: JSON reader gives back what the renderer wrote", "[load]") {
  LoadConfig cfg;
  cfg.target = parse_target("127.0.0.1:6379");
  cfg.rate = 500;
  cfg.connections = 4;
  cfg.threads = 2;
  LoadResult r = sample_result();
  r.stop = StopReason::kServerClosed;
  r.stopped_after_ns = 2'500'000'000;
  LoadSummary s = summarize(cfg, r, true);
  std::string json = render_summary_json(s);
  auto back = parse_summary_json(json);
  REQUIRE(back.has_value());
  CHECK(back->target == s.target);
  CHECK(back->proto == s.proto);
  CHECK(back->open_loop);
  CHECK(back->connections == 4);
  CHECK(back->threads == 2);
  CHECK(back->rate_asked == s.rate_asked);
  CHECK(back->rate_achieved == s.rate_achieved);
  CHECK(back->duration_s == s.duration_s);
  CHECK(back->requests == 1000);
  CHECK(back->sent == 1002);
  CHECK(back->throughput == s.throughput);
  CHECK(back->latency.p99 == s.latency.p99);
  CHECK(back->latency.count == s.latency.count);
  REQUIRE(back->uncorrected.has_value());
  CHECK(back->uncorrected->max == s.uncorrected->max);
  CHECK(back->errors == s.errors);
  CHECK(back->errors_total == 7);
  CHECK(back->stop == StopReason::kServerClosed);
  CHECK(back->stop_after_s == s.stop_after_s);
  CHECK(back->bytes_received == 7000);
  // Nothing lost on the way: rendering the copy gives the same text.
  CHECK(render_summary_json(*back) == json);

  LoadConfig closed;
  closed.target = cfg.target;
  std::string closed_json = render_summary_json(summarize(closed, sample_result(), false));
  auto closed_back = parse_summary_json(closed_json);
  REQUIRE(closed_back.has_value());
  CHECK_FALSE(closed_back->open_loop);
  CHECK_FALSE(closed_back->uncorrected.has_value());
  CHECK(render_summary_json(*closed_back) == closed_json);
}

TEST_CASE("load: JSON reader refuses what is not a summary", "[load]") {
  CHECK_FALSE(parse_summary_json("").has_value());
  CHECK_FALSE(parse_summary_json("not json").has_value());
  CHECK_FALSE(parse_summary_json("[1, 2]").has_value());
  CHECK_FALSE(parse_summary_json("{}").has_value());
  LoadConfig cfg;
  cfg.target = parse_target("127.0.0.1:6379");
  auto j = nlohmann::json::parse(render_summary_json(summarize(cfg, sample_result(), false)));
  j["requests"] = "many";
  CHECK_FALSE(parse_summary_json(j.dump()).has_value());
  j = nlohmann::json::parse(render_summary_json(summarize(cfg, sample_result(), false)));
  j["stop"]["reason"] = "bored";
  CHECK_FALSE(parse_summary_json(j.dump()).has_value());
}

TEST_CASE("load: text renderer", "[load]") {
  LoadConfig cfg;
  cfg.target = parse_target("127.0.0.1:6379");
  cfg.rate = 500;
  std::string t = render_summary_text(summarize(cfg, sample_result(), true));
  CHECK(t.find("requests        1000 (sent 1002)") != std::string::npos);
  CHECK(t.find("asked 500.0 req/s, achieved 501.0 req/s") != std::string::npos);
  CHECK(t.find("  corrected ") != std::string::npos);
  CHECK(t.find("  uncorrected ") != std::string::npos);
  CHECK(t.find("errors          7 (connect_refused 0, closed 4, reset 2, timeout 1,") != std::string::npos);
  CHECK(t.find("1.00ms") != std::string::npos);
}

TEST_CASE("load: progress line", "[load]") {
  Progress p;
  p.elapsed_s = 3;
  p.replies = 1234;
  p.replies_per_s = 400;
  p.open = 2;
  p.connections = 4;
  std::string s = format_progress(p);
  CHECK(s.find("400 req/s") != std::string::npos);
  CHECK(s.find("open 2/4") != std::string::npos);
  CHECK(s.find("\n") == std::string::npos);
}
