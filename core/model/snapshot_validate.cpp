#include "core/model/snapshot_validate.hpp"

#include <fmt/format.h>

#include <cmath>

namespace pollscope {

namespace {

// Above any kernel's NR_CPUS (8192 at most on x86-64); a CPU number past it is corruption.
constexpr int kMaxCpu = 65535;

// A unix time in seconds; zero is allowed where the model uses it for "not seen".
bool bad_time(double t, const std::string& place, std::string* error) {
  if (std::isfinite(t) && t >= 0 && t <= kLatestUnixTime) return false;
  *error = fmt::format("{} ({:g}) is not a time: it must be unix seconds from 0 to {:.0f}", place, t,
                       kLatestUnixTime);
  return true;
}

}  // namespace

bool validate_snapshot(const Snapshot& s, std::string* error) {
  if (bad_time(s.start_time, "start_time", error) || bad_time(s.end_time, "end_time", error)) return false;
  if (s.end_time < s.start_time) {
    *error = fmt::format("end_time ({:.6f}) is before start_time ({:.6f})", s.end_time, s.start_time);
    return false;
  }
  for (size_t i = 0; i < s.sockets.size(); i++) {
    const SocketRow& r = s.sockets[i];
    std::string at = fmt::format("sockets[{}].", i);
    if (bad_time(r.open_time, at + "open_time", error) || bad_time(r.close_time, at + "close_time", error))
      return false;
    // open_time after close_time is not refused: both come from kernel clocks
    // converted with an offset read at each interval, so a connection that
    // lived microseconds can legitimately show them swapped.
    if (!(r.age_s >= 0 && r.age_s <= kLatestUnixTime)) {
      *error = fmt::format("{}age_s ({:g}) must be seconds from 0 to {:.0f}", at, r.age_s, kLatestUnixTime);
      return false;
    }
    if (r.fd < -1) {
      *error = fmt::format("{}fd ({}) must be a descriptor, or -1 when unknown", at, r.fd);
      return false;
    }
  }
  for (size_t i = 0; i < s.cpus.size(); i++) {
    if (s.cpus[i].cpu < 0 || s.cpus[i].cpu > kMaxCpu) {
      *error = fmt::format("cpus[{}].cpu ({}) must be a CPU number from 0 to {}", i, s.cpus[i].cpu, kMaxCpu);
      return false;
    }
  }
  return true;
}

}  // namespace pollscope
