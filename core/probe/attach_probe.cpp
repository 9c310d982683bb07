#include "core/probe/attach_probe.hpp"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "core/base/error.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope::probe {

namespace {

// r0 = 0; exit
const struct bpf_insn kReturnZero[] = {
    {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0},
    {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
};
constexpr size_t kReturnZeroLen = sizeof(kReturnZero) / sizeof(kReturnZero[0]);

std::string fail_text(const std::string& step, int err) {
  return step + ": " + errno_text(err);
}

// The kernel's BTF of the TrialBtfScope alive, if any.
const btf* g_trial_btf = nullptr;

// The BTF id of the tracepoint's typedef btf_trace_<name>, which a tp_btf
// program names as its attach point (what libbpf_find_vmlinux_btf_id looks
// up for BPF_TRACE_RAW_TP); negative when there is none.
int tp_btf_type_id(const std::string& name) {
  if (!g_trial_btf) return libbpf_find_vmlinux_btf_id(name.c_str(), BPF_TRACE_RAW_TP);
  return btf__find_by_name_kind(g_trial_btf, ("btf_trace_" + name).c_str(), BTF_KIND_TYPEDEF);
}

AttachAttempt attach_tp_btf(const Tracepoint& tp) {
  AttachAttempt a{AttachMethod::TpBtf, false, ""};
  int btf_id = tp_btf_type_id(tp.name);
  if (btf_id < 0) {
    a.error = "no BTF type btf_trace_" + tp.name;
    return a;
  }
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP,
              .attach_btf_id = static_cast<__u32>(btf_id));
  UniqueFd prog(bpf_prog_load(BPF_PROG_TYPE_TRACING, "ps_probe", "GPL", kReturnZero,
                              kReturnZeroLen, &opts));
  if (!prog.valid()) {
    a.error = fail_text("load", errno);
    return a;
  }
  UniqueFd link(bpf_raw_tracepoint_open(nullptr, prog.get()));
  if (!link.valid()) {
    a.error = fail_text("attach", errno);
    return a;
  }
  a.ok = true;
  return a;
}

AttachAttempt attach_raw_tp(const Tracepoint& tp) {
  AttachAttempt a{AttachMethod::RawTp, false, ""};
  UniqueFd prog(bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "ps_probe", "GPL", kReturnZero,
                              kReturnZeroLen, nullptr));
  if (!prog.valid()) {
    a.error = fail_text("load", errno);
    return a;
  }
  UniqueFd link(bpf_raw_tracepoint_open(tp.name.c_str(), prog.get()));
  if (!link.valid()) {
    a.error = fail_text("attach", errno);
    return a;
  }
  a.ok = true;
  return a;
}

// The tracefs event's id (what perf_event_open takes); 0 and a.error if none.
unsigned long long tracefs_event_id(const Tracepoint& tp, const std::string& tracefs_path, AttachAttempt& a) {
  if (tracefs_path.empty()) {
    a.error = "tracefs is not mounted";
    return 0;
  }
  std::string id_path = tracefs_path + "/events/" + tp.category + "/" + tp.name + "/id";
  std::ifstream id_file(id_path);
  unsigned long long id = 0;
  if (!(id_file >> id) || id == 0) {
    a.error = "no tracepoint " + tp.full_name() + " (" + id_path + " unreadable)";
    return 0;
  }
  return id;
}

AttachAttempt find_tracefs(const Tracepoint& tp, const std::string& tracefs_path) {
  AttachAttempt a{AttachMethod::Tracefs, false, ""};
  a.ok = tracefs_event_id(tp, tracefs_path, a) != 0;
  return a;
}

AttachAttempt attach_tracefs(const Tracepoint& tp, const std::string& tracefs_path) {
  AttachAttempt a{AttachMethod::Tracefs, false, ""};
  unsigned long long id = tracefs_event_id(tp, tracefs_path, a);
  if (id == 0) return a;
  UniqueFd prog(bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "ps_probe", "GPL", kReturnZero,
                              kReturnZeroLen, nullptr));
  if (!prog.valid()) {
    a.error = fail_text("load", errno);
    return a;
  }
  struct perf_event_attr attr = {};
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.size = sizeof(attr);
  attr.config = id;
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  UniqueFd pfd(static_cast<int>(
      ::syscall(__NR_perf_event_open, &attr, -1 /*pid*/, 0 /*cpu*/, -1, PERF_FLAG_FD_CLOEXEC)));
  if (!pfd.valid()) {
    a.error = fail_text("perf_event_open", errno);
    return a;
  }
  if (::ioctl(pfd.get(), PERF_EVENT_IOC_SET_BPF, prog.get()) != 0) {
    a.error = fail_text("attach", errno);
    return a;
  }
  a.ok = true;
  return a;
}

int quiet_print(enum libbpf_print_level, const char*, va_list) { return 0; }
int verbose_print(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  return std::vfprintf(stderr, fmt, args);
}

}  // namespace

TrialBtfScope::TrialBtfScope() : parsed_(btf__load_vmlinux_btf()) {
  if (!g_trial_btf) g_trial_btf = parsed_;
}

TrialBtfScope::~TrialBtfScope() {
  if (g_trial_btf == parsed_) g_trial_btf = nullptr;
  btf__free(parsed_);
}

std::string AttachPlan::reason() const {
  std::string r;
  for (const auto& a : attempts) {
    if (a.ok) continue;
    if (!r.empty()) r += "; ";
    r += std::string(attach_method_name(a.method)) + ": " + a.error;
  }
  return r;
}

AttachAttempt try_attach(const Tracepoint& tp, AttachMethod method, const std::string& tracefs_path) {
  switch (method) {
    case AttachMethod::TpBtf: return attach_tp_btf(tp);
    case AttachMethod::RawTp: return attach_raw_tp(tp);
    case AttachMethod::Tracefs: return attach_tracefs(tp, tracefs_path);
    case AttachMethod::None: break;
  }
  return {AttachMethod::None, false, "no attach method"};
}

AttachPlan plan_attach(const Tracepoint& tp, const std::string& tracefs_path, PlanDepth depth) {
  AttachPlan plan;
  if (tp.tracefs_only && depth == PlanDepth::Choose) {
    plan.attempts.push_back(find_tracefs(tp, tracefs_path));
    if (plan.attempts.back().ok) plan.method = AttachMethod::Tracefs;
    return plan;
  }
  std::vector<AttachMethod> order;
  if (tp.tracefs_only) {
    order = {AttachMethod::Tracefs};
  } else if (depth != PlanDepth::TryAll && std::getenv("POLLSCOPE_FORCE_RAW_TP")) {
    // The fallback for kernels without tp_btf, chosen on purpose so that it
    // can be tested where tp_btf works (pollscope(8) ENVIRONMENT).
    order = {AttachMethod::RawTp};
  } else {
    order = {AttachMethod::TpBtf, AttachMethod::RawTp};
  }
  for (AttachMethod m : order) {
    plan.attempts.push_back(try_attach(tp, m, tracefs_path));
    if (plan.attempts.back().ok && plan.method == AttachMethod::None) {
      plan.method = m;
      if (depth != PlanDepth::TryAll) break;
    }
  }
  return plan;
}

void set_libbpf_verbose(bool verbose) { libbpf_set_print(verbose ? verbose_print : quiet_print); }

}  // namespace pollscope::probe
