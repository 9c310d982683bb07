// Why a load run stopped, decided from how each worker's loop ended and how
// the connections given up were lost, and the words used for it in the
// summary and on stderr.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/load/errors.hpp"

namespace pollscope::load {

enum class StopReason {
  kDuration,              // -d elapsed (after --warmup)
  kCount,                 // every -n request was answered
  kInterrupted,           // SIGINT, SIGTERM or SIGHUP
  kServerClosed,          // no connection left, every one lost was closed (FIN) or reset (RST) by the server
  kAllConnectionsFailed,  // no connection left, some lost otherwise (refused, timeout, bad reply, ...)
};

// How one worker's loop ended.
enum class WorkerEnd { kDuration, kInterrupted, kNoConnections };

// Connections given up (no --reconnect) by the error that ended each; a
// connection whose -n share was answered is not lost.
using LostCounts = ErrorCounts;

// One worker stopping on the clock or a signal decides for the run (the
// others stop with it); when every worker ran out of connections, the lost
// ones say why: none lost means the -n count was reached.
StopReason decide_stop(const std::vector<WorkerEnd>& ends, const LostCounts& lost);

// The JSON token: duration, count, interrupted, server_closed, all_connections_failed.
const char* stop_reason_name(StopReason r);
// The reverse of stop_reason_name; false for any other word.
bool parse_stop_reason(std::string_view name, StopReason* out);

// The run ended before what was asked because no connection was left.
inline bool stopped_early(StopReason r) {
  return r == StopReason::kServerClosed || r == StopReason::kAllConnectionsFailed;
}

// What happened, in words: "duration reached", "the server closed every
// connection (10 closed, 0 reset)", "every connection failed (3 timeout)".
// answered: the measured requests answered (used by kCount).
std::string describe_stop(StopReason r, const LostCounts& lost, uint64_t answered);

}  // namespace pollscope::load
