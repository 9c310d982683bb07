#include "core/trace/collector.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cerrno>
#include <cstring>
#include <set>

#include "core/base/error.hpp"
#include "core/model/row_metrics.hpp"
#include "core/trace/net_format.hpp"
#include "core/probe/kernel_features.hpp"
#include "core/trace/trace_options.hpp"

namespace pollscope {

// The BPF side (bpf/*.h) and this side must agree on layouts.
static_assert(sizeof(ps_hist) == (PS_HIST_SLOTS + 2) * 8, "ps_hist layout");
static_assert(sizeof(ps_sock) % 8 == 0, "ps_sock must be 8-byte padded");
static_assert(offsetof(ps_sock, ready_to_read) % 8 == 0, "ps_sock hist alignment");
static_assert(PS_HIST_SLOTS == Log2Histogram::kSlots, "histogram slot counts differ");
static_assert(static_cast<int>(PS_WAIT_KINDS) == static_cast<int>(kWaitKinds), "wait kinds differ");
static_assert(PS_NR_SOFTIRQS == kSoftirqVectors, "softirq vectors differ");

namespace {

uint64_t mono_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + ts.tv_nsec;
}

double wall_s() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

uint64_t sub(uint64_t now, uint64_t before) { return now >= before ? now - before : 0; }

std::string comm_str(const char* c) { return std::string(c, strnlen(c, PS_COMM_LEN)); }

bool thread_alive(uint32_t tgid, uint32_t tid) {
  std::string p = "/proc/" + std::to_string(tgid) + "/task/" + std::to_string(tid);
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// The interval's row for one socket, with times on the wall clock, filled in
// place (a row is 2.6 KB).
void finish_row(SocketRow& r, uint64_t sk, const ps_sock& raw, const ps_sock* before, int fd, double wall_offset,
                uint64_t now_mono);

}  // namespace

Log2Histogram histogram_from_raw(const ps_hist& h) {
  Log2Histogram out;
  out.slots.assign(0, PS_HIST_SLOTS, [&](size_t k) { return static_cast<uint64_t>(h.slots[k]); });
  out.sum_ns = h.sum_ns;
  out.max_ns = h.max_ns;
  return out;
}

namespace {

// histogram_from_raw(now).since(histogram_from_raw(before)), written in place:
// this runs for every histogram of every active socket each interval.
void hist_delta(const ps_hist& now, const ps_hist& before, Log2Histogram& d) {
  d.slots.assign(0, PS_HIST_SLOTS, [&](size_t k) { return sub(now.slots[k], before.slots[k]); });
  // The highest non-empty slot of the interval.
  int top = d.slots.any() ? 31 - __builtin_clz(d.slots.mask()) : -1;
  d.sum_ns = sub(now.sum_ns, before.sum_ns);
  d.max_ns = top >= 0 ? Log2Histogram::interval_max(now.max_ns, before.max_ns, top) : 0;
}

// Every metric of the table over the interval: the kernel's cumulative value
// now minus the one at the previous read (a zeroed struct for a new entry).
template <class Row, class Raw, size_t N>
void deltas_from_raw(const Metric<Row, Raw> (&table)[N], const Raw& now, const Raw& before, Row& r) {
  for (const auto& m : table) {
    if (m.is_histogram())
      hist_delta(now.*m.raw_hist, before.*m.raw_hist, r.*m.hist);
    else if (m.is_stages())
      stage_delta(now.*m.raw_stages, before.*m.raw_stages, r.*m.stages);
    else
      r.*m.count = sub(now.*m.raw_count, before.*m.raw_count);
  }
}

}  // namespace

SocketRow socket_row_from_raw(uint64_t sk, const ps_sock& n, const ps_sock* b) {
  SocketRow r;
  fill_socket_row(r, sk, n, b);
  return r;
}

void fill_socket_row(SocketRow& r, uint64_t sk, const ps_sock& n, const ps_sock* b) {
  static const ps_sock zero{};
  if (!b) b = &zero;
  r.key = {sk, n.first_seen_ns};
  r.pid = n.tgid;
  r.tid = n.tid;
  r.comm = comm_str(n.comm);
  r.inode = n.inode;
  bool v6 = n.family == 10;
  r.proto = std::string(n.protocol == 17 ? "udp" : "tcp") + (v6 ? "6" : "");
  if (v6) {
    r.local = format_ipv6_endpoint(n.saddr6, n.sport);
    r.remote = format_ipv6_endpoint(n.daddr6, n.dport);
  } else {
    r.local = format_ipv4_endpoint(n.saddr4, n.sport);
    r.remote = format_ipv4_endpoint(n.daddr4, n.dport);
  }
  r.state = n.protocol == 17 ? "-" : tcp_state_name(n.state);
  switch (n.origin) {
    case PS_ORIGIN_CONNECT: r.origin = "connect"; break;
    case PS_ORIGIN_ACCEPT: r.origin = "accept"; break;
    case PS_ORIGIN_LISTEN: r.origin = "listen"; break;
    default: break;
  }
  deltas_from_raw(kSocketMetrics, n, *b, r);
}

ThreadRow thread_row_from_raw(const ps_thread& n, const ps_thread* b) {
  static const ps_thread zero{};
  if (!b) b = &zero;
  ThreadRow t;
  t.pid = n.tgid;
  t.tid = n.tid;
  t.comm = comm_str(n.comm);
  for (int k = 0; k < PS_WAIT_KINDS; k++) deltas_from_raw(kWaitMetrics, n.wait[k], b->wait[k], t.wait[k]);
  deltas_from_raw(kThreadMetrics, n, *b, t);
  return t;
}

namespace {

void finish_row(SocketRow& r, uint64_t sk, const ps_sock& raw, const ps_sock* before, int fd, double wall_offset,
                uint64_t now_mono) {
  fill_socket_row(r, sk, raw, before);
  r.fd = fd;
  if (raw.open_ns) r.open_time = wall_offset + raw.open_ns / 1e9;
  if (raw.close_ns) r.close_time = wall_offset + raw.close_ns / 1e9;
  uint64_t from = raw.open_ns ? raw.open_ns : raw.first_seen_ns;
  uint64_t to = raw.close_ns ? raw.close_ns : now_mono;
  r.age_s = to > from ? (to - from) / 1e9 : 0;
}

}  // namespace

Collector::Collector(const probe::ProbeSet& probes, const TracerOptions& opts)
    : probes_(probes), maps_(probes.maps()), slots_(maps_), thread_slots_(maps_), prev_socks_(slots_.count()),
      prev_raw_(opts.lifetime_rows ? 0 : slots_.count()), slot_last_ns_(slots_.count(), 0), touched_now_(slots_.count(), 0), prev_threads_(thread_slots_.count()) {
  filters_ = opts.filter.describe();
  max_sockets_ = opts.max_sockets;
  max_threads_ = opts.max_threads;
  max_rows_ = opts.max_rows;
  lifetime_rows_ = opts.lifetime_rows;
  for (probe::Family f : opts.families.empty() ? probe::all_families() : opts.families)
    families_.push_back(probe::family_name(f));
  ncpus_ = libbpf_num_possible_cpus();
  if (ncpus_ <= 0) throw Fatal("cannot count possible CPUs");
  prev_softirq_.assign(ncpus_, ps_softirq{});
  last_wall_ = wall_s();
  kernel_ = probe::kernel_release();
  char host[256] = {};
  ::gethostname(host, sizeof(host) - 1);
  hostname_ = host;
}

Snapshot Collector::collect(bool last) {
  Snapshot s;
  uint64_t now_mono = mono_ns();
  double now_wall = wall_s();
  s.seq = ++seq_;
  s.start_time = last_wall_;
  // A wall clock stepped back mid-trace must not make an interval end before
  // it starts (a recording reader refuses that).
  s.end_time = std::max(now_wall, last_wall_);
  s.kernel = kernel_;
  s.hostname = hostname_;
  s.filters = filters_;
  s.families = families_;
  double wall_offset = now_wall - now_mono / 1e9;
  resolver_.refresh();
  collect_sockets(s, now_mono, wall_offset, last);
  collect_threads(s);
  collect_cpus(s);
  collect_health(s);
  // Connections first seen in this interval may fold; the close of one
  // reported live before keeps its row, so that row ends closed in any merge.
  // Not the last read of lifetime rows: it holds a row for every open
  // connection, which never folds, and a fold would replace its vector with
  // one too tight for the total to take (SnapshotTotal::add), which would
  // then copy every row; the total folds the closed ones itself.
  if (max_rows_ && !(lifetime_rows_ && last)) fold_closed_sockets(s, max_rows_, &reported_before_);
  reported_before_.clear();
  last_wall_ = now_wall;
  if (seq_ % 16 == 0) resolver_.prune();
  return s;
}

void Collector::collect_sockets(Snapshot& s, uint64_t now_mono, double wall_offset, bool last) {
  const uint32_t walk = ++walk_;
  reported_before_.clear();
  to_delete_.clear();
  slots_.recycle();
  // Rows are big (histograms): a vector grown by doubling would copy them and
  // fault in fresh pages every interval.
  if (s.sockets.empty() && spare_rows_.capacity()) {
    s.sockets = std::move(spare_rows_);
    s.sockets.clear();
    spare_rows_ = {};
  }
  // As many rows as entries to read (an entry makes at most one): a guess
  // short of it grows the vector, holding old and new rows at once (at
  // 100,000 sockets a fifth of top's peak), and reserving beyond what is
  // written costs address space only. A full read with no entry known yet
  // (the first) meets the connections open at attach, unknown until read:
  // any slot may hold one (and report's total may take that vector whole).
  const bool every_entry = lifetime_rows_ && last;  // a row for each
  const bool full = take_touched(now_mono);
  if (every_entry && !full) add_known_slots();
  if (every_entry)
    // Room for every slot's row and the total's own (closed, folded): the
    // total takes this vector whole (SnapshotTotal::add) only when it has
    // room for both and for what the total had reserved.
    reserve_socket_rows(s.sockets, slots_.count() + max_rows_ + 64);
  else if (lifetime_rows_ || !full)
    reserve_socket_rows(s.sockets, touched_.size() + 64);  // closes come touched
  else
    reserve_socket_rows(s.sockets, sock_states_ ? sock_states_ + touched_.size() : slots_.count());
  // Under pressure, entries idle this long are deleted to make room: their
  // numbers were reported, and the next event on the connection makes a new
  // entry under the same key (its identity lives with the socket).
  const bool pressure = sock_states_ > max_sockets_ / 2;
  constexpr uint64_t kIdleNs = 30ULL * 1000000000ULL;
  size_t entries = 0;
  ps_sock before;
  auto visit = [&](uint32_t slot, const ps_sock& raw) {
    const ps_sock_key& key = raw.key;
    SocketKey k{key.sk, key.born_ns};
    SockState& st = prev_socks_[slot];
    bool known = st.key == k;
    if (known && st.walk == walk) return;  // seen already in this walk
    if (!known) {
      // A new connection in this slot (a slot is given again only after its
      // last connection was released here, so nothing of it is left).
      if (!st.key.sk) sock_states_++;
      st = SockState{};
      if (!lifetime_rows_) prev_raw_[slot] = PackedWords();
      st.key = k;
      slot_last_ns_[slot] = 0;
    }
    st.walk = walk;
    entries++;
    // A row for every entry with news: anything that differs from the last
    // reading reported (an event, a wakeup it caused, a write that landed
    // after the entry was last read), so nothing is skipped or reported twice.
    // With lifetime rows nothing was reported before: decided below.
    if (known && !lifetime_rows_) prev_raw_[slot].unpack(&before, sizeof(before));
    bool active = !lifetime_rows_ && (!known || std::memcmp(&raw, &before, sizeof(raw)) != 0);
    const ps_sock* since = known && !lifetime_rows_ ? &before : nullptr;
    // Its last activity: its last event that read the clock, or this
    // interval when its bit was set (sends and reads that end no readiness
    // move the bit, not last_ns).
    if (touched_now_[slot] == walk) slot_last_ns_[slot] = now_mono;
    const uint64_t last_ns = std::max<uint64_t>(raw.last_ns, slot_last_ns_[slot]);
    slot_last_ns_[slot] = last_ns;
    if (st.fd < 0 && !raw.close_ns) st.fd = resolver_.fd_of(raw.tgid, raw.inode);
    // UDP has no close: an idle UDP entry goes whatever the pressure, or the
    // entries of dead UDP sockets would fill the map.
    bool idle = (pressure || raw.protocol == 17) && last_ns && now_mono > last_ns + kIdleNs;
    // A lifetime row when the entry ends (closed, or deleted idle) or at the last collect.
    if (lifetime_rows_) active = raw.close_ns || idle || every_entry;
    if (active) {
      finish_row(s.sockets.emplace_back(), key.sk, raw, since, st.fd, wall_offset, now_mono);
      // The close of a connection whose row came before (live): that row
      // must end closed in any merge, so this one does not fold.
      bool before_reported = lifetime_rows_ ? idled_out_.erase(k) > 0 : known;
      if (raw.close_ns && before_reported) reported_before_.insert(k);
      // Only TCP has a close to come (a UDP entry is deleted idle and never
      // closes: its key would stay for good).
      if (lifetime_rows_ && !raw.close_ns && idle && raw.protocol != 17) idled_out_.insert(k);
    }
    if (raw.close_ns || idle) {
      // A closed connection is final once reported.
      to_delete_.push_back({key, slot});
      forget_sock(slot);
    } else if (active && !lifetime_rows_) {
      prev_raw_[slot].pack(&raw, sizeof(raw));
    }
  };
  read_socket_entries(visit, full);
  if (full) {
    // A full read: every entry was seen, so one not seen is gone.
    for (uint32_t slot = 0; slot < prev_socks_.size(); slot++)
      if (prev_socks_[slot].key.sk && prev_socks_[slot].walk != walk) forget_sock(slot);
    socket_entries_ = entries;
  } else {
    // Under pressure, the entries idle long enough to go are read by slot
    // (visit deletes them), without waiting for the next full read.
    if (pressure) {
      idle_slots_.clear();
      for (uint32_t slot = 0; slot < slot_last_ns_.size(); slot++) {
        const uint64_t last_ns = slot_last_ns_[slot];
        if (last_ns && now_mono > last_ns + kIdleNs && prev_socks_[slot].walk != walk) idle_slots_.push_back(slot);
      }
      ps_sock raw;
      for (uint32_t slot : idle_slots_)
        if (slots_.read(slot, &raw)) visit(slot, raw);
    }
    socket_entries_ = sock_states_;
  }
  for (const auto& d : to_delete_) slots_.release(d.slot, d.key);
  slots_.close();
}

void Collector::forget_sock(uint32_t slot) {
  SockState& st = prev_socks_[slot];
  if (!st.key.sk) return;
  st = SockState{};
  if (!lifetime_rows_) prev_raw_[slot] = PackedWords();
  slot_last_ns_[slot] = 0;
  sock_states_--;
}

void Collector::recycle(Snapshot&& done) {
  if (done.sockets.capacity() > spare_rows_.capacity()) {
    done.sockets.clear();
    spare_rows_ = std::move(done.sockets);
  }
}

bool Collector::take_touched(uint64_t now_mono) {
  // The slots the programs touched since the last take, a word at a time:
  // a bit set at any moment is in this take or the next.
  touched_.clear();
  for (uint32_t w = 0; maps_.touched_bits && w < maps_.touched_words; w++) {
    if (!__atomic_load_n(&maps_.touched_bits[w], __ATOMIC_RELAXED)) continue;
    uint64_t bits = __atomic_exchange_n(&maps_.touched_bits[w], 0, __ATOMIC_SEQ_CST);
    for (; bits; bits &= bits - 1) {
      uint32_t slot = w * 64 + static_cast<uint32_t>(__builtin_ctzll(bits));
      touched_.push_back(slot);
      if (slot < touched_now_.size()) touched_now_[slot] = walk_;
    }
  }
  // Every entry now and then: idle ones age out there (idle means 30 s, so
  // once in 30 s is soon enough; at 100,000 sockets a full read costs ten
  // intervals of touched ones), and right away when the map turned a
  // connection away.
  bool full = !maps_.touched_bits || map_refused_ || last_full_read_ns_ == 0 ||
              now_mono >= last_full_read_ns_ + kFullReadNs;
  if (full) last_full_read_ns_ = now_mono;
  return full;
}

void Collector::add_known_slots() {
  // Every entry is either known (read at some interval since it was made) or
  // touched now: the event that makes an entry touches it. Reading these,
  // not every slot, keeps the last read as short as an interval's (a pass
  // over every slot took 12 ms at the default 16,384, while the programs go on:
  // the threads, read after, then held that much more than the sockets).
  const size_t n = touched_.size();
  for (uint32_t slot = 0; slot < prev_socks_.size(); slot++)
    if (prev_socks_[slot].key.sk) touched_.push_back(slot);
  // In slot order, each slot once: a window is mapped once a pass.
  std::inplace_merge(touched_.begin(), touched_.begin() + static_cast<std::ptrdiff_t>(n), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
}

void Collector::read_socket_entries(const SlotVisit& visit, bool full) {
  ps_sock raw;
  if (full) {
    slots_.for_each(&raw, visit);
    return;
  }
  for (uint32_t slot : touched_)
    if (slots_.read(slot, &raw)) visit(slot, raw);
}

void Collector::collect_threads(Snapshot& s) {
  thread_slots_.recycle();
  ps_thread raw, before;
  const uint32_t slots = thread_slots_.taken_below();
  for (uint32_t slot = 0; slot < slots; slot++) {
    ThreadState& st = prev_threads_[slot];
    if (!thread_slots_.read(slot, &raw)) {
      st = ThreadState{};
      continue;
    }
    // A new first_seen_ns is a new thread's entry in this slot.
    const bool added = st.born_ns != raw.first_seen_ns;
    if (!added) st.raw.unpack(&before, sizeof(before));
    ThreadRow t = thread_row_from_raw(raw, added ? nullptr : &before);
    bool active = t.wait_calls() || t.wakeups || t.invol_switches || t.vol_switches || added;
    if (active) {
      s.threads.push_back(std::move(t));
      st.raw.pack(&raw, sizeof(raw));
      st.born_ns = raw.first_seen_ns;
    } else if (!thread_alive(raw.tgid, raw.tid)) {
      thread_slots_.release(slot, raw);
      st = ThreadState{};
    }
  }
  thread_slots_.close();
}

void Collector::collect_cpus(Snapshot& s) {
  softirq_runs_ = 0;
  std::vector<ps_softirq> now(ncpus_);
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(maps_.softirqs, &zero, now.data()) != 0) return;
  for (int c = 0; c < ncpus_; c++) {
    CpuRow row;
    row.cpu = c;
    bool any = false;
    for (const auto& m : kCpuMetrics) {
      const __u64* after = now[c].*m.raw_count;
      const __u64* before = prev_softirq_[c].*m.raw_count;
      for (int v = 0; v < PS_NR_SOFTIRQS; v++) (row.*m.count)[v] = sub(after[v], before[v]);
    }
    for (int v = 0; v < PS_NR_SOFTIRQS; v++) {
      softirq_runs_ += row.count[v];
      any = any || now[c].count[v];
    }
    if (any) s.cpus.push_back(row);
  }
  prev_softirq_ = std::move(now);
}

// Attached once, ever (a pause does not clear it): the softirq programs whose
// events the runs read in collect_cpus stand for.
uint64_t Collector::softirq_programs_attached() const {
  uint64_t n = 0;
  for (const auto& st : probes_.status())
    if (st.attached && st.tracepoint.family == probe::Family::Softirq) n++;
  return n;
}

void Collector::collect_health(Snapshot& s) {
  // Index: enum ps_counter. Events and socket events are not drops (nullptr);
  // "stages" is a readiness read by a thread without an entry, so not split.
  static const char* const drop_names[] = {nullptr, "socks",   "threads", "unowned_ready", "wakes",
                                           "filter_pids", nullptr, nullptr, "stages"};
  static_assert(sizeof(drop_names) / sizeof(drop_names[0]) == PS_CNT_MAX, "a name for every ps_counter");
  std::vector<uint64_t> vals(ncpus_);
  for (uint32_t k = 0; k < PS_CNT_MAX; k++) {
    if (bpf_map_lookup_elem(maps_.counters, &k, vals.data()) != 0) continue;
    uint64_t total = 0;
    for (uint64_t v : vals) total += v;
    uint64_t d = sub(total, prev_counters_[k]);
    prev_counters_[k] = total;
    // The softirq programs leave their events out of the counter (bpf/
    // pollscope.bpf.c, on_softirq): each run was an entry and, when its
    // program is attached, an exit (an exit alone counts no runs).
    if (k == PS_CNT_EVENTS) s.health.events = d + softirq_runs_ * softirq_programs_attached();
    else if (k == PS_CNT_SOCK_EVENTS) s.health.sock_events = d;
    else if (k == PS_CNT_SOCK_EVENTS_LOST) s.health.sock_events_lost = d;
    else if (d && drop_names[k]) s.health.drops[drop_names[k]] += d;
    if (k == PS_CNT_SOCK_MAP_FULL) {
      s.health.sockets_needed = socket_entries_ + d;
      map_refused_ = d > 0;
    }
  }
  s.health.max_sockets = max_sockets_;
  s.health.max_threads = max_threads_;
  s.health.self_cost = probes_.self_cost_on();
  for (const auto& st : probes_.status()) {
    ProbeHealth p;
    p.tracepoint = st.tracepoint.full_name();
    p.family = probe::family_name(st.tracepoint.family);
    p.method = probe::attach_method_name(st.method);
    p.attached = st.attached;
    p.reason = st.reason;
    p.program = st.program;
    if (st.attached) {
      probe::ProgramCost c = probes_.cost(st.prog_fd);
      probe::ProgramCost& before = prev_cost_[st.program];
      p.run_cnt = sub(c.run_cnt, before.run_cnt);
      p.run_time_ns = sub(c.run_time_ns, before.run_time_ns);
      before = c;
    }
    s.health.probes.push_back(std::move(p));
  }
}

}  // namespace pollscope
