// --duty ACTIVE/PERIOD: the probes are attached for ACTIVE out of every
// PERIOD and detached in between, so a long-running exporter costs the traced
// server a fraction of always-on tracing. ACTIVE == PERIOD is always on.
#pragma once
#include <string>

namespace pollscope {

struct DutyCycle {
  double active_s = 0;
  double period_s = 0;
  bool always_on() const { return active_s >= period_s; }
  double fraction() const { return period_s > 0 ? active_s / period_s : 1.0; }
  // Whether the probes are attached at t seconds since the start: the active
  // part opens every period.
  bool active_at(double t) const;
  // Seconds from t to the next switch between active and paused.
  double until_switch(double t) const;
};

// The default: 2 s traced out of every 10 s (its cost is measured by
// bench/export and given in pollscope-export(8)).
constexpr const char* kDefaultDuty = "2s/10s";

// "2s/10s", "500ms/5s", "1/1" (bare numbers are seconds). Throws
// Fatal(kExitUsage) with one line for a malformed value, a zero, or ACTIVE
// longer than PERIOD.
DutyCycle parse_duty(const std::string& text);

}  // namespace pollscope
