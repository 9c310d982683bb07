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
  const uint64_t n = ++ingested_;
  for (const auto& r : s.sockets) {
    if (r.folded) continue;  // many connections' sums, not a connection that opened or closed
    Seen& seen = seen_[r.key];
    seen.reported = n;
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
      closed_.push_back(r.key);
    }
  }
  // Forget a closed connection once an interval leaves it out, so memory
  // stays bounded. Only the closed ones are looked at: a walk of every
  // connection seen (at 100,000 sockets most are idle, so not in the
  // interval's rows) cost a sixth of top's CPU.
  size_t kept = 0;
  for (const auto& k : closed_) {
    auto it = seen_.find(k);
    if (it == seen_.end()) continue;
    if (it->second.reported == n)
      closed_[kept++] = k;
    else
      seen_.erase(it);
  }
  closed_.resize(kept);
}

}  // namespace pollscope::tui
