#include "core/serve/worker.hpp"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "core/base/error.hpp"
#include "core/serve/work.hpp"

namespace pollscope::serve {

namespace {

constexpr size_t kReadBuf = 64 * 1024;
constexpr int kAcceptBatch = 256;
constexpr int64_t kLingerMs = 2000;
constexpr int64_t kSweepMs = 250;
constexpr size_t kKeepCapacity = 64 * 1024;  // larger idle buffers are released

int open_reserve() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

void release_if_big(std::string& s) {
  if (s.capacity() > kKeepCapacity) std::string().swap(s);
}

}  // namespace

Worker::Worker(Shared& shared, int listen_fd, int fd_limit)
    : shared_(shared),
      listen_fd_(listen_fd),
      fd_limit_(fd_limit),
      wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      reserve_(open_reserve()),
      rbuf_(kReadBuf) {
  if (!wake_.valid()) throw Fatal("eventfd: " + errno_text(errno));
  ProtocolConfig pc;
  pc.proto = shared.cfg.proto;
  pc.max_request = shared.cfg.max_request;
  pc.body_size = shared.cfg.body_size;
  pc.keyspace = &shared.keyspace;
  proto_ = make_protocol(pc);
  idle_ms_ = static_cast<int64_t>(shared.cfg.idle_timeout_s * 1000);
  out_.reserve(kReadBuf);
  tick();
}

Worker::~Worker() {
  // Graceful stop: one last attempt to deliver pending replies, then close.
  while (!list_.empty()) {
    Conn* c = list_.back();
    if (c->has_output()) {
      ssize_t n = ::write(c->fd, c->out.data() + c->out_off, c->out.size() - c->out_off);
      (void)n;
    }
    close(*c);
  }
  shared_.add(counters_);
}

void Worker::tick() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  now_ms_ = static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int Worker::wait_timeout_ms() const {
  if (idle_ms_ > 0 || lingering_ > 0 || !accepting()) return static_cast<int>(kSweepMs);
  return -1;
}

void Worker::refuse(int fd, const char* why) {
  refuse_connection(*proto_, fd, why);
  ++counters_.errors;
}

void Worker::shed_one() {
  // The reserve-fd trick: give back the spare descriptor, take the pending
  // connection with it, tell the client, close, and take the spare again.
  if (!reserve_.valid()) reserve_.reset(open_reserve());
  if (reserve_.valid()) {
    reserve_.reset();
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) refuse(fd, kNoFdsReason);
    reserve_.reset(open_reserve());
  }
  if (!reserve_.valid()) {
    // No spare (another thread took it): stop watching the listener for a moment
    // instead of spinning on a listener that stays readable.
    accept_paused_until_ = now_ms_ + 100;
    ++counters_.errors;
  }
}

// The spare descriptor comes before any new connection. It can go missing when
// another thread of this process opens a descriptor for a moment just as shed_one()
// gives the spare back (glibc opens /sys/devices/system/cpu/online when a new thread
// first allocates); the next accept() then takes the freed slot. Admitting that
// connection would leave the server at its limit with no spare, unable to tell
// anyone, so it is refused instead and its slot becomes the spare again.
bool Worker::restore_reserve() {
  if (!reserve_.valid()) reserve_.reset(open_reserve());
  return reserve_.valid();
}

void Worker::accept_pending() {
  accepted_.clear();
  for (int i = 0; i < kAcceptBatch; ++i) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      if (err == EINTR || err == ECONNABORTED || err == EPROTO) continue;
      if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
        shared_.log_limited(0, "accept: %s; refusing new connections until descriptors are free",
                            std::strerror(err));
        shed_one();
        if (!accepting()) break;
        continue;
      }
      shared_.log_limited(1, "accept: %s", std::strerror(err));
      break;
    }
    if (!restore_reserve()) {
      refuse(fd, kNoFdsReason);  // closing it is what lets the spare come back
      restore_reserve();
      continue;
    }
    if (fd >= fd_limit_) {
      if (!select_warned_) {
        select_warned_ = true;
        std::fprintf(stderr,
                     "pollscope serve: select() cannot watch fd %d >= FD_SETSIZE (%d): refusing such "
                     "connections (use --mode poll or epoll)\n",
                     fd, fd_limit_);
      }
      refuse(fd, "select mode: fd above FD_SETSIZE (1024), use --mode poll or epoll");
      continue;
    }
    if (shared_.active.load(std::memory_order_relaxed) >= shared_.cfg.max_conns) {
      shared_.log_limited(2, "--max-conns %zu reached: refusing connections", shared_.cfg.max_conns);
      refuse(fd, kMaxConnsReason);
      continue;
    }
    shared_.active.fetch_add(1, std::memory_order_relaxed);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Conn* c = new Conn;
    c->fd = fd;
    c->last_ms = now_ms_;
    if (static_cast<size_t>(fd) >= by_fd_.size()) by_fd_.resize(static_cast<size_t>(fd) * 2 + 64, nullptr);
    by_fd_[fd] = c;
    c->index = list_.size();
    list_.push_back(c);
    accepted_.push_back(c);
    ++counters_.connections;
  }
}

void Worker::close(Conn& c) {
  if (c.state == Conn::State::kLinger) --lingering_;
  ::close(c.fd);
  by_fd_[c.fd] = nullptr;
  Conn* last = list_.back();
  list_[c.index] = last;
  last->index = c.index;
  list_.pop_back();
  shared_.active.fetch_sub(1, std::memory_order_relaxed);
  delete &c;
}

void Worker::consume(Conn& c, const char* data, size_t n) {
  FeedResult r;
  if (c.in.empty()) {
    r = proto_->feed(data, n, out_);
    if (r.consumed < n && !r.close) c.in.assign(data + r.consumed, n - r.consumed);
  } else {
    c.in.append(data, n);
    r = proto_->feed(c.in.data(), c.in.size(), out_);
    c.in.erase(0, r.consumed);
    if (c.in.empty()) release_if_big(c.in);
  }
  counters_.requests += r.requests;
  burn_cpu_us(static_cast<uint64_t>(shared_.cfg.work_us) * r.requests);
  if (r.error) ++counters_.errors;
  if (r.close) {
    c.state = Conn::State::kClosing;
    c.in.clear();
  }
}

Worker::After Worker::on_readable(Conn& c, bool drain) {
  if (c.state == Conn::State::kLinger) return linger_read(c);
  if (c.state != Conn::State::kOpen || c.has_output()) {
    c.read_deferred = true;
    return After::kKeep;
  }
  for (int round = 0;; ++round) {
    ssize_t n = ::read(c.fd, rbuf_.data(), rbuf_.size());
    if (n > 0) {
      c.last_ms = now_ms_;
      consume(c, rbuf_.data(), static_cast<size_t>(n));
      if (c.state != Conn::State::kOpen) break;
      if (!drain && (static_cast<size_t>(n) < rbuf_.size() || round >= 3)) break;
      continue;
    }
    if (n == 0) {
      c.state = Conn::State::kEof;
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      ++eagain;
      break;
    }
    out_.clear();
    close(c);
    return After::kClosed;
  }
  if (defer_ && !out_.empty()) {
    queue(c);
    return After::kKeep;
  }
  return flush(c, drain);
}

void Worker::queue(Conn& c) {
  if (!c.has_output()) {  // drop what was already written
    c.out.clear();
    c.out_off = 0;
  }
  c.out.append(out_);
  out_.clear();
  if (!c.queued) {
    c.queued = true;
    queued_.push_back(c.fd);
  }
}

Worker::After Worker::on_writable(Conn& c, bool drain) {
  if (c.state == Conn::State::kLinger) return After::kKeep;
  return flush(c, drain);
}

Worker::After Worker::flush(Conn& c, bool drain) {
  const char* data;
  size_t len;
  bool from_scratch = false;
  if (!out_.empty() && !c.has_output()) {
    data = out_.data();
    len = out_.size();
    from_scratch = true;
  } else {
    if (!out_.empty()) {
      c.out.append(out_);
      out_.clear();
    }
    data = c.out.data() + c.out_off;
    len = c.out.size() - c.out_off;
  }
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::send(c.fd, data + done, len - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    out_.clear();  // EPIPE, ECONNRESET: the client is gone
    close(c);
    return After::kClosed;
  }
  if (done > 0) c.last_ms = now_ms_;
  if (from_scratch) {
    if (done < len) {
      c.out.assign(data + done, len - done);
      c.out_off = 0;
    }
    out_.clear();
  } else {
    c.out_off += done;
    if (!c.has_output()) {
      c.out.clear();
      c.out_off = 0;
      release_if_big(c.out);
    }
  }
  if (c.has_output()) return After::kKeep;

  switch (c.state) {
    case Conn::State::kEof:
      close(c);
      return After::kClosed;
    case Conn::State::kClosing:
      start_linger(c);
      return linger_read(c);
    case Conn::State::kOpen:
      if (c.read_deferred && drain) {
        c.read_deferred = false;
        return on_readable(c, drain);
      }
      c.read_deferred = false;
      return After::kKeep;
    case Conn::State::kLinger:
      break;
  }
  return After::kKeep;
}

void Worker::start_linger(Conn& c) {
  ::shutdown(c.fd, SHUT_WR);
  c.state = Conn::State::kLinger;
  c.last_ms = now_ms_;
  ++lingering_;
  std::string().swap(c.in);
  std::string().swap(c.out);
}

Worker::After Worker::linger_read(Conn& c) {
  for (int i = 0; i < 64; ++i) {
    ssize_t n = ::read(c.fd, rbuf_.data(), rbuf_.size());
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return After::kKeep;
    break;  // EOF or error
  }
  close(c);
  return After::kClosed;
}

void Worker::sweep() {
  if (now_ms_ < next_sweep_) return;
  next_sweep_ = now_ms_ + kSweepMs;
  if (idle_ms_ <= 0 && lingering_ == 0) return;
  for (size_t i = list_.size(); i-- > 0;) {
    Conn* c = list_[i];
    int64_t quiet = now_ms_ - c->last_ms;
    if (c->state == Conn::State::kLinger) {
      if (quiet > kLingerMs) close(*c);
    } else if (idle_ms_ > 0 && quiet > idle_ms_) {
      close(*c);
    }
  }
}

}  // namespace pollscope::serve
