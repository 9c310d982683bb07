#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/base/fixed_decimal.hpp"

using namespace pollscope;

namespace {

std::string by_fmt(double v, int d, const char* suffix) { return fmt::format("{:.{}f}{}", v, d, suffix); }

}  // namespace

TEST_CASE("fixed: the same text as fmt's {:.Nf}, ties and edges included", "[format]") {
  const double edges[] = {0.0, -0.0, 0.5, 1.5, 2.5, 0.25, 0.125, 0.0625, 0.05, 0.005, 0.0005, 0.995, 9.995,
                          99.95, 999.5, 1e9, 1e9 - 0.5, 1e12, 1e15, 123456789.125, 1.005, 2.675, 0.045,
                          -1.5, -0.001, std::numeric_limits<double>::infinity(),
                          -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
                          std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max()};
  for (int d = 0; d <= 3; d++)
    for (double v : edges) {
      INFO(v << " with " << d << " decimals");
      CHECK(fixed(v, d, "us") == by_fmt(v, d, "us"));
    }
  CHECK(fixed(7.25, 5) == by_fmt(7.25, 5, ""));  // beyond 3 decimals: fmt's own
  CHECK(fixed(0.04, 2) == "0.04");
  CHECK(fixed(12.5, 0, "k") == "12k");  // a tie: fmt rounds to even
}

TEST_CASE("fixed: random values of every magnitude agree with fmt", "[format]") {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mant(0, 10);
  std::uniform_int_distribution<int> exp10(-6, 10);
  std::uniform_int_distribution<int> dec(0, 3);
  std::uniform_int_distribution<int> ticks(0, 100000);
  int differ = 0;
  for (int i = 0; i < 300000; i++) {
    double v = mant(rng) * std::pow(10.0, exp10(rng));
    // Rates and latencies are often ratios of small integers: many land on
    // or next to a rounding half.
    if (i % 3 == 0) v = ticks(rng) / 1000.0;
    if (i % 3 == 1) v = ticks(rng) / 8.0;
    int d = dec(rng);
    if (fixed(v, d) != by_fmt(v, d, "")) differ++;
  }
  CHECK(differ == 0);
}
