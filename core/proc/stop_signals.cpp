#include "core/proc/stop_signals.hpp"

#include <signal.h>
#include <time.h>

#include <algorithm>
#include <atomic>

namespace pollscope {

namespace {
// A lock-free atomic is safe to set from a signal handler and to read from
// any thread (load's workers poll it too).
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "stop flag must be lock-free");
void on_stop(int) { g_stop.store(true); }
}  // namespace

void install_stop_signals() {
  struct sigaction sa = {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
}

bool stop_requested() { return g_stop.load(); }
const std::atomic<bool>* stop_flag() { return &g_stop; }

void sleep_unless_stopped(double seconds) {
  while (seconds > 0 && !stop_requested()) {
    double step = std::min(seconds, 0.05);
    timespec ts{static_cast<time_t>(step), static_cast<long>((step - static_cast<time_t>(step)) * 1e9)};
    nanosleep(&ts, nullptr);
    seconds -= step;
  }
}

}  // namespace pollscope
