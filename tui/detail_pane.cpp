#include "tui/detail_pane.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/render/format.hpp"

namespace pollscope::tui {

std::vector<PaneLine> render_histogram(const std::string& title, const Log2Histogram& h, int width) {
  std::vector<PaneLine> out;
  uint64_t n = h.count();
  if (n == 0) {
    out.push_back({title + "  (no samples)", true});
    return out;
  }
  // Stage histograms have no exact maximum (the kernel keeps slots only).
  std::string max = h.max_ns ? " max " + format_ns(static_cast<double>(h.max_ns)) : "";
  out.push_back({fmt::format("{}  n={} p50 {} p99 {}{}", title, n, format_ns(h.percentile_ns(0.5)),
                             format_ns(h.percentile_ns(0.99)), max),
                 true});
  int lo = 0, hi = Log2Histogram::kSlots - 1;
  while (lo < hi && h.slots[static_cast<size_t>(lo)] == 0) lo++;
  while (hi > lo && h.slots[static_cast<size_t>(hi)] == 0) hi--;
  uint64_t peak = 0;
  for (int k = lo; k <= hi; k++) peak = std::max(peak, h.slots[static_cast<size_t>(k)]);
  // "  " + label(15) + " |" + bar + "| " + count(9)
  const int label_w = 15, count_w = 9;
  int bar_w = std::clamp(width - 2 - label_w - 2 - 2 - count_w, 10, 60);
  for (int k = lo; k <= hi; k++) {
    uint64_t c = h.slots[static_cast<size_t>(k)];
    std::string label;
    if (k == Log2Histogram::kSlots - 1)
      label = ">=" + format_ns(static_cast<double>(Log2Histogram::slot_low(k)));
    else
      label = format_ns(static_cast<double>(Log2Histogram::slot_low(k))) + "-" +
              format_ns(static_cast<double>(Log2Histogram::slot_high(k)));
    int len = peak ? static_cast<int>((static_cast<double>(c) * bar_w) / static_cast<double>(peak) + 0.5) : 0;
    if (c > 0 && len == 0) len = 1;
    std::string bar(static_cast<size_t>(len), '#');
    out.push_back({fmt::format("  {} |{}| {}", fit(label, label_w, true), fit(bar, bar_w, false),
                               fit(std::to_string(c), count_w, true)),
                   false});
  }
  return out;
}

std::vector<PaneLine> render_detail(const Detail& d, int width) {
  std::vector<PaneLine> out;
  for (const auto& b : d) {
    if (b.is_hist) {
      out.push_back({"", false});
      auto h = render_histogram(b.text, b.hist, width);
      out.insert(out.end(), h.begin(), h.end());
    } else {
      out.push_back({b.text, b.heading});
    }
  }
  return out;
}

}  // namespace pollscope::tui
