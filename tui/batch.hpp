// Batch mode's frame: the header block, the view's name, then the same table
// the screen shows as plain text (every row, every column, natural widths).
#pragma once
#include <cstdio>
#include <string>

#include "tui/header.hpp"
#include "tui/top_model.hpp"

namespace pollscope::tui {

std::string batch_frame(const TopModel& m, const HeaderInfo& info);
// The same frame written to `to` in pieces as it is made, not held whole
// (megabytes at 100,000 sockets), then flushed; false when a write failed
// (errno says why).
bool write_batch_frame(const TopModel& m, const HeaderInfo& info, std::FILE* to);
// "Sockets: 31 rows  sort READY/s (desc)  filter \"x\"": shared with the screen.
std::string view_status(const TopModel& m);

}  // namespace pollscope::tui
