// SIGINT/SIGTERM (and SIGHUP) as a flag the main loops poll, so every exit
// path runs destructors: probes detach, terminals are restored.
#pragma once
#include <atomic>

namespace pollscope {

void install_stop_signals();
bool stop_requested();
// The same flag, for loops that take an atomic to poll.
const std::atomic<bool>* stop_flag();
// Sleeps up to `seconds`, returning early when a stop is requested.
void sleep_unless_stopped(double seconds);

}  // namespace pollscope
