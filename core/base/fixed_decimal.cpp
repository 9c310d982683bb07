#include "core/base/fixed_decimal.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>

namespace pollscope {

void append_fixed(std::string& out, double v, int decimals, std::string_view suffix) {
  static constexpr double kScale[] = {1, 10, 100, 1000};
  const double x = decimals >= 0 && decimals <= 3 ? v * kScale[decimals] : -1;
  if (!std::signbit(v) && x >= 0 && x < 1e9) {  // not -0.0, which fmt writes "-0"
    const double below = std::floor(x);
    // Below 2^30, x is the exact v * 10^decimals within half an ulp (2^-24):
    // away from a half by more than that, rounding x rounds the exact
    // product the same way, as fmt does. A tie, or near one, goes to fmt.
    if (std::fabs(x - below - 0.5) > 1e-6) {
      auto n = static_cast<uint64_t>(x - below > 0.5 ? below + 1 : below);
      char digits[24];
      auto res = std::to_chars(digits, digits + sizeof digits, n);
      auto len = static_cast<size_t>(res.ptr - digits);
      const auto d = static_cast<size_t>(decimals);
      if (d == 0) {
        out.append(digits, len);
      } else {
        if (len <= d) {  // 0.05: zeros between the point and the digits
          out += '0';
          out += '.';
          out.append(d - len, '0');
          out.append(digits, len);
        } else {
          out.append(digits, len - d);
          out += '.';
          out.append(digits + len - d, d);
        }
      }
      out += suffix;
      return;
    }
  }
  fmt::format_to(std::back_inserter(out), "{:.{}f}{}", v, decimals, suffix);
}

std::string fixed(double v, int decimals, std::string_view suffix) {
  std::string s;
  append_fixed(s, v, decimals, suffix);
  return s;
}

}  // namespace pollscope
