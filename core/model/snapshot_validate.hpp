// Values a snapshot read from a file must hold before anything renders it.
// The JSON reader checks types (counts are whole numbers of 0 or more, times
// are finite numbers); this checks what the types allow but no real interval
// has: times before 1970 or after 9999, an interval ending before it starts,
// a descriptor below -1, a CPU number no kernel has. Renderers assume these
// (a start_time of -1e308 printed "inf s from -").
#pragma once
#include <string>

#include "core/model/snapshot.hpp"

namespace pollscope {

// Unix seconds: the last second of the year 9999.
constexpr double kLatestUnixTime = 253402300799.0;

// Returns false and sets *error ("end_time (5) is before start_time (10)").
bool validate_snapshot(const Snapshot& s, std::string* error);

}  // namespace pollscope
