#include <catch2/catch.hpp>

#include "core/lab/compare.hpp"

using namespace pollscope;

TEST_CASE("compare row divides the server's numbers by the load's requests", "[lab]") {
  Snapshot s;
  ThreadRow t;
  t.pid = 42;
  t.tid = 42;
  t.wait[kWaitEpoll].calls = 500;
  t.wakeups = 250;
  t.vol_switches = 300;
  t.invol_switches = 100;
  s.threads.push_back(t);
  ThreadRow other = t;
  other.pid = 7;  // not the server: ignored
  s.threads.push_back(other);
  SocketRow r;
  r.pid = 42;
  r.reads = 1000;
  r.eagain = 4000;
  r.ready_to_read.record(1000);
  s.sockets.push_back(r);
  nlohmann::json load = {{"requests", 1000}, {"throughput_rps", 200.0}, {"rate_asked", 200.0},
                         {"latency_us", {{"p50", 50.0}, {"p99", 90.0}}}, {"errors", {{"total", 0}}}};
  CompareRow row = make_compare_row("busy-poll", 10, s, load, /*cpu_s=*/0.5, /*wall_s=*/5.0, 42);
  CHECK(row.server_threads == 1);
  CHECK(row.waits_per_req == Approx(0.5));
  CHECK(row.reads_per_req == Approx(1.0));
  CHECK(row.eagain_per_req == Approx(4.0));
  CHECK(row.wakeups_per_req == Approx(0.25));
  CHECK(row.ctxsw_per_req == Approx(0.4));
  CHECK(row.server_cpu_pct == Approx(10.0));
  CHECK(row.cpu_us_per_req == Approx(500.0));
  CHECK(row.qps == Approx(200.0));
  CHECK(row.p99_us == Approx(90.0));
  std::string text = render_compare_text({row});
  CHECK(text.find("busy-poll") != std::string::npos);
  CHECK(render_compare_json({row}).find("\"eagain_per_request\": 4.0") != std::string::npos);
}
