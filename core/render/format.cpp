#include "core/render/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>

#include "core/base/fixed_decimal.hpp"
#include "core/model/histogram.hpp"

namespace pollscope {

namespace {

std::string scaled(double v, const char* const* units, int n_units, double base) {
  // No figure (0/0, an overflow) prints as "no sample" does, never "nan".
  if (!std::isfinite(v)) return "-";
  int u = 0;
  while (u + 1 < n_units && std::fabs(v) >= (u == 0 ? 9999.5 : 999.5)) {
    v /= base;
    u++;
  }
  if (u == 0) {
    if (v == 0) return "0";
    // Below 1, two significant digits (at most three decimals): a rate of
    // 0.04/s or 0.042 EAGAIN per request is not "0.0".
    if (std::fabs(v) < 0.995) {
      int decimals = std::min(3, 1 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
      return fixed(v, decimals);
    }
    if (std::fabs(v) < 9.95 && v != std::floor(v)) return fixed(v, 1);
    return fixed(v, 0);
  }
  if (std::fabs(v) < 9.995) return fixed(v, 2, units[u]);
  if (std::fabs(v) < 99.95) return fixed(v, 1, units[u]);
  return fixed(v, 0, units[u]);
}

}  // namespace

std::string format_rate(double v) {
  static const char* const units[] = {"", "k", "M", "G", "T"};
  return scaled(v, units, 5, 1000.0);
}

std::string format_bytes(double v) {
  static const char* const units[] = {"", "K", "M", "G", "T"};
  return scaled(std::round(v), units, 5, 1024.0);
}

std::string format_pct(double v) {
  if (!std::isfinite(v)) return "-";
  if (v <= 0) return "0.0";
  if (v < 99.95) return fixed(v, 1);
  return fixed(v, 0);
}

std::string format_latency(double ns, bool has_samples) {
  if (!has_samples) return "-";
  return format_ns(ns);
}

std::string format_duration(double s) {
  if (s < 0) s = 0;
  if (s < 10) return fixed(s, 2, "s");
  if (s < 60) return fixed(s, 1, "s");
  auto total = static_cast<long long>(s);
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  if (total < 86400) return fmt::format("{}h{:02}m", total / 3600, (total % 3600) / 60);
  return fmt::format("{}d{:02}h", total / 86400, (total % 86400) / 3600);
}

std::string format_clock(double unix_s, bool with_ms) {
  if (unix_s <= 0) return with_ms ? "--:--:--.---" : "--:--:--";
  // Whole milliseconds, rounded (1.35 s is 1350 ms, not 1349).
  long long total_ms = std::llround(unix_s * 1000.0);
  auto secs = static_cast<time_t>(with_ms ? total_ms / 1000 : static_cast<long long>(std::floor(unix_s)));
  int ms = static_cast<int>(total_ms % 1000);
  struct tm tm {};
  localtime_r(&secs, &tm);
  if (!with_ms) return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
  return fmt::format("{:02}:{:02}:{:02}.{:03}", tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string fit(const std::string& text, int width, bool align_right, bool keep_end) {
  std::string out;
  append_fit(out, text, width, align_right, keep_end);
  return out;
}

void append_fit(std::string& out, std::string_view text, int width, bool align_right, bool keep_end) {
  if (width <= 0) return;
  auto w = static_cast<size_t>(width);
  if (text.size() > w) {
    // A cut shows '+' where the text went on (procps top does the same), so
    // "redis-ser+" is never taken for a whole name, nor "+:46954" for a whole address.
    if (keep_end) {
      out += '+';
      out.append(text.substr(text.size() - (w - 1), w - 1));
    } else {
      out.append(text.substr(0, w - 1));
      out += '+';
    }
    return;
  }
  if (align_right) out.append(w - text.size(), ' ');
  out += text;
  if (!align_right) out.append(w - text.size(), ' ');
}

bool contains_nocase(const std::string& hay, const std::string& needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); i++) {
    size_t k = 0;
    while (k < needle.size() &&
           std::tolower(static_cast<unsigned char>(hay[i + k])) ==
               std::tolower(static_cast<unsigned char>(needle[k])))
      k++;
    if (k == needle.size()) return true;
  }
  return false;
}

}  // namespace pollscope
