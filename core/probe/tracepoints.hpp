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

}  // namespace pollscope::probe
