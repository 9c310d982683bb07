// What the top screens render: the interval's Snapshot plus the state the TUI
// keeps across intervals (recent connection opens/closes), and the pid/port/
// comm filter applied to recorded data on replay.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model/snapshot.hpp"
#include "core/model/snapshot_filter.hpp"

namespace pollscope::tui {

// One open or close seen through inet_sock_set_state (open_time/close_time).
struct ConnEvent {
  bool close = false;
  double time = 0;  // unix seconds of the transition
  SocketKey key;
  uint32_t pid = 0;
  std::string comm;
  std::string proto;
  std::string local;
  std::string remote;
  std::string state;
  double duration_s = 0;  // closes: open (or first seen) to close
  uint64_t bytes_in = 0;  // closes: total read while traced
  uint64_t bytes_out = 0;
};

// Keeps the last `capacity` connection events across intervals.
class ConnLog {
 public:
  explicit ConnLog(size_t capacity = 1000) : capacity_(capacity) {}
  void ingest(const Snapshot& s);
  const std::deque<ConnEvent>& events() const { return events_; }
  // Events logged so far: events() changed when this did.
  uint64_t logged() const { return logged_; }

 private:
  struct Seen {
    uint64_t in = 0, out = 0;
    uint64_t reported = 0;  // the last ingest whose rows had it
    bool open_logged = false, close_logged = false;
  };
  struct KeyHash {
    size_t operator()(const SocketKey& k) const { return std::hash<uint64_t>()(k.sk * 31 + k.first_seen_ns); }
  };
  void push(ConnEvent e);
  size_t capacity_;
  std::deque<ConnEvent> events_;
  uint64_t logged_ = 0;
  std::unordered_map<SocketKey, Seen, KeyHash> seen_;
  std::vector<SocketKey> closed_;  // logged closed, forgotten once an interval leaves them out
  uint64_t ingested_ = 0;
};

// The data one screen shows.
struct Frame {
  std::shared_ptr<const Snapshot> snap;
  std::shared_ptr<const std::deque<ConnEvent>> conns;
  uint64_t index = 0;  // 1-based interval number in this run
};


}  // namespace pollscope::tui
