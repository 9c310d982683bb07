#include "core/duration.hpp"

#include <cmath>
#include <cstdlib>

#include "core/error.hpp"

namespace pollscope {

double parse_duration(const std::string& text, const std::string& what) {
  const char* s = text.c_str();
  char* end = nullptr;
  double v = std::strtod(s, &end);
  if (end == s || !std::isfinite(v) || v < 0)
    throw Fatal(what + ": '" + text + "' is not a duration (e.g. 10s, 500ms, 2m)", kExitUsage);
  std::string unit(end);
  double scale;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "ms") scale = 1e-3;
  else if (unit == "us") scale = 1e-6;
  else if (unit == "m") scale = 60;
  else if (unit == "h") scale = 3600;
  else throw Fatal(what + ": unknown unit in '" + text + "' (use us, ms, s, m or h)", kExitUsage);
  return v * scale;
}

}  // namespace pollscope
