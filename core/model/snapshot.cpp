#include "core/model/snapshot.hpp"

#include <algorithm>

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

double per_second(uint64_t count, const Snapshot& s) {
  double d = s.duration_s();
  return d > 0 ? static_cast<double>(count) / d : 0.0;
}

double percent_of_duration(uint64_t ns, const Snapshot& s) {
  double d = s.duration_s();
  return d > 0 ? 100.0 * static_cast<double>(ns) / (d * 1e9) : 0.0;
}

namespace {

void merge_socket(SocketRow& into, const SocketRow& later) {
  uint64_t ready = into.ready + later.ready, reads = into.reads + later.reads;
  uint64_t rb = into.read_bytes + later.read_bytes, eagain = into.eagain + later.eagain;
  uint64_t writes = into.writes + later.writes, wb = into.write_bytes + later.write_bytes;
  uint64_t wakeups = into.wakeups + later.wakeups;
  Log2Histogram r2r = into.ready_to_read, w2r = into.wake_to_run;
  r2r.add(later.ready_to_read);
  w2r.add(later.wake_to_run);
  // Identity: keep what is known when the later interval does not know it.
  int fd = later.fd >= 0 ? later.fd : into.fd;
  uint32_t pid = later.pid ? later.pid : into.pid;
  std::string comm = later.comm.empty() ? into.comm : later.comm;
  double open_time = later.open_time ? later.open_time : into.open_time;
  into = later;
  into.fd = fd;
  into.pid = pid;
  into.comm = comm;
  into.open_time = open_time;
  into.ready = ready;
  into.reads = reads;
  into.read_bytes = rb;
  into.eagain = eagain;
  into.writes = writes;
  into.write_bytes = wb;
  into.wakeups = wakeups;
  into.ready_to_read = r2r;
  into.wake_to_run = w2r;
}

void merge_thread(ThreadRow& into, const ThreadRow& later) {
  for (int k = 0; k < kWaitKinds; k++) {
    into.wait[k].calls += later.wait[k].calls;
    into.wait[k].events += later.wait[k].events;
    into.wait[k].zero += later.wait[k].zero;
    into.wait[k].errors += later.wait[k].errors;
    into.wait[k].blocked.add(later.wait[k].blocked);
  }
  into.wakeups += later.wakeups;
  into.sock_wakeups += later.sock_wakeups;
  into.runq.add(later.runq);
  into.invol_switches += later.invol_switches;
  into.vol_switches += later.vol_switches;
  if (!later.comm.empty()) into.comm = later.comm;
}

}  // namespace

void Snapshot::merge(const Snapshot& later) {
  if (start_time == 0 || (later.start_time > 0 && later.start_time < start_time)) start_time = later.start_time;
  end_time = std::max(end_time, later.end_time);
  if (!later.kernel.empty()) kernel = later.kernel;
  if (!later.hostname.empty()) hostname = later.hostname;
  filters = later.filters;
  families = later.families;
  seq = 0;

  std::map<SocketKey, size_t> sock_index;
  for (size_t i = 0; i < sockets.size(); i++) sock_index[sockets[i].key] = i;
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
    for (int v = 0; v < kSoftirqVectors; v++) {
      it->count[v] += c.count[v];
      it->time_ns[v] += c.time_ns[v];
    }
  }
  std::sort(cpus.begin(), cpus.end(), [](const CpuRow& a, const CpuRow& b) { return a.cpu < b.cpu; });

  health.events += later.health.events;
  for (const auto& [k, v] : later.health.drops) health.drops[k] += v;
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

}  // namespace pollscope
