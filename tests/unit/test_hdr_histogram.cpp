#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/base/hdr_histogram.hpp"

using pollscope::HdrHistogram;

namespace {

// Exact nearest-rank percentile of a data set.
uint64_t exact(std::vector<uint64_t> v, double p) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

void check_all(const HdrHistogram& h, const std::vector<uint64_t>& data) {
  for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    uint64_t want = exact(data, p);
    uint64_t got = h.percentile(p);
    INFO("p" << p << " want " << want << " got " << got);
    CHECK(std::fabs(static_cast<double>(got) - static_cast<double>(want)) <=
          0.01 * static_cast<double>(want) + 0.5);
  }
}

}  // namespace

TEST_CASE("hdr histogram: bucket bounds cover 1us..60s within 1%", "[hdr]") {
  for (uint64_t v = 1000; v <= 60'000'000'000ull; v = v * 101 / 100 + 7) {
    size_t i = HdrHistogram::index_of(v);
    REQUIRE(i < HdrHistogram::kBuckets);
    uint64_t lo = HdrHistogram::lowest_of(i), hi = HdrHistogram::highest_of(i);
    REQUIRE(lo <= v);
    REQUIRE(v <= hi);
    REQUIRE(static_cast<double>(hi - lo) <= 0.01 * static_cast<double>(lo));
  }
  // Consecutive buckets tile the range with no gap.
  for (size_t i = 0; i + 1 < HdrHistogram::kBuckets; ++i)
    REQUIRE(HdrHistogram::highest_of(i) + 1 == HdrHistogram::lowest_of(i + 1));
}

TEST_CASE("hdr histogram: percentiles of uniform data match exact ones", "[hdr]") {
  HdrHistogram h;
  std::vector<uint64_t> data;
  for (uint64_t v = 1; v <= 100000; ++v) {  // 1 ns .. 100 us
    data.push_back(v * 1000);               // 1 us .. 100 ms
    h.record(v * 1000);
  }
  REQUIRE(h.count() == 100000);
  REQUIRE(h.max() == 100'000'000);
  REQUIRE(h.min() == 1000);
  REQUIRE(h.mean() == Approx(50'000'500.0));
  check_all(h, data);
  CHECK(h.percentile(50) == Approx(50'000'000).epsilon(0.01));
  CHECK(h.percentile(99) == Approx(99'000'000).epsilon(0.01));
}

TEST_CASE("hdr histogram: percentiles of a long-tailed data set", "[hdr]") {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(std::log(200'000.0), 1.5);  // ~200us median
  HdrHistogram h;
  std::vector<uint64_t> data;
  for (int i = 0; i < 200000; ++i) {
    auto v = static_cast<uint64_t>(std::clamp(dist(rng), 1000.0, 60e9));
    data.push_back(v);
    h.record(v);
  }
  check_all(h, data);
  CHECK(h.max() == *std::max_element(data.begin(), data.end()));
}

TEST_CASE("hdr histogram: bimodal data with a 1% stall", "[hdr]") {
  HdrHistogram h;
  std::vector<uint64_t> data;
  for (int i = 0; i < 9900; ++i) data.push_back(50'000 + static_cast<uint64_t>(i % 100) * 10);
  for (int i = 0; i < 100; ++i) data.push_back(500'000'000 + static_cast<uint64_t>(i) * 1000);
  for (auto v : data) h.record(v);
  check_all(h, data);
  CHECK(h.percentile(99) < 1'000'000);      // the stall is the top 1% only
  CHECK(h.percentile(99.9) > 400'000'000);  // and shows above p99
}

TEST_CASE("hdr histogram: merge equals recording everything in one", "[hdr]") {
  HdrHistogram a, b, all;
  std::vector<uint64_t> data;
  for (uint64_t i = 0; i < 50000; ++i) {
    uint64_t v = 1000 + (i * 7919) % 3'000'000;
    data.push_back(v);
    (i % 3 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  REQUIRE(a.count() == all.count());
  REQUIRE(a.max() == all.max());
  REQUIRE(a.min() == all.min());
  for (double p : {50.0, 90.0, 99.0, 99.9}) REQUIRE(a.percentile(p) == all.percentile(p));
  check_all(a, data);
}

TEST_CASE("hdr histogram: edge cases", "[hdr]") {
  HdrHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.percentile(99) == 0);
  CHECK(h.max() == 0);
  h.record(120'000'000'000ull);  // beyond the range: clamped bucket, exact max
  CHECK(h.max() == 120'000'000'000ull);
  CHECK(h.percentile(100) == 120'000'000'000ull);
  h.record_n(5, 3);
  h.record(1000);
  CHECK(h.count() == 5);
  CHECK(h.percentile(50) == 5);
  h.reset();
  CHECK(h.count() == 0);
  CHECK(h.min() == 0);
}
