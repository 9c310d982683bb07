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
