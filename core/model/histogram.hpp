// Log2 latency histogram in nanoseconds, the user-space twin of struct ps_hist
// (bpf/common.h): slot k counts values v with 2^k <= v < 2^(k+1) (slot 0 also
// holds 0); the last slot is open-ended.
//
// Percentiles are interpolated linearly inside the slot that holds the wanted
// rank, then clamped to the observed maximum: with log2 slots the true value
// lies within a factor of two of the figure shown.
#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace pollscope {

class Log2Histogram {
 public:
  static constexpr int kSlots = 32;

  std::array<uint64_t, kSlots> slots{};
  uint64_t sum_ns = 0;
  uint64_t max_ns = 0;

  void record(uint64_t ns);  // one value (tests, user-space sources)
  uint64_t count() const;
  bool empty() const { return count() == 0; }
  // q in [0, 1]; 0 when empty.
  double percentile_ns(double q) const;
  static uint64_t slot_low(int k) { return k == 0 ? 0 : (1ULL << k); }
  static uint64_t slot_high(int k) { return 1ULL << (k + 1); }

  // Accumulates other into this (merging intervals).
  void add(const Log2Histogram& other);
  // This minus an earlier cumulative reading; max_ns is kept from this one
  // when it grew, otherwise unknown for the interval (0).
  Log2Histogram since(const Log2Histogram& earlier) const;
  // The interval's max for since(): known when the all-time max grew,
  // otherwise bounded by the top of the highest non-empty slot of the
  // interval (top_slot) and the all-time max.
  static uint64_t interval_max(uint64_t max_now, uint64_t max_before, int top_slot);

  bool operator==(const Log2Histogram& o) const {
    return slots == o.slots && sum_ns == o.sum_ns && max_ns == o.max_ns;
  }
};

// "812ns", "3.2us", "20.1ms", "1.50s": short, for tables.
std::string format_ns(double ns);

}  // namespace pollscope
