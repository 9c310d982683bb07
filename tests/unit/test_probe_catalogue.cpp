#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "core/probe/attach_probe.hpp"
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

TEST_CASE("a tracefs-only tracepoint is planned by lookup, without a trial attach", "[probe]") {
  // A private directory shaped like tracefs: its event id 4242000 is no real
  // event, so a trial attach (perf_event_open) would fail and so would the plan.
  char dir[] = "/tmp/pollscope-tracefs-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::string root = dir;
  struct RemoveAtEnd {
    std::string path;
    ~RemoveAtEnd() {
      if (std::system(("rm -rf '" + path + "'").c_str()) != 0) std::fprintf(stderr, "cannot remove %s\n", path.c_str());
    }
  } cleanup{root};
  std::string ev = root + "/events/syscalls/sys_enter_pollscope_test";
  REQUIRE(std::system(("mkdir -p " + ev + " && echo 4242000 > " + ev + "/id").c_str()) == 0);
  Tracepoint present{Family::Syscalls, "syscalls", "sys_enter_pollscope_test", false, true};
  Tracepoint missing{Family::Syscalls, "syscalls", "sys_exit_pollscope_test", false, true};

  AttachPlan p = plan_attach(present, root);
  CHECK(p.method == AttachMethod::Tracefs);
  REQUIRE(p.attempts.size() == 1);
  CHECK(p.attempts[0].ok);

  AttachPlan q = plan_attach(missing, root);
  CHECK(q.method == AttachMethod::None);
  CHECK(q.reason().find("no tracepoint syscalls:sys_exit_pollscope_test") != std::string::npos);

  AttachPlan r = plan_attach(present, "");
  CHECK(r.method == AttachMethod::None);
  CHECK(r.reason().find("tracefs is not mounted") != std::string::npos);

  // pollscope check proves it: the trial attach of a made-up id fails.
  CHECK(plan_attach(present, root, PlanDepth::TryAll).method == AttachMethod::None);
}
