// Which way into a tracepoint works on this kernel: a trial load and attach
// of a `return 0` program per attach method (tp_btf, raw_tp, tracefs), or
// only a lookup where a trial costs more than it tells (see PlanDepth).
// ProbeSet calls plan_attach() to pick which variant of each program to load
// (tp_btf first, raw_tp fallback, or raw_tp alone with POLLSCOPE_FORCE_RAW_TP;
// tracefs for the syscall tracepoints) and `pollscope check` calls it to try
// every method, so the two agree. Also where libbpf's messages are turned
// on or off (set_libbpf_verbose).
#pragma once
#include <string>
#include <vector>

#include "core/probe/tracepoints.hpp"

struct btf;  // libbpf's (bpf/btf.h)

namespace pollscope::probe {

// While one lives, the tp_btf trials share one parse of the kernel's BTF
// (about 45 ms a parse here: libbpf_find_vmlinux_btf_id() parses it anew on
// each call, 9 times at every start); it is freed with the scope, not kept
// (about 6 MB of heap for the rest of the run). Without one, each trial
// parses it itself.
class TrialBtfScope {
 public:
  TrialBtfScope();
  ~TrialBtfScope();
  TrialBtfScope(const TrialBtfScope&) = delete;
  TrialBtfScope& operator=(const TrialBtfScope&) = delete;

 private:
  btf* parsed_;  // nullptr if the kernel's BTF could not be read
};

struct AttachAttempt {
  AttachMethod method = AttachMethod::None;
  bool ok = false;
  std::string error;  // why it failed, when !ok
};

struct AttachPlan {
  AttachMethod method = AttachMethod::None;  // None: unusable
  std::vector<AttachAttempt> attempts;       // in the order tried
  std::string reason() const;                // why None, from the attempts
};

// Loads a `return 0` program of the method's type and attaches it to tp, then
// detaches. tracefs_path is where tracefs is mounted ("" if it is not).
AttachAttempt try_attach(const Tracepoint& tp, AttachMethod method, const std::string& tracefs_path);

// How much plan_attach proves.
enum class PlanDepth {
  // A trial attach only where there is a fallback to choose (tp_btf, else
  // raw_tp). A tracepoint with one way in (the tracefs syscall events) is
  // only looked up, and the real attach reports a failure: releasing a trial
  // perf event on a syscall tracepoint waits for a tracepoint grace period,
  // about 70 ms each on this project's machines, 1 s at every start for the
  // 14 wait-call events.
  Choose,
  // A trial attach for every method, after a success too (pollscope check
  // reports each).
  TryAll,
};

// Tries the methods in order of preference and picks the first that works.
AttachPlan plan_attach(const Tracepoint& tp, const std::string& tracefs_path,
                       PlanDepth depth = PlanDepth::Choose);

// Silences libbpf's own messages unless verbose; pollscope prints its own.
void set_libbpf_verbose(bool verbose);

}  // namespace pollscope::probe
