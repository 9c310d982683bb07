#include "core/model/metric_json.hpp"

#include <fmt/format.h>

namespace pollscope {

Json hist_to_json(const Log2Histogram& h, bool derived) {
  Json j;
  j["count"] = h.count();
  j["sum_ns"] = h.sum_ns;
  j["max_ns"] = h.max_ns;
  if (derived) {
    j["p50_ns"] = static_cast<uint64_t>(h.percentile_ns(0.50));
    j["p90_ns"] = static_cast<uint64_t>(h.percentile_ns(0.90));
    j["p99_ns"] = static_cast<uint64_t>(h.percentile_ns(0.99));
  }
  // Trailing empty slots are left out.
  int last = Log2Histogram::kSlots - 1;
  while (last >= 0 && h.slots[last] == 0) last--;
  Json slots = Json::array();
  for (int k = 0; k <= last; k++) slots.push_back(h.slots[k]);
  j["slots"] = slots;
  return j;
}

void hist_from_json(const JsonObject& o, Log2Histogram* h) {
  get_to(o, "sum_ns", h->sum_ns);
  get_to(o, "max_ns", h->max_ns);
  const JsonDoc& slots = o.at("slots");
  if (!slots.is_array())
    throw ShapeError(o.place("slots") + " must be a list of counts, not " + json_excerpt(slots));
  if (slots.size() > Log2Histogram::kSlots)
    throw ShapeError(fmt::format("{} has {} slots; a histogram has {}", o.place("slots"), slots.size(),
                                 Log2Histogram::kSlots));
  h->slots.fill(0);
  for (size_t k = 0; k < slots.size(); k++) h->slots[k] = json_count_in(slots, k, o, "slots");
  // The writer stores the total next to the slots: a mismatch means the line
  // was edited or corrupted, and percentiles would be computed from wrong counts.
  uint64_t count = 0, total = 0;
  get_to(o, "count", count);
  for (uint64_t n : h->slots) {
    if (__builtin_add_overflow(total, n, &total))
      throw ShapeError(o.place("slots") + " add up to more than 2^64-1");
  }
  if (total != count)
    throw ShapeError(fmt::format("{} is {} but its slots add up to {}", o.place("count"), count, total));
}

}  // namespace pollscope

namespace pollscope {

// {"split", "approx", "class_count": [8], "ns_by_class": [[5] x 8], one
// histogram per stage by name; derived: "tail_from_ns", "share" and
// "tail_share" per stage}.
Json stages_to_json(const StageStats& st, bool derived) {
  Json j;
  j["split"] = st.split;
  j["approx"] = st.approx;
  if (derived) {
    int tail = st.tail_class();
    auto all = st.shares(), slow = st.shares(tail);
    Json share, tail_share;
    for (int s = 0; s < kStages; s++) {
      share[stage_name(s)] = all[s];
      tail_share[stage_name(s)] = slow[s];
    }
    j["share"] = share;
    j["tail_from_ns"] = StageStats::class_low_ns(tail);
    j["tail_share"] = tail_share;
  }
  Json counts = Json::array(), by_class = Json::array();
  for (int c = 0; c < kStageClasses; c++) {
    counts.push_back(st.classes.count(c));
    Json row = Json::array();
    for (int s = 0; s < kStages; s++) row.push_back(st.classes.ns(c, s));
    by_class.push_back(std::move(row));
  }
  j["class_count"] = counts;
  j["ns_by_class"] = by_class;
  for (int s = 0; s < kStages; s++) j[stage_name(s)] = hist_to_json(st.hist[s], derived);
  return j;
}

void stages_from_json(const JsonObject& o, StageStats* st) {
  get_to(o, "split", st->split);
  get_to(o, "approx", st->approx);
  const JsonDoc& counts = o.at("class_count");
  if (!counts.is_array() || counts.size() != kStageClasses)
    throw ShapeError(fmt::format("{} must be a list of {} counts, not {}", o.place("class_count"), kStageClasses,
                                 json_excerpt(counts)));
  st->classes.clear();
  for (size_t c = 0; c < kStageClasses; c++)
    if (uint64_t n = json_count_in(counts, c, o, "class_count")) st->classes.row(static_cast<int>(c)).count = n;
  const JsonDoc& by_class = o.at("ns_by_class");
  if (!by_class.is_array() || by_class.size() != kStageClasses)
    throw ShapeError(fmt::format("{} must be {} lists of {} nanosecond totals, not {}", o.place("ns_by_class"),
                                 kStageClasses, kStages, json_excerpt(by_class)));
  for (size_t c = 0; c < kStageClasses; c++) {
    const JsonDoc& row = by_class[c];
    if (!row.is_array() || row.size() != kStages)
      throw ShapeError(fmt::format("{}[{}] must be a list of {} nanosecond totals, not {}", o.place("ns_by_class"),
                                   c, kStages, json_excerpt(row)));
    for (size_t s = 0; s < kStages; s++)
      if (uint64_t ns = json_count_in(row, s, o, "ns_by_class")) st->classes.row(static_cast<int>(c)).ns[s] = ns;
  }
  for (int s = 0; s < kStages; s++) hist_from_json(o.object(stage_name(s)), &st->hist[s]);
}

}  // namespace pollscope
