// `--mode select`: select(2) with fd_sets rebuilt every iteration. select
// cannot watch fds >= FD_SETSIZE (1024): the Worker refuses such connections
// and says so once on stderr.
#include <errno.h>
#include <sys/select.h>

#include <vector>

#include "core/base/error.hpp"
#include "core/serve/worker.hpp"

namespace pollscope::serve {

void loop_select(Worker& w) {
  std::vector<int> fds;
  while (!w.stopping()) {
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    int maxfd = w.wake_fd();
    FD_SET(w.wake_fd(), &rd);
    if (w.accepting()) {
      FD_SET(w.listen_fd(), &rd);
      if (w.listen_fd() > maxfd) maxfd = w.listen_fd();
    }
    fds.clear();
    for (Conn* c : w.conns()) {
      if (c->wants_read()) FD_SET(c->fd, &rd);
      if (c->wants_write()) FD_SET(c->fd, &wr);
      if (c->fd > maxfd) maxfd = c->fd;
      fds.push_back(c->fd);
    }
    int t = w.wait_timeout_ms();
    timeval tv{t / 1000, (t % 1000) * 1000};
    int n = ::select(maxfd + 1, &rd, &wr, nullptr, t < 0 ? nullptr : &tv);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Fatal("select: " + errno_text(errno));
    }
    w.tick();
    if (FD_ISSET(w.wake_fd(), &rd)) break;
    for (int fd : fds) {
      Conn* c = w.conn(fd);
      if (c == nullptr) continue;
      if (FD_ISSET(fd, &wr) && w.on_writable(*c, false) == Worker::After::kClosed) continue;
      if (FD_ISSET(fd, &rd)) w.on_readable(*c, false);
    }
    if (w.accepting() && FD_ISSET(w.listen_fd(), &rd)) w.accept_pending();
    w.sweep();
  }
}

}  // namespace pollscope::serve
