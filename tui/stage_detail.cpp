#include "tui/stage_detail.hpp"

#include <fmt/format.h>

#include "core/analysis/verdict.hpp"
#include "core/render/format.hpp"

namespace pollscope::tui {

void stage_detail(Detail& d, const StageStats& st) {
  int tail = st.tail_class();
  auto all = st.shares(), tl = st.shares(tail);
  d.push_back(detail_text(fmt::format("Stages of {} readiness events{} (tail: from {} ready->read)", st.split,
                                      st.approx ? fmt::format(", {} approximate", st.approx) : "",
                                      format_ns(static_cast<double>(StageStats::class_low_ns(tail)))),
                          true));
  d.push_back(detail_text("  stage      all%   tail%     p50     p99   events"));
  for (int i = 0; i < kStages; i++) {
    const Log2Histogram& h = st.hist[i];
    d.push_back(detail_text(fmt::format("  {:<9} {:>5} {:>7} {:>7} {:>7} {:>8}", stage_name(i), format_pct(100.0 * all[i]),
                                        format_pct(100.0 * tl[i]), format_latency(h.percentile_ns(0.5), !h.empty()),
                                        format_latency(h.percentile_ns(0.99), !h.empty()), h.count())));
  }
  for (int i = 0; i < kStages; i++)
    if (!st.hist[i].empty()) d.push_back(detail_hist(fmt::format("{} stage", stage_name(i)), st.hist[i]));
}

void verdict_detail(Detail& d, const Snapshot& s, const ThreadRow& t) {
  VerdictItem it = judge_thread(s, t);
  std::string head = fmt::format("Verdict for thread {} ({}): {}, p99 ready->read {}", t.tid, t.comm,
                                 it.late ? "LATE" : "healthy", format_ns(it.p99_ns));
  if (it.split < VerdictOptions{}.min_split)
    head += fmt::format(" (only {} readiness events: the report would not judge it)", it.split);
  d.push_back(detail_text(head, true));
  std::string shares = "  tail:";
  for (int st = 0; st < kStages; st++) shares += fmt::format(" {} {}%", stage_name(st), format_pct(100.0 * it.tail_share[st]));
  d.push_back(detail_text(fmt::format("  {} dominates the tail (readiness events from {} ready->read)",
                                      stage_name(it.dominant), format_ns(static_cast<double>(it.tail_from_ns)))));
  d.push_back(detail_text(shares));
  // The evidence, a clause per line.
  size_t pos = 0;
  while (pos < it.why.size()) {
    size_t next = it.why.find("; ", pos);
    d.push_back(detail_text("  " + it.why.substr(pos, next == std::string::npos ? std::string::npos : next - pos)));
    if (next == std::string::npos) break;
    pos = next + 2;
  }
}

}  // namespace pollscope::tui
