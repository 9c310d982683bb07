// Seconds on CLOCK_MONOTONIC (vDSO, no system call), for deadlines that must
// not jump with the wall clock.
#pragma once
#include <time.h>

namespace pollscope {

inline double monotonic_s() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace pollscope
