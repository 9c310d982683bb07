// `serve --work-us N`: a handler that burns a fixed CPU time per request, to
// show what a slow handler does to the loop's other sockets (their readiness
// waits in busy or dispatch, not in the run queue).
#pragma once
#include <time.h>

#include <cstdint>

namespace pollscope::serve {

// Spins until this thread has used `us` microseconds of CPU: thread CPU time,
// not wall time, so preemption does not shorten the work.
inline void burn_cpu_us(uint64_t us) {
  if (us == 0) return;
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  const int64_t end = t.tv_sec * 1000000000LL + t.tv_nsec + static_cast<int64_t>(us) * 1000;
  do {
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  } while (t.tv_sec * 1000000000LL + t.tv_nsec < end);
}

}  // namespace pollscope::serve
