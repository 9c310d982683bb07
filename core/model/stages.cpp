#include "core/model/stages.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pollscope {

namespace {

constexpr const char* kStageNames[kStages] = {"wakeup", "runq", "return", "busy", "dispatch"};

}  // namespace

const char* stage_name(int stage) { return stage >= 0 && stage < kStages ? kStageNames[stage] : "?"; }

bool parse_stage(const char* name, int* stage) {
  for (int s = 0; s < kStages; s++)
    if (std::strcmp(name, kStageNames[s]) == 0) {
      *stage = s;
      return true;
    }
  return false;
}

uint64_t StageStats::stage_ns(int stage, int from_class) const {
  uint64_t t = 0;
  if (from_class >= kStageClasses) return 0;
  const uint32_t below = (1u << std::max(from_class, 0)) - 1;  // the classes left out
  for (uint32_t m = classes.mask() & ~below; m; m &= m - 1) t += classes.find(__builtin_ctz(m))->ns[stage];
  return t;
}

uint64_t StageStats::all_ns(int from_class) const {
  uint64_t t = 0;
  for (int s = 0; s < kStages; s++) t += stage_ns(s, from_class);
  return t;
}

std::array<double, kStages> StageStats::shares(int from_class) const {
  std::array<double, kStages> out{};
  uint64_t all = all_ns(from_class);
  if (all == 0) return out;
  for (int s = 0; s < kStages; s++)
    out[s] = static_cast<double>(stage_ns(s, from_class)) / static_cast<double>(all);
  return out;
}

int StageStats::tail_class(double q) const {
  uint64_t n = 0;
  for (int c = 0; c < kStageClasses; c++) n += classes.count(c);
  if (n == 0) return 0;
  // The first readiness above the quantile: the tail is what lies beyond it.
  double rank = std::min(static_cast<double>(n), std::floor(q * static_cast<double>(n)) + 1);
  uint64_t seen = 0;
  for (int c = 0; c < kStageClasses; c++) {
    seen += classes.count(c);
    if (static_cast<double>(seen) >= rank) return c;
  }
  return kStageClasses - 1;
}

void StageStats::add(const StageStats& o) {
  for (int s = 0; s < kStages; s++) hist[s].add(o.hist[s]);
  classes.add(o.classes);
  split += o.split;
  approx += o.approx;
}

int StageStats::class_of(uint64_t ns) {
  int l = ns == 0 ? 0 : 63 - __builtin_clzll(ns);
  if (l < 12) return 0;
  int c = (l - 12) / 2 + 1;
  return c < kStageClasses ? c : kStageClasses - 1;
}

uint64_t StageStats::class_low_ns(int c) { return c <= 0 ? 0 : 1ULL << (10 + 2 * c); }

void stage_delta(const ps_stages& now, const ps_stages& before, StageStats& d) {
  for (int s = 0; s < kStages; s++) {
    d.hist[s].max_ns = 0;
    // Most readiness events take one to three of the five stages: a stage
    // with no new event has no delta to take slot by slot.
    if (std::memcmp(now.hist[s], before.hist[s], sizeof(now.hist[s])) == 0) {
      d.hist[s].slots.assign(0, 0, [](size_t) { return uint64_t{0}; });
      continue;
    }
    d.hist[s].slots.assign(PS_STAGE_SLOT_SHIFT, PS_STAGE_SLOTS, [&](size_t k) {
      return static_cast<uint64_t>(static_cast<uint32_t>(now.hist[s][k] - before.hist[s][k]));  // modulo 2^32
    });
  }
  d.classes.clear();
  auto changed = [&](int c) {
    return now.class_count[c] != before.class_count[c] ||
           std::memcmp(now.class_ns[c], before.class_ns[c], sizeof(now.class_ns[c])) != 0;
  };
  size_t classes = 0;
  for (int c = 0; c < kStageClasses; c++) classes += changed(c);
  d.classes.reserve(classes);
  for (int c = 0; c < kStageClasses; c++) {
    if (!changed(c)) continue;
    ClassTimes::Row& r = d.classes.row(c);
    for (int s = 0; s < kStages; s++) {
      uint64_t a = now.class_ns[c][s], b = before.class_ns[c][s];
      r.ns[s] = a >= b ? a - b : 0;
    }
    r.count = now.class_count[c] >= before.class_count[c] ? now.class_count[c] - before.class_count[c] : 0;
  }
  for (int s = 0; s < kStages; s++) d.hist[s].sum_ns = d.stage_ns(s);
  d.split = now.split >= before.split ? now.split - before.split : 0;
  d.approx = now.approx >= before.approx ? now.approx - before.approx : 0;
}

}  // namespace pollscope
