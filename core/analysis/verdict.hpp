// The verdict: which stage of ready->read makes an event loop late, and the
// figures from the other tables that say why. Computed from a snapshot alone,
// so a live report and the replay of its recording say the same.
//
// Rules (pollscope-report(8) VERDICT):
//  - Candidates are the threads that read at least kMinSplit readiness events
//    with a stage split; the worst few by p99 ready->read (of the sockets they
//    read) are judged.
//  - The dominant stage is the one with the largest share of the time of the
//    slow readiness events: those in the ready->read class that holds p90 and
//    above (StageStats::tail_class).
//  - A thread is late when its p99 ready->read reaches the threshold
//    (default 5 ms: an idle loop on a virtual machine already shows 1-2 ms
//    at p99, and log2 slots place a p99 within a factor of two); otherwise
//    it is healthy, and the dominant stage is still named ("runq-bound").
//  - The evidence depends on the stage: runq -> the thread's run-queue p99,
//    preemptions and the busiest CPU's softirq time; busy -> time out of the
//    wait call and events per wait; dispatch -> events per wait; return ->
//    the wait call and the process's open sockets; wakeup -> the wakeup
//    stage's p99 and softirq time.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

struct VerdictItem {
  uint32_t pid = 0, tid = 0;
  std::string comm;
  uint64_t split = 0;      // readiness events split
  double p99_ns = 0;       // ready->read p99 of the sockets it read
  uint64_t tail_from_ns = 0;
  std::array<double, kStages> tail_share{};
  int dominant = kStageWakeup;
  bool late = false;
  std::vector<std::pair<std::string, double>> evidence;  // named figures, in sentence order
  std::string why;         // the evidence as words: "run-queue p99 2.1ms, preempted 310/s; ..."
  std::string text;        // "runq: 72% of the tail; ..."
};

struct Verdict {
  bool available = false;  // some thread had a stage split
  bool healthy = true;     // no judged thread was late
  uint64_t threshold_ns = 0;
  std::vector<VerdictItem> items;  // worst first
  std::string summary;             // one line
};

struct VerdictOptions {
  uint64_t late_ns = 5000000;  // p99 ready->read from which a loop is late
  size_t max_items = 3;
  uint64_t min_split = 20;     // fewer readiness events say nothing
};

Verdict make_verdict(const Snapshot& s, const VerdictOptions& o = {});

// One thread judged by the same rules, whatever its number of readiness
// events (top's detail pane judges the row the user picked).
VerdictItem judge_thread(const Snapshot& s, const ThreadRow& t, const VerdictOptions& o = {});

// ready->read of the sockets thread t read last (else of its process's).
Log2Histogram thread_ready_to_read(const Snapshot& s, const ThreadRow& t);

}  // namespace pollscope
