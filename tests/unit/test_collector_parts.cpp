// The collector's parts that scale with the socket count: the packed previous
// readings, the batched map reader (on a real BPF hash map; root) and the
// socket owner cache (on this process's own /proc/self/fd).
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "core/base/unique_fd.hpp"
#include "core/trace/collector.hpp"
#include "core/trace/map_batch.hpp"
#include "core/trace/net_format.hpp"
#include "core/trace/packed_words.hpp"
#include "core/trace/socket_resolver.hpp"

using namespace pollscope;

TEST_CASE("packed words give back the struct they packed") {
  std::mt19937_64 rng(7);
  for (size_t words : {1u, 63u, 64u, 65u, 201u, 296u}) {
    std::vector<uint64_t> in(words), out(words, 0xdeadbeef);
    for (auto& w : in) w = (rng() % 4 == 0) ? rng() : 0;  // mostly zero, as histograms are
    PackedWords p;
    p.pack(in.data(), words * 8);
    p.unpack(out.data(), words * 8);
    CHECK(out == in);
    // A repack with more non-zero words (cumulative numbers grow).
    for (auto& w : in) w += rng() % 2;
    p.pack(in.data(), words * 8);
    p.unpack(out.data(), words * 8);
    CHECK(out == in);
  }
  PackedWords never;
  std::vector<uint64_t> out(10, 5);
  never.unpack(out.data(), 80);
  CHECK(out == std::vector<uint64_t>(10, 0));
}

TEST_CASE("packed words keep a mostly empty entry small") {
  std::vector<uint64_t> in(201, 0);
  for (int i = 0; i < 30; i++) in[static_cast<size_t>(i * 6)] = 1 + static_cast<uint64_t>(i);
  PackedWords p;
  p.pack(in.data(), in.size() * 8);
  CHECK(p.heap_bytes() <= (4 + 30) * 8);
}

TEST_CASE("the batch reader sees every entry of a hash map once", "[root]") {
  if (geteuid() != 0) {
    WARN("needs root to create a BPF map");
    return;
  }
  const uint32_t n = 5000;
  struct Value {
    uint64_t v[40];
  };
  int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ps_test_batch", sizeof(uint64_t), sizeof(Value), n, nullptr);
  REQUIRE(fd >= 0);
  UniqueFd guard(fd);
  for (uint64_t k = 0; k < n; k++) {
    Value v{};
    v.v[0] = k * 3;
    v.v[39] = k;
    REQUIRE(bpf_map_update_elem(fd, &k, &v, BPF_ANY) == 0);
  }
  // A small batch: many calls, and buckets that straddle them.
  MapBatchReader reader(sizeof(uint64_t), sizeof(Value), 7);
  std::map<uint64_t, int> seen;
  bool values_match = true;
  REQUIRE(reader.read(fd, [&](const void* kp, const void* vp) {
    uint64_t k;
    Value v;
    std::memcpy(&k, kp, sizeof(k));
    std::memcpy(&v, vp, sizeof(v));
    seen[k]++;
    values_match = values_match && v.v[0] == k * 3 && v.v[39] == k;
  }));
  CHECK(reader.batched());
  CHECK(values_match);
  CHECK(seen.size() == n);
  bool once = true;
  for (auto& [k, c] : seen) once = once && c == 1;
  CHECK(once);
  // An empty map is read as empty, not as an error.
  int empty = bpf_map_create(BPF_MAP_TYPE_HASH, "ps_test_empty", 8, 8, 16, nullptr);
  REQUIRE(empty >= 0);
  UniqueFd guard2(empty);
  int visits = 0;
  CHECK(reader.read(empty, [&](const void*, const void*) { visits++; }));
  CHECK(visits == 0);
}

TEST_CASE("the socket resolver finds a descriptor and does not rescan for a socket it cannot find") {
  int sv[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  UniqueFd a(sv[0]), b(sv[1]);
  struct stat st;
  REQUIRE(fstat(sv[1], &st) == 0);
  SocketResolver r;
  uint32_t self = static_cast<uint32_t>(getpid());
  r.refresh();
  CHECK(r.fd_of(self, st.st_ino) == sv[1]);
  uint64_t scans = r.scans();
  CHECK(scans == 1);
  // Known: no scan, in this round or the next.
  r.refresh();
  CHECK(r.fd_of(self, st.st_ino) == sv[1]);
  CHECK(r.scans() == scans);
  // Not there: one scan, then none until the retry round.
  const uint64_t missing = 0xfffffff0ULL;
  r.refresh();
  CHECK(r.fd_of(self, missing) == -1);
  CHECK(r.scans() == scans + 1);
  for (uint64_t i = 1; i < SocketResolver::kMissRetryRounds; i++) {
    r.refresh();
    CHECK(r.fd_of(self, missing) == -1);
  }
  CHECK(r.scans() == scans + 1);
  r.refresh();
  CHECK(r.fd_of(self, missing) == -1);
  CHECK(r.scans() == scans + 2);
  // A new socket is found on its first ask, whatever the misses.
  int sv2[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv2) == 0);
  UniqueFd c(sv2[0]), d(sv2[1]);
  REQUIRE(fstat(sv2[0], &st) == 0);
  r.refresh();
  CHECK(r.fd_of(self, st.st_ino) == sv2[0]);
}

TEST_CASE("a socket row's interval histograms are the cumulative readings' difference") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; round++) {
    ps_sock before{}, now{};
    for (int k = 0; k < PS_HIST_SLOTS; k++) {
      before.ready_to_read.slots[k] = rng() % 3 ? 0 : rng() % 1000;
      now.ready_to_read.slots[k] = before.ready_to_read.slots[k] + (rng() % 4 ? 0 : rng() % 50);
    }
    before.ready_to_read.sum_ns = rng() % 100000;
    now.ready_to_read.sum_ns = before.ready_to_read.sum_ns + rng() % 100000;
    before.ready_to_read.max_ns = rng() % (1ULL << 30);
    now.ready_to_read.max_ns = rng() % 2 ? before.ready_to_read.max_ns : before.ready_to_read.max_ns + rng() % 1000;
    SocketRow r = socket_row_from_raw(1, now, &before);
    CHECK(r.ready_to_read ==
          histogram_from_raw(now.ready_to_read).since(histogram_from_raw(before.ready_to_read)));
  }
}

TEST_CASE("endpoints are spelled as inet_ntop spells them") {
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; i++) {
    uint32_t addr = static_cast<uint32_t>(rng());
    if (i == 0) addr = 0;
    if (i == 1) addr = 0xffffffffu;
    uint16_t port = static_cast<uint16_t>(i == 2 ? 0 : rng());
    char buf[INET_ADDRSTRLEN];
    in_addr a;
    a.s_addr = addr;
    REQUIRE(inet_ntop(AF_INET, &a, buf, sizeof(buf)));
    CHECK(format_ipv4_endpoint(addr, port) == std::string(buf) + ":" + std::to_string(port));
  }
  uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
  CHECK(format_ipv6_endpoint(mapped, 80) == "127.0.0.1:80");
}
