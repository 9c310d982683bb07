// Runs a load: one Worker per thread, a progress callback once a second on
// the calling thread, then the merged totals.
#pragma once
#include <atomic>
#include <functional>

#include "core/load/config.hpp"
#include "core/load/stop.hpp"
#include "core/load/worker.hpp"

namespace pollscope::load {

struct Progress {
  double elapsed_s = 0;   // since the start, warmup included
  bool warmup = false;    // still inside --warmup
  uint64_t replies = 0;   // all replies so far
  double replies_per_s = 0;  // over the last interval
  uint64_t errors = 0;
  int open = 0;           // connections open now
  int connections = 0;
};

using ProgressFn = std::function<void(const Progress&)>;

struct LoadResult {
  WorkerTotals totals;        // merged over the workers
  uint64_t elapsed_ns = 0;    // measured time: from the end of the warmup to the end
  StopReason stop = StopReason::kDuration;
  uint64_t stopped_after_ns = 0;  // from the start (warmup included) to the end
};

LoadResult run_load(const LoadConfig& cfg, const std::atomic<bool>* stop, const ProgressFn& progress);

}  // namespace pollscope::load
