#pragma once
#include <cstdint>

#include "core/base/monotonic_clock.hpp"

namespace pollscope::load {

// Load's timestamps: CLOCK_MONOTONIC in nanoseconds, unsigned.
inline uint64_t now_ns() { return static_cast<uint64_t>(monotonic_ns()); }

}  // namespace pollscope::load
