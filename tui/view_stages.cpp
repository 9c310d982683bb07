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

void fill_stage_cells(Row& row, const StageStats& st, const Snapshot& s, double r2r_p99, bool has_r2r) {
  auto& c = row.cells;
  double split = per_second(st.split, s);
  c[kSplit] = num_cell(split, format_rate(split));
  c[kRrP99] = num_cell(r2r_p99, format_latency(r2r_p99, has_r2r));
  int dom = 0;
  double dshare = 0;
  std::string tail = tail_text(st, &dom, &dshare);
  // Sorted by the dominant stage, then its share.
  c[kTail] = Cell{tail, dom * 10.0 + dshare, {}};
  auto share = st.shares();
  for (int i = 0; i < kStages; i++) {
    c[kShare0 + i] = num_cell(100.0 * share[i], format_pct(100.0 * share[i]));
    const Log2Histogram& h = st.hist[i];
    double p99 = h.percentile_ns(0.99);
    c[kP99_0 + i] = num_cell(p99, format_latency(p99, !h.empty()));
  }
}

class StagesView : public View {
 public:
  const char* name() const override { return "Stages"; }
  const std::vector<Column>& columns() const override { return stages_columns(); }
  int default_sort() const override { return kRrP99; }

  std::vector<Row> rows(const Frame& f) const override {
    std::vector<Row> out;
    if (!f.snap) return out;
    const Snapshot& s = *f.snap;
    for (const auto& t : s.threads) {
      if (t.stages.empty()) continue;
      Row row;
      row.key = "t" + std::to_string(t.tid);
      row.cells.resize(kCols);
      auto& c = row.cells;
      c[kKind] = text_cell("thr");
      c[kPid] = num_cell(t.pid, std::to_string(t.pid));
      c[kTid] = num_cell(t.tid, std::to_string(t.tid));
      c[kComm] = text_cell(t.comm.empty() ? "-" : t.comm);
      c[kAddr] = text_cell("-");
      Log2Histogram r2r = thread_ready_to_read(s, t);
      fill_stage_cells(row, t.stages, s, r2r.percentile_ns(0.99), !r2r.empty());
      out.push_back(std::move(row));
    }
    for (const auto& r : s.sockets) {
      if (r.stages.empty()) continue;
      Row row;
      row.key = "s" + socket_key(r.key);
      row.cells.resize(kCols);
      auto& c = row.cells;
      c[kKind] = text_cell("sock");
      c[kPid] = num_cell(r.pid, r.pid ? std::to_string(r.pid) : "-");
      c[kTid] = num_cell(r.tid, r.tid ? std::to_string(r.tid) : "-");
      c[kComm] = text_cell(r.comm.empty() ? "-" : r.comm);
      c[kAddr] = addr_cell(r);
      fill_stage_cells(row, r.stages, s, r.ready_to_read.percentile_ns(0.99), !r.ready_to_read.empty());
      out.push_back(std::move(row));
    }
    return out;
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
        if ("s" + socket_key(r.key) != key) continue;
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
