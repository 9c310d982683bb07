// HOST:PORT parsing and the start-up reachability check.
#pragma once
#include <string>

#include "core/load/config.hpp"

namespace pollscope::load {

// Resolves "HOST:PORT" ("[v6]:PORT" too). Throws Fatal(kExitUsage) when invalid.
Target parse_target(const std::string& text);

// One connect with a deadline, then close. Throws Fatal(kExitFailure) with
// "cannot connect to ADDR: reason" when it fails.
void check_reachable(const Target& t, uint64_t timeout_ns);

}  // namespace pollscope::load
