#include "core/base/hdr_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace pollscope {

HdrHistogram::HdrHistogram() : counts_(kBuckets, 0) {}

size_t HdrHistogram::index_of(uint64_t ns) {
  if (ns < kSub) return static_cast<size_t>(ns);
  int msb = 63 - __builtin_clzll(ns);  // >= kSubBits
  if (msb >= kMaxBits) return kBuckets - 1;
  int shift = msb - kSubBits;
  uint64_t sub = (ns >> shift) - kSub;  // 0..kSub-1
  return static_cast<size_t>(kSub + static_cast<uint64_t>(shift) * kSub + sub);
}

uint64_t HdrHistogram::lowest_of(size_t index) {
  if (index < kSub) return index;
  uint64_t shift = (index - kSub) / kSub;
  uint64_t sub = (index - kSub) % kSub;
  return (kSub + sub) << shift;
}

uint64_t HdrHistogram::highest_of(size_t index) {
  if (index < kSub) return index;
  uint64_t shift = (index - kSub) / kSub;
  return lowest_of(index) + (1ull << shift) - 1;
}

void HdrHistogram::record_n(uint64_t ns, uint64_t n) {
  if (n == 0) return;
  counts_[index_of(ns)] += n;
  count_ += n;
  sum_ += static_cast<double>(ns) * static_cast<double>(n);
  if (ns < min_) min_ = ns;
  if (ns > max_) max_ = ns;
}

void HdrHistogram::merge(const HdrHistogram& o) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

void HdrHistogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  sum_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
}

uint64_t HdrHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  uint64_t rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  if (rank == count_) return max_;
  if (rank == 1) return min();
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      uint64_t lo = lowest_of(i), hi = highest_of(i);
      uint64_t mid = lo + (hi - lo) / 2;
      return std::clamp(mid, min(), max_);
    }
  }
  return max_;
}

}  // namespace pollscope
