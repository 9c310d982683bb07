// A log-linear ("HDR-style") latency histogram in nanoseconds.
// Values below 128 ns are kept exactly; above, every power of two is split in
// 128 equal buckets, so a bucket is at most 1/128 (0.78%) of its lower bound
// wide and a reported percentile (the bucket's midpoint, clamped to the
// recorded min/max) is within 0.4% of a recorded value. The range goes to
// 2^36 ns (68.7 s); larger values land in the last bucket, but max() stays
// exact. Fixed size, no allocation after construction, mergeable.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pollscope {

class HdrHistogram {
 public:
  static constexpr int kSubBits = 7;                   // 128 buckets per octave
  static constexpr uint64_t kSub = 1ull << kSubBits;
  static constexpr int kMaxBits = 36;                  // 2^36 ns = 68.7 s
  static constexpr size_t kBuckets = kSub + (kMaxBits - kSubBits) * kSub;

  HdrHistogram();

  void record(uint64_t ns) { record_n(ns, 1); }
  void record_n(uint64_t ns, uint64_t n);
  void merge(const HdrHistogram& other);
  void reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  // Value at percentile p in [0, 100] by nearest rank: the smallest recorded
  // value such that at least p% of the values are <= it (approximately).
  uint64_t percentile(double p) const;

  static size_t index_of(uint64_t ns);
  static uint64_t lowest_of(size_t index);
  static uint64_t highest_of(size_t index);  // inclusive

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace pollscope
