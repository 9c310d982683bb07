// The verdict's rules on snapshots built by hand: the dominant stage is the one
// with the largest share of the tail, a loop is late from the threshold on, and
// each cause carries its evidence.
#include <catch2/catch.hpp>

#include "core/analysis/verdict.hpp"

using namespace pollscope;

namespace {

// A thread that read n readiness events, the slow tenth of them (class 5,
// 1-4 ms) spending tail_ns in stage `slow`, the rest 2 us in wakeup.
ThreadRow loop_thread(uint32_t tid, int slow, uint64_t n, uint64_t tail_ns) {
  ThreadRow t;
  t.pid = 100;
  t.tid = tid;
  t.comm = "server";
  StageStats& st = t.stages;
  st.split = n;
  st.classes.row(0).count = n - n / 10;
  st.classes.row(5).count = n / 10;
  st.classes.row(0).ns[kStageWakeup] = (n - n / 10) * 2000;
  st.classes.row(5).ns[slow] = (n / 10) * tail_ns;
  st.classes.row(5).ns[kStageDispatch] += (n / 10) * 1000;
  for (uint64_t i = 0; i < n; i++) st.hist[kStageWakeup].record(2000);
  t.runq.record(1500000);
  t.invol_switches = 300;
  t.wait[kWaitEpoll].calls = 1000;
  t.wait[kWaitEpoll].events = 3000;
  return t;
}

// The sockets it read: ready->read of the same shape.
SocketRow read_by(uint32_t tid, uint64_t n, uint64_t tail_ns) {
  SocketRow r;
  r.pid = 100;
  r.tid = tid;
  r.state = "ESTABLISHED";
  for (uint64_t i = 0; i < n; i++) r.ready_to_read.record(i < n / 10 ? tail_ns : 3000);
  return r;
}

Snapshot snap() {
  Snapshot s;
  s.start_time = 1000;
  s.end_time = 1010;
  return s;
}

}  // namespace

TEST_CASE("verdict: the stage with the largest share of the tail, late past the threshold", "[verdict]") {
  Snapshot s = snap();
  s.threads.push_back(loop_thread(7, kStageRunq, 1000, 9000000));
  s.sockets.push_back(read_by(7, 1000, 9000000));
  Verdict v = make_verdict(s);
  REQUIRE(v.available);
  REQUIRE(v.items.size() == 1);
  const VerdictItem& it = v.items[0];
  CHECK(it.dominant == kStageRunq);
  CHECK(it.late);
  CHECK_FALSE(v.healthy);
  CHECK(it.tail_from_ns == StageStats::class_low_ns(5));
  CHECK(it.tail_share[kStageRunq] > 0.99);
  CHECK(it.p99_ns >= 2000000);
  CHECK(it.text.rfind("runq: 100% of the tail; run-queue p99", 0) == 0);
  bool has_runq_p99 = false;
  for (const auto& [k, val] : it.evidence) has_runq_p99 |= k == "runq_p99_ns" && val > 1e6;
  CHECK(has_runq_p99);
  CHECK(v.summary.find("late: server 100 (tid 7)") == 0);
}

TEST_CASE("verdict: a fast loop is healthy and still names its bound", "[verdict]") {
  Snapshot s = snap();
  s.threads.push_back(loop_thread(7, kStageReturn, 1000, 40000));
  s.sockets.push_back(read_by(7, 1000, 40000));
  Verdict v = make_verdict(s);
  REQUIRE(v.items.size() == 1);
  CHECK(v.healthy);
  CHECK_FALSE(v.items[0].late);
  CHECK(v.items[0].dominant == kStageReturn);
  CHECK(v.summary.rfind("healthy: p99 ready->read", 0) == 0);
  CHECK(v.summary.find("return-bound") != std::string::npos);
  CHECK(v.summary.find("epoll_wait over 1 open sockets") != std::string::npos);
}

TEST_CASE("verdict: worst loops first, the rest and the quiet ones left out", "[verdict]") {
  Snapshot s = snap();
  s.threads.push_back(loop_thread(1, kStageBusy, 1000, 50000));
  s.sockets.push_back(read_by(1, 1000, 50000));
  s.threads.push_back(loop_thread(2, kStageDispatch, 1000, 5000000));
  s.sockets.push_back(read_by(2, 1000, 5000000));
  s.threads.push_back(loop_thread(3, kStageRunq, 10, 9000000));  // too few to say anything
  VerdictOptions o;
  o.max_items = 1;
  Verdict v = make_verdict(s, o);
  REQUIRE(v.items.size() == 1);
  CHECK(v.items[0].tid == 2);
  CHECK(v.items[0].dominant == kStageDispatch);
  CHECK(v.items[0].text.find("ready events per wait") != std::string::npos);
}

TEST_CASE("verdict: without a split there is nothing to judge, and it says so", "[verdict]") {
  Snapshot s = snap();
  ThreadRow t;
  t.tid = 5;
  s.threads.push_back(t);
  Verdict v = make_verdict(s);
  CHECK_FALSE(v.available);
  CHECK(v.healthy);
  CHECK(v.items.empty());
  CHECK(v.summary.rfind("no stage split", 0) == 0);
}

TEST_CASE("verdict: a few splits are too few, and it says so", "[verdict]") {
  Snapshot s = snap();
  s.threads.push_back(loop_thread(3, kStageRunq, 10, 9000000));
  Verdict v = make_verdict(s);
  CHECK_FALSE(v.available);
  CHECK(v.summary.rfind("too few readiness events split", 0) == 0);
}

TEST_CASE("verdict: a loop whose sockets another thread wrote last is judged on its process's sockets",
          "[verdict]") {
  Snapshot s = snap();
  s.threads.push_back(loop_thread(7, kStageRunq, 1000, 9000000));
  s.sockets.push_back(read_by(8, 1000, 9000000));  // last touched by a writer thread
  Verdict v = make_verdict(s);
  REQUIRE(v.items.size() == 1);
  CHECK(v.items[0].p99_ns >= 8000000);
  CHECK(v.items[0].late);
}
