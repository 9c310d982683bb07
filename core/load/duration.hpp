// "1.5s", "500ms", "250us", "2m", "10" (seconds) -> nanoseconds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace pollscope::load {

std::optional<uint64_t> parse_duration_ns(const std::string& text);

}  // namespace pollscope::load
