// The stage split and the verdict in a detail pane: shared by the Stages,
// Sockets and Threads views, so the row a user picks is judged by the same
// rules as the report's VERDICT.
#pragma once
#include "core/model/snapshot.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

// One line per stage (share of all, share of the tail, p50, p99, events) and
// the histogram of each stage that applied.
void stage_detail(Detail& d, const StageStats& st);
// Thread t judged as the report's VERDICT judges it, its sentence cut into lines.
void verdict_detail(Detail& d, const Snapshot& s, const ThreadRow& t);

}  // namespace pollscope::tui
