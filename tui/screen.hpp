// The ncurses terminal, RAII: the constructor takes the terminal over, the
// destructor (also on exceptions) gives it back exactly as it was. SIGINT,
// SIGTERM and SIGHUP only set a flag the loop checks (core/proc/stop_signals,
// installed before initscr so ncurses keeps them), so every exit path runs
// the destructors (terminal restored, probes unloaded).
#pragma once
#include <string>

#include "tui/header.hpp"
#include "tui/top_model.hpp"

namespace pollscope::tui {

class Screen {
 public:
  explicit Screen(bool color);
  ~Screen();
  Screen(const Screen&) = delete;
  Screen& operator=(const Screen&) = delete;

  // A key, or -1 (ERR) after timeout_ms without one.
  int read_key(int timeout_ms);
  // Lines available for table rows with the current terminal size.
  static int table_height_for(int lines);
  void draw(TopModel& m, const HeaderInfo& info);
  // Next draw repaints the whole terminal (Ctrl-L, resize).
  void invalidate();

 private:
  bool color_ = false;
};

}  // namespace pollscope::tui
