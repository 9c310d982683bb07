#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "core/base/error.hpp"
#include "core/model/recording_reader.hpp"
#include "core/model/snapshot.hpp"
#include "core/model/snapshot_json.hpp"

using namespace pollscope;

static Snapshot sample(uint64_t seq, double start) {
  Snapshot s;
  s.seq = seq;
  s.start_time = start;
  s.end_time = start + 1;
  s.kernel = "6.18";
  s.hostname = "h";
  s.families = {"sock", "sched"};
  SocketRow r;
  r.key = {0xffff888012345678ULL, 42};
  r.pid = 100;
  r.comm = "redis-server";
  r.fd = 9;
  r.proto = "tcp";
  r.local = "127.0.0.1:6379";
  r.remote = "127.0.0.1:50000";
  r.state = "ESTABLISHED";
  r.ready = 10;
  r.reads = 9;
  r.ready_to_read.record(5000);
  s.sockets.push_back(r);
  ThreadRow t;
  t.pid = 100;
  t.tid = 100;
  t.comm = "redis-server";
  t.wait[kWaitEpoll].calls = 7;
  t.wait[kWaitEpoll].events = 14;
  t.runq.record(3000);
  s.threads.push_back(t);
  CpuRow c;
  c.cpu = 1;
  c.count[3] = 5;
  c.time_ns[3] = 1000;
  s.cpus.push_back(c);
  s.health.events = 50;
  s.health.drops["socks"] = 1;
  s.health.probes.push_back({"sock:sk_data_ready", "sock", "tp_btf", true, "", "btf_sk_data_ready", 10, 900});
  return s;
}

TEST_CASE("snapshot JSON round-trips", "[snapshot]") {
  Snapshot s = sample(1, 1000);
  Snapshot back;
  std::string err;
  REQUIRE(snapshot_from_json(nlohmann::json(snapshot_to_json(s, true)), &back, &err));
  CHECK(snapshot_to_json(back, false) == snapshot_to_json(s, false));
  CHECK(back.sockets.at(0).key.sk == 0xffff888012345678ULL);
}

TEST_CASE("snapshot JSON written row by row is the text of the whole document", "[snapshot]") {
  Snapshot s = sample(1, 1000);
  SocketRow other = s.sockets[0];
  other.key.first_seen_ns = 43;
  other.comm = "line\nbreak \"quoted\"";  // escaped in the text: no raw line break
  s.sockets.push_back(other);
  for (size_t rows : {size_t{0}, size_t{1}, size_t{2}}) {
    Snapshot t = s;
    t.sockets.resize(rows);
    std::vector<const SocketRow*> reversed;
    for (size_t i = rows; i-- > 0;) reversed.push_back(&t.sockets[i]);
    for (int indent : {-1, 2, 4}) {
      for (bool derived : {false, true}) {
        for (bool in_order : {false, true}) {
          Json whole;
          whole["first"] = "x";
          Json doc = snapshot_to_json(t, derived);
          if (in_order) std::reverse(doc["sockets"].begin(), doc["sockets"].end());
          for (auto it = doc.begin(); it != doc.end(); ++it) whole[it.key()] = it.value();
          std::string pieces;
          int calls = 0;
          write_snapshot_json(t, derived, Json{{"first", "x"}}, indent, in_order ? &reversed : nullptr,
                              [&](const std::string& text) {
                                pieces += text;
                                calls++;
                              });
          INFO("rows " << rows << " indent " << indent << " derived " << derived);
          CHECK(pieces == whole.dump(indent));
          CHECK(calls >= 1);
        }
      }
    }
  }
}

TEST_CASE("snapshot JSON of a comm that is not UTF-8 is written, with U+FFFD", "[snapshot]") {
  Snapshot s = sample(1, 1000);
  s.sockets[0].comm = "ab\xff\xe2\x82";  // a stray byte, then a character cut short
  s.threads[0].comm = "\xc3";
  std::string text;
  REQUIRE_NOTHROW(write_snapshot_json(s, true, Json{}, 2, nullptr, [&](const std::string& t) { text += t; }));
  auto back = nlohmann::json::parse(text);
  CHECK(back["sockets"][0]["comm"] == "ab\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(back["threads"][0]["comm"] == "\xef\xbf\xbd");
}

TEST_CASE("merging intervals adds counters and keeps identity", "[snapshot]") {
  Snapshot total = sample(1, 1000);
  Snapshot later = sample(2, 1001);
  later.sockets[0].fd = -1;  // later interval did not resolve the fd
  total.merge(later);
  REQUIRE(total.sockets.size() == 1);
  CHECK(total.sockets[0].ready == 20);
  CHECK(total.sockets[0].ready_to_read.count() == 2);
  CHECK(total.sockets[0].fd == 9);
  CHECK(total.threads[0].wait[kWaitEpoll].calls == 14);
  CHECK(total.cpus[0].count[3] == 10);
  CHECK(total.health.drops["socks"] == 2);
  CHECK(total.health.probes[0].run_cnt == 20);
  CHECK(total.duration_s() == Approx(2));
  CHECK(per_second(total.sockets[0].ready, total) == Approx(10));
}

TEST_CASE("a malformed recording names its line", "[snapshot]") {
  const char* path = "/tmp/pollscope-unit-bad.jsonl";
  {
    std::ofstream f(path);
    f << snapshot_to_json(sample(1, 1000), false).dump() << "\n{\"seq\": 2}\n";
  }
  std::string warning;
  try {
    read_recording(path, &warning);
    FAIL("no error");
  } catch (const Fatal& e) {
    CHECK(std::string(e.what()).find(":2: not a pollscope snapshot: missing key start_time") != std::string::npos);
  }
  std::remove(path);
  CHECK_THROWS_AS(read_recording("/nonexistent/x.jsonl", &warning), Fatal);
}
