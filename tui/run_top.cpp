#include "tui/run_top.hpp"

#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "core/base/error.hpp"
#include "core/base/monotonic_clock.hpp"
#include "core/proc/stop_signals.hpp"
#include "tui/batch.hpp"
#include "tui/screen.hpp"

namespace pollscope::tui {

namespace {

HeaderInfo header_info(const TopConfig& cfg, const TopModel& m, const SnapshotSource& src, bool ended) {
  HeaderInfo info;
  // About the frame on screen (while paused, an older one than the latest).
  info.source = src.label(m.shown().index);
  info.end_of_recording = ended && !src.live() && m.shown().index == m.ingested();
  info.waiting = !m.has_data();
  info.delay_s = m.delay_s;
  (void)cfg;
  return info;
}

void configure(TopModel& m, const TopConfig& cfg) {
  if (!cfg.view.empty() && !m.set_view(cfg.view))
    throw Fatal("unknown view '" + cfg.view + "' (sockets, threads, cpus, connections, stages)", kExitUsage);
  if (!cfg.sort.empty() && !m.set_sort(cfg.sort))
    throw Fatal("unknown sort column '" + cfg.sort + "' (see FIELDS in pollscope-top(8))", kExitUsage);
}

int run_batch(const TopConfig& cfg, SnapshotSource& src) {
  TopModel m(cfg.delay_s, cfg.filter);
  configure(m, cfg);
  uint64_t frames = 0;
  if (src.live()) sleep_unless_stopped(cfg.delay_s);
  while (!stop_requested()) {
    Snapshot s;
    if (!src.next(&s)) break;
    if (cfg.on_interval) cfg.on_interval(s);
    m.ingest(std::move(s));  // replaces nothing: the last frame was released
    if (!write_batch_frame(m, header_info(cfg, m, src, false), stdout)) {
      if (errno == EPIPE) return kExitOk;  // the reader went away (| head)
      throw Fatal("cannot write to stdout: " + errno_text(errno));
    }
    m.release_frame();
    src.recycle(m.take_retired());
    frames++;
    if (cfg.iterations && frames >= cfg.iterations) break;
    if (src.live()) sleep_unless_stopped(m.delay_s);
  }
  return kExitOk;
}

int run_interactive(const TopConfig& cfg, SnapshotSource& src) {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
    throw Fatal("not a terminal: use -b for batch mode");
  TopModel m(cfg.delay_s, cfg.filter);
  configure(m, cfg);
  Screen screen(cfg.color);
  // Replay shows its first interval at once; live needs one interval of data.
  double next_due = monotonic_s() + (src.live() ? m.delay_s : 0.0);
  bool ended = false, dirty = true;
  while (!stop_requested()) {
    double now = monotonic_s();
    if (!ended && now >= next_due) {
      if (cfg.iterations && m.ingested() >= cfg.iterations) break;
      Snapshot s;
      if (src.next(&s)) {
        if (cfg.on_interval) cfg.on_interval(s);
        m.ingest(std::move(s));
        src.recycle(m.take_retired());
      } else {
        ended = true;
      }
      dirty = true;
      next_due += m.delay_s;
      if (next_due < now) next_due = now + m.delay_s;
    }
    if (dirty) {
      screen.draw(m, header_info(cfg, m, src, ended));
      dirty = false;
    }
    int timeout_ms = 200;
    if (!ended) {
      auto left = static_cast<long long>((next_due - monotonic_s()) * 1000);
      timeout_ms = static_cast<int>(std::clamp<long long>(left, 0, 200));
    }
    int key = screen.read_key(timeout_ms);
    if (key == -1) continue;
    switch (handle_key(m, key)) {
      case HandlerResult::Quit: return kExitOk;
      case HandlerResult::Ignored: break;
      case HandlerResult::FullRedraw:
        screen.invalidate();
        dirty = true;
        break;
      case HandlerResult::DelayChanged:
        next_due = monotonic_s() + m.delay_s;
        dirty = true;
        break;
      case HandlerResult::Redraw:
      case HandlerResult::Rebuild:
        dirty = true;
        break;
    }
  }
  return kExitOk;
}

}  // namespace

int run_top(const TopConfig& cfg, SnapshotSource& src) {
  install_stop_signals();
  signal(SIGPIPE, SIG_IGN);  // a closed pipe is a write error, not a death
  return cfg.batch ? run_batch(cfg, src) : run_interactive(cfg, src);
}

}  // namespace pollscope::tui
