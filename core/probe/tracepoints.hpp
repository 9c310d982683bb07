// The catalogue of kernel tracepoints pollscope uses, grouped in families that
// `--probes` selects. One place, so `check`, the tracer and the docs agree.
#pragma once
#include <string>
#include <vector>

namespace pollscope::probe {

enum class Family { Sock, Sched, Softirq, Syscalls };

const char* family_name(Family f);
// Parses "sock", "sched", "softirq", "syscalls"; false when unknown.
bool parse_family(const std::string& name, Family* out);
// Parses "sock,sched" (or "all") into families; throws Fatal(kExitUsage) naming a bad one.
std::vector<Family> parse_family_list(const std::string& list);
const std::vector<Family>& all_families();

// How a program gets attached. Ordered by preference for typed-arg tracepoints.
enum class AttachMethod { TpBtf, RawTp, Tracefs, None };
const char* attach_method_name(AttachMethod m);

struct Tracepoint {
  Family family;
  std::string category;  // e.g. "sock"
  std::string name;      // e.g. "sk_data_ready"
  bool required;         // pollscope check fails when a required one is missing
  // Syscall tracepoints exist only as tracefs events (no BTF prototype), so they
  // can only be attached through the perf-event tracepoint interface.
  bool tracefs_only;
  std::string full_name() const { return category + ":" + name; }
};

const std::vector<Tracepoint>& tracepoints();

// The BPF program that attaches tp by method m, as named in
// bpf/pollscope.bpf.c: btf_<tp>/raw_<tp> for typed tracepoints,
// enter_<call>/exit_<call> for the syscall tracepoints.
std::string program_name(const Tracepoint& tp, AttachMethod m);
// Every method a tracepoint can be attached by (tp_btf and raw_tp, or tracefs).
std::vector<AttachMethod> attach_methods(const Tracepoint& tp);

}  // namespace pollscope::probe
