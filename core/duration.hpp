// Durations on the command line: "10s", "500ms", "2m", "1.5" (seconds), "250us".
#pragma once
#include <string>

namespace pollscope {

// Seconds; throws Fatal(kExitUsage) naming `what` on a bad value.
double parse_duration(const std::string& text, const std::string& what);

}  // namespace pollscope
