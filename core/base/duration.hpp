// Durations on the command line: "10s", "500ms", "2m", "1.5" (seconds),
// "250us", "100ns", "1h". One parser for every subcommand.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace pollscope {

// Nanoseconds; nullopt for anything that is not a non-negative duration.
std::optional<uint64_t> parse_duration_ns(const std::string& text);

// Seconds; throws Fatal(kExitUsage) naming `what` on a bad value.
double parse_duration(const std::string& text, const std::string& what);

}  // namespace pollscope
