// The stages of ready->read (bpf/stages.h has the definitions): per socket or
// thread, a histogram per stage and the nanoseconds per stage grouped by the
// readiness's whole ready->read time, so the share of each stage is exact over
// all readiness events and over the slow ones (the tail).
#pragma once
#include <array>
#include <cstdint>

#include "bpf/stages.h"
#include "core/model/class_times.hpp"
#include "core/model/histogram.hpp"

namespace pollscope {

enum Stage { kStageWakeup = 0, kStageRunq, kStageReturn, kStageBusy, kStageDispatch, kStages };
static_assert(static_cast<int>(kStages) == static_cast<int>(PS_STAGES), "stage list differs from bpf/stages.h");
constexpr int kStageClasses = PS_STAGE_CLASSES;
// The Log2Histogram slot that holds the kernel's top stage slot: everything
// from 2^29 ns (0.54 s) up, with no upper bound.
constexpr int kStageOpenSlot = PS_STAGE_SLOTS - 1 + PS_STAGE_SLOT_SHIFT;

const char* stage_name(int stage);  // "wakeup", "runq", "return", "busy", "dispatch"
bool parse_stage(const char* name, int* stage);

struct StageStats {
  // Per stage, over the readiness events in which it applied. The kernel keeps
  // compact slots from 128 ns to 0.5 s: below and above land in the end slots.
  std::array<Log2Histogram, kStages> hist;
  // Nanoseconds per stage and readiness events, by ready->read class
  // (class_of).
  ClassTimes classes;
  uint64_t split = 0;   // readiness events split
  uint64_t approx = 0;  // of which all dispatch: the first wait return after it had left the ring

  bool empty() const { return split == 0; }
  uint64_t stage_ns(int stage, int from_class = 0) const;
  uint64_t all_ns(int from_class = 0) const;  // every stage
  // Each stage's share of the time of readiness events in class from_class and
  // above; all zero when there is none.
  std::array<double, kStages> shares(int from_class = 0) const;
  // The class of the first readiness above quantile q of ready->read: the
  // tail is that class and above (q = 0.9: the slowest tenth, to a class).
  int tail_class(double q = 0.9) const;
  void add(const StageStats& o);
  bool operator==(const StageStats& o) const {
    return hist == o.hist && classes == o.classes && split == o.split && approx == o.approx;
  }

  // The class of a readiness by its ready->read time, as the kernel computes it:
  // 0 below 4.1 us, then a factor of 4 per class, 7 from 16.8 ms up.
  static int class_of(uint64_t ready_to_read_ns);
  static uint64_t class_low_ns(int c);  // smallest ready->read of class c
};

// The interval's stages: cumulative kernel numbers now minus before (histogram
// counts are 32-bit in the kernel and wrap; the difference is taken modulo
// 2^32). Every field of d is replaced (in place: this runs for every socket
// with news, each interval).
void stage_delta(const ps_stages& now, const ps_stages& before, StageStats& d);

}  // namespace pollscope
