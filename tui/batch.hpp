// Batch mode's frame: the header block, the view's name, then the same table
// the screen shows as plain text (every row, every column, natural widths).
#pragma once
#include <string>

#include "tui/header.hpp"
#include "tui/top_model.hpp"

namespace pollscope::tui {

std::string batch_frame(const TopModel& m, const HeaderInfo& info);
// "Sockets: 31 rows  sort READY/s (desc)  filter \"x\"": shared with the screen.
std::string view_status(const TopModel& m);

}  // namespace pollscope::tui
