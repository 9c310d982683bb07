#include "core/load/worker.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cmath>

#include "core/base/error.hpp"
#include "core/load/clock.hpp"

namespace pollscope::load {

namespace {

constexpr uint64_t kNever = UINT64_MAX;
constexpr uint64_t kRetryDelayNs = 100'000'000;  // between failed connect attempts
constexpr uint64_t kMaxWaitNs = 50'000'000;      // epoll wait cap: notice stop requests
constexpr size_t kReadBuf = 64 * 1024;
constexpr size_t kSendWindow = 256 * 1024;       // pre-built request bytes, at least

int error_kind_of(int err) {
  switch (err) {
    case ECONNREFUSED: return kConnectRefused;
    case ECONNRESET: case EPIPE: case ECONNABORTED: return kReset;
    case ETIMEDOUT: return kTimeout;
    default: return kOtherError;
  }
}

int wait_events(int ep, epoll_event* evs, int max, uint64_t timeout_ns) {
  static std::atomic<bool> have_pwait2{true};
  if (have_pwait2.load(std::memory_order_relaxed)) {
    timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000),
                static_cast<long>(timeout_ns % 1'000'000'000)};
    int n = epoll_pwait2(ep, evs, max, &ts, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    have_pwait2.store(false, std::memory_order_relaxed);
  }
  return epoll_wait(ep, evs, max, static_cast<int>((timeout_ns + 999'999) / 1'000'000));
}

}  // namespace

struct Worker::Conn {
  enum class St { Waiting, Connecting, Open, Finished, Dead };
  size_t index = 0;  // in conns_
  int id = 0;        // global connection number
  UniqueFd fd;
  St st = St::Waiting;
  bool failed_connect = false;  // the last attempt failed: wait before the next
  uint64_t connect_at = 0;
  uint64_t connect_started = 0;
  std::unique_ptr<ReplyParser> parser;
  std::vector<uint64_t> intended, actual;  // in-flight ring, capacity = pipeline
  uint32_t head = 0, inflight = 0;
  uint64_t sched_start = 0;  // open loop: intended time of request 0
  uint64_t seq = 0;          // open loop: next request number
  uint64_t quota = kNever;   // measured requests still to send (-n)
  uint64_t unsent = 0;       // request bytes queued but not yet accepted by send()
  uint64_t written = 0;      // bytes sent on this connection (window offset)
  bool want_out = false;
  bool refill_pending = false;  // in refill_, to fill after this epoll batch
};

Worker::Worker(const LoadConfig& cfg, std::vector<int> conn_ids, RunClock clock,
               const std::atomic<bool>* stop)
    : cfg_(cfg), clock_(clock), stop_(stop), rbuf_(kReadBuf) {
  ep_.reset(epoll_create1(EPOLL_CLOEXEC));
  if (!ep_.valid()) throw Fatal("epoll_create1: " + errno_text(errno));
  std::string req = build_request(cfg.proto);
  req_len_ = req.size();
  size_t copies = std::max<size_t>(2, std::max<size_t>(static_cast<size_t>(cfg.pipeline) + 1,
                                                       kSendWindow / std::max<size_t>(1, req_len_)));
  copies = std::min<size_t>(copies, std::max<size_t>(2, (64u << 20) / std::max<size_t>(1, req_len_)));
  reqbuf_.reserve(copies * req_len_);
  for (size_t i = 0; i < copies; ++i) reqbuf_ += req;

  if (cfg.open_loop()) period_ns_ = static_cast<uint64_t>(std::llround(cfg.connections * 1e9 / cfg.rate));
  conns_.resize(conn_ids.size());
  for (size_t i = 0; i < conns_.size(); ++i) {
    Conn& c = conns_[i];
    c.index = i;
    c.id = conn_ids[i];
    c.parser = make_parser(cfg.proto);
    c.intended.assign(static_cast<size_t>(cfg.pipeline), 0);
    c.actual.assign(static_cast<size_t>(cfg.pipeline), 0);
    c.connect_at = clock_.start_ns;
    if (cfg.connect_rate > 0)
      c.connect_at += static_cast<uint64_t>(std::llround(c.id * 1e9 / cfg.connect_rate));
    if (cfg.open_loop()) {  // connections take turns: the total stream is evenly spaced
      uint64_t phase = static_cast<uint64_t>(std::llround(c.id * 1e9 / cfg.rate));
      c.sched_start = std::max(clock_.start_ns + phase, c.connect_at);
    }
    if (cfg.max_requests > 0) {
      uint64_t n = cfg.max_requests, k = static_cast<uint64_t>(cfg.connections);
      c.quota = n / k + (static_cast<uint64_t>(c.id) < n % k ? 1 : 0);
      if (c.quota == 0) c.st = Conn::St::Finished;
    }
  }
}

Worker::~Worker() = default;

bool Worker::conn_finished(const Conn& c) const { return c.quota == 0 && c.inflight == 0; }

void Worker::set_out_interest(Conn& c, bool want) {
  if (c.want_out == want) return;
  epoll_event ev{};
  ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
  ev.data.u64 = c.index;
  epoll_ctl(ep_.get(), EPOLL_CTL_MOD, c.fd.get(), &ev);
  c.want_out = want;
}

void Worker::start_connect(Conn& c, uint64_t now) {
  c.fd.reset(::socket(cfg_.target.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!c.fd.valid()) {
    drop(c, kOtherError, now);
    return;
  }
  int one = 1;
  setsockopt(c.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  epoll_event ev{};
  ev.data.u64 = c.index;
  c.connect_started = now;
  if (::connect(c.fd.get(), reinterpret_cast<const sockaddr*>(&cfg_.target.addr),
                cfg_.target.addr_len) == 0) {
    ev.events = EPOLLIN;
    epoll_ctl(ep_.get(), EPOLL_CTL_ADD, c.fd.get(), &ev);
    c.want_out = false;
    c.st = Conn::St::Connecting;
    on_connected(c, now);
    return;
  }
  if (errno != EINPROGRESS) {
    c.failed_connect = true;
    drop(c, error_kind_of(errno), now);
    return;
  }
  ev.events = EPOLLOUT;
  epoll_ctl(ep_.get(), EPOLL_CTL_ADD, c.fd.get(), &ev);
  c.want_out = true;
  c.st = Conn::St::Connecting;
  next_timer_ = std::min(next_timer_, now + cfg_.timeout_ns);
}

void Worker::on_connected(Conn& c, uint64_t now) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    c.failed_connect = true;
    drop(c, error_kind_of(err), now);
    return;
  }
  c.failed_connect = false;
  c.st = Conn::St::Open;
  ++open_;
  set_out_interest(c, false);
  fill(c, now);
}

void Worker::fill(Conn& c, uint64_t now) {
  if (c.st != Conn::St::Open) return;
  const uint32_t cap = static_cast<uint32_t>(cfg_.pipeline);
  uint32_t added = 0;
  if (cfg_.open_loop()) {
    while (c.inflight < cap && c.quota > 0) {
      uint64_t t = c.sched_start + c.seq * period_ns_;
      if (t > now) {
        next_timer_ = std::min(next_timer_, t);
        break;
      }
      uint32_t slot = (c.head + c.inflight) % cap;
      c.intended[slot] = t;
      c.actual[slot] = now;
      ++c.inflight;
      ++c.seq;
      ++added;
      if (t >= clock_.measure_start_ns) {
        if (c.quota != kNever) --c.quota;
        ++totals_.sent;
      }
    }
  } else {
    if (now >= clock_.end_ns) return;
    bool measured = now >= clock_.measure_start_ns;
    while (c.inflight < cap && c.quota > 0) {
      uint32_t slot = (c.head + c.inflight) % cap;
      c.intended[slot] = now;
      c.actual[slot] = now;
      ++c.inflight;
      ++added;
      if (measured) {
        if (c.quota != kNever) --c.quota;
        ++totals_.sent;
      }
    }
  }
  if (c.inflight > 0) next_timer_ = std::min(next_timer_, c.actual[c.head] + cfg_.timeout_ns);
  if (added == 0) return;
  c.unsent += static_cast<uint64_t>(added) * req_len_;
  flush(c);
}

void Worker::flush(Conn& c) {
  while (c.unsent > 0) {
    size_t off = static_cast<size_t>(c.written % req_len_);
    size_t len = static_cast<size_t>(std::min<uint64_t>(c.unsent, reqbuf_.size() - off));
    ssize_t n = ::send(c.fd.get(), reqbuf_.data() + off, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.written += static_cast<uint64_t>(n);
      c.unsent -= static_cast<uint64_t>(n);
      totals_.bytes_sent += static_cast<uint64_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EINTR) continue;
    drop(c, n < 0 ? error_kind_of(errno) : kOtherError, now_ns());
    return;
  }
  set_out_interest(c, c.unsent > 0);
}

void Worker::on_readable(Conn& c) {
  const uint32_t cap = static_cast<uint32_t>(cfg_.pipeline);
  const bool open_loop = cfg_.open_loop();
  uint64_t now = 0;
  for (;;) {
    ssize_t n = ::recv(c.fd.get(), rbuf_.data(), rbuf_.size(), 0);
    now = now_ns();
    if (n == 0) {
      if (c.inflight == 0 && c.quota == 0) {  // done with it anyway
        c.fd.reset();
        --open_;
        c.st = Conn::St::Finished;
        ++finished_;
        return;
      }
      // An orderly close (FIN) with requests in flight or still to send: the
      // server chose to hang up, which is not the same failure as a reset.
      drop(c, kClosed, now);
      return;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      drop(c, error_kind_of(errno), now);
      return;
    }
    totals_.bytes_received += static_cast<uint64_t>(n);
    const char* p = rbuf_.data();
    const char* end = p + n;
    while (p < end) {
      ReplyStatus st = c.parser->next(p, end);
      if (st == ReplyStatus::NeedMore) break;
      if (st == ReplyStatus::ProtocolError || c.inflight == 0) {
        drop(c, kProtocolError, now);
        return;
      }
      uint64_t t_int = c.intended[c.head], t_act = c.actual[c.head];
      c.head = c.head + 1 == cap ? 0 : c.head + 1;
      --c.inflight;
      ++replies_;
      if (t_int >= clock_.measure_start_ns) {
        ++totals_.requests;
        totals_.corrected.record(now - t_int);
        if (open_loop) totals_.uncorrected.record(now - t_act);
      }
      if (st == ReplyStatus::Unexpected) {
        ++totals_.errors[kUnexpectedReply];
        ++error_total_;
      }
      if (c.parser->wants_close()) {
        requeue_and_reconnect(c, now);
        return;
      }
    }
    if (static_cast<size_t>(n) < rbuf_.size()) break;
  }
  if (conn_finished(c)) {
    c.fd.reset();
    --open_;
    c.st = Conn::St::Finished;
    ++finished_;
    return;
  }
  // Refill after the whole epoll batch is read: the server then finds many
  // requests at once (as with redis-benchmark's write handler), which costs
  // it less per request than one wake-up per request.
  if (!c.refill_pending) {
    c.refill_pending = true;
    refill_.push_back(&c);
  }
}

void Worker::drop(Conn& c, int kind, uint64_t now) {
  ++totals_.errors[kind];
  ++error_total_;
  if (c.st == Conn::St::Open) --open_;
  c.fd.reset();
  c.head = c.inflight = 0;
  c.unsent = c.written = 0;
  c.want_out = false;
  c.parser->reset();
  if (cfg_.reconnect) {
    c.st = Conn::St::Waiting;
    c.connect_at = now + (c.failed_connect ? kRetryDelayNs : 0);
    next_timer_ = std::min(next_timer_, c.connect_at);
  } else {
    c.st = Conn::St::Dead;
    ++finished_;
    ++totals_.lost[kind];  // says why the run ends if every connection goes this way
  }
}

void Worker::requeue_and_reconnect(Conn& c, uint64_t now) {
  // The server closes after this reply: what is still in flight will not be
  // answered. Send it again on a new connection (open loop: with the same
  // intended times). Not an error.
  const uint32_t cap = static_cast<uint32_t>(cfg_.pipeline);
  for (uint32_t i = 0; i < c.inflight; ++i) {
    uint32_t slot = (c.head + i) % cap;
    bool measured = c.intended[slot] >= clock_.measure_start_ns;
    if (measured) {
      if (c.quota != kNever) ++c.quota;
      --totals_.sent;
    }
  }
  if (cfg_.open_loop()) c.seq -= c.inflight;
  --open_;
  c.fd.reset();
  c.head = c.inflight = 0;
  c.unsent = c.written = 0;
  c.want_out = false;
  c.parser->reset();
  if (c.quota == 0) {
    c.st = Conn::St::Finished;
    ++finished_;
    return;
  }
  c.st = Conn::St::Waiting;
  c.connect_at = now;
  next_timer_ = now;
}

void Worker::service_timers(uint64_t now) {
  for (Conn& c : conns_) {
    switch (c.st) {
      case Conn::St::Waiting:
        if (c.connect_at <= now) start_connect(c, now);
        else next_timer_ = std::min(next_timer_, c.connect_at);
        break;
      case Conn::St::Connecting:
        if (now - c.connect_started >= cfg_.timeout_ns) {
          c.failed_connect = true;
          drop(c, kTimeout, now);
        } else {
          next_timer_ = std::min(next_timer_, c.connect_started + cfg_.timeout_ns);
        }
        break;
      case Conn::St::Open:
        if (c.inflight > 0 && now - c.actual[c.head] >= cfg_.timeout_ns) {
          drop(c, kTimeout, now);
          break;
        }
        fill(c, now);  // open loop: sends what is due; sets next_timer_
        break;
      default:
        break;
    }
  }
}

void Worker::run() {
  // Wake up on time for the open-loop schedule (the default slack is 50us).
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  for (Conn& c : conns_)
    if (c.st == Conn::St::Finished) ++finished_;
  std::vector<epoll_event> evs(256);
  refill_.reserve(conns_.size());
  next_timer_ = 0;
  for (;;) {
    uint64_t now = now_ns();
    if (stop_ && stop_->load(std::memory_order_relaxed)) {
      totals_.end = WorkerEnd::kInterrupted;
      break;
    }
    if (now >= clock_.end_ns) {
      totals_.end = WorkerEnd::kDuration;
      break;
    }
    if (finished_ == conns_.size()) {
      totals_.end = WorkerEnd::kNoConnections;
      break;
    }
    if (now >= next_timer_) {
      next_timer_ = kNever;
      service_timers(now);
      now = now_ns();
    }
    uint64_t until = std::min({next_timer_, clock_.end_ns, now + kMaxWaitNs});
    int n = wait_events(ep_.get(), evs.data(), static_cast<int>(evs.size()), until > now ? until - now : 0);
    if (n < 0 && errno != EINTR) throw Fatal("epoll_wait: " + errno_text(errno));
    for (int i = 0; i < n; ++i) {
      Conn& c = conns_[evs[i].data.u64];
      uint32_t e = evs[i].events;
      if (c.st == Conn::St::Connecting) {
        if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected(c, now_ns());
      } else if (c.st == Conn::St::Open) {
        if (e & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
        if (c.st == Conn::St::Open && (e & EPOLLOUT)) flush(c);
      }
    }
    if (!refill_.empty()) {
      uint64_t t = now_ns();
      for (Conn* c : refill_) {
        c->refill_pending = false;
        fill(*c, t);
      }
      refill_.clear();
    }
    live_.replies.store(replies_, std::memory_order_relaxed);
    live_.errors.store(error_total_, std::memory_order_relaxed);
    live_.open.store(open_, std::memory_order_relaxed);
  }
  totals_.finish_ns = now_ns();
  live_.replies.store(replies_, std::memory_order_relaxed);
  live_.errors.store(error_total_, std::memory_order_relaxed);
  live_.open.store(0, std::memory_order_relaxed);
  for (Conn& c : conns_) c.fd.reset();
  if (!cfg_.open_loop()) totals_.uncorrected = totals_.corrected;
  live_.done.store(true, std::memory_order_release);
}

}  // namespace pollscope::load
