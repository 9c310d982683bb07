#include "core/load/stop.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pollscope::load {

namespace {

uint64_t total(const LostCounts& lost) {
  uint64_t n = 0;
  for (auto v : lost) n += v;
  return n;
}

}  // namespace

StopReason decide_stop(const std::vector<WorkerEnd>& ends, const LostCounts& lost) {
  auto any = [&](WorkerEnd e) { return std::find(ends.begin(), ends.end(), e) != ends.end(); };
  // A signal first: it stops every worker, whatever else was happening.
  if (any(WorkerEnd::kInterrupted)) return StopReason::kInterrupted;
  // One worker still running at the end of -d means the run lasted its time,
  // even if another worker's connections were all lost before.
  if (any(WorkerEnd::kDuration)) return StopReason::kDuration;
  uint64_t n = total(lost);
  if (n == 0) return StopReason::kCount;
  // Closed and reset both mean the server hung up on a working connection
  // (a dying server sends a FIN, or an RST when requests were left unread).
  if (lost[kClosed] + lost[kReset] == n) return StopReason::kServerClosed;
  return StopReason::kAllConnectionsFailed;
}

const char* stop_reason_name(StopReason r) {
  switch (r) {
    case StopReason::kDuration: return "duration";
    case StopReason::kCount: return "count";
    case StopReason::kInterrupted: return "interrupted";
    case StopReason::kServerClosed: return "server_closed";
    case StopReason::kAllConnectionsFailed: return "all_connections_failed";
  }
  return "?";
}

bool parse_stop_reason(std::string_view name, StopReason* out) {
  for (StopReason r : {StopReason::kDuration, StopReason::kCount, StopReason::kInterrupted, StopReason::kServerClosed,
                       StopReason::kAllConnectionsFailed}) {
    if (name == stop_reason_name(r)) {
      *out = r;
      return true;
    }
  }
  return false;
}

std::string describe_stop(StopReason r, const LostCounts& lost, uint64_t answered) {
  switch (r) {
    case StopReason::kDuration: return "duration reached";
    case StopReason::kCount: return fmt::format("request count reached ({} answered)", answered);
    case StopReason::kInterrupted: return "interrupted by a signal";
    case StopReason::kServerClosed:
      // Both counts always, so that "closed" and "reset" read as the two ways.
      return fmt::format("the server closed every connection ({} closed, {} reset)", lost[kClosed], lost[kReset]);
    case StopReason::kAllConnectionsFailed: {
      std::string kinds;
      for (int k = 0; k < kErrorKinds; ++k) {
        uint64_t v = lost[static_cast<size_t>(k)];
        if (v) kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", v, error_kind_name(k));
      }
      return "every connection failed (" + kinds + ")";
    }
  }
  return "?";
}

}  // namespace pollscope::load
