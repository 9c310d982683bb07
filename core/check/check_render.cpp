// Table and JSON renderings of a CheckResult; the tables go through the
// shared table layer (core/render/table) like every other.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/check/check.hpp"
#include "core/render/table.hpp"

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
  std::vector<Column> item_cols = {fixed_column("CHECK", 12, Align::Left), fixed_column("STATUS", 8, Align::Left),
                                   fixed_column("DETAIL", 0, Align::Left)};
  std::vector<Row> items;
  for (const auto& i : r.items) items.push_back(text_row({i.name, check_status_name(i.status), i.detail}));
  // A problem's fix goes under its row, aligned with DETAIL.
  auto fitted = fit_columns(item_cols, items, 0, -1);
  std::string indent(static_cast<size_t>(fitted[0].width + 1 + fitted[1].width + 1), ' ');
  auto lines = table_lines(item_cols, items, SortSpec{-1, false}, 0);
  out += lines[0] + "\n";
  for (size_t k = 0; k < r.items.size(); k++) {
    const auto& i = r.items[k];
    out += lines[k + 1] + "\n";
    if (i.status != CheckStatus::Ok && !i.fix.empty()) out += indent + "-> " + i.fix + "\n";
  }
  out += "\n";
  std::vector<Column> probe_cols = {fixed_column("FAMILY", 9, Align::Left),  fixed_column("TRACEPOINT", 34, Align::Left),
                                    fixed_column("TP_BTF", 6, Align::Left),  fixed_column("RAW_TP", 6, Align::Left),
                                    fixed_column("TRACEFS", 7, Align::Left), fixed_column("USING", 0, Align::Left)};
  std::vector<Row> probes;
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
    probes.push_back(text_row({probe::family_name(p.tracepoint.family), p.tracepoint.full_name(),
                               method_cell(p, probe::AttachMethod::TpBtf), method_cell(p, probe::AttachMethod::RawTp),
                               method_cell(p, probe::AttachMethod::Tracefs), using_}));
  }
  out += render_fixed_table(probe_cols, probes);
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
