// pollscope export's pure logic: --duty parsing and its schedule, log2 slots
// as Prometheus `le` bounds, the accumulator that turns interval deltas into
// monotonic per-process/port counters, the metric families, the cgroup2 mount.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include <unistd.h>

#include "core/base/error.hpp"
#include "core/export/duty_cycle.hpp"
#include "core/export/export_totals.hpp"
#include "core/export/metric_families.hpp"
#include "core/export/prom_histogram.hpp"
#include "core/proc/cgroup_procs.hpp"

using namespace pollscope;

namespace {

int exit_code_of(const std::string& duty) {
  try {
    parse_duty(duty);
  } catch (const Fatal& e) {
    return e.exit_code();
  }
  return 0;
}

// One interval's delta of a connection accepted by pid 10 on port 6379.
SocketRow accepted(uint64_t sk, unsigned client_port, uint64_t reads, bool closed) {
  SocketRow r;
  r.key = {sk, 1000 + sk};
  r.pid = 10;
  r.comm = "redis-server";
  r.proto = "tcp";
  r.origin = "accept";
  r.local = "127.0.0.1:6379";
  r.remote = "127.0.0.1:" + std::to_string(client_port);
  r.state = closed ? "CLOSE" : "ESTABLISHED";
  r.close_time = closed ? 1000.0 : 0;
  r.ready = reads;
  r.reads = reads;
  r.eagain = 1;
  for (uint64_t i = 0; i < reads; i++) r.ready_to_read.record(3000);
  return r;
}

Snapshot interval(std::vector<SocketRow> rows) {
  Snapshot s;
  s.sockets = std::move(rows);
  return s;
}

const prometheus::MetricFamily* find(const std::vector<prometheus::MetricFamily>& fs, const std::string& name) {
  for (const auto& f : fs)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("export: --duty parses ACTIVE/PERIOD") {
  DutyCycle d = parse_duty("2s/10s");
  CHECK(d.active_s == Approx(2.0));
  CHECK(d.period_s == Approx(10.0));
  CHECK_FALSE(d.always_on());
  CHECK(d.fraction() == Approx(0.2));
  CHECK(parse_duty("1/1").always_on());
  CHECK(parse_duty("500ms/5s").active_s == Approx(0.5));
  CHECK(parse_duty(kDefaultDuty).fraction() == Approx(0.2));
}

TEST_CASE("export: a bad --duty is a usage error (exit 2)") {
  for (const char* bad : {"", "2s", "10s/2s", "0/10s", "2s/0", "x/10s", "2s/10q", "/", "100ms/1s"}) {
    INFO(bad);
    CHECK(exit_code_of(bad) == kExitUsage);
  }
}

TEST_CASE("export: the duty schedule opens every period with the active part") {
  DutyCycle d = parse_duty("2s/10s");
  CHECK(d.active_at(0));
  CHECK(d.active_at(1.9));
  CHECK_FALSE(d.active_at(2.1));
  CHECK_FALSE(d.active_at(9.9));
  CHECK(d.active_at(10.5));
  CHECK(d.until_switch(0.5) == Approx(1.5));
  CHECK(d.until_switch(3) == Approx(7));
  CHECK(d.until_switch(12) == Approx(8));
  DutyCycle on = parse_duty("1/1");
  CHECK(on.active_at(0.99));
  CHECK(on.active_at(123.5));
}

TEST_CASE("export: log2 slot k is the bucket le = 2^(k+1) ns in seconds, the last +Inf") {
  CHECK(slot_le_seconds(0) == Approx(2e-9));
  CHECK(slot_le_seconds(9) == Approx(1024e-9));
  CHECK(slot_le_seconds(19) == Approx(1048576e-9));
  CHECK(std::isinf(slot_le_seconds(Log2Histogram::kSlots - 1)));
  // Every value of a slot is below its bound and at or above the previous one
  // (a slot is [2^k, 2^(k+1)) ns: only a value exactly on a power of two sits
  // on the previous bucket's `le`, one bucket up, never below its true value).
  for (uint64_t v : {1ull, 2ull, 3ull, 1023ull, 1024ull, 1025ull, 999999ull}) {
    Log2Histogram h;
    h.record(v);
    int k = 0;
    while (h.slots[k] == 0) k++;
    INFO(v);
    CHECK(static_cast<double>(v) / 1e9 < slot_le_seconds(k));
    if (k > 0) CHECK(static_cast<double>(v) / 1e9 >= slot_le_seconds(k - 1));
  }
}

TEST_CASE("export: a histogram's buckets are cumulative, count and sum in seconds") {
  Log2Histogram h;
  h.record(3000);   // slot 11
  h.record(3000);
  h.record(70000);  // slot 16
  auto p = to_prometheus(h);
  REQUIRE(p.bucket.size() == static_cast<size_t>(Log2Histogram::kSlots));
  CHECK(p.sample_count == 3);
  CHECK(p.sample_sum == Approx(76000e-9));
  CHECK(p.bucket[10].cumulative_count == 0);
  CHECK(p.bucket[11].cumulative_count == 2);
  CHECK(p.bucket[15].cumulative_count == 2);
  CHECK(p.bucket[16].cumulative_count == 3);
  CHECK(p.bucket.back().cumulative_count == 3);
  CHECK(std::isinf(p.bucket.back().upper_bound));
}

TEST_CASE("export: a stage histogram's top slot is open-ended (+Inf), not bounded at 1.07 s") {
  Log2Histogram h;
  h.slots[kStageOpenSlot] = 4;  // the kernel's top stage slot: 0.54 s and up
  h.slots[10] = 1;
  auto p = to_prometheus(h, kStageOpenSlot);
  REQUIRE(p.bucket.size() == static_cast<size_t>(kStageOpenSlot) + 1);
  CHECK(p.bucket[static_cast<size_t>(kStageOpenSlot) - 1].cumulative_count == 1);  // le 0.54 s
  CHECK(p.bucket.back().cumulative_count == 5);
  CHECK(std::isinf(p.bucket.back().upper_bound));
  for (size_t i = 0; i + 1 < p.bucket.size(); i++) CHECK(std::isfinite(p.bucket[i].upper_bound));
}

TEST_CASE("export: deltas add up per process and service port; closed sockets keep their counts") {
  ExportTotals t(100, 100);
  t.add(interval({accepted(1, 50001, 10, false), accepted(2, 50002, 5, false)}), 1.0);
  REQUIRE(t.ports().size() == 1);  // two connections, one series
  const SocketRow& row = t.ports().begin()->second;
  CHECK(row.reads == 15);
  CHECK(t.ports().begin()->first.port == 6379);
  CHECK(t.ports().begin()->first.server);
  // Connection 2 closes with its last delta; connection 1 goes on; a new one
  // on another client port comes.
  t.add(interval({accepted(1, 50001, 4, false), accepted(2, 50002, 1, true), accepted(3, 50003, 2, false)}), 1.0);
  CHECK(t.ports().begin()->second.reads == 22);
  // Connection 2 is gone from the snapshots: its counts stay in the total.
  t.add(interval({accepted(1, 50001, 0, false)}), 1.0);
  t.add(interval({}), 0.0);
  CHECK(t.ports().size() == 1);
  CHECK(t.ports().begin()->second.reads == 22);
  CHECK(t.ports().begin()->second.eagain == 6);
  CHECK(t.ports().begin()->second.ready_to_read.count() == 22);
  CHECK(t.active_seconds() == Approx(3.0));
}

TEST_CASE("export: counters never go back over many intervals of churn") {
  ExportTotals t(100, 100);
  uint64_t last = 0;
  for (uint64_t i = 1; i <= 200; i++) {
    t.add(interval({accepted(i, 40000 + static_cast<unsigned>(i), i % 7, true)}), 1.0);
    uint64_t now = t.ports().begin()->second.reads;
    REQUIRE(now >= last);
    last = now;
  }
  CHECK(t.ports().size() == 1);
}

TEST_CASE("export: a connected socket's series is its remote (service) port, never the ephemeral one") {
  SocketRow c;
  c.pid = 20;
  c.comm = "client";
  c.proto = "tcp";
  c.origin = "connect";
  c.local = "127.0.0.1:51234";
  c.remote = "127.0.0.1:6379";
  PortKey k = port_key_of(c);
  CHECK(k.port == 6379);
  CHECK_FALSE(k.server);
}

TEST_CASE("export: series beyond the bound push out the stalest and are counted") {
  ExportTotals t(2, 100);
  for (unsigned port = 1; port <= 3; port++) {
    SocketRow r = accepted(port, 50000, 1, false);
    r.local = "127.0.0.1:" + std::to_string(port);
    t.add(interval({r}), 1.0);
  }
  CHECK(t.ports().size() == 2);
  CHECK(t.evicted() == 1);
  CHECK(t.ports().count(port_key_of([] {
    SocketRow r = accepted(1, 50000, 1, false);
    r.local = "127.0.0.1:1";
    return r;
  }())) == 0);
}

TEST_CASE("export: threads, CPUs and health accumulate; every drop map is a series from the start") {
  ExportTotals t(100, 100);
  auto fams0 = metric_families(t, ExportState{});
  const auto* drops = find(fams0, "pollscope_probe_drops_total");
  REQUIRE(drops);
  CHECK(drops->metric.size() >= 5);
  Snapshot s;
  ThreadRow th;
  th.pid = 10;
  th.tid = 11;
  th.comm = "redis-server";
  th.wait[kWaitEpoll].calls = 5;
  th.wait[kWaitEpoll].blocked.record(1000000);
  th.runq.record(5000);
  th.invol_switches = 2;
  s.threads.push_back(th);
  CpuRow cpu;
  cpu.cpu = 1;
  cpu.count[3] = 7;
  cpu.time_ns[3] = 2000000000;
  s.cpus.push_back(cpu);
  s.health.events = 100;
  s.health.drops["socks"] = 0;
  t.add(s, 1.0);
  t.add(s, 1.0);
  ExportState st;
  st.cgroup = "/sys/fs/cgroup/unified/x";
  auto fams = metric_families(t, st);
  const auto* calls = find(fams, "pollscope_thread_wait_calls_total");
  REQUIRE(calls);
  REQUIRE(calls->metric.size() == static_cast<size_t>(kWaitKinds));
  CHECK(calls->metric[0].counter.value == Approx(10));
  bool has_cgroup = false;
  for (const auto& l : calls->metric[0].label) has_cgroup = has_cgroup || (l.name == "cgroup" && l.value == st.cgroup);
  CHECK(has_cgroup);
  const auto* secs = find(fams, "pollscope_softirq_seconds_total");
  REQUIRE(secs);
  bool net_rx = false;
  for (const auto& m : secs->metric)
    for (const auto& l : m.label)
      if (l.name == "vector" && l.value == "NET_RX") net_rx = m.counter.value == Approx(4.0);
  CHECK(net_rx);
  const auto* events = find(fams, "pollscope_probe_events_total");
  REQUIRE(events);
  CHECK(events->metric[0].counter.value == Approx(200));
  CHECK(find(fams, "pollscope_active_seconds_total")->metric[0].counter.value == Approx(2));
  CHECK(find(fams, "pollscope_probe_run_seconds_total") == nullptr);  // only with --self-cost
}

TEST_CASE("export: the cgroup2 mount point is read from mountinfo") {
  char path[] = "/tmp/pollscope-mountinfo-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  {
    std::ofstream out(path);
    out << "30 25 0:26 / /sys/fs/cgroup rw,relatime shared:4 - tmpfs tmpfs rw,mode=755\n"
           "31 30 0:27 / /sys/fs/cgroup/cpu rw,relatime shared:5 - cgroup cgroup rw,cpu\n"
           "40 30 0:35 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw\n";
  }
  CHECK(cgroup2_mount_point(path) == "/sys/fs/cgroup/unified");
  {
    std::ofstream out(path);
    out << "30 25 0:26 / /sys/fs/cgroup rw,nosuid - tmpfs tmpfs rw\n";
  }
  CHECK(cgroup2_mount_point(path).empty());
  std::remove(path);
}

TEST_CASE("export: a missing cgroup is a usage error") {
  try {
    resolve_cgroup("/nonexistent/pollscope-no-such-cgroup");
    FAIL("no error");
  } catch (const Fatal& e) {
    CHECK(e.exit_code() == kExitUsage);
    CHECK(std::string(e.what()).find("no such cgroup") != std::string::npos);
  }
}
