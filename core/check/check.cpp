#include "core/check/check.hpp"

#include "core/probe/kernel_features.hpp"

namespace pollscope {

const char* check_status_name(CheckStatus s) {
  switch (s) {
    case CheckStatus::Ok: return "ok";
    case CheckStatus::Warn: return "warn";
    case CheckStatus::Missing: return "missing";
  }
  return "?";
}

bool CheckResult::ok() const { return problems().empty(); }

std::vector<std::string> CheckResult::problems() const {
  std::vector<std::string> out;
  for (const auto& i : items) {
    if (i.required && i.status == CheckStatus::Missing) {
      out.push_back(i.name + ": " + i.detail + (i.fix.empty() ? "" : "; " + i.fix));
    }
  }
  for (const auto& p : probes) {
    if (!p.tracepoint.required || !p.tried) continue;
    if (p.plan.method == probe::AttachMethod::None) {
      out.push_back(p.tracepoint.full_name() + ": not attachable (" + p.plan.reason() + ")");
    }
  }
  return out;
}

CheckResult run_check(const CheckOptions& opts) {
  CheckResult r;
  r.items.push_back({"kernel", CheckStatus::Ok, true, probe::kernel_release(), ""});

  std::string btf = probe::vmlinux_btf_path();
  if (btf.empty()) {
    r.items.push_back({"btf", CheckStatus::Missing, true, "no /sys/kernel/btf/vmlinux",
                       "use a kernel built with CONFIG_DEBUG_INFO_BTF=y"});
  } else {
    r.items.push_back({"btf", CheckStatus::Ok, true, btf, ""});
  }

  probe::Privileges priv = probe::current_privileges();
  if (priv.sufficient()) {
    r.items.push_back({"privileges", CheckStatus::Ok, true, priv.describe(), ""});
  } else {
    r.items.push_back({"privileges", CheckStatus::Missing, true,
                       priv.describe() + " lacks " + priv.missing(), "run as root"});
  }

  std::string tracefs = probe::tracefs_mount_point();
  if (!tracefs.empty()) {
    r.items.push_back({"tracefs", CheckStatus::Ok, true, "mounted at " + tracefs, ""});
  } else if (opts.mount_tracefs && priv.sufficient()) {
    probe::TracefsResult m = probe::ensure_tracefs();
    if (m.ok) {
      tracefs = m.path;
      r.items.push_back({"tracefs", CheckStatus::Ok, true, "mounted at " + m.path + " (mounted now)", ""});
    } else {
      r.items.push_back({"tracefs", CheckStatus::Missing, true, m.error,
                         "mount it: mount -t tracefs nodev /sys/kernel/tracing"});
    }
  } else {
    r.items.push_back({"tracefs", CheckStatus::Missing, true, "not mounted",
                       "run as root (pollscope mounts it), or: mount -t tracefs nodev /sys/kernel/tracing"});
  }

  int stats = probe::bpf_stats_enabled();
  if (stats < 0) {
    r.items.push_back({"bpf_stats", CheckStatus::Warn, false, "kernel.bpf_stats_enabled is absent",
                       "probe self-cost will not be reported"});
  } else if (!probe::bpf_stats_writable()) {
    r.items.push_back({"bpf_stats", CheckStatus::Warn, false,
                       "kernel.bpf_stats_enabled=" + std::to_string(stats) + " (not writable)",
                       "run as root to report probe self-cost"});
  } else {
    r.items.push_back({"bpf_stats", CheckStatus::Ok, false,
                       "kernel.bpf_stats_enabled=" + std::to_string(stats) + " (switchable)", ""});
  }

  const probe::TrialBtfScope trial_btf;  // one parse for every tp_btf trial below
  for (const auto& tp : probe::tracepoints()) {
    ProbeCheck pc;
    pc.tracepoint = tp;
    if (!priv.sufficient()) {
      pc.not_tried_reason = "needs " + priv.missing();
    } else {
      pc.tried = true;
      pc.plan = probe::plan_attach(tp, tracefs, probe::PlanDepth::TryAll);
    }
    r.probes.push_back(std::move(pc));
  }
  return r;
}

}  // namespace pollscope
