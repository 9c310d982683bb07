#include "core/export/duty_cycle.hpp"

#include <cmath>

#include "core/base/duration.hpp"
#include "core/base/error.hpp"

namespace pollscope {

bool DutyCycle::active_at(double t) const {
  if (always_on()) return true;
  return std::fmod(t, period_s) < active_s;
}

double DutyCycle::until_switch(double t) const {
  if (always_on()) return period_s;
  double in_period = std::fmod(t, period_s);
  return in_period < active_s ? active_s - in_period : period_s - in_period;
}

DutyCycle parse_duty(const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos)
    throw Fatal("--duty: '" + text + "' is not ACTIVE/PERIOD (e.g. " + kDefaultDuty + ")", kExitUsage);
  DutyCycle d;
  d.active_s = parse_duration(text.substr(0, slash), "--duty");
  d.period_s = parse_duration(text.substr(slash + 1), "--duty");
  if (d.active_s <= 0 || d.period_s <= 0) throw Fatal("--duty: ACTIVE and PERIOD must be above zero", kExitUsage);
  if (d.active_s > d.period_s) throw Fatal("--duty: ACTIVE (" + text.substr(0, slash) + ") is longer than PERIOD", kExitUsage);
  // Attaching and detaching take tens of milliseconds (the syscall
  // tracepoints about 70 ms each to release): shorter phases would be mostly
  // transition.
  if (d.active_s < 0.5) throw Fatal("--duty: ACTIVE must be at least 500ms", kExitUsage);
  return d;
}

}  // namespace pollscope
