#pragma once
#include <time.h>

#include <cstdint>

namespace pollscope::load {

// CLOCK_MONOTONIC in nanoseconds (vDSO, no system call).
inline uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace pollscope::load
