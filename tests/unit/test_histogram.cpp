#include <catch2/catch.hpp>
#include <random>

#include "core/model/histogram.hpp"

using pollscope::Log2Histogram;
using pollscope::SparseSlots;

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

TEST_CASE("sparse slots: read and written by slot number, zeros kept out") {
  SparseSlots s;
  CHECK(!s.any());
  s[7] = 3;
  s[2] += 5;
  s[31]++;
  s.add(7, 1);
  s.add(9, 0);  // adding nothing makes no slot
  CHECK(s.mask() == ((1u << 2) | (1u << 7) | (1u << 31)));
  CHECK(s.get(2) == 5);
  CHECK(s.get(7) == 4);
  CHECK(s.get(31) == 1);
  CHECK(s.get(9) == 0);
  uint64_t total = 0;
  size_t n = 0;
  for (uint64_t c : s) {
    total += c;
    n++;
  }
  CHECK(n == 32);
  CHECK(total == 10);
  s.set(7, 0);  // a zero leaves the set, so equal histograms compare equal
  SparseSlots t;
  t[31] = 1;
  t[2] = 5;
  CHECK(s == t);
  s.fill(0);
  CHECK(!s.any());
  CHECK(s != t);
}

TEST_CASE("sparse slots: a histogram's arithmetic over every slot") {
  Log2Histogram a, b;
  for (int k = 0; k < Log2Histogram::kSlots; k++) {
    a.slots[static_cast<size_t>(k)] = static_cast<uint64_t>(k + 1);
    if (k % 3 == 0) b.slots[static_cast<size_t>(k)] = static_cast<uint64_t>(k + 1);
  }
  a.sum_ns = b.sum_ns = 100;
  Log2Histogram d = a.since(b);
  for (int k = 0; k < Log2Histogram::kSlots; k++)
    CHECK(d.slots[static_cast<size_t>(k)] == (k % 3 == 0 ? 0u : static_cast<uint64_t>(k + 1)));
  d.add(b);
  CHECK(d.slots == a.slots);
  CHECK(d.count() == a.count());
  CHECK(a.count() == 32 * 33 / 2);
}

TEST_CASE("sparse slots: random sets, adds, copies and moves agree with a plain array, inline or not") {
  // A plain array is the model; the sparse one keeps up to three counts in
  // itself and moves them to the heap and back as counts come and go.
  std::mt19937 rng(7);
  uint64_t model[SparseSlots::kSize] = {};
  SparseSlots s;
  auto agrees = [&](const SparseSlots& x) {
    uint32_t mask = 0;
    for (size_t k = 0; k < SparseSlots::kSize; k++) {
      if (x.get(k) != model[k]) return false;
      if (model[k]) mask |= 1u << k;
    }
    return x.mask() == mask;
  };
  bool ok = true;
  for (int step = 0; step < 20000 && ok; step++) {
    size_t k = rng() % SparseSlots::kSize;
    // Mostly few counts (inline), sometimes many (heap), with zeros that
    // leave the set.
    bool sparse_phase = (step / 500) % 2 == 0;
    if (sparse_phase && s.mask() && __builtin_popcount(s.mask()) >= 3) {
      size_t z = static_cast<size_t>(__builtin_ctz(s.mask()));
      s.set(z, 0);
      model[z] = 0;
      continue;
    }
    switch (rng() % 6) {
      case 0: s.set(k, 0); model[k] = 0; break;
      case 1: { uint64_t n = rng() % 5; s.add(k, n); model[k] += n; break; }
      case 2: { SparseSlots c(s); ok = agrees(c) && c == s; s = c; break; }
      case 3: { SparseSlots m(std::move(s)); s = SparseSlots(); s = std::move(m); break; }
      case 4: { SparseSlots c; c[5] = 9; c = s; ok = agrees(c); break; }
      default: { uint64_t n = 1 + rng() % 100; s[k] = n; model[k] = n; break; }
    }
    ok = ok && agrees(s);
  }
  CHECK(ok);
  // Assigned to itself, by copy or by move, it keeps its counts.
  SparseSlots& self = s;
  s = self;
  CHECK(agrees(s));
  s = std::move(self);
  CHECK(agrees(s));
  // assign replaces every slot, on the heap or inline.
  s.fill(4);
  s.assign(3, 5, [](size_t i) { return i % 2 ? 0 : i + 1; });
  CHECK(s.mask() == ((1u << 3) | (1u << 5) | (1u << 7)));
  CHECK(s.get(7) == 5);
  SparseSlots t;
  t.assign(0, 32, [](size_t i) { return i + 1; });
  CHECK(__builtin_popcount(t.mask()) == 32);
  CHECK(t.get(31) == 32);
}
