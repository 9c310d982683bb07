#include "core/model/snapshot.hpp"

#include <algorithm>
#include <unordered_map>
#include <cmath>
#include <cstdlib>
#include <new>

#include "core/model/row_metrics.hpp"
#include "core/model/snapshot_filter.hpp"

namespace pollscope {

const char* wait_kind_name(int kind) {
  switch (kind) {
    case kWaitEpoll: return "epoll";
    case kWaitPoll: return "poll";
    case kWaitSelect: return "select";
  }
  return "?";
}

const char* softirq_name(int vec) {
  static const char* names[kSoftirqVectors] = {"HI",      "TIMER",    "NET_TX", "NET_RX",  "BLOCK",
                                               "IRQ_POLL", "TASKLET", "SCHED",  "HRTIMER", "RCU"};
  return vec >= 0 && vec < kSoftirqVectors ? names[vec] : "?";
}

uint64_t ThreadRow::wait_calls() const {
  uint64_t n = 0;
  for (const auto& w : wait) n += w.calls;
  return n;
}

uint64_t ThreadRow::blocked_ns() const {
  uint64_t n = 0;
  for (const auto& w : wait) n += w.blocked.sum_ns;
  return n;
}

uint64_t Health::total_drops() const {
  uint64_t n = 0;
  for (const auto& [k, v] : drops) n += v;
  return n;
}

double Health::sock_lost_share() const {
  uint64_t all = sock_events + sock_events_lost;
  return all ? static_cast<double>(sock_events_lost) / static_cast<double>(all) : 0.0;
}

namespace {

// The next power of two at or above n, with a quarter of headroom.
uint32_t roomy_size(uint64_t n) {
  uint64_t want = n + n / 4, size = 1024;
  while (size < want && size < (1ULL << 31)) size <<= 1;
  return static_cast<uint32_t>(size);
}

}  // namespace

uint64_t Health::dropped(const std::string& map) const {
  auto it = drops.find(map);
  return it == drops.end() ? 0 : it->second;
}

uint32_t Health::suggested_max_sockets() const {
  if (dropped("socks") == 0 && sock_events_lost == 0) return 0;
  if (sockets_needed == 0 && max_sockets == 0) return 0;  // a recording from before these were kept
  return std::max(roomy_size(sockets_needed), max_sockets ? roomy_size(uint64_t{max_sockets} * 2) : 0u);
}

uint32_t Health::suggested_max_threads() const {
  if (dropped("threads") == 0) return 0;
  // Thread drops count events, not threads: double the map, the least that helps.
  return roomy_size(std::max<uint64_t>(max_threads, 1024) * 2);
}

double per_second(uint64_t count, const Snapshot& s) {
  double d = s.duration_s();
  return d > 0 ? static_cast<double>(count) / d : 0.0;
}

double percent_of_duration(uint64_t ns, const Snapshot& s) {
  double d = s.duration_s();
  return d > 0 ? 100.0 * static_cast<double>(ns) / (d * 1e9) : 0.0;
}

void merge_socket(SocketRow& into, const SocketRow& later) {
  uint64_t folded = into.folded + later.folded;
  // A folded row's age is the mean over its connections.
  double age = folded ? (into.age_s * static_cast<double>(std::max<uint64_t>(into.folded, 1)) +
                         later.age_s * static_cast<double>(std::max<uint64_t>(later.folded, 1))) /
                            static_cast<double>(folded)
                      : later.age_s;
  // Identity: keep what is known when the later interval does not know it.
  int fd = later.fd >= 0 ? later.fd : into.fd;
  uint32_t pid = later.pid ? later.pid : into.pid;
  std::string comm = later.comm.empty() ? into.comm : later.comm;
  double open_time = later.open_time ? later.open_time : into.open_time;
  if (folded && into.open_time && later.open_time) open_time = std::min(into.open_time, later.open_time);
  std::string origin = later.origin.empty() ? into.origin : later.origin;
  // State comes from the later interval, the metrics from both (by the table).
  SocketRow merged = later;
  copy_metrics(kSocketMetrics, merged, into);
  merge_metrics(kSocketMetrics, merged, later);
  into = std::move(merged);
  into.folded = folded;
  into.age_s = age;
  into.origin = origin;
  into.fd = fd;
  into.pid = pid;
  into.comm = comm;
  into.open_time = open_time;
}

namespace {

void merge_thread(ThreadRow& into, const ThreadRow& later) {
  for (int k = 0; k < kWaitKinds; k++) merge_metrics(kWaitMetrics, into.wait[k], later.wait[k]);
  merge_metrics(kThreadMetrics, into, later);
  if (!later.comm.empty()) into.comm = later.comm;
}

}  // namespace

void Snapshot::merge(const Snapshot& later, std::unordered_map<SocketKey, size_t, SocketKeyHash>* index) {
  if (start_time == 0 || (later.start_time > 0 && later.start_time < start_time)) start_time = later.start_time;
  end_time = std::max(end_time, later.end_time);
  if (!later.kernel.empty()) kernel = later.kernel;
  if (!later.hostname.empty()) hostname = later.hostname;
  filters = later.filters;
  families = later.families;
  seq = 0;

  // A hash index: a report's total holds every socket seen (100,000 at
  // C100K) and is merged with each interval.
  std::unordered_map<SocketKey, size_t, SocketKeyHash> own_index;
  if (!index) {
    own_index.reserve(sockets.size() + later.sockets.size());
    for (size_t i = 0; i < sockets.size(); i++) own_index.emplace(sockets[i].key, i);
  }
  auto& sock_index = index ? *index : own_index;
  for (const auto& s : later.sockets) {
    auto it = sock_index.find(s.key);
    if (it == sock_index.end()) {
      sock_index[s.key] = sockets.size();
      sockets.push_back(s);
    } else {
      merge_socket(sockets[it->second], s);
    }
  }

  std::map<uint32_t, size_t> thread_index;
  for (size_t i = 0; i < threads.size(); i++) thread_index[threads[i].tid] = i;
  for (const auto& t : later.threads) {
    auto it = thread_index.find(t.tid);
    if (it == thread_index.end()) {
      thread_index[t.tid] = threads.size();
      threads.push_back(t);
    } else {
      merge_thread(threads[it->second], t);
    }
  }

  for (const auto& c : later.cpus) {
    auto it = std::find_if(cpus.begin(), cpus.end(), [&](const CpuRow& r) { return r.cpu == c.cpu; });
    if (it == cpus.end()) {
      cpus.push_back(c);
      continue;
    }
    merge_metrics(kCpuMetrics, *it, c);
  }
  std::sort(cpus.begin(), cpus.end(), [](const CpuRow& a, const CpuRow& b) { return a.cpu < b.cpu; });

  health.events += later.health.events;
  for (const auto& [k, v] : later.health.drops) health.drops[k] += v;
  health.sock_events += later.health.sock_events;
  health.sock_events_lost += later.health.sock_events_lost;
  if (later.health.max_sockets) health.max_sockets = later.health.max_sockets;
  if (later.health.max_threads) health.max_threads = later.health.max_threads;
  health.sockets_needed = std::max(health.sockets_needed, later.health.sockets_needed);
  health.self_cost = later.health.self_cost;
  if (health.probes.empty()) {
    health.probes = later.health.probes;
  } else {
    for (const auto& p : later.health.probes) {
      auto it = std::find_if(health.probes.begin(), health.probes.end(),
                             [&](const ProbeHealth& h) { return h.tracepoint == p.tracepoint; });
      if (it == health.probes.end()) {
        health.probes.push_back(p);
      } else {
        it->run_cnt += p.run_cnt;
        it->run_time_ns += p.run_time_ns;
        it->attached = p.attached;
        it->method = p.method;
        it->reason = p.reason;
      }
    }
  }
}

bool service_is_local(const SocketRow& r) {
  if (r.origin == "accept" || r.origin == "listen") return true;
  if (r.origin == "connect") return false;
  return port_of(r.local) <= port_of(r.remote);
}

namespace {

// FNV-1a: a fold group's key must be the same in every run (recordings are
// merged across runs), which std::hash does not promise.
uint64_t stable_hash(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h ? h : 1;
}

std::string fold_group_text(const SocketRow& f) {
  return std::to_string(f.pid) + "|" + f.comm + "|" + f.proto + "|" + f.local + "|" + f.remote;
}

// The folded row a closed connection goes into.
SocketRow fold_row_for(const SocketRow& r) {
  SocketRow f;
  bool local = service_is_local(r);
  f.pid = r.pid;
  f.comm = r.comm;
  f.proto = r.proto;
  f.origin = r.origin;
  f.local = local ? r.local : "*";
  f.remote = local ? "*" : r.remote;
  f.state = r.state;
  f.key = {0, stable_hash(fold_group_text(f))};
  return f;
}

// "127.0.0.1:80" -> "*:80"; "*" stays "*".
std::string any_address(const std::string& endpoint) {
  auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : "*" + endpoint.substr(colon);
}

// Merges folded rows into coarser groups: pid 0 (any process of the command),
// and with by_port any address on the same port. Exact sums, as every fold.
void coarsen_folded_rows(std::vector<SocketRow>& rows, bool by_port) {
  if (std::none_of(rows.begin(), rows.end(), [](const SocketRow& r) { return r.folded != 0; })) return;
  std::vector<SocketRow> out;
  out.reserve(rows.size());
  std::map<SocketKey, size_t> index;
  for (auto& r : rows) {
    if (!r.folded) {
      out.push_back(std::move(r));
      continue;
    }
    SocketRow g = std::move(r);
    g.pid = 0;
    if (by_port) {
      g.local = any_address(g.local);
      g.remote = any_address(g.remote);
    }
    g.key = {0, stable_hash(fold_group_text(g))};
    auto it = index.find(g.key);
    if (it == index.end()) {
      index[g.key] = out.size();
      out.push_back(std::move(g));
    } else {
      merge_socket(out[it->second], g);
    }
  }
  rows = std::move(out);
}

bool more_interesting(const SocketRow& a, const SocketRow& b) {
  if (a.ready_to_read.max_ns != b.ready_to_read.max_ns) return a.ready_to_read.max_ns > b.ready_to_read.max_ns;
  if (a.reads + a.writes != b.reads + b.writes) return a.reads + a.writes > b.reads + b.writes;
  return a.close_time > b.close_time;
}

}  // namespace

uint64_t fold_closed_sockets(Snapshot& s, size_t max_rows, const std::set<SocketKey>* keep) {
  if (s.sockets.size() <= max_rows) return 0;
  std::vector<size_t> candidates;
  std::map<SocketKey, size_t> existing;  // folded rows already present
  for (size_t i = 0; i < s.sockets.size(); i++) {
    const SocketRow& r = s.sockets[i];
    if (r.folded) existing[r.key] = i;
    else if (r.closed() && !(keep && keep->count(r.key))) candidates.push_back(i);
  }
  if (candidates.empty()) {
    // Nothing to fold (open connections never fold): only the folded rows
    // already present may coarsen.
    if (s.sockets.size() > max_rows) coarsen_folded_rows(s.sockets, /*by_port=*/false);
    if (s.sockets.size() > max_rows) coarsen_folded_rows(s.sockets, /*by_port=*/true);
    return 0;
  }
  // Least interesting first: those fold first.
  std::sort(candidates.begin(), candidates.end(),
            [&](size_t a, size_t b) { return more_interesting(s.sockets[b], s.sockets[a]); });
  std::vector<bool> fold(s.sockets.size(), false);
  std::map<SocketKey, SocketRow> groups;  // new folded rows
  size_t rows = s.sockets.size();
  for (size_t i : candidates) {
    if (rows <= max_rows) break;
    SocketRow f = fold_row_for(s.sockets[i]);
    fold[i] = true;
    rows--;
    if (!existing.count(f.key) && !groups.count(f.key)) {
      groups.emplace(f.key, f);
      rows++;
    }
  }
  std::vector<SocketRow> kept;
  kept.reserve(rows);
  uint64_t folded = 0;
  for (size_t i = 0; i < s.sockets.size(); i++) {
    if (!fold[i]) {
      kept.push_back(std::move(s.sockets[i]));
      continue;
    }
    SocketRow& r = s.sockets[i];
    SocketRow f = fold_row_for(r);
    // One connection's numbers, under the group's identity.
    SocketRow one = r;
    one.key = f.key;
    one.local = f.local;
    one.remote = f.remote;
    one.fd = -1;
    one.inode = 0;
    one.tid = 0;
    one.folded = 1;
    auto it = groups.find(f.key);
    if (it != groups.end()) {
      if (it->second.folded == 0) it->second = one;
      else merge_socket(it->second, one);
    } else {
      // Merged below into the existing folded row.
      groups.emplace(f.key, one);
    }
    folded++;
  }
  std::map<SocketKey, size_t> index;
  for (size_t i = 0; i < kept.size(); i++)
    if (kept[i].folded) index[kept[i].key] = i;
  for (auto& [key, row] : groups) {
    auto it = index.find(key);
    if (it != index.end()) merge_socket(kept[it->second], row);
    else kept.push_back(std::move(row));
  }
  // Still too many rows: the groups themselves are too many (a client of many
  // backends, a command started once per connection). Coarser groups: any
  // process of the same command, then any address on the service port.
  if (kept.size() > max_rows) coarsen_folded_rows(kept, /*by_port=*/false);
  if (kept.size() > max_rows) coarsen_folded_rows(kept, /*by_port=*/true);
  s.sockets = std::move(kept);
  return folded;
}

void reserve_socket_rows(std::vector<SocketRow>& rows, size_t n) {
  constexpr size_t kMaxReservedRows = size_t{1} << 18;
  try {
    rows.reserve(std::min(n, kMaxReservedRows));
  } catch (const std::bad_alloc&) {
    // Not granted: the vector grows as it needs.
  }
}

}  // namespace pollscope
