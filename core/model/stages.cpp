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
  for (int c = from_class < 0 ? 0 : from_class; c < kStageClasses; c++) t += class_ns[c][stage];
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
  for (uint64_t c : class_count) n += c;
  if (n == 0) return 0;
  // The first readiness above the quantile: the tail is what lies beyond it.
  double rank = std::min(static_cast<double>(n), std::floor(q * static_cast<double>(n)) + 1);
  uint64_t seen = 0;
  for (int c = 0; c < kStageClasses; c++) {
    seen += class_count[c];
    if (static_cast<double>(seen) >= rank) return c;
  }
  return kStageClasses - 1;
}

void StageStats::add(const StageStats& o) {
  for (int s = 0; s < kStages; s++) hist[s].add(o.hist[s]);
  for (int c = 0; c < kStageClasses; c++)
    for (int s = 0; s < kStages; s++) class_ns[c][s] += o.class_ns[c][s];
  for (int c = 0; c < kStageClasses; c++) class_count[c] += o.class_count[c];
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
    d.hist[s].slots.assign(PS_STAGE_SLOT_SHIFT, PS_STAGE_SLOTS, [&](size_t k) {
      return static_cast<uint64_t>(static_cast<uint32_t>(now.hist[s][k] - before.hist[s][k]));  // modulo 2^32
    });
  }
  for (int c = 0; c < kStageClasses; c++)
    for (int s = 0; s < kStages; s++) {
      uint64_t a = now.class_ns[c][s], b = before.class_ns[c][s];
      d.class_ns[c][s] = a >= b ? a - b : 0;
    }
  for (int c = 0; c < kStageClasses; c++)
    d.class_count[c] = now.class_count[c] >= before.class_count[c] ? now.class_count[c] - before.class_count[c] : 0;
  for (int s = 0; s < kStages; s++) d.hist[s].sum_ns = d.stage_ns(s);
  d.split = now.split >= before.split ? now.split - before.split : 0;
  d.approx = now.approx >= before.approx ? now.approx - before.approx : 0;
}

}  // namespace pollscope
