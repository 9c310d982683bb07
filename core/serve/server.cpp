// serve(): listeners, one thread per loop, signals, graceful stop, totals.
#include "core/serve/server.hpp"

#include <errno.h>
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "core/base/error.hpp"
#include "core/serve/listener.hpp"
#include "core/serve/loop_blocking.hpp"
#include "core/serve/shared_state.hpp"
#include "core/serve/worker.hpp"

namespace pollscope::serve {

namespace {

void run_loop(Shared& shared, Worker& w) {
  try {
    switch (shared.cfg.mode) {
      case Mode::kBusyPoll: loop_busy_poll(w); break;
      case Mode::kSelect: loop_select(w); break;
      case Mode::kPoll: loop_poll(w); break;
      case Mode::kEpoll: loop_epoll(w, false); break;
      case Mode::kEpollEt: loop_epoll(w, true); break;
      case Mode::kBlocking: break;
    }
  } catch (const std::exception& e) {
    shared.fail(e.what());
  }
}

}  // namespace

ServeSummary serve(const ServeConfig& cfg) {
  ::signal(SIGPIPE, SIG_IGN);
  // SIGINT/SIGTERM are taken synchronously by this thread (sigtimedwait); every
  // loop thread inherits the blocked mask.
  sigset_t stop_signals, old_mask;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);

  const ModeInfo& mode = mode_info(cfg.mode);
  const bool blocking = mode.blocking;
  Listeners ls = open_listeners(cfg.bind, cfg.port, cfg.threads, !blocking);
  Shared shared(cfg);

  std::vector<std::unique_ptr<Worker>> workers;
  std::unique_ptr<BlockingServer> blocking_server;
  std::vector<std::thread> threads;
  if (blocking) {
    std::vector<int> fds;
    for (auto& fd : ls.fds) fds.push_back(fd.get());
    blocking_server = std::make_unique<BlockingServer>(shared, fds);
  } else {
    int fd_limit = mode.fd_setsize_limit ? FD_SETSIZE : INT_MAX;
    for (auto& fd : ls.fds) workers.push_back(std::make_unique<Worker>(shared, fd.get(), fd_limit));
  }

  // The first line of stdout: scripts read the address from it.
  std::printf("%s\n", ls.address.c_str());
  std::fflush(stdout);

  if (blocking) {
    blocking_server->start();
  } else {
    for (auto& w : workers) threads.emplace_back([&shared, wp = w.get()] { run_loop(shared, *wp); });
  }

  int sig = 0;
  while (!shared.stop) {
    timespec ts{0, 200 * 1000 * 1000};
    sig = sigtimedwait(&stop_signals, nullptr, &ts);
    if (sig > 0) break;
  }
  shared.stop = true;
  if (blocking) {
    blocking_server->stop();
  } else {
    uint64_t one = 1;
    for (auto& w : workers) {
      ssize_t n = ::write(w->wake_fd(), &one, sizeof one);
      (void)n;
    }
    for (auto& t : threads) t.join();
    workers.clear();  // closes the connections, adds each loop's counters
  }
  blocking_server.reset();
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  if (shared.failed) throw Fatal(shared.failure());

  ServeSummary s;
  s.connections = shared.connections;
  s.requests = shared.requests;
  s.errors = shared.errors;
  return s;
}

}  // namespace pollscope::serve
