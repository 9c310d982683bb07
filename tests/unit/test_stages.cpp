#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include "core/model/stages.hpp"

using namespace pollscope;

TEST_CASE("stage classes: a factor of 4 each, as the kernel groups them", "[stages]") {
  CHECK(StageStats::class_of(0) == 0);
  CHECK(StageStats::class_of(4095) == 0);
  CHECK(StageStats::class_of(4096) == 1);
  CHECK(StageStats::class_of(16383) == 1);
  CHECK(StageStats::class_of(16384) == 2);
  CHECK(StageStats::class_of((1ULL << 24) - 1) == 6);
  CHECK(StageStats::class_of(1ULL << 24) == 7);
  CHECK(StageStats::class_of(~0ULL) == 7);
  for (int c = 0; c < kStageClasses; c++) {
    CHECK(StageStats::class_of(StageStats::class_low_ns(c)) == c);
    if (c > 0) CHECK(StageStats::class_of(StageStats::class_low_ns(c) - 1) == c - 1);
  }
}

TEST_CASE("stage names round trip", "[stages]") {
  for (int s = 0; s < kStages; s++) {
    int back = -1;
    REQUIRE(parse_stage(stage_name(s), &back));
    CHECK(back == s);
  }
  int x = 0;
  CHECK_FALSE(parse_stage("queue", &x));
}

TEST_CASE("stage shares: over all readiness events and over the tail", "[stages]") {
  StageStats st;
  st.classes.row(0).ns[kStageWakeup] = 300;
  st.classes.row(0).ns[kStageDispatch] = 100;
  st.classes.row(5).ns[kStageRunq] = 3000;
  st.classes.row(5).ns[kStageDispatch] = 1000;
  CHECK(st.all_ns() == 4400);
  CHECK(st.stage_ns(kStageDispatch) == 1100);
  auto all = st.shares();
  CHECK_THAT(all[kStageRunq], Catch::WithinAbs(3000.0 / 4400, 1e-9));
  auto tail = st.shares(5);
  CHECK_THAT(tail[kStageRunq], Catch::WithinAbs(0.75, 1e-9));
  CHECK(tail[kStageWakeup] == 0);
  auto none = st.shares(6);
  for (double v : none) CHECK(v == 0);
}

TEST_CASE("stage delta: counts wrap modulo 2^32, slots shift into the log2 histogram", "[stages]") {
  ps_stages before{}, now{};
  before.hist[kStageRunq][3] = 0xFFFFFFF0u;
  now.hist[kStageRunq][3] = 0x10u;  // wrapped: 0x20 more
  now.hist[kStageBusy][0] = 2;
  now.class_ns[2][kStageRunq] = 500;
  now.class_ns[2][kStageBusy] = 20;
  now.split = 7;
  before.split = 5;
  now.approx = 1;
  StageStats d;
  d.hist[1].slots[3] = 77;  // anything there before is replaced
  d.hist[1].max_ns = 5;
  d.split = 99;
  d.classes.row(7).ns[kStageWakeup] = 123;
  d.classes.row(7).count = 4;
  stage_delta(now, before, d);
  CHECK(d.classes.ns(7, kStageWakeup) == 0);
  CHECK(d.classes.count(7) == 0);
  CHECK(d.classes.mask() == 1u << 2);  // only the class with news has a row
  CHECK(d.classes.ns(2, kStageRunq) == 500);
  CHECK(d.classes.ns(2, kStageBusy) == 20);
  CHECK(d.hist[kStageRunq].slots[3 + PS_STAGE_SLOT_SHIFT] == 0x20);
  CHECK(d.hist[kStageBusy].slots[PS_STAGE_SLOT_SHIFT] == 2);
  CHECK(d.hist[1].slots[3] == 0);
  CHECK(d.hist[1].max_ns == 0);
  CHECK(d.hist[kStageRunq].sum_ns == 500);
  CHECK(d.split == 2);
  CHECK(d.approx == 1);
  StageStats twice = d;
  twice.add(d);
  CHECK(twice.split == 4);
  CHECK(twice.stage_ns(kStageRunq) == 1000);
  CHECK(twice.hist[kStageRunq].count() == 0x40);
}

TEST_CASE("stage tail: the class of the first readiness above the quantile", "[stages]") {
  StageStats st;
  CHECK(st.tail_class() == 0);
  st.classes.row(0).count = 900;
  st.classes.row(5).count = 100;
  CHECK(st.tail_class(0.9) == 5);
  CHECK(st.tail_class(0.5) == 0);
  st.classes.row(0).count = 901;
  CHECK(st.tail_class(0.9) == 0);
  st.classes.clear();
  st.classes.row(3).count = 1;
  CHECK(st.tail_class(0.99) == 3);
}

TEST_CASE("class times: random rows, adds, copies, moves, reserves and clears agree with plain arrays", "[stages]") {
  // Plain arrays are the model; the compact one keeps one class in itself and
  // more on the heap.
  std::mt19937 rng(11);
  uint64_t ns[kStageClasses][kStages] = {};
  uint64_t count[kStageClasses] = {};
  ClassTimes t;
  auto agrees = [&](const ClassTimes& x) {
    for (int c = 0; c < kStageClasses; c++) {
      if (x.count(c) != count[c]) return false;
      for (int s = 0; s < kStages; s++)
        if (x.ns(c, s) != ns[c][s]) return false;
    }
    return true;
  };
  bool ok = true;
  for (int step = 0; step < 20000 && ok; step++) {
    int c = static_cast<int>(rng() % kStageClasses), s = static_cast<int>(rng() % kStages);
    // Phases of one class (inline) and of many (heap).
    if ((step / 400) % 2 == 0 && step % 50 == 0) {
      t.clear();
      std::memset(ns, 0, sizeof(ns));
      std::memset(count, 0, sizeof(count));
    }
    if ((step / 400) % 2 == 0) c = 3;
    switch (rng() % 7) {
      case 0: { uint64_t n = rng() % 1000; t.row(c).ns[s] += n; ns[c][s] += n; break; }
      case 1: { t.row(c).count++; count[c]++; break; }
      case 2: { ClassTimes copy(t); ok = agrees(copy) && copy == t; t = copy; break; }
      case 3: { ClassTimes m(std::move(t)); t = ClassTimes(); t = std::move(m); break; }
      case 4: {
        ClassTimes other;
        other.row(c).ns[s] = 7;
        other.row(c).count = 1;
        t.add(other);
        ns[c][s] += 7;
        count[c] += 1;
        break;
      }
      case 5: { t.reserve(rng() % 10); break; }  // keeps what it holds
      default: { ClassTimes c2; c2.row(6).count = 9; c2 = t; ok = agrees(c2); break; }
    }
    ok = ok && agrees(t);
  }
  CHECK(ok);
  ClassTimes& self = t;
  t = self;
  CHECK(agrees(t));
  t = std::move(self);
  CHECK(agrees(t));
  // A row of zeros equals no row; a cleared one has no class.
  ClassTimes a, b;
  a.row(4);
  CHECK(a == b);
  CHECK(a.mask() == 1u << 4);
  a.clear();
  CHECK(a.mask() == 0);
  CHECK(a.find(4) == nullptr);
  // Rows stay in class order whatever order they came in.
  for (int c : {7, 0, 5, 2, 6, 1, 4, 3}) a.row(c).count = static_cast<uint64_t>(c + 1);
  for (int c = 0; c < kStageClasses; c++) CHECK(a.count(c) == static_cast<uint64_t>(c + 1));
}
