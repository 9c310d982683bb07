// The Sockets view (default): one row per traced socket, keyed by the socket's
// identity (kernel address + first-seen time).
#include <fmt/format.h>

#include "core/render/format.hpp"
#include "tui/stage_detail.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

namespace {

enum Col { kPid, kComm, kFd, kAddr, kState, kReady, kReads, kEagain, kRrP50, kRrP99, kWake, kWrP99, kIn, kOut, kAge };

const std::vector<Column>& sockets_columns() {
  static const std::vector<Column> cols = {
      {"pid", "PID", 7, Align::Right, 1, true, false, false, 0, true},
      {"comm", "COMM", 10, Align::Left, 2, false, false, false},
      {"fd", "FD", 4, Align::Right, 9, true, false, false, 0, true},
      {"addr", "LOCAL->REMOTE", 18, Align::Left, 3, false, true, true, 12},
      {"state", "STATE", 5, Align::Left, 10, false, false, false},
      {"ready", "READY/s", 7, Align::Right, 4, true, false, false},
      {"reads", "READS/s", 7, Align::Right, 5, true, false, false},
      {"eagain", "EAGAIN/s", 8, Align::Right, 14, true, false, false},
      {"ready-read-p50", "R>Rp50", 6, Align::Right, 7, true, false, false},
      {"ready-read-p99", "R>Rp99", 6, Align::Right, 6, true, false, false},
      {"wakeups", "WAKE/s", 6, Align::Right, 8, true, false, false},
      {"wake-run-p99", "W>Rp99", 6, Align::Right, 13, true, false, false},
      {"in", "IN/s", 6, Align::Right, 11, true, false, false},
      {"out", "OUT/s", 6, Align::Right, 15, true, false, false},
      {"age", "AGE", 6, Align::Right, 16, true, false, false},
  };
  return cols;
}

std::string short_state(const std::string& s) {
  if (s == "ESTABLISHED") return "ESTAB";
  if (s == "CLOSE_WAIT") return "CL_WT";
  if (s == "TIME_WAIT") return "TM_WT";
  if (s == "FIN_WAIT1") return "FIN1";
  if (s == "FIN_WAIT2") return "FIN2";
  if (s == "SYN_SENT") return "SYN_S";
  if (s == "SYN_RECV") return "SYN_R";
  if (s == "LAST_ACK") return "LSTAK";
  if (s == "LISTEN") return "LISTN";
  if (s == "CLOSING") return "CLSNG";
  return s;
}

class SocketsView : public View {
 public:
  const char* name() const override { return "Sockets"; }
  const std::vector<Column>& columns() const override { return sockets_columns(); }
  int default_sort() const override { return kReady; }

  size_t items(const Frame& f) const override { return f.snap ? f.snap->sockets.size() : 0; }

  bool write_row(const Frame& f, size_t item, RowWriter& w) const override {
    const Snapshot& s = *f.snap;
    const SocketRow& r = s.sockets[item];
    if (w.wants_key()) add_socket_key(w.key(), r.key);
    w.num(kPid, r.pid, [&](double) { return r.pid ? std::to_string(r.pid) : "-"; });
    w.text(kComm, [&] { return r.comm.empty() ? "-" : r.comm; });
    // A folded row has no descriptor: "xN" says how many connections it holds.
    if (r.folded)
      w.num(kFd, -1, [&](double) { return fmt::format("x{}", r.folded); });
    else
      w.num(kFd, r.fd, [&](double) { return r.fd >= 0 ? std::to_string(r.fd) : "-"; });
    w.cell(kAddr, [&] { return addr_cell(r); });
    w.text(kState, [&] {
      return r.folded ? "FOLD" : r.closed() ? "CLOSE" : short_state(r.state.empty() ? "-" : r.state);
    });
    w.num(kReady, per_second(r.ready, s), format_rate);
    w.num(kReads, per_second(r.reads, s), format_rate);
    w.num(kEagain, per_second(r.eagain, s), format_rate);
    write_percentile(w, kRrP50, r.ready_to_read, 0.5);
    write_percentile(w, kRrP99, r.ready_to_read, 0.99);
    w.num(kWake, per_second(r.wakeups, s), format_rate);
    write_percentile(w, kWrP99, r.wake_to_run, 0.99);
    w.num(kIn, per_second(r.read_bytes, s), format_bytes);
    w.num(kOut, per_second(r.write_bytes, s), format_bytes);
    w.num(kAge, r.age_s, format_duration);
    return true;
  }

  Detail detail(const Frame& f, const std::string& key) const override {
    Detail d;
    if (!f.snap) return d;
    const Snapshot& s = *f.snap;
    const SocketRow* r = nullptr;
    for (const auto& x : s.sockets)
      if (is_socket_key(key, x.key)) r = &x;
    if (!r) {
      d.push_back(detail_text("This socket is not in the current interval any more.", true));
      return d;
    }
    if (r->folded)
      d.push_back(detail_text(fmt::format("{} closed connections of pid {} ({}) folded into one row (--max-rows): "
                                          "counts and histograms are their sums",
                                          r->folded, r->pid, r->comm),
                              true));
    else
      d.push_back(detail_text(
          fmt::format("Socket fd {} of pid {} ({}), reader tid {}", r->fd, r->pid, r->comm, r->tid), true));
    d.push_back(detail_text(fmt::format("{} {} -> {}  {}", r->proto, r->local, r->remote, r->state), true));
    d.push_back(detail_text(fmt::format(
        "age {}{}  ready {} ({}/s)  reads {} ({}/s)  EAGAIN {}  wakeups {}  in {}B  out {}B",
        format_duration(r->age_s), r->closed() ? " (closed)" : "", r->ready, format_rate(per_second(r->ready, s)),
        r->reads, format_rate(per_second(r->reads, s)), r->eagain, r->wakeups, format_bytes(r->read_bytes),
        format_bytes(r->write_bytes))));
    const Log2Histogram& rr = r->ready_to_read;
    const Log2Histogram& wr = r->wake_to_run;
    d.push_back(detail_text(fmt::format("ready -> read: p50 {}  p99 {}  max {};  wake -> run: p50 {}  p99 {}",
                                        format_latency(rr.percentile_ns(0.5), !rr.empty()),
                                        format_latency(rr.percentile_ns(0.99), !rr.empty()),
                                        format_latency(static_cast<double>(rr.max_ns), !rr.empty()),
                                        format_latency(wr.percentile_ns(0.5), !wr.empty()),
                                        format_latency(wr.percentile_ns(0.99), !wr.empty()))));
    // Where ready->read went (the stage split), and the reader judged as the
    // report's VERDICT judges it.
    for (const auto& t : s.threads)
      if (t.tid == r->tid && r->tid != 0 && !t.stages.empty()) verdict_detail(d, s, t);
    if (!r->stages.empty())
      stage_detail(d, r->stages);
    else
      d.push_back(detail_text("No stage split for this socket (it needs the sock, sched and syscalls probes).", true));
    d.push_back(detail_hist("ready -> read (first readiness since the last read to the next read with data)", rr));
    d.push_back(detail_hist("wake -> run (wakeup caused by this socket to the wakee on a CPU)", wr));
    // The owning thread's side, when it is traced.
    for (const auto& t : s.threads) {
      if (t.tid != r->tid || r->tid == 0) continue;
      d.push_back(detail_text(fmt::format("Reader thread {} ({}): {} wait calls, {} involuntary switches", t.tid,
                                          t.comm, t.wait_calls(), t.invol_switches),
                              true));
      d.push_back(detail_hist("run queue of the reader thread (waking -> on CPU)", t.runq));
      for (int k = 0; k < kWaitKinds; k++)
        if (t.wait[static_cast<size_t>(k)].calls)
          d.push_back(detail_hist(fmt::format("time blocked in {} by the reader thread", wait_kind_name(k)),
                                  t.wait[static_cast<size_t>(k)].blocked));
    }
    return d;
  }
};

}  // namespace

std::unique_ptr<View> make_sockets_view() { return std::make_unique<SocketsView>(); }

}  // namespace pollscope::tui
