// The text report: fits 80 columns unless --wide. Deterministic for a given
// Snapshot (times in UTC), so a recording renders byte-identically.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "core/model/snapshot_json.hpp"
#include "core/render/completeness.hpp"
#include "core/render/report_options.hpp"

namespace pollscope {

namespace {

std::string utc(double t) {
  if (t <= 0) return "-";
  time_t secs = static_cast<time_t>(t);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(buf) + " UTC";
}

std::string fit(const std::string& s, size_t w) {
  if (s.size() <= w) return s;
  return s.substr(0, w - 1) + "+";
}

// Keeps the end of a long text (the port matters most in an address).
std::string fit_tail(const std::string& s, size_t w) {
  if (s.size() <= w) return s;
  return "+" + s.substr(s.size() - (w - 1));
}

std::string rate(double v) {
  if (v == 0) return "0";
  if (v < 10) return fmt::format("{:.1f}", v);
  if (v < 100000) return fmt::format("{:.0f}", v);
  if (v < 1e7) return fmt::format("{:.0f}k", v / 1e3);
  return fmt::format("{:.0f}M", v / 1e6);
}

std::string bytes_rate(double v) {
  if (v < 1024) return fmt::format("{:.0f}B", v);
  if (v < 1024 * 1024) return fmt::format("{:.1f}K", v / 1024);
  if (v < 1024.0 * 1024 * 1024) return fmt::format("{:.1f}M", v / 1024 / 1024);
  return fmt::format("{:.1f}G", v / 1024 / 1024 / 1024);
}

std::string lat(const Log2Histogram& h, double q) {
  return h.empty() ? "-" : format_ns(h.percentile_ns(q));
}

std::string port_of(const std::string& endpoint) {
  auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(colon + 1);
}

// "6379<127.0.0.1:50000": local port, then the peer.
std::string endpoint(const SocketRow& r) { return port_of(r.local) + "<" + r.remote; }

std::string fd_text(int fd) { return fd < 0 ? "-" : std::to_string(fd); }

// A folded row has no descriptor: its FD column says how many connections it holds.
std::string fd_text(const SocketRow& r) { return r.folded ? fmt::format("x{}", r.folded) : fd_text(r.fd); }

std::string state_text(const SocketRow& r, bool wide) {
  if (r.folded) return "FOLD";
  if (r.closed()) return wide ? "CLOSED" : "CLOSD";
  if (!wide && r.state == "ESTABLISHED") return "ESTAB";
  return wide ? r.state : fit(r.state, 5);
}

void histogram_block(std::string& out, const std::string& title, const Log2Histogram& h) {
  out += fmt::format("\n{} (count {}, p50 {}, p99 {}, max {})\n", title, h.count(), lat(h, 0.5),
                     lat(h, 0.99), h.empty() ? "-" : format_ns(static_cast<double>(h.max_ns)));
  if (h.empty()) {
    out += "     (no samples)\n";
    return;
  }
  int first = 0, last = Log2Histogram::kSlots - 1;
  while (first < last && h.slots[first] == 0) first++;
  while (last > first && h.slots[last] == 0) last--;
  uint64_t top = *std::max_element(h.slots.begin(), h.slots.end());
  out += fmt::format("{:>24} : {:<8} {}\n", "nsecs", "count", "distribution");
  for (int k = first; k <= last; k++) {
    int stars = top ? static_cast<int>(h.slots[k] * 40 / top) : 0;
    if (h.slots[k] && stars == 0) stars = 1;
    std::string range = k == Log2Histogram::kSlots - 1
                            ? fmt::format("{} ->", Log2Histogram::slot_low(k))
                            : fmt::format("{} -> {}", Log2Histogram::slot_low(k), Log2Histogram::slot_high(k) - 1);
    out += fmt::format("{:>24} : {:<8} |{:<40}|\n", range, h.slots[k], std::string(stars, '*'));
  }
}

}  // namespace

std::string render_report_text(const Snapshot& s, const ReportLayout& layout) {
  std::string out;
  double dur = s.duration_s();
  out += fmt::format("pollscope report: {:.1f} s from {}\n", dur, utc(s.start_time));
  out += fmt::format("host: {}   kernel: {}\n", s.hostname.empty() ? "-" : s.hostname, s.kernel);
  std::string fams;
  for (const auto& f : s.families) fams += (fams.empty() ? "" : ",") + f;
  out += fmt::format("filters: {}   probes: {}\n", s.filters.empty() ? "none" : s.filters, fams);
  // A loss is said before any figure it distorts.
  for (const auto& reason : incomplete_reasons(s.health)) out += "INCOMPLETE: " + reason + "\n";

  // Totals.
  uint64_t ready = 0, reads = 0, eagain = 0, wakeups = 0, waits = 0;
  Log2Histogram r2r, w2r, runq, blocked;
  for (const auto& r : s.sockets) {
    ready += r.ready;
    reads += r.reads;
    eagain += r.eagain;
    wakeups += r.wakeups;
    r2r.add(r.ready_to_read);
    w2r.add(r.wake_to_run);
  }
  for (const auto& t : s.threads) {
    waits += t.wait_calls();
    runq.add(t.runq);
    for (const auto& w : t.wait) blocked.add(w.blocked);
  }
  out += fmt::format("per second: ready {}  reads {}  EAGAIN {}  wakeups {}  waits {}\n",
                     rate(per_second(ready, s)), rate(per_second(reads, s)), rate(per_second(eagain, s)),
                     rate(per_second(wakeups, s)), rate(per_second(waits, s)));

  // Sockets.
  auto rows = sorted_sockets(s, layout.sort);
  size_t shown = layout.top > 0 ? std::min(rows.size(), static_cast<size_t>(layout.top)) : rows.size();
  out += fmt::format("\nSOCKETS: {} of {} by {}, rates per second\n", shown, rows.size(), layout.sort);
  if (layout.wide) {
    out += fmt::format("{:>7} {:<15} {:>5} {:<5} {:<46} {:<11} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "PID", "COMM",
                       "FD", "PROTO", "LOCAL -> REMOTE", "STATE", "READY/s", "READS/s", "EAGAIN/s", "IN/s",
                       "OUT/s");
  } else {
    out += fmt::format("{:>7} {:<10} {:>4} {:<22} {:>8} {:>8} {:>8} {:>5}\n", "PID", "COMM", "FD",
                       "LPORT<REMOTE", "READY/s", "READS/s", "EAGAIN/s", "STATE");
  }
  for (size_t i = 0; i < shown; i++) {
    const SocketRow& r = *rows[i];
    if (layout.wide) {
      out += fmt::format("{:>7} {:<15} {:>5} {:<5} {:<46} {:<11} {:>8} {:>8} {:>8} {:>8} {:>8}\n", r.pid,
                         fit(r.comm, 15), fd_text(r), r.proto, r.local + " -> " + r.remote,
                         state_text(r, true), rate(per_second(r.ready, s)),
                         rate(per_second(r.reads, s)), rate(per_second(r.eagain, s)),
                         bytes_rate(per_second(r.read_bytes, s)), bytes_rate(per_second(r.write_bytes, s)));
    } else {
      std::string st = state_text(r, false);
      out += fmt::format("{:>7} {:<10} {:>4} {:<22} {:>8} {:>8} {:>8} {:>5}\n", r.pid, fit(r.comm, 10),
                         fd_text(r), fit_tail(endpoint(r), 22), rate(per_second(r.ready, s)),
                         rate(per_second(r.reads, s)), rate(per_second(r.eagain, s)), st);
    }
  }
  if (shown == 0) out += "  (no socket activity)\n";
  uint64_t folded = 0, fold_rows = 0;
  for (const auto& r : s.sockets)
    if (r.folded) {
      folded += r.folded;
      fold_rows++;
    }
  if (folded)
    out += fmt::format("  {} closed connections folded into {} FOLD rows (FD xN: N connections; --max-rows)\n",
                       folded, fold_rows);

  out += fmt::format("\nSOCKET LATENCY: same rows; ready->read and wake->run\n");
  out += fmt::format("{:>4} {:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", "FD", "LPORT<REMOTE", "R>R p50",
                     "R>R p99", "R>R max", "WAKE/s", "W>R p50", "W>R p99");
  for (size_t i = 0; i < shown; i++) {
    const SocketRow& r = *rows[i];
    out += fmt::format("{:>4} {:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", fd_text(r),
                       fit_tail(endpoint(r), 22), lat(r.ready_to_read, 0.5), lat(r.ready_to_read, 0.99),
                       r.ready_to_read.empty() ? "-" : format_ns(double(r.ready_to_read.max_ns)),
                       rate(per_second(r.wakeups, s)), lat(r.wake_to_run, 0.5), lat(r.wake_to_run, 0.99));
  }

  // Threads: one row per wait kind a thread used (or one row if it used none).
  std::vector<const ThreadRow*> threads;
  for (const auto& t : s.threads) threads.push_back(&t);
  std::stable_sort(threads.begin(), threads.end(), [](const ThreadRow* a, const ThreadRow* b) {
    if (a->wait_calls() != b->wait_calls()) return a->wait_calls() > b->wait_calls();
    return a->tid < b->tid;
  });
  out += fmt::format("\nTHREADS: {}, rates per second\n", threads.size());
  out += fmt::format("{:>7} {:<10} {:<6} {:>6} {:>5} {:>5} {:>5} {:>7} {:>6} {:>6} {:>7}\n", "TID", "COMM", "WAIT",
                     "CALL/s", "EV/C", "ZERO%", "BLK%", "WAKE/s", "RQ p50", "RQ p99", "INVOL/s");
  for (const ThreadRow* t : threads) {
    bool any = false;
    for (int k = 0; k < kWaitKinds; k++) {
      const WaitStats& w = t->wait[k];
      if (!w.calls && (any || k < kWaitKinds - 1)) continue;
      any = true;
      double blocked_pct = percent_of_duration(w.blocked.sum_ns, s);
      out += fmt::format("{:>7} {:<10} {:<6} {:>6} {:>5} {:>5} {:>5} {:>7} {:>6} {:>6} {:>7}\n", t->tid,
                         fit(t->comm, 10), w.calls ? wait_kind_name(k) : "-", rate(per_second(w.calls, s)),
                         w.calls ? fmt::format("{:.1f}", double(w.events) / w.calls) : "-",
                         w.calls ? fmt::format("{:.0f}", 100.0 * w.zero / w.calls) : "-",
                         fmt::format("{:.0f}", blocked_pct), rate(per_second(t->wakeups, s)), lat(t->runq, 0.5),
                         lat(t->runq, 0.99), rate(per_second(t->invol_switches, s)));
    }
  }
  if (threads.empty()) out += "  (no thread activity)\n";

  // CPUs.
  out += "\nCPU SOFTIRQ: time % of the CPU and events per second\n";
  out += fmt::format("{:>4} {:>8} {:>9} {:>8} {:>9} {:>7} {:>7} {:>7} {:>7}\n", "CPU", "NET_RX%", "NET_RX/s",
                     "NET_TX%", "NET_TX/s", "TIMER%", "SCHED%", "RCU%", "OTHER%");
  auto pct = [&](uint64_t ns) { return dur > 0 ? fmt::format("{:.1f}", percent_of_duration(ns, s)) : "-"; };
  for (const auto& c : s.cpus) {
    uint64_t other = 0;
    for (int v : {0, 4, 5, 6, 8}) other += c.time_ns[v];
    out += fmt::format("{:>4} {:>8} {:>9} {:>8} {:>9} {:>7} {:>7} {:>7} {:>7}\n", c.cpu, pct(c.time_ns[3]),
                       rate(per_second(c.count[3], s)), pct(c.time_ns[2]), rate(per_second(c.count[2], s)),
                       pct(c.time_ns[1]), pct(c.time_ns[7]), pct(c.time_ns[9]), pct(other));
  }
  if (s.cpus.empty()) out += "  (softirq probes off)\n";

  histogram_block(out, "ready->read, all sockets", r2r);
  histogram_block(out, "wake->run, socket wakeups", w2r);
  histogram_block(out, "run-queue latency, traced threads", runq);
  histogram_block(out, "time blocked in epoll/poll/select", blocked);

  // Health.
  out += "\nHEALTH\n";
  uint64_t runs = 0, run_ns = 0;
  for (const auto& p : s.health.probes) {
    runs += p.run_cnt;
    run_ns += p.run_time_ns;
  }
  std::string drops;
  for (const auto& [k, v] : s.health.drops)
    if (v) drops += fmt::format("{}{} {}", drops.empty() ? "" : ", ", k, v);
  out += fmt::format("events {}  dropped {}{}\n", s.health.events, s.health.total_drops(),
                     drops.empty() ? "" : " (" + drops + ")");
  if (s.health.self_cost && runs) {
    out += fmt::format("probe cost: {:.0f} ns per event, {:.2f}% of one CPU\n", double(run_ns) / runs,
                       percent_of_duration(run_ns, s));
  } else {
    out += "probe cost: not measured (bpf_stats off)\n";
  }
  out += fmt::format("{:<34} {:<10} {:>10} {:>7}  {}\n", "TRACEPOINT", "METHOD", "RUNS", "NS/RUN", "STATUS");
  for (const auto& p : s.health.probes) {
    std::string status = p.attached ? "attached" : p.reason;
    out += fmt::format("{:<34} {:<10} {:>10} {:>7}  {}\n", p.tracepoint, p.attached ? p.method : "-",
                       // Without bpf_stats the kernel counts no runs: "-", not a false 0.
                       p.attached && s.health.self_cost ? std::to_string(p.run_cnt) : "-",
                       p.run_cnt ? fmt::format("{:.0f}", double(p.run_time_ns) / p.run_cnt) : "-", status);
  }
  return out;
}

std::string render_report_json(const Snapshot& s, const ReportLayout& layout) {
  Snapshot sorted = s;
  sorted.sockets.clear();
  for (const SocketRow* r : sorted_sockets(s, layout.sort)) sorted.sockets.push_back(*r);
  Json j = snapshot_to_json(sorted, true);
  Json out;
  out["pollscope_report"] = 1;
  out["sort"] = layout.sort;
  for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it.value();
  return out.dump(2) + "\n";
}

}  // namespace pollscope
