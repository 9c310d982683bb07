// SnapshotTotal against the plain merge-then-fold it replaces: the same rows
// and sums, interval after interval, with connections that open, carry on,
// close below the limit and are pushed over it later by open ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "core/model/snapshot_total.hpp"

using namespace pollscope;

namespace {

SocketRow conn(uint64_t sk, unsigned port, uint64_t reads, bool closed) {
  SocketRow r;
  r.key = {sk, 7};
  r.pid = 42;
  r.comm = "server";
  r.proto = "tcp";
  r.origin = "accept";
  r.local = "127.0.0.1:80";
  r.remote = "127.0.0.1:" + std::to_string(port);
  r.state = closed ? "CLOSE" : "ESTABLISHED";
  r.close_time = closed ? 1000.0 + static_cast<double>(sk) : 0;
  r.ready = r.reads = reads;
  r.read_bytes = 10 * reads;
  for (uint64_t i = 0; i < reads; i++) r.ready_to_read.record(1000 * sk);
  return r;
}

// Rows in key order with the numbers compared here.
std::vector<std::string> rows(const Snapshot& s) {
  std::vector<std::string> out;
  for (const auto& r : s.sockets)
    out.push_back(std::to_string(r.key.sk) + "/" + std::to_string(r.key.first_seen_ns) + " " + r.local + " " +
                  r.remote + " " + r.state + " reads=" + std::to_string(r.reads) +
                  " bytes=" + std::to_string(r.read_bytes) + " folded=" + std::to_string(r.folded) +
                  " r2r=" + std::to_string(r.ready_to_read.count()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("snapshot total: the same as merge then fold, every interval") {
  const size_t max_rows = 20;
  SnapshotTotal total(max_rows);
  SnapshotTotal moved(max_rows);  // fed by add(Snapshot&&): takes interval 1's rows (room for 64)
  Snapshot plain;
  uint64_t next_sk = 1;
  for (int interval = 0; interval < 12; interval++) {
    Snapshot s;
    // Long-lived connections, a few with news each interval.
    for (uint64_t sk = 1000; sk < 1000 + 3 * static_cast<uint64_t>(interval); sk++) s.sockets.push_back(conn(sk, 50000 + sk % 1000, 1, false));
    // Churn: a burst of one-request connections in intervals 2 and 3 (under
    // the limit then), none after: the open ones push the total over later.
    if (interval == 2 || interval == 3)
      for (int i = 0; i < 8; i++, next_sk++) s.sockets.push_back(conn(next_sk, 40000 + next_sk, 1, true));
    total.add(s);
    Snapshot copy = s;
    copy.sockets.reserve(64);  // more than the total reserved: the first rows are handed over
    const SocketRow* copied_rows = copy.sockets.data();
    moved.add(std::move(copy));
    if (interval == 1) CHECK(moved.total().sockets.data() == copied_rows);
    plain.merge(s);
    fold_closed_sockets(plain, max_rows);
    INFO("interval " << interval);
    REQUIRE(rows(total.total()) == rows(plain));
    REQUIRE(rows(moved.total()) == rows(plain));
  }
  // The folds happened: the limit held while closed rows were there to fold.
  CHECK(std::any_of(plain.sockets.begin(), plain.sockets.end(), [](const SocketRow& r) { return r.folded; }));
}

TEST_CASE("snapshot total: a connection's intervals add up in one row") {
  SnapshotTotal total;
  for (int i = 0; i < 5; i++) {
    Snapshot s;
    s.sockets.push_back(conn(1, 50001, 2, false));
    s.sockets.push_back(conn(2, 50002, 1, i == 4));
    total.add(s);
  }
  REQUIRE(total.total().sockets.size() == 2);
  for (const auto& r : total.total().sockets) CHECK(r.reads == (r.key.sk == 1 ? 10u : 5u));
}

TEST_CASE("snapshot total: intervals that bring folded rows, as the collector folds them") {
  // The collector folds an interval's closed connections beyond --max-rows
  // itself (but not the close of a connection it reported open before).
  // Over its own limit with open rows alone, the total coarsens those folded
  // rows: new keys, the same number of rows. A later interval brings the
  // fine-grained folded row again, and the close of a long open connection.
  const size_t max_rows = 3;
  SnapshotTotal total(max_rows);
  Snapshot plain;
  uint64_t next_sk = 1;
  for (int interval = 0; interval < 6; interval++) {
    Snapshot s;
    std::set<SocketKey> reported_before;
    for (uint64_t sk = 1000; sk < 1003; sk++) {
      if (sk == 1000 && interval > 3) continue;  // closed in interval 3: final
      bool closes = sk == 1000 && interval == 3;
      s.sockets.push_back(conn(sk, 50000 + static_cast<unsigned>(sk), 1, closes));
      if (closes) reported_before.insert(s.sockets.back().key);
    }
    for (int i = 0; i < 5; i++, next_sk++) s.sockets.push_back(conn(next_sk, 40000 + static_cast<unsigned>(next_sk), 1, true));
    fold_closed_sockets(s, 4, &reported_before);  // the collector's own fold
    REQUIRE(std::any_of(s.sockets.begin(), s.sockets.end(), [](const SocketRow& r) { return r.folded; }));
    total.add(s);
    plain.merge(s);
    fold_closed_sockets(plain, max_rows);
    INFO("interval " << interval);
    REQUIRE(rows(total.total()) == rows(plain));
  }
}

TEST_CASE("snapshot total: the first interval's rows handed over, not copied") {
  SnapshotTotal total(0, 1000);
  Snapshot first;
  first.threads.push_back(ThreadRow{});
  first.threads.back().tid = 9;
  first.sockets.reserve(2000);
  for (uint64_t sk = 1; sk <= 3; sk++) first.sockets.push_back(conn(sk, 50000 + static_cast<unsigned>(sk), 1, false));
  const SocketRow* rows_before = first.sockets.data();
  total.add(std::move(first));
  // The total holds the interval's vector; the interval got the total's empty one back.
  CHECK(total.total().sockets.data() == rows_before);
  CHECK(first.sockets.empty());
  CHECK(first.sockets.capacity() >= 1000);
  CHECK(total.total().threads.size() == 1);
  // Later intervals merge into those rows through the index built from them.
  Snapshot second;
  second.sockets.push_back(conn(2, 50002, 4, false));
  second.sockets.push_back(conn(4, 50004, 1, false));
  total.add(std::move(second));
  REQUIRE(total.total().sockets.size() == 4);
  for (const auto& r : total.total().sockets) CHECK(r.reads == (r.key.sk == 2 ? 5u : 1u));
}

TEST_CASE("snapshot total: a first interval with a key twice is merged, not handed over") {
  SnapshotTotal total;
  Snapshot first;
  first.sockets.push_back(conn(1, 50001, 2, false));
  first.sockets.push_back(conn(1, 50001, 3, false));
  first.sockets.push_back(conn(2, 50002, 1, false));
  total.add(std::move(first));
  REQUIRE(total.total().sockets.size() == 2);
  for (const auto& r : total.total().sockets) CHECK(r.reads == (r.key.sk == 1 ? 5u : 1u));
  Snapshot second;
  second.sockets.push_back(conn(1, 50001, 1, false));
  total.add(std::move(second));
  REQUIRE(total.total().sockets.size() == 2);
  for (const auto& r : total.total().sockets) CHECK(r.reads == (r.key.sk == 1 ? 6u : 1u));
}

TEST_CASE("snapshot total: a first interval with less room than the total reserved is copied") {
  SnapshotTotal total(0, 1000);
  Snapshot first;
  for (uint64_t sk = 1; sk <= 3; sk++) first.sockets.push_back(conn(sk, 50000 + static_cast<unsigned>(sk), 1, false));
  REQUIRE(first.sockets.capacity() < 1000);
  const SocketRow* rows_before = first.sockets.data();
  total.add(std::move(first));
  // The total keeps its own reservation (it would otherwise grow by doubling).
  CHECK(total.total().sockets.data() != rows_before);
  CHECK(total.total().sockets.capacity() >= 1000);
  REQUIRE(total.total().sockets.size() == 3);
}

TEST_CASE("snapshot total: a later interval with more rows takes the total's rows in, as merge() would") {
  // A lifetime_rows trace: closed connections' rows during the run, then one
  // interval with a row for every connection (one of them also in the total:
  // its entry was deleted idle and made again).
  SnapshotTotal total(0, 100);
  Snapshot plain;
  Snapshot closes;
  for (uint64_t sk = 1; sk <= 5; sk++) closes.sockets.push_back(conn(sk, 40000 + static_cast<unsigned>(sk), 2, true));
  closes.sockets.push_back(conn(500, 50500, 3, false));  // the idle one, still open
  plain.merge(closes);
  total.add(Snapshot(closes));
  Snapshot last;
  last.sockets.reserve(200);
  for (uint64_t sk = 500; sk < 520; sk++) last.sockets.push_back(conn(sk, 50000 + static_cast<unsigned>(sk), 1, false));
  last.sockets[0].state = "CLOSE_WAIT";  // the later identity wins
  const SocketRow* rows_before = last.sockets.data();
  plain.merge(last);
  total.add(std::move(last));
  CHECK(total.total().sockets.data() == rows_before);  // handed over
  CHECK(last.sockets.empty());
  CHECK(rows(total.total()) == rows(plain));
  REQUIRE(total.total().sockets.size() == 25);
  for (const auto& r : total.total().sockets)
    if (r.key.sk == 500) CHECK((r.reads == 4 && r.state == "CLOSE_WAIT"));
  // The index, not made for the hand-over, is made for the next interval.
  Snapshot more;
  more.sockets.push_back(conn(3, 40003, 1, true));
  more.sockets.push_back(conn(510, 50510, 5, false));
  more.sockets.push_back(conn(600, 50600, 1, false));
  plain.merge(more);
  total.add(std::move(more));
  CHECK(rows(total.total()) == rows(plain));
  CHECK(total.total().sockets.size() == 26);
}
