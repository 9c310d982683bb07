// Whether an epoll loop polls (timeout 0) for a while before it blocks.
// Sleeping in epoll_wait and being woken costs the waker an IPI and, on a VM,
// the idle vCPU an exit and re-entry: ~12 us here (wake->run p50), more than a request.
// When a blocking wait ends within the budget, events are coming faster than a
// sleep/wakeup round trip, so the next wait spins first; a spin that runs out
// of budget falls back to a blocking wait, whose length decides again. Under
// light load (waits longer than the budget) the loop never spins and sleeps
// like the textbook loop. Budget 0: never spin.
#pragma once
#include <cstdint>

namespace pollscope::serve {

class SpinPolicy {
 public:
  explicit SpinPolicy(int64_t budget_ns) : budget_ns_(budget_ns > 0 ? budget_ns : 0) {}

  int64_t budget_ns() const { return budget_ns_; }
  // Spin before the next blocking wait?
  bool spin_next() const { return spin_; }
  // A blocking wait returned after `ns` nanoseconds.
  void blocked_for(int64_t ns) { spin_ = budget_ns_ > 0 && ns < budget_ns_; }

 private:
  int64_t budget_ns_;
  bool spin_ = false;
};

}  // namespace pollscope::serve
