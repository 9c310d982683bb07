// Table and JSON renderings of a CheckResult.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/check/check.hpp"

namespace pollscope {

namespace {

const probe::AttachAttempt* attempt_for(const probe::AttachPlan& plan, probe::AttachMethod m) {
  for (const auto& a : plan.attempts)
    if (a.method == m) return &a;
  return nullptr;
}

std::string method_cell(const ProbeCheck& p, probe::AttachMethod m) {
  if (!p.tried) return "-";
  const auto* a = attempt_for(p.plan, m);
  if (!a) return "-";
  return a->ok ? "yes" : "no";
}

}  // namespace

std::string render_check_text(const CheckResult& r) {
  std::string out;
  out += fmt::format("{:<12} {:<8} {}\n", "CHECK", "STATUS", "DETAIL");
  for (const auto& i : r.items) {
    out += fmt::format("{:<12} {:<8} {}\n", i.name, check_status_name(i.status), i.detail);
    if (i.status != CheckStatus::Ok && !i.fix.empty()) out += fmt::format("{:<21} -> {}\n", "", i.fix);
  }
  out += "\n";
  out += fmt::format("{:<9} {:<34} {:<6} {:<6} {:<7} {}\n", "FAMILY", "TRACEPOINT", "TP_BTF",
                     "RAW_TP", "TRACEFS", "USING");
  for (const auto& p : r.probes) {
    std::string using_;
    if (!p.tried) {
      using_ = "not tried: " + p.not_tried_reason;
    } else if (p.plan.method == probe::AttachMethod::None) {
      using_ = "MISSING: " + p.plan.reason();
    } else {
      using_ = probe::attach_method_name(p.plan.method);
      if (p.plan.method == probe::AttachMethod::RawTp) using_ += " (tp_btf fallback)";
    }
    out += fmt::format("{:<9} {:<34} {:<6} {:<6} {:<7} {}\n", probe::family_name(p.tracepoint.family),
                       p.tracepoint.full_name(), method_cell(p, probe::AttachMethod::TpBtf),
                       method_cell(p, probe::AttachMethod::RawTp),
                       method_cell(p, probe::AttachMethod::Tracefs), using_);
  }
  auto problems = r.problems();
  out += "\n";
  if (problems.empty()) {
    out += "result: ok, everything pollscope needs is available\n";
  } else {
    out += fmt::format("result: {} problem(s)\n", problems.size());
  }
  return out;
}

std::string render_check_json(const CheckResult& r) {
  nlohmann::ordered_json j;
  j["ok"] = r.ok();
  auto& items = j["checks"] = nlohmann::ordered_json::array();
  for (const auto& i : r.items) {
    nlohmann::ordered_json e;
    e["name"] = i.name;
    e["status"] = check_status_name(i.status);
    e["required"] = i.required;
    e["detail"] = i.detail;
    if (!i.fix.empty()) e["fix"] = i.fix;
    items.push_back(e);
  }
  auto& probes = j["tracepoints"] = nlohmann::ordered_json::array();
  for (const auto& p : r.probes) {
    nlohmann::ordered_json e;
    e["tracepoint"] = p.tracepoint.full_name();
    e["family"] = probe::family_name(p.tracepoint.family);
    e["required"] = p.tracepoint.required;
    e["tried"] = p.tried;
    if (!p.tried) e["not_tried_reason"] = p.not_tried_reason;
    e["using"] = p.tried ? probe::attach_method_name(p.plan.method) : "none";
    auto& att = e["attempts"] = nlohmann::ordered_json::array();
    for (const auto& a : p.plan.attempts) {
      nlohmann::ordered_json ae;
      ae["method"] = probe::attach_method_name(a.method);
      ae["ok"] = a.ok;
      if (!a.ok) ae["error"] = a.error;
      att.push_back(ae);
    }
    probes.push_back(e);
  }
  j["problems"] = r.problems();
  return j.dump(2) + "\n";
}

}  // namespace pollscope
