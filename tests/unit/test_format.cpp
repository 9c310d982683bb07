// The one number and text style of every table (core/render/format): top,
// the text report, lab --compare and check all print through it.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core/render/format.hpp"

using namespace pollscope;

TEST_CASE("format: rates and counts, three significant digits past 9999") {
  CHECK(format_rate(0) == "0");
  CHECK(format_rate(999) == "999");
  CHECK(format_rate(1000) == "1000");
  CHECK(format_rate(9999) == "9999");
  CHECK(format_rate(9999.4) == "9999");
  CHECK(format_rate(9999.5) == "10.0k");
  CHECK(format_rate(12345) == "12.3k");
  CHECK(format_rate(123456) == "123k");
  CHECK(format_rate(999499) == "999k");
  CHECK(format_rate(999500) == "1.00M");
  CHECK(format_rate(1e6) == "1.00M");
  CHECK(format_rate(1234567) == "1.23M");
  CHECK(format_rate(1e9) == "1.00G");
  CHECK(format_rate(12.3e9) == "12.3G");
  CHECK(format_rate(1e12) == "1.00T");
}

TEST_CASE("format: small rates keep a decimal; below 1, two significant digits") {
  CHECK(format_rate(5) == "5");
  CHECK(format_rate(3.5) == "3.5");
  CHECK(format_rate(9.94) == "9.9");
  CHECK(format_rate(9.96) == "10");
  CHECK(format_rate(194.6) == "195");
  CHECK(format_rate(0.999) == "1.0");
  CHECK(format_rate(0.35) == "0.35");
  CHECK(format_rate(0.042) == "0.042");
  CHECK(format_rate(0.0031) == "0.003");  // at most three decimals
  CHECK(format_rate(0.0001) == "0.000");  // not zero, not "1e-04"
}

TEST_CASE("format: negative and non-numbers") {
  CHECK(format_rate(-12345) == "-12.3k");
  CHECK(format_rate(-3.5) == "-3.5");
  CHECK(format_rate(std::nan("")) == "-");
  CHECK(format_rate(std::numeric_limits<double>::infinity()) == "-");
  CHECK(format_bytes(std::nan("")) == "-");
  CHECK(format_pct(std::nan("")) == "-");
  CHECK(format_pct(-1) == "0.0");
}

TEST_CASE("format: bytes in powers of 1024, the same digits as rates") {
  CHECK(format_bytes(0) == "0");
  CHECK(format_bytes(512) == "512");
  CHECK(format_bytes(1023) == "1023");
  CHECK(format_bytes(9999) == "9999");
  CHECK(format_bytes(10000) == "9.77K");
  CHECK(format_bytes(20000) == "19.5K");
  CHECK(format_bytes(1024 * 1024) == "1.00M");
  CHECK(format_bytes(12.3 * 1024 * 1024) == "12.3M");
  CHECK(format_bytes(1e9) == "954M");
  CHECK(format_bytes(1024.0 * 1024 * 1024) == "1.00G");
  CHECK(format_bytes(2.4) == "2");  // whole bytes
}

TEST_CASE("format: percentages, durations, latencies") {
  CHECK(format_pct(0) == "0.0");
  CHECK(format_pct(12.34) == "12.3");
  CHECK(format_pct(99.94) == "99.9");
  CHECK(format_pct(99.96) == "100");
  CHECK(format_pct(100) == "100");
  CHECK(format_duration(-5) == "0.00s");
  CHECK(format_duration(0) == "0.00s");
  CHECK(format_duration(0.35) == "0.35s");
  CHECK(format_duration(12) == "12.0s");
  CHECK(format_duration(303) == "5m03s");
  CHECK(format_duration(7500) == "2h05m");
  CHECK(format_duration(90000) == "1d01h");
  CHECK(format_latency(5000, false) == "-");
  CHECK(format_latency(0, true) == "0");
  CHECK(format_latency(999, true) == "999ns");
  CHECK(format_latency(1000, true) == "1.0us");
  CHECK(format_latency(12345, true) == "12us");
  CHECK(format_latency(1e6, true) == "1.0ms");
  CHECK(format_latency(1e9, true) == "1.00s");
}

TEST_CASE("format: fit pads, and cuts with '+' at the end or, keeping the end, at the start") {
  CHECK(fit("ab", 4, true) == "  ab");
  CHECK(fit("ab", 4, false) == "ab  ");
  CHECK(fit("abcd", 4, false) == "abcd");
  CHECK(fit("abcdef", 4, false) == "abc+");
  CHECK(fit("abcdef", 4, false, true) == "+def");
  CHECK(fit("abcdef", 1, false) == "+");
  CHECK(fit("abcdef", 0, false).empty());
  CHECK(fit("redis-server", 10, false) == "redis-ser+");
  std::string out = "x";
  append_fit(out, "127.0.0.1:46954", 8, false, true);
  CHECK(out == "x+1:46954");
}

TEST_CASE("format: case-insensitive search") {
  CHECK(contains_nocase("Redis-Server", "redis"));
  CHECK(contains_nocase("abc", ""));
  CHECK_FALSE(contains_nocase("ab", "abc"));
}
