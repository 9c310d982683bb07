// CLOCK_MONOTONIC (vDSO, no system call), for deadlines and durations that
// must not jump with the wall clock. The one clock reader for serve's spin
// and lingering closes, load's timestamps, the child-process deadlines,
// lab's session time and top's refresh. Not for serve's idle timeouts and
// log rate limit, which read CLOCK_MONOTONIC_COARSE on purpose (cheaper per
// loop round; millisecond and second resolution is all they need).
#pragma once
#include <time.h>

#include <cstdint>

namespace pollscope {

inline int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline double monotonic_s() { return static_cast<double>(monotonic_ns()) / 1e9; }

}  // namespace pollscope
