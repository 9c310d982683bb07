// The Threads view: one row per traced thread (key: tid).
#include <fmt/format.h>

#include "core/render/format.hpp"
#include "tui/stage_detail.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

namespace {

enum Col { kPid, kTid, kComm, kEpoll, kPoll, kSelect, kEvCall, kBlocked, kRunP50, kRunP99, kInvol, kWake };

const std::vector<Column>& threads_columns() {
  static const std::vector<Column> cols = {
      {"pid", "PID", 7, Align::Right, 1, true, false, false, 0, true},
      {"tid", "TID", 7, Align::Right, 2, true, false, false, 0, true},
      {"comm", "COMM", 15, Align::Left, 3, false, false, false},
      {"epoll", "EPOLL/s", 7, Align::Right, 4, true, false, false},
      {"poll", "POLL/s", 7, Align::Right, 9, true, false, false},
      {"select", "SELECT/s", 8, Align::Right, 10, true, false, false},
      {"ev-call", "EV/CALL", 7, Align::Right, 5, true, false, false},
      {"blocked", "BLOCK%", 6, Align::Right, 6, true, false, false},
      {"runq-p50", "W>Rp50", 6, Align::Right, 8, true, false, false},
      {"runq-p99", "W>Rp99", 6, Align::Right, 7, true, false, false},
      {"invol", "INVOL/s", 7, Align::Right, 11, true, false, false},
      {"wakeups", "WAKE/s", 6, Align::Right, 12, true, false, false},
  };
  return cols;
}

double blocked_pct(const ThreadRow& t, const Snapshot& s) {
  return percent_of_duration(t.blocked_ns(), s);
}

class ThreadsView : public View {
 public:
  const char* name() const override { return "Threads"; }
  const std::vector<Column>& columns() const override { return threads_columns(); }
  int default_sort() const override { return kEpoll; }

  std::vector<Row> rows(const Frame& f) const override {
    std::vector<Row> out;
    if (!f.snap) return out;
    const Snapshot& s = *f.snap;
    for (const auto& t : s.threads) {
      Row row;
      row.key = std::to_string(t.tid);
      row.cells.resize(12);
      auto& c = row.cells;
      c[kPid] = num_cell(t.pid, std::to_string(t.pid));
      c[kTid] = num_cell(t.tid, std::to_string(t.tid));
      c[kComm] = text_cell(t.comm.empty() ? "-" : t.comm);
      double e = per_second(t.wait[kWaitEpoll].calls, s), p = per_second(t.wait[kWaitPoll].calls, s);
      double sel = per_second(t.wait[kWaitSelect].calls, s);
      c[kEpoll] = num_cell(e, format_rate(e));
      c[kPoll] = num_cell(p, format_rate(p));
      c[kSelect] = num_cell(sel, format_rate(sel));
      uint64_t calls = t.wait_calls(), events = 0;
      for (const auto& w : t.wait) events += w.events;
      double epc = calls ? static_cast<double>(events) / static_cast<double>(calls) : 0.0;
      c[kEvCall] = num_cell(epc, calls ? fmt::format("{:.1f}", epc) : "-");
      double b = blocked_pct(t, s);
      c[kBlocked] = num_cell(b, format_pct(b));
      bool has = !t.runq.empty();
      double p50 = t.runq.percentile_ns(0.5), p99 = t.runq.percentile_ns(0.99);
      c[kRunP50] = num_cell(p50, format_latency(p50, has));
      c[kRunP99] = num_cell(p99, format_latency(p99, has));
      double inv = per_second(t.invol_switches, s), wk = per_second(t.wakeups, s);
      c[kInvol] = num_cell(inv, format_rate(inv));
      c[kWake] = num_cell(wk, format_rate(wk));
      out.push_back(std::move(row));
    }
    return out;
  }

  Detail detail(const Frame& f, const std::string& key) const override {
    Detail d;
    if (!f.snap) return d;
    const Snapshot& s = *f.snap;
    for (const auto& t : s.threads) {
      if (std::to_string(t.tid) != key) continue;
      d.push_back(detail_text(fmt::format("Thread {} of pid {} ({})", t.tid, t.pid, t.comm), true));
      d.push_back(detail_text(fmt::format("wakeups {} (by sockets {})  switches: involuntary {} voluntary {}  blocked {}%",
                                          t.wakeups, t.sock_wakeups, t.invol_switches, t.vol_switches,
                                          format_pct(blocked_pct(t, s)))));
      for (int k = 0; k < kWaitKinds; k++) {
        const WaitStats& w = t.wait[static_cast<size_t>(k)];
        d.push_back(detail_text(fmt::format("{}: calls {}  events {}  returned 0: {}  errors {}", wait_kind_name(k),
                                            w.calls, w.events, w.zero, w.errors)));
      }
      if (!t.stages.empty()) {
        verdict_detail(d, s, t);
        stage_detail(d, t.stages);
      }
      d.push_back(detail_hist("run queue latency (sched_waking -> on CPU)", t.runq));
      for (int k = 0; k < kWaitKinds; k++)
        if (t.wait[static_cast<size_t>(k)].calls)
          d.push_back(detail_hist(fmt::format("time blocked in {}", wait_kind_name(k)),
                                  t.wait[static_cast<size_t>(k)].blocked));
      return d;
    }
    d.push_back(detail_text("This thread is not in the current interval any more.", true));
    return d;
  }
};

}  // namespace

std::unique_ptr<View> make_threads_view() { return std::make_unique<ThreadsView>(); }

}  // namespace pollscope::tui
