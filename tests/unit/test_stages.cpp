#include <catch2/catch.hpp>

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
  st.class_ns[0][kStageWakeup] = 300;
  st.class_ns[0][kStageDispatch] = 100;
  st.class_ns[5][kStageRunq] = 3000;
  st.class_ns[5][kStageDispatch] = 1000;
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
  d.class_ns[7][kStageWakeup] = 123;
  d.class_count[7] = 4;
  stage_delta(now, before, d);
  CHECK(d.class_ns[7][kStageWakeup] == 0);
  CHECK(d.class_count[7] == 0);
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
  st.class_count[0] = 900;
  st.class_count[5] = 100;
  CHECK(st.tail_class(0.9) == 5);
  CHECK(st.tail_class(0.5) == 0);
  st.class_count[0] = 901;
  CHECK(st.tail_class(0.9) == 0);
  st.class_count = {};
  st.class_count[3] = 1;
  CHECK(st.tail_class(0.99) == 3);
}
