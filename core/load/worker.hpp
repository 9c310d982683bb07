// One load thread: its own epoll, its share of the connections, its own
// histograms and counters (merged after the run; nothing shared in the hot
// path but a few relaxed atomics for the progress line).
//
// Every request of a run is the same bytes, so sending k requests is one
// send() of a window of a pre-built buffer holding the request repeated: no
// copy and no allocation per request. Each connection keeps at most
// `pipeline` requests in flight in a ring of (intended, actual) send times.
// Closed loop: a reply frees a slot, refilled once the whole epoll batch has
// been read (the server then gets requests in bursts). Open loop:
// request k of connection i is due at start_i + k * period (period =
// connections / rate), whatever happened before; latency is measured from
// that intended time (corrected) and from the moment it was handed to send()
// (uncorrected).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/hdr_histogram.hpp"
#include "core/load/config.hpp"
#include "core/load/errors.hpp"
#include "core/load/stop.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope::load {

struct WorkerTotals {
  HdrHistogram corrected;    // reply time - intended send time
  HdrHistogram uncorrected;  // reply time - actual send time
  uint64_t requests = 0;     // measured replies (ok or unexpected)
  uint64_t sent = 0;         // measured requests handed to send()
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  ErrorCounts errors{};
  LostCounts lost{};       // connections given up, by the error that ended each
  uint64_t finish_ns = 0;  // when the loop ended
  WorkerEnd end = WorkerEnd::kDuration;  // why the loop ended
};

// Read by the progress thread while the worker runs.
struct alignas(64) WorkerLive {
  std::atomic<uint64_t> replies{0};  // all replies, warmup included
  std::atomic<uint64_t> errors{0};
  std::atomic<int> open{0};
  std::atomic<bool> done{false};
};

struct RunClock {
  uint64_t start_ns;          // t0
  uint64_t measure_start_ns;  // t0 + warmup
  uint64_t end_ns;            // measure start + duration, or UINT64_MAX
};

class Worker {
 public:
  // conn_ids: the global indexes of this worker's connections (0..connections-1).
  Worker(const LoadConfig& cfg, std::vector<int> conn_ids, RunClock clock,
         const std::atomic<bool>* stop);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void run();  // returns when the run is over for this worker
  const WorkerTotals& totals() const { return totals_; }
  WorkerLive& live() { return live_; }

 private:
  struct Conn;
  void start_connect(Conn& c, uint64_t now);
  void on_connected(Conn& c, uint64_t now);
  void on_readable(Conn& c);
  void fill(Conn& c, uint64_t now);
  void flush(Conn& c);
  void drop(Conn& c, int kind, uint64_t now);
  void requeue_and_reconnect(Conn& c, uint64_t now);
  void set_out_interest(Conn& c, bool want);
  bool conn_finished(const Conn& c) const;
  void service_timers(uint64_t now);  // connects, timeouts, open-loop sends

  const LoadConfig& cfg_;
  RunClock clock_;
  const std::atomic<bool>* stop_;
  UniqueFd ep_;
  std::string reqbuf_;  // the request, repeated
  size_t req_len_ = 0;
  std::vector<Conn> conns_;
  std::vector<Conn*> refill_;  // connections to refill after the current epoll batch
  std::vector<char> rbuf_;
  uint64_t period_ns_ = 0;  // open loop: per-connection interval
  WorkerTotals totals_;
  WorkerLive live_;
  uint64_t replies_ = 0;
  uint64_t error_total_ = 0;
  int open_ = 0;
  size_t finished_ = 0;             // connections finished (-n) or dead
  uint64_t next_timer_ = 0;         // earliest time service_timers has work
};

}  // namespace pollscope::load
