#include "core/model/histogram.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/base/fixed_decimal.hpp"

namespace pollscope {

void SparseSlots::set(size_t k, uint64_t n) {
  uint32_t bit = 1u << k;
  size_t i = index(k);
  size_t held = count_of_counts();
  if (mask_ & bit) {
    uint64_t* d = data();
    if (n) {
      d[i] = n;
    } else {
      std::copy(d + i + 1, d + held, d + i);
      mask_ &= ~bit;
    }
  } else if (n) {
    if (held == capacity()) {
      // Grow, keeping the counts (reserve keeps them only when they fit).
      SparseSlots grown;
      grown.reserve(std::min(kSize, std::max<size_t>(8, 2 * held)));
      std::copy(data(), data() + held, grown.data());
      grown.mask_ = mask_;
      *this = std::move(grown);
    }
    uint64_t* d = data();
    std::copy_backward(d + i, d + held, d + held + 1);
    d[i] = n;
    mask_ |= bit;
  }
}

void SparseSlots::reserve(size_t n) {
  if (n <= capacity()) return;
  uint64_t* grown = new uint64_t[n];  // first: a failed allocation changes nothing
  release();
  heap_ = grown;
  cap_ = static_cast<uint32_t>(n);
}

void SparseSlots::copy_from(const SparseSlots& o) {
  const size_t n = o.count_of_counts();
  if (n > capacity()) reserve(n);
  std::copy(o.data(), o.data() + n, data());
  mask_ = o.mask_;
}

void SparseSlots::fill(uint64_t n) {
  mask_ = 0;
  if (n) {
    reserve(kSize);
    std::fill(data(), data() + kSize, n);
    mask_ = ~0u;
  }
}

void Log2Histogram::record(uint64_t ns) {
  int k = ns == 0 ? 0 : 63 - __builtin_clzll(ns);
  if (k >= kSlots) k = kSlots - 1;
  slots[k]++;
  sum_ns += ns;
  max_ns = std::max(max_ns, ns);
}

uint64_t Log2Histogram::count() const {
  uint64_t n = 0;
  for (uint32_t m = slots.mask(); m; m &= m - 1) n += slots.get(static_cast<size_t>(__builtin_ctz(m)));
  return n;
}

double Log2Histogram::percentile_ns(double q) const {
  uint64_t n = count();
  if (n == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // Rank of the wanted value, 1-based: the smallest r with r >= q*n.
  double rank = std::max(1.0, std::ceil(q * static_cast<double>(n)));
  uint64_t seen = 0;
  for (uint32_t m = slots.mask(); m; m &= m - 1) {
    int k = __builtin_ctz(m);
    uint64_t c = slots.get(static_cast<size_t>(k));
    if (seen + c >= rank) {
      double low = static_cast<double>(slot_low(k));
      double high = static_cast<double>(slot_high(k));
      double frac = (rank - static_cast<double>(seen)) / static_cast<double>(c);
      double v = low + (high - low) * frac;
      if (max_ns > 0) v = std::min(v, static_cast<double>(max_ns));
      return v;
    }
    seen += c;
  }
  return static_cast<double>(max_ns);
}

void Log2Histogram::add(const Log2Histogram& o) {
  for (uint32_t m = o.slots.mask(); m; m &= m - 1) {
    size_t k = static_cast<size_t>(__builtin_ctz(m));
    slots.add(k, o.slots.get(k));
  }
  sum_ns += o.sum_ns;
  max_ns = std::max(max_ns, o.max_ns);
}

Log2Histogram Log2Histogram::since(const Log2Histogram& earlier) const {
  Log2Histogram d;
  for (uint32_t m = slots.mask(); m; m &= m - 1) {
    size_t k = static_cast<size_t>(__builtin_ctz(m));
    uint64_t a = slots.get(k), b = earlier.slots.get(k);
    if (a > b) d.slots.set(k, a - b);
  }
  d.sum_ns = sum_ns >= earlier.sum_ns ? sum_ns - earlier.sum_ns : 0;
  if (d.slots.any()) d.max_ns = interval_max(max_ns, earlier.max_ns, 31 - __builtin_clz(d.slots.mask()));
  return d;
}

uint64_t Log2Histogram::interval_max(uint64_t max_now, uint64_t max_before, int top_slot) {
  return max_now > max_before ? max_now : std::min<uint64_t>(max_now, slot_high(top_slot) - 1);
}

std::string format_ns(double ns) {
  if (ns <= 0) return "0";
  if (ns < 1e3) return fixed(ns, 0, "ns");
  if (ns < 1e4) return fixed(ns / 1e3, 1, "us");
  if (ns < 1e6) return fixed(ns / 1e3, 0, "us");
  if (ns < 1e7) return fixed(ns / 1e6, 1, "ms");
  if (ns < 1e9) return fixed(ns / 1e6, 0, "ms");
  return fixed(ns / 1e9, 2, "s");
}

}  // namespace pollscope
