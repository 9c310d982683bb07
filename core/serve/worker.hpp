// The part every non-blocking loop shares (busy-poll, select, poll, epoll):
// accepting (with --max-conns and the reserve-fd answer to EMFILE/ENFILE),
// reading, feeding the protocol, writing (one write per connection per
// wakeup), closing, idle timeouts. The loops only decide how to wait.
#pragma once
#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "core/serve/connection.hpp"
#include "core/serve/protocol.hpp"
#include "core/serve/shared_state.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope::serve {

class Worker {
 public:
  // listen_fd: this loop's own non-blocking listener (borrowed).
  // fd_limit: connections on fds >= this are refused (select: FD_SETSIZE).
  Worker(Shared& shared, int listen_fd, int fd_limit = INT_MAX);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  Shared& shared() { return shared_; }
  int listen_fd() const { return listen_fd_; }
  int wake_fd() const { return wake_.get(); }  // eventfd: readable when the server stops
  bool stopping() const { return shared_.stop.load(std::memory_order_relaxed); }

  // Accepts what is pending (bounded batch). New connections are in accepted().
  void accept_pending();
  const std::vector<Conn*>& accepted() const { return accepted_; }
  // False while accepting is paused after fd exhaustion without a reserve fd.
  bool accepting() const { return now_ms_ >= accept_paused_until_; }

  enum class After { kKeep, kClosed };
  // drain: read until EAGAIN (edge-triggered, busy-poll); otherwise read once
  // (a few times when the buffer fills).
  After on_readable(Conn& c, bool drain);
  After on_writable(Conn& c, bool drain);
  // With deferred replies (epoll), on_readable() only queues what it has to
  // write; flush_queued() writes every queued connection once all events of
  // the wakeup are handled, like Redis's beforeSleep: reads and writes are
  // not interleaved (measured: 2-3% more requests/s under redis-benchmark).
  void defer_replies(bool on) { defer_ = on; }
  template <typename OnKept>
  void flush_queued(bool drain, OnKept on_kept) {
    for (size_t i = 0; i < queued_.size(); ++i) {
      Conn* c = conn(queued_[i]);
      if (c == nullptr || !c->queued) continue;  // closed (fd maybe reused) meanwhile
      c->queued = false;
      if (flush(*c, drain) == After::kKeep) on_kept(*c);
    }
    queued_.clear();
  }
  void close(Conn& c);

  Conn* conn(int fd) const { return fd >= 0 && static_cast<size_t>(fd) < by_fd_.size() ? by_fd_[fd] : nullptr; }
  const std::vector<Conn*>& conns() const { return list_; }

  // Clock (coarse, ms) read once per loop iteration.
  void tick();
  int64_t now_ms() const { return now_ms_; }
  // Closes idle (--idle-timeout) and lingering connections past their time.
  void sweep();
  // How long a loop may block: -1 when nothing is timed, else milliseconds.
  int wait_timeout_ms() const;

  uint64_t eagain = 0;  // reads that found nothing (busy-poll's cost)

 private:
  void refuse(int fd, const char* why);
  void shed_one();  // EMFILE/ENFILE: accept with the reserve fd and refuse
  bool restore_reserve();  // reopens the spare fd if missing; false if there is no room
  void consume(Conn& c, const char* data, size_t n);
  After flush(Conn& c, bool drain);
  void queue(Conn& c);
  After linger_read(Conn& c);
  void start_linger(Conn& c);

  Shared& shared_;
  int listen_fd_;
  int fd_limit_;
  UniqueFd wake_;
  UniqueFd reserve_;
  std::unique_ptr<Protocol> proto_;
  std::vector<Conn*> by_fd_;
  std::vector<Conn*> list_;
  std::vector<Conn*> accepted_;
  std::vector<int> queued_;  // fds with replies waiting for flush_queued()
  std::vector<char> rbuf_;
  std::string out_;  // replies of the connection being served, this wakeup
  int64_t now_ms_ = 0;
  int64_t accept_paused_until_ = 0;
  int64_t next_sweep_ = 0;
  int64_t idle_ms_ = 0;
  size_t lingering_ = 0;
  bool select_warned_ = false;
  bool defer_ = false;
  Counters counters_;
};

// The loops, one file each.
void loop_busy_poll(Worker& w);
void loop_select(Worker& w);
void loop_poll(Worker& w);
void loop_epoll(Worker& w, bool edge_triggered);

}  // namespace pollscope::serve
