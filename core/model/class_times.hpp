// The nanoseconds of each stage and the number of readiness events, by
// ready->read class (bpf/stages.h: 8 classes of 5 stages), kept for the
// classes that have any. As two full arrays this was 384 of a socket row's
// 1,056 bytes and nearly all zeros: a socket's readiness events fall in one
// or two classes. At 100,000 sockets that was 38 MB of report's total. One
// class lives inside the object (an interval's row makes no allocation), more
// on the heap.
#pragma once
#include <cstddef>
#include <cstdint>

#include "bpf/stages.h"
#include "core/base/bits.hpp"

namespace pollscope {

class ClassTimes {
 public:
  static constexpr int kClasses = PS_STAGE_CLASSES;
  static constexpr int kStageCount = PS_STAGES;
  struct Row {
    uint64_t ns[kStageCount];  // per stage
    uint64_t count;            // readiness events
  };

  ClassTimes() = default;
  ClassTimes(const ClassTimes& o) { copy_from(o); }
  ClassTimes(ClassTimes&& o) noexcept { steal(o); }
  ClassTimes& operator=(const ClassTimes& o) {
    if (this != &o) copy_from(o);
    return *this;
  }
  ClassTimes& operator=(ClassTimes&& o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }
  ~ClassTimes() { release(); }

  uint64_t ns(int c, int stage) const {
    const Row* r = find(c);
    return r ? r->ns[stage] : 0;
  }
  uint64_t count(int c) const {
    const Row* r = find(c);
    return r ? r->count : 0;
  }
  // Class c's row, made (all zero) if it has none.
  Row& row(int c);
  // The row of class c, nullptr when it has none.
  const Row* find(int c) const {
    const uint32_t bit = 1u << c;
    return (mask_ & bit) ? &data()[bits_set(mask_ & (bit - 1))] : nullptr;
  }
  uint32_t mask() const { return mask_; }  // bit c: class c has a row
  // No class has a row (the heap room is kept for the next fill).
  void clear() { mask_ = 0; }
  // Room for n classes' rows, exactly (row() grows by four at once): for a
  // row filled once with all its classes, as a lifetime row at 100,000
  // sockets, where two classes took 192 bytes of heap instead of 96.
  void reserve(size_t n);
  void add(const ClassTimes& o);
  // By value: a row of zeros equals no row.
  bool operator==(const ClassTimes& o) const;
  bool operator!=(const ClassTimes& o) const { return !(*this == o); }

 private:
  Row* data() { return cap_ ? heap_ : &inline_; }
  const Row* data() const { return cap_ ? heap_ : &inline_; }
  size_t capacity() const { return cap_ ? cap_ : 1; }
  void copy_from(const ClassTimes& o);
  void steal(ClassTimes& o);
  void release() {
    if (cap_) delete[] heap_;
    cap_ = 0;
  }

  uint8_t mask_ = 0;
  uint8_t cap_ = 0;  // 0: the one row is inline_; else heap_ holds cap_ rows
  union {
    Row inline_ = {};
    Row* heap_;
  };
};

}  // namespace pollscope
