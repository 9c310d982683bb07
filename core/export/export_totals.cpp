#include "core/export/export_totals.hpp"

#include <algorithm>

#include "core/model/row_metrics.hpp"
#include "core/model/snapshot_filter.hpp"

namespace pollscope {

PortKey port_key_of(const SocketRow& r) {
  PortKey k;
  k.pid = r.pid;
  k.comm = r.comm;
  k.proto = r.proto;
  k.server = service_is_local(r);
  k.port = port_of(k.server ? r.local : r.remote);
  return k;
}

ExportTotals::ExportTotals(size_t max_port_series, size_t max_thread_series)
    : max_ports_(max_port_series), max_threads_(max_thread_series) {
  // Named from the start, so a drop counter is a series at 0, not absent.
  for (const char* map : {"socks", "threads", "unowned_ready", "wakes", "filter_pids", "stages"})
    health_.drops[map] = 0;
}

void ExportTotals::add(const Snapshot& s, double active_s) {
  intervals_++;
  active_s_ += active_s;
  for (const SocketRow& r : s.sockets) {
    PortKey k = port_key_of(r);
    SocketRow& into = ports_[k];
    merge_metrics(kSocketMetrics, into, r);
    port_touched_[k] = intervals_;
  }
  for (const ThreadRow& t : s.threads) {
    ThreadKey k{t.pid, t.tid};
    ThreadRow& into = threads_[k];
    into.pid = t.pid;
    into.tid = t.tid;
    into.comm = t.comm;  // a thread may rename itself: the latest name
    merge_metrics(kThreadMetrics, into, t);
    for (int w = 0; w < kWaitKinds; w++) merge_metrics(kWaitMetrics, into.wait[w], t.wait[w]);
    thread_touched_[k] = intervals_;
  }
  for (const CpuRow& c : s.cpus) {
    CpuRow& into = cpus_[c.cpu];
    into.cpu = c.cpu;
    merge_metrics(kCpuMetrics, into, c);
  }
  health_.events += s.health.events;
  for (const auto& [map, n] : s.health.drops) health_.drops[map] += n;
  health_.sock_events_lost += s.health.sock_events_lost;
  health_.self_cost = s.health.self_cost;
  for (const ProbeHealth& p : s.health.probes) {
    ProbeTotals& t = health_.probes[p.tracepoint];
    t.tracepoint = p.tracepoint;
    t.family = p.family;
    t.method = p.method;
    t.reason = p.reason;
    t.attached = p.attached;
    t.run_cnt += p.run_cnt;
    t.run_time_ns += p.run_time_ns;
  }
  bound(ports_, port_touched_, max_ports_);
  bound(threads_, thread_touched_, max_threads_);
}

template <class Key, class Row>
void ExportTotals::bound(std::map<Key, Row>& rows, std::map<Key, uint64_t>& touched, size_t max) {
  if (max == 0 || rows.size() <= max) return;
  std::vector<std::pair<uint64_t, Key>> by_age;
  for (const auto& [k, when] : touched) by_age.emplace_back(when, k);
  std::sort(by_age.begin(), by_age.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < by_age.size() && rows.size() > max; i++) {
    rows.erase(by_age[i].second);
    touched.erase(by_age[i].second);
    evicted_++;
  }
}

}  // namespace pollscope
