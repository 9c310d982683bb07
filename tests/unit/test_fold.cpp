// Folding closed connections (--max-rows) and what a snapshot says about its
// own completeness: pure logic over hand-made snapshots.
#include <catch2/catch.hpp>

#include "core/model/snapshot.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/render/completeness.hpp"

using namespace pollscope;

namespace {

// A closed connection accepted by nginx (pid 10) on port 80 from a client port.
SocketRow accepted(uint64_t sk, unsigned client_port, uint64_t reads, uint64_t r2r_ns) {
  SocketRow r;
  r.key = {sk, 1000 + sk};
  r.pid = 10;
  r.comm = "nginx";
  r.fd = 7;
  r.proto = "tcp";
  r.origin = "accept";
  r.local = "127.0.0.1:80";
  r.remote = "127.0.0.1:" + std::to_string(client_port);
  r.state = "CLOSE";
  r.close_time = 1000.0 + static_cast<double>(sk);
  r.age_s = 0.5;
  r.ready = reads;
  r.reads = reads;
  r.read_bytes = 100 * reads;
  for (uint64_t i = 0; i < reads; i++) r.ready_to_read.record(r2r_ns);
  return r;
}

// The same connection seen from the client: connect()ed to port 80.
SocketRow connected(uint64_t sk, unsigned client_port, uint64_t reads, uint64_t r2r_ns) {
  SocketRow r = accepted(sk, client_port, reads, r2r_ns);
  r.origin = "connect";
  std::swap(r.local, r.remote);
  return r;
}

uint64_t total_reads(const Snapshot& s) {
  uint64_t n = 0;
  for (const auto& r : s.sockets) n += r.reads;
  return n;
}

}  // namespace

TEST_CASE("fold: nothing happens within the limit") {
  Snapshot s;
  for (uint64_t i = 1; i <= 5; i++) s.sockets.push_back(accepted(i, 40000 + i, 1, 1000));
  CHECK(fold_closed_sockets(s, 5) == 0);
  CHECK(s.sockets.size() == 5);
}

TEST_CASE("fold: closed connections beyond the limit fold into one row per service port, sums exact") {
  Snapshot s;
  for (uint64_t i = 1; i <= 100; i++) s.sockets.push_back(accepted(i, 40000 + i, 1 + i % 3, 1000 * i));
  SocketRow live = accepted(500, 50000, 4, 10);
  live.close_time = 0;
  live.state = "ESTABLISHED";
  s.sockets.push_back(live);
  uint64_t reads = total_reads(s);
  uint64_t folded = fold_closed_sockets(s, 10);
  CHECK(s.sockets.size() == 10);
  CHECK(total_reads(s) == reads);
  const SocketRow* fold = nullptr;
  uint64_t in_fold = 0;
  bool live_kept = false;
  for (const auto& r : s.sockets) {
    if (r.folded) {
      fold = &r;
      in_fold += r.folded;
    }
    if (r.key.sk == 500) live_kept = true;
  }
  REQUIRE(fold);
  CHECK(in_fold == folded);
  CHECK(folded == 92);  // 101 rows - 10 kept + the one folded row
  CHECK(live_kept);
  CHECK(fold->local == "127.0.0.1:80");
  CHECK(fold->remote == "*");
  CHECK(fold->key.sk == 0);
  CHECK(fold->ready_to_read.count() == fold->reads);
  // The kept closed rows are the worst ready->read: the fold holds the mildest.
  for (const auto& r : s.sockets)
    if (!r.folded && r.closed()) CHECK(r.ready_to_read.max_ns > fold->ready_to_read.max_ns);
}

TEST_CASE("fold: a connected socket folds by its remote (service) port") {
  Snapshot s;
  for (uint64_t i = 1; i <= 20; i++) {
    s.sockets.push_back(connected(i, 40000 + i, 1, 1000));
  }
  fold_closed_sockets(s, 5);
  bool found = false;
  for (const auto& r : s.sockets)
    if (r.folded) {
      found = true;
      CHECK(r.remote == "127.0.0.1:80");
      CHECK(r.local == "*");
    }
  CHECK(found);
}

TEST_CASE("fold: folded rows of later intervals merge into the same row, counts exact") {
  Snapshot total;
  uint64_t reads = 0, conns = 0;
  for (int interval = 0; interval < 5; interval++) {
    Snapshot s;
    s.start_time = 100 + interval;
    s.end_time = 101 + interval;
    for (uint64_t i = 1; i <= 50; i++) s.sockets.push_back(accepted(interval * 100 + i, 40000 + i, 2, 500));
    reads += total_reads(s);
    conns += s.sockets.size();
    fold_closed_sockets(s, 8);
    total.merge(s);
    fold_closed_sockets(total, 8);
  }
  CHECK(total.sockets.size() <= 8);
  CHECK(total_reads(total) == reads);
  uint64_t rows = 0;
  for (const auto& r : total.sockets) rows += r.folded ? r.folded : 1;
  CHECK(rows == conns);
  int fold_rows = 0;
  for (const auto& r : total.sockets) fold_rows += r.folded ? 1 : 0;
  CHECK(fold_rows == 1);
}

TEST_CASE("fold: a folded row survives a JSON round trip") {
  Snapshot s;
  for (uint64_t i = 1; i <= 30; i++) s.sockets.push_back(accepted(i, 40000 + i, 1, 1000));
  fold_closed_sockets(s, 3);
  Snapshot back;
  std::string err;
  REQUIRE(snapshot_from_json(snapshot_to_json(s, false), &back, &err));
  REQUIRE(back.sockets.size() == s.sockets.size());
  uint64_t a = 0, b = 0;
  for (const auto& r : s.sockets) a += r.folded;
  for (const auto& r : back.sockets) b += r.folded;
  CHECK(a == b);
  CHECK(back.sockets.back().origin == "accept");
}

TEST_CASE("completeness: a snapshot with no loss says nothing") {
  Health h;
  h.sock_events = 1000;
  CHECK(h.complete());
  CHECK(incomplete_reasons(h).empty());
  CHECK(incomplete_headline(h).empty());
  CHECK(h.suggested_max_sockets() == 0);
}

TEST_CASE("completeness: a full socket map is said with the share lost and a size that fits") {
  Health h;
  h.sock_events = 250;
  h.sock_events_lost = 750;
  h.drops["socks"] = 900;
  h.max_sockets = 64;
  h.sockets_needed = 964;
  CHECK_FALSE(h.complete());
  CHECK(h.sock_lost_share() == Approx(0.75));
  CHECK(h.suggested_max_sockets() >= 964);
  auto reasons = incomplete_reasons(h);
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0].find("--max-sockets 64") != std::string::npos);
  CHECK(reasons[0].find("75.0%") != std::string::npos);
  CHECK(reasons[0].find("would have fit") != std::string::npos);
  CHECK(incomplete_headline(h).rfind("INCOMPLETE: 75.0% of socket events", 0) == 0);
}

TEST_CASE("completeness: merged intervals keep the peak need and the sums of losses") {
  Snapshot a, b;
  a.health.sock_events = 10;
  a.health.sock_events_lost = 5;
  a.health.sockets_needed = 3000;
  a.health.max_sockets = 1024;
  b.health.sock_events = 20;
  b.health.sockets_needed = 1500;
  a.merge(b);
  CHECK(a.health.sock_events == 30);
  CHECK(a.health.sock_events_lost == 5);
  CHECK(a.health.sockets_needed == 3000);
  CHECK(a.health.suggested_max_sockets() >= 3000);
}

TEST_CASE("fold: the close of a connection reported live before keeps its own row, so the merged row closes") {
  // Interval 1: the connection is live and reported.
  Snapshot total;
  SocketRow live = accepted(7, 40007, 1, 1000);
  live.close_time = 0;
  live.state = "ESTABLISHED";
  total.sockets.push_back(live);
  // Interval 2: it closes among many new short connections; the row limit is tight.
  Snapshot s;
  s.sockets.push_back(accepted(7, 40007, 1, 10));  // its close, mild latency: a fold candidate
  for (uint64_t i = 100; i < 150; i++) s.sockets.push_back(accepted(i, 41000 + i, 1, 5000));
  std::set<SocketKey> keep{s.sockets[0].key};
  fold_closed_sockets(s, 5, &keep);
  total.merge(s);
  bool closed_in_total = false;
  for (const auto& r : total.sockets)
    if (r.key == live.key) closed_in_total = r.closed();
  CHECK(closed_in_total);
}

TEST_CASE("completeness: a recording from before map sizes were kept gets no size suggestion") {
  Health h;
  h.drops["socks"] = 10;
  h.sock_events_lost = 100;
  CHECK_FALSE(h.complete());
  CHECK(h.suggested_max_sockets() == 0);
  CHECK(incomplete_headline(h).find("--max-sockets") == std::string::npos);
}

TEST_CASE("fold: one command started per connection (a new pid each) still fits the row limit") {
  Snapshot s;
  for (uint64_t i = 1; i <= 200; i++) {
    SocketRow r = connected(i, 40000 + i, 1, 1000);
    r.pid = 5000 + static_cast<uint32_t>(i);  // curl in a loop
    r.comm = "curl";
    s.sockets.push_back(r);
  }
  uint64_t reads = total_reads(s);
  fold_closed_sockets(s, 10);
  CHECK(s.sockets.size() <= 10);
  CHECK(total_reads(s) == reads);
  uint64_t conns = 0;
  for (const auto& r : s.sockets) conns += r.folded ? r.folded : 1;
  CHECK(conns == 200);
}

TEST_CASE("completeness: readiness events left unsplit are said") {
  Health h;
  h.drops["stages"] = 12;
  CHECK_FALSE(h.complete());
  auto reasons = incomplete_reasons(h);
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0].find("12 readiness events") != std::string::npos);
  CHECK(reasons[0].find("not split") != std::string::npos);
}
