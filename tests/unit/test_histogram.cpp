#include <catch2/catch.hpp>

#include "core/model/histogram.hpp"

using pollscope::Log2Histogram;

TEST_CASE("log2 histogram puts values in power-of-two slots", "[histogram]") {
  Log2Histogram h;
  h.record(0);
  h.record(1);
  h.record(3);
  h.record(1024);
  h.record(2047);
  CHECK(h.slots[0] == 2);
  CHECK(h.slots[1] == 1);
  CHECK(h.slots[10] == 2);
  CHECK(h.count() == 5);
  CHECK(h.max_ns == 2047);
  h.record(1ULL << 40);  // beyond the last slot: open-ended last slot
  CHECK(h.slots[31] == 1);
}

TEST_CASE("percentiles interpolate inside the slot and never exceed max", "[histogram]") {
  Log2Histogram h;
  for (int i = 0; i < 100; i++) h.record(20'000'000);  // 20 ms: slot 24 [16.7ms, 33.5ms)
  double p50 = h.percentile_ns(0.5);
  CHECK(p50 >= (1 << 24));
  CHECK(p50 <= 20'000'000);
  CHECK(h.percentile_ns(1.0) == Approx(20'000'000));
  Log2Histogram empty;
  CHECK(empty.percentile_ns(0.99) == 0);
}

TEST_CASE("percentile picks the slot holding the rank", "[histogram]") {
  Log2Histogram h;
  for (int i = 0; i < 90; i++) h.record(1000);     // slot 9
  for (int i = 0; i < 10; i++) h.record(1000000);  // slot 19
  CHECK(h.percentile_ns(0.5) < 1024);
  CHECK(h.percentile_ns(0.9) <= 1024);
  CHECK(h.percentile_ns(0.99) >= (1 << 19));
}

TEST_CASE("since() gives the interval's histogram", "[histogram]") {
  Log2Histogram a;
  a.record(100);
  Log2Histogram b = a;
  b.record(5000);
  b.record(100);
  Log2Histogram d = b.since(a);
  CHECK(d.count() == 2);
  CHECK(d.sum_ns == 5100);
  CHECK(d.max_ns == 5000);
  Log2Histogram merged = a;
  merged.add(d);
  CHECK(merged == b);
}

TEST_CASE("format_ns is short and unit-bearing", "[histogram]") {
  CHECK(pollscope::format_ns(812) == "812ns");
  CHECK(pollscope::format_ns(3200) == "3.2us");
  CHECK(pollscope::format_ns(20.1e6) == "20ms");
  CHECK(pollscope::format_ns(1.5e9) == "1.50s");
}
