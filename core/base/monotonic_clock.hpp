// CLOCK_MONOTONIC (vDSO, no system call), for deadlines and durations that
// must not jump with the wall clock. The one clock reader for serve's spin,
// load's timestamps and the child-process deadlines.
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
