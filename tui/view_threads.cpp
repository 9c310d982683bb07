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

  size_t items(const Frame& f) const override { return f.snap ? f.snap->threads.size() : 0; }

  bool write_row(const Frame& f, size_t item, RowWriter& w) const override {
    const Snapshot& s = *f.snap;
    const ThreadRow& t = s.threads[item];
    if (w.wants_key()) w.key().add_int(t.tid);
    w.num(kPid, t.pid, [&](double) { return std::to_string(t.pid); });
    w.num(kTid, t.tid, [&](double) { return std::to_string(t.tid); });
    w.text(kComm, [&] { return t.comm.empty() ? "-" : t.comm; });
    w.num(kEpoll, per_second(t.wait[kWaitEpoll].calls, s), format_rate);
    w.num(kPoll, per_second(t.wait[kWaitPoll].calls, s), format_rate);
    w.num(kSelect, per_second(t.wait[kWaitSelect].calls, s), format_rate);
    uint64_t calls = t.wait_calls(), events = 0;
    for (const auto& wait : t.wait) events += wait.events;
    double epc = calls ? static_cast<double>(events) / static_cast<double>(calls) : 0.0;
    w.num(kEvCall, epc, [&](double v) { return calls ? fmt::format("{:.1f}", v) : "-"; });
    w.num(kBlocked, [&] { return blocked_pct(t, s); }, format_pct);
    write_percentile(w, kRunP50, t.runq, 0.5);
    write_percentile(w, kRunP99, t.runq, 0.99);
    w.num(kInvol, per_second(t.invol_switches, s), format_rate);
    w.num(kWake, per_second(t.wakeups, s), format_rate);
    return true;
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
