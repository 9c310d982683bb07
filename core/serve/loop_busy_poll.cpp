// `--mode busy-poll`: never sleeps. Every round tries accept() and a read() on
// every connection (most return EAGAIN: that storm is the point of the chapter).
#include "core/serve/worker.hpp"

namespace pollscope::serve {

void loop_busy_poll(Worker& w) {
  while (!w.stopping()) {
    w.tick();
    if (w.accepting()) w.accept_pending();
    const auto& conns = w.conns();
    // Backwards: closing swaps the last connection into this slot, already visited.
    for (size_t i = conns.size(); i-- > 0;) {
      Conn* c = conns[i];
      if (c->wants_write()) {
        if (w.on_writable(*c, true) == Worker::After::kClosed) continue;
      }
      if (c->wants_read()) w.on_readable(*c, true);
    }
    w.sweep();
  }
}

}  // namespace pollscope::serve
