// Log2 latency histogram in nanoseconds, the user-space twin of struct ps_hist
// (bpf/common.h): slot k counts values v with 2^k <= v < 2^(k+1) (slot 0 also
// holds 0); the last slot is open-ended.
//
// Percentiles are interpolated linearly inside the slot that holds the wanted
// rank, then clamped to the observed maximum: with log2 slots the true value
// lies within a factor of two of the figure shown.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "core/base/bits.hpp"

namespace pollscope {

// A histogram's 32 slot counts, kept as the non-zero ones only: an
// interval's histogram of one socket has one to a few, and a row holds seven
// histograms (as full arrays 1.9 KB of a 2.6 KB row, nearly all zeros; at
// 100,000 sockets most of report's and top's memory). Reads and writes go by
// slot number as on an array; a count set to 0 leaves the set. Up to three
// counts live inside the object (most interval histograms): a row's
// histograms then make no allocation, which at 10,000 sockets had been a
// fifth of top's CPU (malloc and free of seven small vectors per row).
class SparseSlots {
 public:
  static constexpr size_t kSize = 32;

  SparseSlots() = default;
  SparseSlots(const SparseSlots& o) { copy_from(o); }
  SparseSlots(SparseSlots&& o) noexcept { steal(o); }
  SparseSlots& operator=(const SparseSlots& o) {
    if (this != &o) copy_from(o);
    return *this;
  }
  SparseSlots& operator=(SparseSlots&& o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }
  ~SparseSlots() { release(); }

  uint64_t get(size_t k) const {
    uint32_t bit = 1u << k;
    return (mask_ & bit) ? data()[index(k)] : 0;
  }
  void set(size_t k, uint64_t n);
  void add(size_t k, uint64_t n) {
    if (n) set(k, get(k) + n);
  }
  // Replaces every slot: slot first + i gets count_of(i) for i < n, the
  // others 0. One allocation of the exact size (this runs for every
  // histogram of every socket with news, each interval).
  template <class F>
  void assign(size_t first, size_t n, F count_of) {
    uint64_t dense[kSize];
    size_t m = 0;
    mask_ = 0;
    for (size_t i = 0; i < n && first + i < kSize; i++) {
      uint64_t c = count_of(i);
      if (!c) continue;
      dense[m++] = c;
      mask_ |= 1u << (first + i);
    }
    reserve(m);
    std::copy(dense, dense + m, data());
  }
  uint32_t mask() const { return mask_; }  // bit k: slot k is non-zero
  bool any() const { return mask_ != 0; }
  size_t size() const { return kSize; }
  void fill(uint64_t n);

  // One slot, readable and writable like an array element.
  class Ref {
   public:
    Ref(SparseSlots* s, size_t k) : s_(s), k_(k) {}
    operator uint64_t() const { return s_->get(k_); }
    Ref& operator=(uint64_t n) {
      s_->set(k_, n);
      return *this;
    }
    Ref& operator=(const Ref& o) { return *this = static_cast<uint64_t>(o); }
    Ref& operator+=(uint64_t n) {
      s_->add(k_, n);
      return *this;
    }
    Ref& operator++() { return *this += 1; }
    uint64_t operator++(int) {
      uint64_t old = *this;
      *this += 1;
      return old;
    }

   private:
    SparseSlots* s_;
    size_t k_;
  };
  uint64_t operator[](size_t k) const { return get(k); }
  Ref operator[](size_t k) { return Ref(this, k); }

  // Every slot's count in order, zeros included (for loops and algorithms).
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = uint64_t;
    using difference_type = std::ptrdiff_t;
    using pointer = const uint64_t*;
    using reference = uint64_t;
    const_iterator() = default;
    const_iterator(const SparseSlots* s, size_t k) : s_(s), k_(k) {}
    uint64_t operator*() const { return s_->get(k_); }
    const_iterator& operator++() {
      k_++;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      k_++;
      return old;
    }
    bool operator==(const const_iterator& o) const { return k_ == o.k_; }
    bool operator!=(const const_iterator& o) const { return k_ != o.k_; }

   private:
    const SparseSlots* s_ = nullptr;
    size_t k_ = 0;
  };
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, kSize); }

  bool operator==(const SparseSlots& o) const {
    return mask_ == o.mask_ && std::equal(data(), data() + count_of_counts(), o.data());
  }
  bool operator!=(const SparseSlots& o) const { return !(*this == o); }

 private:
  size_t index(size_t k) const { return bits_set(mask_ & ((1u << k) - 1)); }
  size_t count_of_counts() const { return bits_set(mask_); }
  // The counts, one per bit of mask_, in slot order.
  uint64_t* data() { return cap_ ? heap_ : inline_; }
  const uint64_t* data() const { return cap_ ? heap_ : inline_; }
  size_t capacity() const { return cap_ ? cap_ : kInline; }
  // Room for n counts; the counts held are kept only while n covers them.
  void reserve(size_t n);
  void release() {
    if (cap_) delete[] heap_;
    cap_ = 0;
  }
  void copy_from(const SparseSlots& o);
  void steal(SparseSlots& o) {
    mask_ = o.mask_;
    cap_ = o.cap_;
    if (cap_) heap_ = o.heap_;
    else std::copy(o.inline_, o.inline_ + kInline, inline_);
    o.mask_ = 0;
    o.cap_ = 0;
    std::fill(o.inline_, o.inline_ + kInline, 0);  // o's counts are inline again
  }

  static constexpr size_t kInline = 3;
  uint32_t mask_ = 0;
  uint32_t cap_ = 0;  // 0: the counts are inline_; else heap_ holds cap_ of them
  union {
    uint64_t inline_[kInline] = {};
    uint64_t* heap_;
  };
};

class Log2Histogram {
 public:
  static constexpr int kSlots = 32;
  static_assert(kSlots == SparseSlots::kSize, "slot counts differ");

  SparseSlots slots;
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
