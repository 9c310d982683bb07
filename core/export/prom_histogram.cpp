#include "core/export/prom_histogram.hpp"

#include <limits>

namespace pollscope {

double slot_le_seconds(int k) {
  if (k >= Log2Histogram::kSlots - 1) return std::numeric_limits<double>::infinity();
  return static_cast<double>(Log2Histogram::slot_high(k)) / 1e9;
}

prometheus::ClientMetric::Histogram to_prometheus(const Log2Histogram& h, int open_from) {
  prometheus::ClientMetric::Histogram out;
  uint64_t cumulative = 0;
  out.bucket.reserve(Log2Histogram::kSlots);
  for (int k = 0; k < Log2Histogram::kSlots; k++) {
    cumulative += h.slots[k];
    if (k < open_from) out.bucket.push_back({cumulative, slot_le_seconds(k)});
  }
  out.bucket.push_back({cumulative, std::numeric_limits<double>::infinity()});
  out.sample_count = cumulative;
  out.sample_sum = static_cast<double>(h.sum_ns) / 1e9;
  return out;
}

}  // namespace pollscope
