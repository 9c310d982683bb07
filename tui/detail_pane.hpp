// The detail pane: a row's Detail rendered as text lines, histograms drawn as
// log2 bars (one line per non-empty range of slots).
#pragma once
#include <string>
#include <vector>

#include "core/model/histogram.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

struct PaneLine {
  std::string text;
  bool heading = false;
};

// "title  n=12 p50 3.1us p99 20ms max 31ms" then one line per slot from the
// lowest to the highest non-empty one: "  1.0us-2.0us   |#####     |     12".
std::vector<PaneLine> render_histogram(const std::string& title, const Log2Histogram& h, int width);
std::vector<PaneLine> render_detail(const Detail& d, int width);

}  // namespace pollscope::tui
