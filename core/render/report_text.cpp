// The text report: fits 80 columns unless --wide. Deterministic for a given
// Snapshot (times in UTC), so a recording renders byte-identically. Its
// tables and numbers go through the same layer as top's (core/render/table,
// core/render/format), so a value reads the same in both.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "core/analysis/verdict.hpp"
#include "core/analysis/verdict_json.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/render/completeness.hpp"
#include "core/render/format.hpp"
#include "core/render/report_options.hpp"
#include "core/render/table.hpp"

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

std::string lat(const Log2Histogram& h, double q) { return format_latency(h.percentile_ns(q), !h.empty()); }

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
  return r.state;  // the narrow STATE column cuts the rest
}

std::string rate_s(uint64_t count, const Snapshot& s) { return format_rate(per_second(count, s)); }

// The 80-column socket table (--wide: every field, no limit).
std::string sockets_table(const std::vector<const SocketRow*>& rows, size_t shown, const Snapshot& s, bool wide) {
  std::vector<Column> cols;
  std::vector<Row> out;
  if (wide) {
    cols = {fixed_column("PID", 7, Align::Right),           fixed_column("COMM", 15, Align::Left, 15),
            fixed_column("FD", 5, Align::Right),            fixed_column("PROTO", 5, Align::Left),
            fixed_column("LOCAL -> REMOTE", 46, Align::Left), fixed_column("STATE", 11, Align::Left),
            fixed_column("READY/s", 8, Align::Right),       fixed_column("READS/s", 8, Align::Right),
            fixed_column("EAGAIN/s", 8, Align::Right),      fixed_column("IN/s", 8, Align::Right),
            fixed_column("OUT/s", 8, Align::Right)};
    for (size_t i = 0; i < shown; i++) {
      const SocketRow& r = *rows[i];
      out.push_back(text_row({std::to_string(r.pid), r.comm, fd_text(r), r.proto, r.local + " -> " + r.remote,
                              state_text(r, true), rate_s(r.ready, s), rate_s(r.reads, s), rate_s(r.eagain, s),
                              format_bytes(per_second(r.read_bytes, s)), format_bytes(per_second(r.write_bytes, s))}));
    }
  } else {
    cols = {fixed_column("PID", 7, Align::Right),          fixed_column("COMM", 10, Align::Left, 10),
            fixed_column("FD", 4, Align::Right),           fixed_column("LPORT<REMOTE", 22, Align::Left, 22, true),
            fixed_column("READY/s", 8, Align::Right),      fixed_column("READS/s", 8, Align::Right),
            fixed_column("EAGAIN/s", 8, Align::Right),     fixed_column("STATE", 5, Align::Right, 5)};
    for (size_t i = 0; i < shown; i++) {
      const SocketRow& r = *rows[i];
      out.push_back(text_row({std::to_string(r.pid), r.comm, fd_text(r), endpoint(r), rate_s(r.ready, s),
                              rate_s(r.reads, s), rate_s(r.eagain, s), state_text(r, false)}));
    }
  }
  return render_fixed_table(cols, out);
}

std::string latency_table(const std::vector<const SocketRow*>& rows, size_t shown, const Snapshot& s) {
  std::vector<Column> cols = {fixed_column("FD", 4, Align::Right),      fixed_column("LPORT<REMOTE", 22, Align::Left, 22, true),
                              fixed_column("R>R p50", 7, Align::Right), fixed_column("R>R p99", 7, Align::Right),
                              fixed_column("R>R max", 7, Align::Right), fixed_column("WAKE/s", 7, Align::Right),
                              fixed_column("W>R p50", 7, Align::Right), fixed_column("W>R p99", 7, Align::Right)};
  std::vector<Row> out;
  for (size_t i = 0; i < shown; i++) {
    const SocketRow& r = *rows[i];
    out.push_back(text_row({fd_text(r), endpoint(r), lat(r.ready_to_read, 0.5), lat(r.ready_to_read, 0.99),
                            format_latency(double(r.ready_to_read.max_ns), !r.ready_to_read.empty()),
                            rate_s(r.wakeups, s), lat(r.wake_to_run, 0.5), lat(r.wake_to_run, 0.99)}));
  }
  return render_fixed_table(cols, out);
}

// One row per wait kind a thread used (or one row if it used none).
std::string threads_table(const std::vector<const ThreadRow*>& threads, const Snapshot& s) {
  std::vector<Column> cols = {fixed_column("TID", 7, Align::Right),    fixed_column("COMM", 10, Align::Left, 10),
                              fixed_column("WAIT", 6, Align::Left),    fixed_column("CALL/s", 6, Align::Right),
                              fixed_column("EV/C", 5, Align::Right),   fixed_column("ZERO%", 5, Align::Right),
                              fixed_column("BLK%", 5, Align::Right),   fixed_column("WAKE/s", 7, Align::Right),
                              fixed_column("RQ p50", 6, Align::Right), fixed_column("RQ p99", 6, Align::Right),
                              fixed_column("INVOL/s", 7, Align::Right)};
  std::vector<Row> out;
  for (const ThreadRow* t : threads) {
    bool any = false;
    for (int k = 0; k < kWaitKinds; k++) {
      const WaitStats& w = t->wait[k];
      if (!w.calls && (any || k < kWaitKinds - 1)) continue;
      any = true;
      out.push_back(text_row({std::to_string(t->tid), t->comm, w.calls ? wait_kind_name(k) : "-",
                              rate_s(w.calls, s), w.calls ? format_rate(double(w.events) / w.calls) : "-",
                              w.calls ? format_pct(100.0 * w.zero / w.calls) : "-",
                              format_pct(percent_of_duration(w.blocked.sum_ns, s)), rate_s(t->wakeups, s),
                              lat(t->runq, 0.5), lat(t->runq, 0.99), rate_s(t->invol_switches, s)}));
    }
  }
  return render_fixed_table(cols, out);
}

// Per thread with a stage split: each stage's share of all its ready->read
// time; --wide adds each stage's p99 (among readiness events in which the
// stage applied).
std::string stages_table(const std::vector<const ThreadRow*>& threads, bool wide) {
  std::vector<Column> cols = {fixed_column("TID", 7, Align::Right), fixed_column("COMM", 10, Align::Left, 10),
                              fixed_column("SPLIT", 6, Align::Right)};
  static const char* const kTitles[kStages] = {"WAKEUP", "RUNQ", "RETURN", "BUSY", "DISPATCH"};
  for (int st = 0; st < kStages; st++) {
    cols.push_back(fixed_column(std::string(kTitles[st]) + "%", 9, Align::Right));
    if (wide) cols.push_back(fixed_column("p99", 6, Align::Right));
  }
  std::vector<Row> out;
  for (const ThreadRow* t : threads) {
    if (t->stages.empty()) continue;
    auto share = t->stages.shares();
    std::vector<std::string> cells = {std::to_string(t->tid), t->comm, format_rate(double(t->stages.split))};
    for (int st = 0; st < kStages; st++) {
      cells.push_back(format_pct(100.0 * share[st]));
      if (wide) cells.push_back(lat(t->stages.hist[st], 0.99));
    }
    out.push_back(text_row(std::move(cells)));
  }
  return out.empty() ? std::string() : render_fixed_table(cols, out);
}

// Prose folded at word boundaries to fit 80 columns; lines after the first
// are indented by `indent`.
std::string wrap(const std::string& text, size_t first_indent, size_t indent, size_t width = 80) {
  std::string out(first_indent, ' ');
  size_t col = first_indent;
  bool line_start = true;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = std::min(text.find(' ', i), text.size());
    std::string word = text.substr(i, j - i);
    i = j + 1;
    if (word.empty()) continue;
    if (!line_start && col + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      col = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      col++;
    }
    out += word;
    col += word.size();
    line_start = false;
  }
  return out + "\n";
}

std::string verdict_text(const Verdict& v) {
  std::string out = wrap("VERDICT: " + v.summary, 0, 9);
  for (const auto& it : v.items) {
    out += wrap(fmt::format("{} {}/{}: {} readiness, p99 ready->read {}, tail from {}", it.comm, it.pid, it.tid,
                            it.split, format_ns(it.p99_ns), format_ns(double(it.tail_from_ns))),
                2, 6);
    std::string shares = "tail:";
    for (int st = 0; st < kStages; st++)
      shares += fmt::format(" {} {}%", stage_name(st), format_pct(100.0 * it.tail_share[st]));
    out += wrap(shares, 4, 6);
    out += wrap(it.text, 4, 6);
  }
  return out;
}

std::string cpus_table(const Snapshot& s) {
  std::vector<Column> cols = {fixed_column("CPU", 4, Align::Right),      fixed_column("NET_RX%", 8, Align::Right),
                              fixed_column("NET_RX/s", 9, Align::Right), fixed_column("NET_TX%", 8, Align::Right),
                              fixed_column("NET_TX/s", 9, Align::Right), fixed_column("TIMER%", 7, Align::Right),
                              fixed_column("SCHED%", 7, Align::Right),   fixed_column("RCU%", 7, Align::Right),
                              fixed_column("OTHER%", 7, Align::Right)};
  auto pct = [&](uint64_t ns) { return s.duration_s() > 0 ? format_pct(percent_of_duration(ns, s)) : "-"; };
  std::vector<Row> out;
  for (const auto& c : s.cpus) {
    uint64_t other = 0;
    for (int v : {0, 4, 5, 6, 8}) other += c.time_ns[v];
    out.push_back(text_row({std::to_string(c.cpu), pct(c.time_ns[3]), rate_s(c.count[3], s), pct(c.time_ns[2]),
                            rate_s(c.count[2], s), pct(c.time_ns[1]), pct(c.time_ns[7]), pct(c.time_ns[9]),
                            pct(other)}));
  }
  return render_fixed_table(cols, out);
}

std::string probes_table(const Snapshot& s) {
  // An empty column stands STATUS two spaces clear of the numbers.
  std::vector<Column> cols = {fixed_column("TRACEPOINT", 34, Align::Left), fixed_column("METHOD", 10, Align::Left),
                              fixed_column("RUNS", 10, Align::Right),      fixed_column("NS/RUN", 7, Align::Right),
                              fixed_column("", 0, Align::Left),            fixed_column("STATUS", 0, Align::Left)};
  std::vector<Row> out;
  for (const auto& p : s.health.probes) {
    out.push_back(text_row({p.tracepoint, p.attached ? p.method : "-",
                            // Without bpf_stats the kernel counts no runs: "-", not a false 0.
                            p.attached && s.health.self_cost ? std::to_string(p.run_cnt) : "-",
                            p.run_cnt ? fmt::format("{:.0f}", double(p.run_time_ns) / p.run_cnt) : "-", "",
                            p.attached ? std::string("attached") : p.reason}));
  }
  return render_fixed_table(cols, out);
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
  // The answer first: which stage makes the loop late, and why.
  out += verdict_text(make_verdict(s));

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
  out += fmt::format("per second: ready {}  reads {}  EAGAIN {}  wakeups {}  waits {}\n", rate_s(ready, s),
                     rate_s(reads, s), rate_s(eagain, s), rate_s(wakeups, s), rate_s(waits, s));

  // Sockets.
  auto rows = sorted_sockets(s, layout.sort);
  size_t shown = layout.top > 0 ? std::min(rows.size(), static_cast<size_t>(layout.top)) : rows.size();
  out += fmt::format("\nSOCKETS: {} of {} by {}, rates per second\n", shown, rows.size(), layout.sort);
  out += sockets_table(rows, shown, s, layout.wide);
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
  out += latency_table(rows, shown, s);

  std::vector<const ThreadRow*> threads;
  for (const auto& t : s.threads) threads.push_back(&t);
  std::stable_sort(threads.begin(), threads.end(), [](const ThreadRow* a, const ThreadRow* b) {
    if (a->wait_calls() != b->wait_calls()) return a->wait_calls() > b->wait_calls();
    return a->tid < b->tid;
  });
  out += fmt::format("\nTHREADS: {}, rates per second\n", threads.size());
  out += threads_table(threads, s);
  if (threads.empty()) out += "  (no thread activity)\n";

  std::string stages = stages_table(threads, layout.wide);
  if (!stages.empty()) {
    out += "\nSTAGES: where each thread's ready->read goes, share of the time\n";
    out += stages;
  }

  out += "\nCPU SOFTIRQ: time % of the CPU and events per second\n";
  out += cpus_table(s);
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
  out += probes_table(s);
  return out;
}

void write_report_json(const Snapshot& s, const ReportLayout& layout, const ReportSink& sink) {
  Json first;
  first["pollscope_report"] = 1;
  first["sort"] = layout.sort;
  first["verdict"] = verdict_to_json(make_verdict(s));
  const std::vector<const SocketRow*> order = sorted_sockets(s, layout.sort);
  write_snapshot_json(s, true, std::move(first), 2, &order, sink);
  sink("\n");
}

std::string render_report_json(const Snapshot& s, const ReportLayout& layout) {
  std::string all;
  write_report_json(s, layout, [&](const std::string& text) { all += text; });
  return all;
}

}  // namespace pollscope
