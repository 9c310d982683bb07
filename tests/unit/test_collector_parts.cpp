// The collector's parts that scale with the socket count: the packed previous
// readings, the socket and thread entry slots (on real BPF maps; root) and
// the socket owner cache (on this process's own /proc/self/fd).
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <vector>

#include "core/base/unique_fd.hpp"
#include "core/trace/collector.hpp"
#include "core/trace/net_format.hpp"
#include "core/trace/packed_words.hpp"
#include "core/trace/array_window.hpp"
#include "core/trace/sock_slots.hpp"
#include "core/trace/thread_slots.hpp"
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
  // Every word non-zero, then fewer (a 32-bit count wrapped to 0), from a
  // buffer that is not 8-byte aligned (the bitmap is taken four words at a
  // time where the CPU can).
  for (size_t words : {4u, 64u, 67u, 128u, 201u}) {
    std::vector<unsigned char> buf(words * 8 + 1);
    std::vector<uint64_t> in(words), out(words);
    for (auto& w : in) w = rng() | 1ULL << 63;
    PackedWords p;
    for (int round = 0; round < 2; round++) {
      std::memcpy(buf.data() + 1, in.data(), words * 8);
      p.pack(buf.data() + 1, words * 8);
      p.unpack(out.data(), words * 8);
      CHECK(out == in);
      for (size_t i = 0; i < words; i += 3) in[i] = 0;
    }
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

namespace {

// An entry array as the programs keep one: an mmapable BPF array of n
// entries of `value` bytes, mapped here, and its queue of free slots.
struct SlotMaps {
  UniqueFd array, queue;
  SlotMaps(const char* name, size_t value, uint32_t n) {
    LIBBPF_OPTS(bpf_map_create_opts, mmapable, .map_flags = BPF_F_MMAPABLE);
    array.reset(bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(uint32_t), value, n, &mmapable));
    queue.reset(bpf_map_create(BPF_MAP_TYPE_QUEUE, name, 0, sizeof(uint32_t), n, nullptr));
  }
  bool valid() const { return array.valid() && queue.valid(); }
};

// The resident pages of this process's mappings of BPF maps (the windows),
// from /proc/self/smaps: 0 when none is mapped.
size_t bpf_map_rss_kb() {
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool bpf = false;
  size_t kb = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') != std::string::npos &&
        line.find(' ') > line.find('-'))
      bpf = line.find("anon_inode:bpf-map") != std::string::npos;
    else if (bpf && line.rfind("Rss:", 0) == 0)
      kb += std::stoul(line.substr(4));
  }
  return kb;
}

}  // namespace

TEST_CASE("an array is read through windows of whole pages, one mapped at a time", "[root]") {
  if (geteuid() != 0) {
    WARN("needs root to create a BPF map");
    return;
  }
  // 1632-byte entries: no entry may straddle two windows, and the last
  // window is partial.
  const uint32_t n = 2000;
  SlotMaps m("ps_test_window", sizeof(ps_sock), n);
  REQUIRE(m.valid());
  for (uint32_t slot = 0; slot < n; slot++) {
    ps_sock e{};
    e.slot = slot;
    e.reads = slot * 3 + 1;
    e.__pad1 = ~slot;  // the entry's last word
    REQUIRE(bpf_map_update_elem(m.array.get(), &slot, &e, BPF_ANY) == 0);
  }
  ArrayWindow w(m.array.get(), n, sizeof(ps_sock));
  CHECK(w.count() == n);
  auto check = [&](uint32_t slot) {
    const ps_sock* e = static_cast<const ps_sock*>(w.at(slot));
    REQUIRE(e);
    CHECK(e->slot == slot);
    CHECK(e->reads == slot * 3 + 1);
    CHECK(e->__pad1 == ~slot);
  };
  for (uint32_t slot = 0; slot < n; slot++) check(slot);
  for (uint32_t slot = n; slot-- > 0;) check(slot);  // backwards: every window again
  CHECK(w.at(n) == nullptr);
  // A write through the window is the map's.
  static_cast<ps_sock*>(w.at(1234))->writes = 77;
  ps_sock through_map{};
  uint32_t k = 1234;
  REQUIRE(bpf_map_lookup_elem(m.array.get(), &k, &through_map) == 0);
  CHECK(through_map.writes == 77);
  // One window is resident, well under the 3.2 MB array; none after close().
  const size_t kb = bpf_map_rss_kb();
  CHECK(kb > 0);
  CHECK(kb <= 1100);
  w.close();
  CHECK(bpf_map_rss_kb() == 0);
  check(1999);
  // No array: no entries.
  ArrayWindow none(-1, 10, sizeof(ps_sock));
  CHECK(none.count() == 0);
  CHECK(none.at(0) == nullptr);
}

TEST_CASE("socket slots are read from the mapped array, and a released slot is free and queued", "[root]") {
  if (geteuid() != 0) {
    WARN("needs root to create a BPF map");
    return;
  }
  const uint32_t n = 300;
  SlotMaps m("ps_test_slots", sizeof(ps_sock), n);
  REQUIRE(m.valid());
  const int fd = m.array.get(), qfd = m.queue.get();
  probe::MapFds maps;
  maps.socks = fd;
  maps.sock_slot_count = n;
  maps.free_socks = qfd;
  SockSlots slots(maps);

  // Entries written through the map (as the programs write them) are seen
  // in the mapping, and only the slots in use.
  for (uint32_t slot : {3u, 150u, 299u}) {
    ps_sock e{};
    e.key = {0xffff000000000000ull + slot, 1000 + slot};
    e.slot = slot;
    e.reads = slot * 2;
    REQUIRE(bpf_map_update_elem(fd, &slot, &e, BPF_ANY) == 0);
  }
  ps_sock buf;
  std::map<uint32_t, uint64_t> seen;
  slots.for_each(&buf, [&](uint32_t slot, const ps_sock& e) { seen[slot] = e.reads; });
  CHECK(seen == std::map<uint32_t, uint64_t>{{3, 6}, {150, 300}, {299, 598}});
  CHECK_FALSE(slots.read(n, &buf));  // out of range

  // A slot is released only for the connection it holds.
  ps_sock_key other{0xffff000000000000ull + 150, 1};
  slots.release(150, other);
  CHECK(slots.read(150, &buf));
  ps_sock_key mine{0xffff000000000000ull + 150, 1150};
  CHECK(slots.holds(150, mine));
  slots.release(150, mine);
  CHECK_FALSE(slots.read(150, &buf));
  CHECK_FALSE(slots.holds(150, mine));
  ps_sock through_map{};
  uint32_t k = 150;
  REQUIRE(bpf_map_lookup_elem(fd, &k, &through_map) == 0);
  CHECK(through_map.reads == 0);  // cleaned, not only unkeyed
  slots.release(150, mine);       // a second release of the same connection does nothing
  // The programs get the slot back only at the next interval's recycle, once.
  uint32_t queued = n;
  CHECK(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) != 0);
  slots.recycle();
  REQUIRE(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) == 0);
  CHECK(queued == 150);
  CHECK(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) != 0);  // only that one
  slots.recycle();
  CHECK(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) != 0);  // and not again

  // A slot whose key is half written (birth 0) is not an entry yet.
  uint32_t k3 = 3;
  ps_sock half{};
  half.key = {0xffff000000000003ull, 0};
  REQUIRE(bpf_map_update_elem(fd, &k3, &half, BPF_ANY) == 0);
  CHECK_FALSE(slots.read(3, &buf));
}

TEST_CASE("a pass over the socket slots stops at the programs' count of slots handed out", "[root]") {
  if (geteuid() != 0) {
    WARN("needs root to create a BPF map");
    return;
  }
  const uint32_t n = 300;
  SlotMaps m("ps_test_handed", sizeof(ps_sock), n);
  REQUIRE(m.valid());
  __u64 handed_out = 0;
  probe::MapFds maps;
  maps.socks = m.array.get();
  maps.sock_slot_count = n;
  maps.free_socks = m.queue.get();
  maps.socks_handed_out = &handed_out;
  SockSlots slots(maps);
  for (uint32_t slot : {3u, 150u, 299u}) {
    ps_sock e{};
    e.key = {0xffff000000000000ull + slot, 1000 + slot};
    REQUIRE(bpf_map_update_elem(m.array.get(), &slot, &e, BPF_ANY) == 0);
  }
  auto seen = [&] {
    std::vector<uint32_t> v;
    ps_sock buf;
    slots.for_each(&buf, [&](uint32_t slot, const ps_sock&) { v.push_back(slot); });
    slots.close();
    return v;
  };
  CHECK(seen().empty());  // nothing handed out yet
  handed_out = 151;
  CHECK(slots.taken_below() == 151);
  CHECK(seen() == std::vector<uint32_t>{3, 150});
  // Attempts on a full map count past the slots; the pass stops at the end.
  handed_out = 5000;
  CHECK(slots.taken_below() == n);
  CHECK(seen() == std::vector<uint32_t>{3, 150, 299});
  // Without a count (no programs), every slot is read.
  CHECK(slots_handed_out(nullptr, n) == n);
}

TEST_CASE("thread slots: a released slot is free and queued, and the raw_tp copy goes only if it names it", "[root]") {
  if (geteuid() != 0) {
    WARN("needs root to create a BPF map");
    return;
  }
  const uint32_t n = 40;
  SlotMaps m("ps_test_thr", sizeof(ps_thread), n);
  REQUIRE(m.valid());
  const int fd = m.array.get(), qfd = m.queue.get();
  int ids = bpf_map_create(BPF_MAP_TYPE_HASH, "ps_test_tids", sizeof(uint32_t), sizeof(ps_task_id), n, nullptr);
  REQUIRE(ids >= 0);
  UniqueFd iguard(ids);
  probe::MapFds maps;
  maps.threads = fd;
  maps.thread_slot_count = n;
  maps.free_threads = qfd;
  maps.task_ids = ids;
  __u64 handed_out = 10;  // the programs' count: slots 0-9 handed out
  maps.threads_handed_out = &handed_out;
  ThreadSlots slots(maps);
  CHECK(slots.taken_below() == 10);

  // Two entries of thread 700: the one in slot 5 ended, its tid was taken
  // by a thread whose entry is in slot 9 (the raw_tp copy names slot 9).
  auto put = [&](uint32_t slot, uint32_t tid, uint64_t born) {
    ps_thread t{};
    t.tid = tid;
    t.slot = slot;
    t.first_seen_ns = born;
    t.wakeups = slot;
    REQUIRE(bpf_map_update_elem(fd, &slot, &t, BPF_ANY) == 0);
  };
  put(5, 700, 111);
  put(9, 700, 222);
  uint32_t tid = 700;
  ps_task_id id{222, 9 + 1, 0};
  REQUIRE(bpf_map_update_elem(ids, &tid, &id, BPF_ANY) == 0);

  ps_thread buf;
  CHECK_FALSE(slots.read(0, &buf));  // free
  CHECK_FALSE(slots.read(n, &buf));  // out of range
  REQUIRE(slots.read(5, &buf));
  CHECK(buf.wakeups == 5);
  ps_thread old = buf;
  // Released as another thread's entry (a stale reading): nothing happens.
  ps_thread stale = old;
  stale.first_seen_ns = 1;
  slots.release(5, stale);
  CHECK(slots.read(5, &buf));
  // Released as its own: free and clean, and the copy naming slot 9 stays.
  slots.release(5, old);
  CHECK_FALSE(slots.read(5, &buf));
  ps_thread through_map{};
  uint32_t k = 5;
  REQUIRE(bpf_map_lookup_elem(fd, &k, &through_map) == 0);
  CHECK(through_map.wakeups == 0);
  ps_task_id got{};
  REQUIRE(bpf_map_lookup_elem(ids, &tid, &got) == 0);
  CHECK(got.slot == 10);
  // Queued at the next recycle, once.
  uint32_t queued = n;
  CHECK(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) != 0);
  slots.recycle();
  REQUIRE(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) == 0);
  CHECK(queued == 5);
  CHECK(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) != 0);  // only that one
  slots.recycle();
  CHECK(bpf_map_lookup_and_delete_elem(qfd, nullptr, &queued) != 0);  // and not again
  // Slot 9 released: its copy goes with it.
  REQUIRE(slots.read(9, &buf));
  slots.release(9, buf);
  CHECK(bpf_map_lookup_elem(ids, &tid, &got) != 0);
  // Attempts on a full map count past the slots: a pass stops at the end.
  handed_out = 5000;
  CHECK(slots.taken_below() == n);
}
