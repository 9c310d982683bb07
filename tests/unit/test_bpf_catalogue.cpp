// The tracepoint catalogue (core/probe/tracepoints.cpp) and the BPF object
// (bpf/pollscope.bpf.c) name the same programs: the tracer finds a program by
// the name program_name() builds, so a renamed or missing one would only show
// at run time as a probe that cannot attach. Opening the skeleton parses the
// ELF object and loads nothing: no root needed.
#include <bpf/libbpf.h>
#include <linux/types.h>

#include <catch2/catch.hpp>
#include <memory>
#include <set>
#include <string>

#include "bpf/pollscope.skel.h"
#include "core/probe/tracepoints.hpp"

using namespace pollscope::probe;

TEST_CASE("bpf: every catalogue entry has its program for every attach method") {
  std::unique_ptr<pollscope_bpf, void (*)(pollscope_bpf*)> skel(pollscope_bpf__open(), pollscope_bpf__destroy);
  REQUIRE(skel);
  std::set<std::string> wanted;
  for (const Tracepoint& tp : tracepoints()) {
    for (AttachMethod m : attach_methods(tp)) {
      std::string name = program_name(tp, m);
      wanted.insert(name);
      INFO(tp.full_name() << " via " << attach_method_name(m) << ": program " << name);
      CHECK(bpf_object__find_program_by_name(skel->obj, name.c_str()) != nullptr);
    }
  }
  // And no program in the object is left without a catalogue entry.
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel->obj) {
    INFO("program " << bpf_program__name(prog));
    CHECK(wanted.count(bpf_program__name(prog)) == 1);
  }
}
