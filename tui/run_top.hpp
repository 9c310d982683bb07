// `pollscope top`'s two loops: interactive (ncurses, input with a timeout,
// draws when something changed) and batch (plain-text frames on stdout).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "core/model/snapshot.hpp"
#include "tui/frame.hpp"
#include "tui/source.hpp"

namespace pollscope::tui {

struct TopConfig {
  double delay_s = 1.0;
  uint64_t iterations = 0;  // 0: until q (interactive) or the end of a replay (batch)
  bool batch = false;
  bool color = true;
  std::string view;         // initial view name ("" = Sockets)
  std::string sort;         // initial sort column id ("" = the view's default)
  FilterSpec filter;        // applied to replayed data
  // Called with every interval as it arrives (e.g. --record).
  std::function<void(const Snapshot&)> on_interval;
};

int run_top(const TopConfig& cfg, SnapshotSource& src);

}  // namespace pollscope::tui
