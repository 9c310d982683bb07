#include "core/serve/shared_state.hpp"

#include <time.h>

#include <cstdio>

namespace pollscope::serve {

void Shared::fail(const std::string& why) {
  {
    std::lock_guard<std::mutex> g(mu_);
    if (failure_.empty()) failure_ = why;
  }
  failed = true;
  stop = true;
}

void Shared::log_limited(int key, const char* fmt, ...) {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  int64_t now = ts.tv_sec;
  auto& slot = last_log_[key & 7];
  int64_t prev = slot.load(std::memory_order_relaxed);
  if (prev == now || !slot.compare_exchange_strong(prev, now)) return;
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "pollscope serve: %s\n", line);
}

}  // namespace pollscope::serve
