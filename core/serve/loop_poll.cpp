// `--mode poll`: poll(2) over an array rebuilt every iteration from what each
// connection wants (read, or write while replies are pending).
#include <errno.h>
#include <poll.h>

#include <vector>

#include "core/base/error.hpp"
#include "core/serve/worker.hpp"

namespace pollscope::serve {

void loop_poll(Worker& w) {
  std::vector<pollfd> fds;
  while (!w.stopping()) {
    fds.clear();
    fds.push_back({w.wake_fd(), POLLIN, 0});
    fds.push_back({w.listen_fd(), static_cast<short>(w.accepting() ? POLLIN : 0), 0});
    for (Conn* c : w.conns()) {
      short ev = 0;
      if (c->wants_read()) ev |= POLLIN;
      if (c->wants_write()) ev |= POLLOUT;
      fds.push_back({c->fd, ev, 0});
    }
    int n = ::poll(fds.data(), fds.size(), w.wait_timeout_ms());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Fatal("poll: " + errno_text(errno));
    }
    w.tick();
    if (fds[0].revents) break;
    // Connections first, then accept: a new connection cannot reuse an fd number
    // that is still to be visited in this round.
    for (size_t i = 2; i < fds.size() && n > 0; ++i) {
      short re = fds[i].revents;
      if (re == 0) continue;
      Conn* c = w.conn(fds[i].fd);
      if (c == nullptr) continue;
      if ((re & POLLOUT) && w.on_writable(*c, false) == Worker::After::kClosed) continue;
      if (re & (POLLIN | POLLHUP | POLLERR)) w.on_readable(*c, false);
    }
    if (fds[1].revents & POLLIN) w.accept_pending();
    w.sweep();
  }
}

}  // namespace pollscope::serve
