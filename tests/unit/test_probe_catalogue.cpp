#include <catch2/catch.hpp>
#include <set>

#include "core/probe/kernel_features.hpp"
#include "core/probe/tracepoints.hpp"

using namespace pollscope::probe;

TEST_CASE("every family parses back from its name", "[probe]") {
  for (Family f : all_families()) {
    Family back;
    REQUIRE(parse_family(family_name(f), &back));
    CHECK(back == f);
  }
  Family dummy;
  CHECK_FALSE(parse_family("kprobes", &dummy));
}

TEST_CASE("tracepoint catalogue covers the contract's tracepoints", "[probe]") {
  std::set<std::string> names;
  for (const auto& tp : tracepoints()) names.insert(tp.full_name());
  for (const char* n : {"sock:sk_data_ready", "sock:sock_recv_length", "sock:inet_sock_set_state",
                        "sched:sched_waking", "sched:sched_switch", "irq:softirq_entry",
                        "syscalls:sys_enter_epoll_wait", "syscalls:sys_exit_pselect6"}) {
    CHECK(names.count(n) == 1);
  }
  for (const auto& tp : tracepoints()) CHECK(tp.tracefs_only == (tp.category == "syscalls"));
}

TEST_CASE("privileges come from CapEff bits", "[probe]") {
  CHECK(privileges_from_capeff(0x000001ffffffffffULL, true).sufficient());
  CHECK_FALSE(privileges_from_capeff(0, false).sufficient());
  CHECK(privileges_from_capeff(0, false).missing() == "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)");
  auto bpf_perfmon = privileges_from_capeff((1ULL << 39) | (1ULL << 38), false);
  CHECK(bpf_perfmon.sufficient());
  auto bpf_only = privileges_from_capeff(1ULL << 39, false);
  CHECK_FALSE(bpf_only.sufficient());
  CHECK(bpf_only.missing() == "CAP_PERFMON (or CAP_SYS_ADMIN)");
}
