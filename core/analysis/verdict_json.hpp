// The verdict as JSON: the report's `verdict` object (pollscope-report(8)
// JSON), so scripts can alert on the named stage and its evidence.
#pragma once
#include "core/analysis/verdict.hpp"
#include "core/model/snapshot_json.hpp"

namespace pollscope {

Json verdict_to_json(const Verdict& v);

}  // namespace pollscope
