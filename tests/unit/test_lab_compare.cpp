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
  // 10 readiness events, 4 us each: 1 us wakeup, 3 us return.
  for (int i = 0; i < 10; i++) {
    s.threads[0].stages.classes.row(1).ns[kStageWakeup] += 1000;
    s.threads[0].stages.classes.row(1).ns[kStageReturn] += 3000;
    s.threads[0].stages.classes.row(1).count++;
    s.threads[0].stages.hist[kStageReturn].record(3000);
    s.threads[0].stages.split++;
  }
  load::LoadSummary load;
  load.requests = 1000;
  load.throughput = 200.0;
  load.rate_asked = 200.0;
  load.latency.p50 = 50.0;
  load.latency.p99 = 90.0;
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
  CHECK(row.split == 10);
  CHECK(row.stage_share[kStageReturn] == Approx(0.75));
  CHECK(row.stage_share[kStageWakeup] == Approx(0.25));
  CHECK(row.return_p50_ns > 2048);
  CHECK(row.return_p50_ns < 4096);
  std::string text = render_compare_text({row});
  CHECK(text.find("busy-poll") != std::string::npos);
  CHECK(render_compare_json({row}).find("\"eagain_per_request\": 4.0") != std::string::npos);
  CHECK(render_compare_json({row}).find("\"return\": 0.75") != std::string::npos);
}

TEST_CASE("compare text: the shared table and number style", "[lab]") {
  CompareRow r;
  r.mode = "busy-poll";
  r.connections = 1000;
  r.qps = 45123;
  r.p50_us = 5.3;
  r.p99_us = 1234;
  r.server_threads = 2;
  r.server_cpu_pct = 99.96;
  r.cpu_us_per_req = 500;
  r.waits_per_req = 0.5;
  r.reads_per_req = 1;
  r.eagain_per_req = 0.0042;
  r.wakeups_per_req = 0.25;
  r.ctxsw_per_req = 12;
  r.ready_read_p99_ns = 257000;
  std::string text = render_compare_text({r});
  CHECK(text ==
        "MODE      CONNS     QPS     p50     p99  THR  CPU% CPU/req | WAIT/r READ/r EAGAIN/r WAKE/r  CSW/r | R>R p99 W>R p99 "
        "| WAKE% RUNQ%  RET% BUSY% DISP% RET p50\n"
        "busy-poll  1000   45.1k   5.3us   1.2ms    2   100   500us |   0.50      1    0.004   0.25     12 |   257us       - "
        "|     -     -     -     -     -       -\n");
}
