#include "core/analysis/verdict.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/model/histogram.hpp"

namespace pollscope {

namespace {

std::string pct(double share) { return fmt::format("{:.0f}%", 100.0 * share); }

// The busiest CPU by softirq time, and its largest vector.
struct SoftirqLoad {
  int cpu = -1;
  double pct = 0;
  std::string vector;
};

SoftirqLoad busiest_softirq_cpu(const Snapshot& s) {
  SoftirqLoad best;
  for (const auto& c : s.cpus) {
    uint64_t total = 0, top = 0;
    int top_vec = 0;
    for (int v = 0; v < kSoftirqVectors; v++) {
      total += c.time_ns[static_cast<size_t>(v)];
      if (c.time_ns[static_cast<size_t>(v)] > top) top = c.time_ns[static_cast<size_t>(v)], top_vec = v;
    }
    double p = percent_of_duration(total, s);
    if (best.cpu < 0 || p > best.pct) best = {c.cpu, p, softirq_name(top_vec)};
  }
  return best;
}

// The busiest CPU's softirq time when it is notable (5% or more): said as
// evidence and returned as a clause for the sentence.
std::string softirq_evidence(VerdictItem& it, const Snapshot& s) {
  SoftirqLoad sl = busiest_softirq_cpu(s);
  if (sl.cpu < 0 || sl.pct < 5) return "";
  it.evidence.emplace_back("softirq_cpu", sl.cpu);
  it.evidence.emplace_back("softirq_pct", sl.pct);
  return fmt::format("; CPU {} {:.0f}% in softirq ({})", sl.cpu, sl.pct, sl.vector);
}

// The wait call a thread used most: "epoll_wait", "poll", "select".
std::string main_wait(const ThreadRow& t) {
  int best = -1;
  uint64_t calls = 0;
  for (int k = 0; k < kWaitKinds; k++)
    if (t.wait[static_cast<size_t>(k)].calls > calls) calls = t.wait[static_cast<size_t>(k)].calls, best = k;
  if (best < 0) return "";
  return best == kWaitEpoll ? "epoll_wait" : wait_kind_name(best);
}

double events_per_wait(const ThreadRow& t) {
  uint64_t calls = 0, events = 0;
  for (const auto& w : t.wait) calls += w.calls, events += w.events;
  return calls ? static_cast<double>(events) / static_cast<double>(calls) : 0;
}

size_t open_sockets_of(const Snapshot& s, uint32_t pid) {
  size_t n = 0;
  for (const auto& r : s.sockets)
    if (r.pid == pid && !r.closed() && r.state != "LISTEN") n += r.folded ? r.folded : 1;
  return n;
}

void add_evidence(VerdictItem& it, const ThreadRow& t, const Snapshot& s) {
  auto say = [&](const char* name, double v) { it.evidence.emplace_back(name, v); };
  std::string why;
  switch (it.dominant) {
    case kStageRunq: {
      double rq = t.runq.percentile_ns(0.99);
      double preempt = per_second(t.invol_switches, s);
      say("runq_p99_ns", rq);
      say("preempted_per_s", preempt);
      why = fmt::format("run-queue p99 {}, preempted {:.0f}/s", format_ns(rq), preempt);
      why += softirq_evidence(it, s);
      break;
    }
    case kStageBusy:
    case kStageDispatch: {
      double out_pct = std::max(0.0, 100.0 - percent_of_duration(t.blocked_ns(), s));
      double epw = events_per_wait(t);
      say("out_of_wait_pct", out_pct);
      say("events_per_wait", epw);
      why = it.dominant == kStageBusy
                ? fmt::format("the loop was out of its wait call {:.0f}% of the time, {:.1f} events per wait", out_pct, epw)
                : fmt::format("{:.1f} ready events per wait handled in turn, out of the wait call {:.0f}% of the time",
                              epw, out_pct);
      break;
    }
    case kStageReturn: {
      size_t open = open_sockets_of(s, t.pid);
      say("open_sockets", static_cast<double>(open));
      std::string wait_call = main_wait(t);
      double ret_p50 = t.stages.hist[kStageReturn].percentile_ns(0.5);
      say("return_p50_ns", ret_p50);
      why = wait_call.empty() ? fmt::format("the read returned late after the wakeup; {} open sockets", open)
                              : fmt::format("{} over {} open sockets, return p50 {}", wait_call, open,
                                            format_ns(ret_p50));
      if (!wait_call.empty()) {
        double epw = events_per_wait(t);
        say("events_per_wait", epw);
        why += fmt::format(", {:.1f} ready per call", epw);
      }
      break;
    }
    case kStageWakeup: {
      double w = t.stages.hist[kStageWakeup].percentile_ns(0.99);
      say("wakeup_p99_ns", w);
      why = fmt::format("wakeup p99 {}", format_ns(w));
      why += softirq_evidence(it, s);
      break;
    }
    default: break;
  }
  // select and poll pay for every descriptor on each call: in the kernel (the
  // return stage) and in the loop that looks for the ready ones (dispatch).
  std::string call = main_wait(t);
  if (it.dominant != kStageReturn && (call == "select" || call == "poll")) {
    size_t open = open_sockets_of(s, t.pid);
    double ret_p50 = t.stages.hist[kStageReturn].percentile_ns(0.5);
    say("open_sockets", static_cast<double>(open));
    say("return_p50_ns", ret_p50);
    why += fmt::format("; {} over {} open sockets, return p50 {}", call, open, format_ns(ret_p50));
  }
  it.why = why;
  std::string head = fmt::format("{}: {} of the tail", stage_name(it.dominant), pct(it.tail_share[it.dominant]));
  if (it.late) it.text = fmt::format("{}; {}", head, why);
  else
    it.text = fmt::format("healthy: p99 ready->read {}, {}-bound ({}; {})", format_ns(it.p99_ns),
                          stage_name(it.dominant), head, why);
}

}  // namespace

Log2Histogram thread_ready_to_read(const Snapshot& s, const ThreadRow& t) {
  // The sockets it read: those whose last reader or writer it was, else
  // (another thread of the process wrote them last) the process's.
  Log2Histogram r2r, process_r2r;
  for (const auto& r : s.sockets) {
    if (r.pid != t.pid) continue;
    process_r2r.add(r.ready_to_read);
    if (r.tid == t.tid) r2r.add(r.ready_to_read);
  }
  return r2r.empty() ? process_r2r : r2r;
}

VerdictItem judge_thread(const Snapshot& s, const ThreadRow& t, const VerdictOptions& o) {
  VerdictItem it;
  it.pid = t.pid;
  it.tid = t.tid;
  it.comm = t.comm;
  it.split = t.stages.split;
  Log2Histogram r2r = thread_ready_to_read(s, t);
  // Without the sockets (a filter left them out), the classes bound p99.
  it.p99_ns = !r2r.empty() ? r2r.percentile_ns(0.99)
                           : static_cast<double>(StageStats::class_low_ns(t.stages.tail_class(0.99)));
  int tail = t.stages.tail_class();
  it.tail_from_ns = StageStats::class_low_ns(tail);
  it.tail_share = t.stages.shares(tail);
  it.dominant = static_cast<int>(std::max_element(it.tail_share.begin(), it.tail_share.end()) -
                                 it.tail_share.begin());
  it.late = it.p99_ns >= static_cast<double>(o.late_ns);
  add_evidence(it, t, s);
  return it;
}

Verdict make_verdict(const Snapshot& s, const VerdictOptions& o) {
  Verdict v;
  v.threshold_ns = o.late_ns;
  std::vector<VerdictItem> all;
  bool any_split = false;
  for (const auto& t : s.threads) {
    any_split = any_split || t.stages.split > 0;
    if (t.stages.split < o.min_split) continue;
    all.push_back(judge_thread(s, t, o));
  }
  v.available = !all.empty();
  std::stable_sort(all.begin(), all.end(), [](const VerdictItem& a, const VerdictItem& b) { return a.p99_ns > b.p99_ns; });
  if (all.size() > o.max_items) all.resize(o.max_items);
  for (const auto& it : all) v.healthy = v.healthy && !it.late;
  v.items = std::move(all);
  if (!v.available && any_split)
    v.summary = fmt::format("too few readiness events split to judge (fewer than {} on every thread)", o.min_split);
  else if (!v.available)
    v.summary = "no stage split in this data (a recording made before the stages, or tracing without the sched or syscalls probes)";
  else if (v.healthy)
    v.summary = v.items.front().text;
  else
    v.summary = fmt::format("late: {} {} (tid {}) p99 ready->read {}; {}", v.items.front().comm, v.items.front().pid,
                            v.items.front().tid, format_ns(v.items.front().p99_ns), v.items.front().text);
  return v;
}

}  // namespace pollscope
