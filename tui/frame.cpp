#include "tui/frame.hpp"

#include <algorithm>
#include <cstdlib>

namespace pollscope::tui {

void ConnLog::push(ConnEvent e) {
  events_.push_back(std::move(e));
  logged_++;
  while (events_.size() > capacity_) events_.pop_front();
}

void ConnLog::ingest(const Snapshot& s) {
  for (const auto& r : s.sockets) {
    if (r.folded) continue;  // many connections' sums, not a connection that opened or closed
    Seen& seen = seen_[r.key];
    seen.in += r.read_bytes;
    seen.out += r.write_bytes;
    auto event = [&](bool close) {
      ConnEvent e;
      e.close = close;
      e.time = close ? r.close_time : r.open_time;
      e.key = r.key;
      e.pid = r.pid;
      e.comm = r.comm;
      e.proto = r.proto;
      e.local = r.local;
      e.remote = r.remote;
      e.state = r.state;
      e.duration_s = close ? r.age_s : 0;
      e.bytes_in = close ? seen.in : 0;
      e.bytes_out = close ? seen.out : 0;
      return e;
    };
    // Opened during this interval (sockets open before tracing are not news).
    if (!seen.open_logged && r.open_time > 0 && r.open_time >= s.start_time) {
      seen.open_logged = true;
      push(event(false));
    }
    if (!seen.close_logged && r.closed()) {
      seen.open_logged = true;
      seen.close_logged = true;
      push(event(true));
    }
  }
  // Forget closed sockets that are no longer reported, so memory stays bounded.
  if (seen_.size() > s.sockets.size()) {
    std::unordered_map<SocketKey, bool, KeyHash> present;
    present.reserve(s.sockets.size());
    for (const auto& r : s.sockets) present[r.key] = true;
    for (auto it = seen_.begin(); it != seen_.end();) {
      if (it->second.close_logged && !present.count(it->first))
        it = seen_.erase(it);
      else
        ++it;
    }
  }
}

}  // namespace pollscope::tui
