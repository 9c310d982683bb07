#include "core/probe/tracepoints.hpp"

#include <sstream>

#include "core/base/error.hpp"

namespace pollscope::probe {

const char* family_name(Family f) {
  switch (f) {
    case Family::Sock: return "sock";
    case Family::Sched: return "sched";
    case Family::Softirq: return "softirq";
    case Family::Syscalls: return "syscalls";
  }
  return "?";
}

bool parse_family(const std::string& name, Family* out) {
  for (Family f : all_families()) {
    if (name == family_name(f)) {
      *out = f;
      return true;
    }
  }
  return false;
}

const std::vector<Family>& all_families() {
  static const std::vector<Family> all = {Family::Sock, Family::Sched, Family::Softirq,
                                          Family::Syscalls};
  return all;
}

const char* attach_method_name(AttachMethod m) {
  switch (m) {
    case AttachMethod::TpBtf: return "tp_btf";
    case AttachMethod::RawTp: return "raw_tp";
    case AttachMethod::Tracefs: return "tracepoint";
    case AttachMethod::None: return "none";
  }
  return "?";
}

const std::vector<Tracepoint>& tracepoints() {
  static const std::vector<Tracepoint> all = [] {
    std::vector<Tracepoint> v = {
        {Family::Sock, "sock", "sk_data_ready", true, false},
        {Family::Sock, "sock", "sock_recv_length", true, false},
        {Family::Sock, "sock", "sock_send_length", true, false},
        {Family::Sock, "sock", "inet_sock_set_state", true, false},
        {Family::Sched, "sched", "sched_waking", true, false},
        {Family::Sched, "sched", "sched_switch", true, false},
        // Keeps forked children of a traced command inside the pid filter.
        {Family::Sched, "sched", "sched_process_fork", true, false},
        {Family::Softirq, "irq", "softirq_entry", true, false},
        {Family::Softirq, "irq", "softirq_exit", true, false},
    };
    for (const char* call : {"epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll",
                             "select", "pselect6"}) {
      for (const char* dir : {"sys_enter_", "sys_exit_"}) {
        v.push_back({Family::Syscalls, "syscalls", std::string(dir) + call, true, true});
      }
    }
    return v;
  }();
  return all;
}

std::string program_name(const Tracepoint& tp, AttachMethod m) {
  if (tp.tracefs_only) {
    if (tp.name.rfind("sys_enter_", 0) == 0) return "enter_" + tp.name.substr(10);
    if (tp.name.rfind("sys_exit_", 0) == 0) return "exit_" + tp.name.substr(9);
    return tp.name;
  }
  return (m == AttachMethod::RawTp ? "raw_" : "btf_") + tp.name;
}

std::vector<AttachMethod> attach_methods(const Tracepoint& tp) {
  if (tp.tracefs_only) return {AttachMethod::Tracefs};
  return {AttachMethod::TpBtf, AttachMethod::RawTp};
}

std::vector<Family> parse_family_list(const std::string& list) {
  std::vector<Family> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    if (item == "all") return all_families();
    Family f;
    if (!parse_family(item, &f))
      throw Fatal("unknown probe family '" + item + "' (choose from sock, sched, softirq, syscalls, all)",
                  kExitUsage);
    out.push_back(f);
  }
  if (out.empty()) throw Fatal("--probes needs at least one family", kExitUsage);
  return out;
}

}  // namespace pollscope::probe
