#include "core/load/run.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "core/load/clock.hpp"

namespace pollscope::load {

LoadResult run_load(const LoadConfig& cfg, const std::atomic<bool>* stop, const ProgressFn& progress) {
  RunClock clock{};
  clock.start_ns = now_ns() + 1'000'000;  // let every thread start first
  clock.measure_start_ns = clock.start_ns + cfg.warmup_ns;
  clock.end_ns = cfg.duration_ns ? clock.measure_start_ns + cfg.duration_ns : UINT64_MAX;

  std::vector<std::vector<int>> ids(static_cast<size_t>(cfg.threads));
  for (int i = 0; i < cfg.connections; ++i) ids[static_cast<size_t>(i % cfg.threads)].push_back(i);
  std::vector<std::unique_ptr<Worker>> workers;
  for (auto& v : ids) workers.push_back(std::make_unique<Worker>(cfg, v, clock, stop));

  std::vector<std::exception_ptr> failures(workers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        workers[i]->run();
      } catch (...) {
        failures[i] = std::current_exception();
        workers[i]->live().done.store(true);
      }
    });
  }

  uint64_t next_report = clock.start_ns + 1'000'000'000;
  uint64_t last_replies = 0, last_t = clock.start_ns;
  for (;;) {
    bool all_done = std::all_of(workers.begin(), workers.end(),
                                [](auto& w) { return w->live().done.load(std::memory_order_acquire); });
    if (all_done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    uint64_t now = now_ns();
    if (now < next_report || !progress) continue;
    next_report += 1'000'000'000;
    Progress p;
    p.elapsed_s = static_cast<double>(now - clock.start_ns) / 1e9;
    p.warmup = now < clock.measure_start_ns;
    p.connections = cfg.connections;
    for (auto& w : workers) {
      p.replies += w->live().replies.load(std::memory_order_relaxed);
      p.errors += w->live().errors.load(std::memory_order_relaxed);
      p.open += w->live().open.load(std::memory_order_relaxed);
    }
    p.replies_per_s = static_cast<double>(p.replies - last_replies) * 1e9 / static_cast<double>(now - last_t);
    last_replies = p.replies;
    last_t = now;
    progress(p);
  }
  for (auto& t : threads) t.join();
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);

  LoadResult r;
  uint64_t finish = 0;
  std::vector<WorkerEnd> ends;
  for (auto& w : workers) {
    const WorkerTotals& t = w->totals();
    r.totals.corrected.merge(t.corrected);
    r.totals.uncorrected.merge(t.uncorrected);
    r.totals.requests += t.requests;
    r.totals.sent += t.sent;
    r.totals.bytes_sent += t.bytes_sent;
    r.totals.bytes_received += t.bytes_received;
    for (size_t k = 0; k < kErrorKinds; ++k) {
      r.totals.errors[k] += t.errors[k];
      r.totals.lost[k] += t.lost[k];
    }
    finish = std::max(finish, t.finish_ns);
    ends.push_back(t.end);
  }
  finish = std::min(finish, clock.end_ns);
  r.totals.finish_ns = finish;
  r.elapsed_ns = finish > clock.measure_start_ns ? finish - clock.measure_start_ns : 0;
  // From what the workers saw, not from *stop now: a signal that arrives
  // after the run ended on its own did not interrupt it.
  r.stop = decide_stop(ends, r.totals.lost);
  r.stopped_after_ns = finish > clock.start_ns ? finish - clock.start_ns : 0;
  return r;
}

}  // namespace pollscope::load
