// The Stages view: where ready->read goes (bpf/stages.h), one row per thread
// and per socket with a stage split: each stage's share of all the time, the
// stage that dominates the slow readiness events (the tail), and each stage's
// p99. The detail pane judges the row as the report's VERDICT does.
#include <fmt/format.h>

#include "core/analysis/verdict.hpp"
#include "core/render/format.hpp"
#include "tui/stage_detail.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

namespace {

enum Col {
  kKind, kPid, kTid, kComm, kAddr, kSplit, kRrP99, kTail,
  kShare0, kP99_0 = kShare0 + kStages, kCols = kP99_0 + kStages
};

const char* const kShareTitles[kStages] = {"WAKE%", "RUNQ%", "RET%", "BUSY%", "DISP%"};
const char* const kP99Titles[kStages] = {"WKp99", "RQp99", "RTp99", "BSp99", "DPp99"};

const std::vector<Column>& stages_columns() {
  static const std::vector<Column> cols = [] {
    std::vector<Column> c = {
        {"kind", "KIND", 4, Align::Left, 1, false, false, false},
        {"pid", "PID", 7, Align::Right, 2, true, false, false, 0, true},
        {"tid", "TID", 7, Align::Right, 4, true, false, false, 0, true},
        {"comm", "COMM", 10, Align::Left, 3, false, false, false},
        {"addr", "LOCAL->REMOTE", 14, Align::Left, 30, false, true, true},
        {"split", "SPLIT/s", 7, Align::Right, 5, true, false, false},
        {"ready-read-p99", "R>Rp99", 6, Align::Right, 6, true, false, false},
        {"tail", "TAIL", 12, Align::Left, 7, false, false, false},
    };
    // Shares first (they fit 80 columns with the above), then the p99s.
    for (int st = 0; st < kStages; st++)
      c.push_back({std::string(stage_name(st)) + "-share", kShareTitles[st], 5, Align::Right, 10 + st, true, false, false});
    for (int st = 0; st < kStages; st++)
      c.push_back({std::string(stage_name(st)) + "-p99", kP99Titles[st], 6, Align::Right, 20 + st, true, false, false});
    return c;
  }();
  return cols;
}

// The stage of the tail (readiness events from the class holding p90) with
// its share: "runq 72%".
std::string tail_text(const StageStats& st, int* dominant, double* share) {
  auto sh = st.shares(st.tail_class());
  int d = 0;
  for (int i = 1; i < kStages; i++)
    if (sh[i] > sh[d]) d = i;
  *dominant = d;
  *share = sh[d];
  return fmt::format("{} {:.0f}%", stage_name(d), 100.0 * sh[d]);
}

// The cells every row with a stage split has; r2r is the row's ready->read
// histogram (a function: a thread's is a scan of every socket).
template <class ReadyToRead>
void write_stage_cells(RowWriter& w, const StageStats& st, const Snapshot& s, ReadyToRead r2r) {
  w.num(kSplit, per_second(st.split, s), format_rate);
  if (w.wants(kRrP99)) {
    decltype(auto) h = r2r();
    write_percentile(w, kRrP99, h, 0.99);
  }
  // Sorted by the dominant stage, then its share.
  w.cell(kTail, [&] {
    int dom = 0;
    double dshare = 0;
    std::string tail = tail_text(st, &dom, &dshare);
    return Cell{std::move(tail), dom * 10.0 + dshare, {}};
  });
  auto share = st.shares();
  for (int i = 0; i < kStages; i++) {
    w.num(kShare0 + i, 100.0 * share[i], format_pct);
    write_percentile(w, kP99_0 + i, st.hist[i], 0.99);
  }
}

class StagesView : public View {
 public:
  const char* name() const override { return "Stages"; }
  const std::vector<Column>& columns() const override { return stages_columns(); }
  int default_sort() const override { return kRrP99; }

  // Items: the threads, then the sockets.
  size_t items(const Frame& f) const override {
    return f.snap ? f.snap->threads.size() + f.snap->sockets.size() : 0;
  }

  bool write_row(const Frame& f, size_t item, RowWriter& w) const override {
    const Snapshot& s = *f.snap;
    if (item < s.threads.size()) {
      const ThreadRow& t = s.threads[item];
      if (t.stages.empty()) return false;
      if (w.wants_key()) w.key().add("t").add_int(t.tid);
      w.text(kKind, [] { return "thr"; });
      w.num(kPid, t.pid, [&](double) { return std::to_string(t.pid); });
      w.num(kTid, t.tid, [&](double) { return std::to_string(t.tid); });
      w.text(kComm, [&] { return t.comm.empty() ? "-" : t.comm; });
      w.text(kAddr, [] { return "-"; });
      write_stage_cells(w, t.stages, s, [&] { return thread_ready_to_read(s, t); });
      return true;
    }
    const SocketRow& r = s.sockets[item - s.threads.size()];
    if (r.stages.empty()) return false;
    if (w.wants_key()) add_socket_key(w.key().add("s"), r.key);
    w.text(kKind, [] { return "sock"; });
    w.num(kPid, r.pid, [&](double) { return r.pid ? std::to_string(r.pid) : "-"; });
    w.num(kTid, r.tid, [&](double) { return r.tid ? std::to_string(r.tid) : "-"; });
    w.text(kComm, [&] { return r.comm.empty() ? "-" : r.comm; });
    w.cell(kAddr, [&] { return addr_cell(r); });
    write_stage_cells(w, r.stages, s, [&]() -> const Log2Histogram& { return r.ready_to_read; });
    return true;
  }

  Detail detail(const Frame& f, const std::string& key) const override {
    Detail d;
    if (!f.snap) return d;
    const Snapshot& s = *f.snap;
    const ThreadRow* thread = nullptr;
    if (!key.empty() && key[0] == 't') {
      for (const auto& t : s.threads)
        if ("t" + std::to_string(t.tid) == key) thread = &t;
      if (thread) {
        verdict_detail(d, s, *thread);
        stage_detail(d, thread->stages);
        return d;
      }
    } else if (!key.empty() && key[0] == 's') {
      for (const auto& r : s.sockets) {
        if (!is_socket_key(std::string_view(key).substr(1), r.key)) continue;
        d.push_back(detail_text(fmt::format("Socket fd {} of pid {} ({}) {} -> {}, reader tid {}", r.fd, r.pid, r.comm,
                                            r.local, r.remote.empty() ? "*" : r.remote, r.tid),
                                true));
        const Log2Histogram& rr = r.ready_to_read;
        d.push_back(detail_text(fmt::format("ready -> read: p50 {}  p99 {}  max {}",
                                            format_latency(rr.percentile_ns(0.5), !rr.empty()),
                                            format_latency(rr.percentile_ns(0.99), !rr.empty()),
                                            format_latency(static_cast<double>(rr.max_ns), !rr.empty()))));
        for (const auto& t : s.threads)
          if (t.tid == r.tid && r.tid != 0) verdict_detail(d, s, t);
        stage_detail(d, r.stages);
        return d;
      }
    }
    d.push_back(detail_text("This row is not in the current interval any more.", true));
    return d;
  }
};

}  // namespace

std::unique_ptr<View> make_stages_view() { return std::make_unique<StagesView>(); }

}  // namespace pollscope::tui
