#include "core/model/class_times.hpp"

#include <algorithm>

namespace pollscope {

ClassTimes::Row& ClassTimes::row(int c) {
  const uint32_t bit = 1u << c;
  const size_t at = bits_set(mask_ & (bit - 1));
  if (mask_ & bit) return data()[at];
  const size_t n = bits_set(mask_);
  // Room for four classes at once (or one more than held, up to all): a row
  // rarely gains more than one or two classes after its first, and a
  // reallocation per class would copy.
  if (n + 1 > capacity()) reserve(std::max<size_t>(n + 1, 4));
  Row* rows = data();
  std::copy_backward(rows + at, rows + n, rows + n + 1);
  rows[at] = Row{};
  mask_ |= bit;
  return rows[at];
}

void ClassTimes::reserve(size_t n) {
  n = std::min<size_t>(n, kClasses);
  if (n <= capacity()) return;
  const size_t held = bits_set(mask_);
  Row* grown = new Row[n]();
  std::copy(data(), data() + held, grown);
  release();
  heap_ = grown;
  cap_ = static_cast<uint8_t>(n);
}

void ClassTimes::add(const ClassTimes& o) {
  for (uint32_t m = o.mask_; m; m &= m - 1) {
    const int c = __builtin_ctz(m);
    const Row* from = o.find(c);
    Row& to = row(c);
    for (int s = 0; s < kStageCount; s++) to.ns[s] += from->ns[s];
    to.count += from->count;
  }
}

bool ClassTimes::operator==(const ClassTimes& o) const {
  for (int c = 0; c < kClasses; c++) {
    if (count(c) != o.count(c)) return false;
    for (int s = 0; s < kStageCount; s++)
      if (ns(c, s) != o.ns(c, s)) return false;
  }
  return true;
}

void ClassTimes::copy_from(const ClassTimes& o) {
  const size_t n = bits_set(o.mask_);
  if (n > capacity()) {
    Row* grown = new Row[o.cap_]();  // n > 1: o's rows are on the heap
    release();
    heap_ = grown;
    cap_ = o.cap_;
  }
  std::copy(o.data(), o.data() + n, data());
  mask_ = o.mask_;
}

void ClassTimes::steal(ClassTimes& o) {
  mask_ = o.mask_;
  cap_ = o.cap_;
  if (cap_) heap_ = o.heap_;
  else inline_ = o.inline_;
  o.mask_ = 0;
  o.cap_ = 0;
  o.inline_ = Row{};
}

}  // namespace pollscope
