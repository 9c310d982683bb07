#include "core/stop_signals.hpp"

#include <signal.h>
#include <time.h>

#include <algorithm>

namespace pollscope {

namespace {
volatile sig_atomic_t g_stop_signal = 0;
void on_stop(int sig) { g_stop_signal = sig; }
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

bool stop_requested() { return g_stop_signal != 0; }
int stop_signal() { return g_stop_signal; }
void request_stop() {
  if (!g_stop_signal) g_stop_signal = SIGTERM;
}

void sleep_unless_stopped(double seconds) {
  while (seconds > 0 && !stop_requested()) {
    double step = std::min(seconds, 0.05);
    timespec ts{static_cast<time_t>(step), static_cast<long>((step - static_cast<time_t>(step)) * 1e9)};
    nanosleep(&ts, nullptr);
    seconds -= step;
  }
}

}  // namespace pollscope
