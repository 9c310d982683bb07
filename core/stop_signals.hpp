// SIGINT/SIGTERM (and SIGHUP) as a flag the main loops poll, so every exit
// path runs destructors: probes detach, terminals are restored.
#pragma once

namespace pollscope {

void install_stop_signals();
bool stop_requested();
int stop_signal();  // the signal that asked to stop, 0 if none
void request_stop();
// Sleeps up to `seconds`, returning early when a stop is requested.
void sleep_unless_stopped(double seconds);

}  // namespace pollscope
