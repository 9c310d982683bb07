// The header block at the top of every frame (interactive and batch): time,
// interval, filters, totals per second, health.
#pragma once
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope::tui {

struct HeaderInfo {
  std::string source;          // "live", "replay 3/5"
  bool end_of_recording = false;
  bool waiting = false;        // no interval yet (live start)
  double delay_s = 1.0;
};

struct Totals {
  double ready_per_s = 0;
  double wakeups_per_s = 0;          // wakeups caused by sockets' readiness
  double calls_per_s[kWaitKinds] = {0, 0, 0};
  double net_rx_pct = 0;             // of all listed CPUs' time
  size_t sockets = 0, closed = 0;
  uint64_t drops = 0;
  bool incomplete = false;  // events were lost: the header says so first
  size_t probes = 0, missing = 0, off = 0;  // off: not wanted (--probes, no command)
  double cost_pct = 0;               // probes' run time, % of one CPU
  double cost_ns_per_event = 0;
};
Totals compute_totals(const Snapshot& s);
// A probe left out on purpose ("disabled by request", "not needed ..."), not missing.
bool probe_off(const ProbeHealth& p);

// Header lines, not cut to any width (the screen cuts them).
std::vector<std::string> header_lines(const Snapshot* s, const HeaderInfo& info);

}  // namespace pollscope::tui
