// The once-a-second progress line of `pollscope load` (stderr).
#pragma once
#include <string>

#include "core/load/run.hpp"

namespace pollscope::load {

std::string format_progress(const Progress& p);

}  // namespace pollscope::load
