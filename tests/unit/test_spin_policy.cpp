#include <catch2/catch.hpp>

#include "core/serve/spin_policy.hpp"

using pollscope::serve::SpinPolicy;

TEST_CASE("spin policy: spins only after a wait shorter than the budget", "[serve]") {
  SpinPolicy p(20000);
  CHECK_FALSE(p.spin_next());  // a fresh loop sleeps first
  p.blocked_for(5000);         // events come faster than the budget: spin
  CHECK(p.spin_next());
  p.blocked_for(19999);
  CHECK(p.spin_next());
  p.blocked_for(20000);  // light load: back to sleeping
  CHECK_FALSE(p.spin_next());
  p.blocked_for(500000);
  CHECK_FALSE(p.spin_next());
}

TEST_CASE("spin policy: budget 0 (or negative) never spins", "[serve]") {
  for (int64_t budget : {int64_t{0}, int64_t{-5}}) {
    SpinPolicy p(budget);
    CHECK(p.budget_ns() == 0);
    p.blocked_for(0);
    CHECK_FALSE(p.spin_next());
  }
}
