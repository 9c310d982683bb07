// `pollscope check`: what this machine offers pollscope, as data. Rendered as
// a table or JSON by core/check/check_render.*.
#pragma once
#include <string>
#include <vector>

#include "core/probe/attach_probe.hpp"
#include "core/probe/tracepoints.hpp"

namespace pollscope {

enum class CheckStatus { Ok, Warn, Missing };
const char* check_status_name(CheckStatus s);

struct CheckItem {
  std::string name;
  CheckStatus status = CheckStatus::Ok;
  bool required = true;
  std::string detail;
  std::string fix;  // what to do about it, when not ok
};

struct ProbeCheck {
  probe::Tracepoint tracepoint;
  bool tried = false;
  std::string not_tried_reason;
  probe::AttachPlan plan;
};

struct CheckResult {
  std::vector<CheckItem> items;
  std::vector<ProbeCheck> probes;
  bool ok() const;
  std::vector<std::string> problems() const;  // one line per missing required piece
};

struct CheckOptions {
  bool mount_tracefs = true;  // mount tracefs when absent and privileged
};

CheckResult run_check(const CheckOptions& opts);

std::string render_check_text(const CheckResult& r);
std::string render_check_json(const CheckResult& r);

}  // namespace pollscope
