#include "core/base/duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/base/error.hpp"

namespace pollscope {

std::optional<uint64_t> parse_duration_ns(const std::string& text) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.')) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(v) || v < 0) return std::nullopt;
  std::string unit(end);
  double mult;
  if (unit.empty() || unit == "s") mult = 1e9;
  else if (unit == "ms") mult = 1e6;
  else if (unit == "us") mult = 1e3;
  else if (unit == "ns") mult = 1;
  else if (unit == "m") mult = 60e9;
  else if (unit == "h") mult = 3600e9;
  else return std::nullopt;
  double ns = v * mult;
  if (ns > 1e18) return std::nullopt;
  return static_cast<uint64_t>(std::llround(ns));
}

double parse_duration(const std::string& text, const std::string& what) {
  auto ns = parse_duration_ns(text);
  if (!ns) throw Fatal(what + ": '" + text + "' is not a duration (e.g. 10s, 500ms, 2m)", kExitUsage);
  return static_cast<double>(*ns) / 1e9;
}

}  // namespace pollscope
