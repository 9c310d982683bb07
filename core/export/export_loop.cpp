#include "core/export/export_loop.hpp"

#include <algorithm>

#include "core/base/monotonic_clock.hpp"
#include "core/proc/stop_signals.hpp"
#include "core/trace/tracer.hpp"

namespace pollscope {

void run_export_loop(Tracer& tracer, ExportCollectable& metrics, const DutyCycle& duty, double interval_s) {
  const double start = monotonic_s();
  double last_read = start;
  double attached_since = start;  // while attached
  bool attached = true;
  metrics.set_attached(true);
  // One read of the maps: what happened since the previous one, and how much
  // of that time the probes were attached.
  auto read_maps = [&](double now) {
    double active = attached ? now - std::max(last_read, attached_since) : 0;
    Snapshot s = tracer.collect();
    metrics.add(s, std::max(active, 0.0));
    tracer.recycle(std::move(s));
    last_read = now;
  };
  double next_read = start + interval_s;
  while (!stop_requested()) {
    double now = monotonic_s();
    double t = now - start;
    if (duty.active_at(t) != attached) {
      if (attached) {
        // The traced part is read whole, then the probes go.
        read_maps(now);
        tracer.pause();
        attached = false;
      } else {
        tracer.resume();
        attached = true;
        attached_since = monotonic_s();
      }
      metrics.set_attached(attached);
      continue;
    }
    if (now >= next_read) {
      read_maps(now);
      next_read = std::max(next_read + interval_s, now + interval_s / 2);
      continue;
    }
    double wake = std::min(next_read, duty.always_on() ? next_read : now + duty.until_switch(t));
    sleep_unless_stopped(std::min(std::max(wake - now, 0.001), 0.1));
  }
  if (attached) read_maps(monotonic_s());
}

}  // namespace pollscope
