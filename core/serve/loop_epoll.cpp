// `--mode epoll` (level-triggered) and `--mode epoll-et` (edge-triggered).
// Level-triggered: the interest follows the connection (EPOLLIN while reading,
// EPOLLOUT while replies are pending) and one read per wakeup. Edge-triggered:
// registered once for EPOLLIN|EPOLLOUT|EPOLLET, every wakeup reads until EAGAIN.
// Both spin briefly before sleeping while under load (--spin-us, SpinPolicy).
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cstdint>

#include "core/base/error.hpp"
#include "core/base/monotonic_clock.hpp"
#include "core/serve/spin_policy.hpp"
#include "core/serve/worker.hpp"

namespace pollscope::serve {

namespace {

constexpr int kMaxEvents = 512;

uint32_t lt_events(const Conn& c) {
  uint32_t ev = 0;
  if (c.wants_read()) ev |= EPOLLIN | EPOLLRDHUP;
  if (c.wants_write()) ev |= EPOLLOUT;
  return ev;
}

void ctl(int ep, int op, int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (epoll_ctl(ep, op, fd, &ev) != 0 && op != EPOLL_CTL_DEL) {
    throw Fatal("epoll_ctl: " + errno_text(errno));
  }
}

// epoll_wait, spinning first (timeout 0) when the policy says so.
int wait_events(int ep, epoll_event* events, int timeout_ms, SpinPolicy& spin) {
  if (spin.budget_ns() == 0) return epoll_wait(ep, events, kMaxEvents, timeout_ms);  // no clock reads
  if (spin.spin_next()) {
    const int64_t start = monotonic_ns();
    do {
      int n = epoll_wait(ep, events, kMaxEvents, 0);
      if (n != 0) return n;
    } while (monotonic_ns() - start < spin.budget_ns());
  }
  const int64_t start = monotonic_ns();
  int n = epoll_wait(ep, events, kMaxEvents, timeout_ms);
  spin.blocked_for(monotonic_ns() - start);
  return n;
}

}  // namespace

void loop_epoll(Worker& w, bool et) {
  UniqueFd ep(epoll_create1(EPOLL_CLOEXEC));
  if (!ep.valid()) throw Fatal("epoll_create1: " + errno_text(errno));
  const int lfd = w.listen_fd();
  ctl(ep.get(), EPOLL_CTL_ADD, lfd, EPOLLIN);
  ctl(ep.get(), EPOLL_CTL_ADD, w.wake_fd(), EPOLLIN);
  w.defer_replies(true);
  bool listening = true;
  epoll_event events[kMaxEvents];
  SpinPolicy spin(static_cast<int64_t>(w.shared().cfg.spin_us) * 1000);

  auto update = [&](Conn& c) {
    if (et) return;
    uint32_t want = lt_events(c);
    if (want != c.registered) {
      ctl(ep.get(), EPOLL_CTL_MOD, c.fd, want);
      c.registered = want;
    }
  };

  while (!w.stopping()) {
    if (listening != w.accepting()) {
      listening = w.accepting();
      ctl(ep.get(), EPOLL_CTL_MOD, lfd, listening ? static_cast<uint32_t>(EPOLLIN) : 0u);
    }
    int n = wait_events(ep.get(), events, w.wait_timeout_ms(), spin);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Fatal("epoll_wait: " + errno_text(errno));
    }
    w.tick();
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      const uint32_t ev = events[i].events;
      if (fd == lfd) {
        w.accept_pending();
        for (Conn* c : w.accepted()) {
          c->registered = et ? (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET) : (EPOLLIN | EPOLLRDHUP);
          ctl(ep.get(), EPOLL_CTL_ADD, c->fd, c->registered);
        }
        continue;
      }
      if (fd == w.wake_fd()) break;
      Conn* c = w.conn(fd);
      if (c == nullptr) continue;
      if ((ev & EPOLLOUT) && w.on_writable(*c, et) == Worker::After::kClosed) continue;
      if ((ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && w.on_readable(*c, et) == Worker::After::kClosed) {
        continue;
      }
      if (!c->queued) update(*c);
    }
    w.flush_queued(et, update);
    w.sweep();
  }
}

}  // namespace pollscope::serve
