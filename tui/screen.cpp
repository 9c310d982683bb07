#define NCURSES_NOMACROS 1
#include "tui/screen.hpp"

#include <curses.h>
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <clocale>

#include "core/base/error.hpp"
#include "tui/batch.hpp"
#include "tui/detail_pane.hpp"
#include "core/render/format.hpp"

namespace pollscope::tui {

namespace {

enum Pair : short { kPairSelected = 1, kPairWarn = 2, kPairTab = 3 };

// Layout: 4 header lines, the view line, the column header, rows, the bottom line.
constexpr int kHeaderLines = 4;
constexpr int kTopLines = kHeaderLines + 2;

void put(int y, const std::string& text, attr_t attr = A_NORMAL, bool fill = false) {
  int w = COLS;
  if (y < 0 || y >= LINES || w <= 0) return;
  std::string line = text.size() > static_cast<size_t>(w) ? text.substr(0, static_cast<size_t>(w)) : text;
  if (fill && line.size() < static_cast<size_t>(w)) line.append(static_cast<size_t>(w) - line.size(), ' ');
  wattrset(stdscr, attr);
  mvwaddnstr(stdscr, y, 0, line.c_str(), static_cast<int>(line.size()));
  wattrset(stdscr, A_NORMAL);
}

}  // namespace

Screen::Screen(bool color) {
  std::setlocale(LC_ALL, "");
  if (!initscr()) throw Fatal("cannot initialise the terminal");
  cbreak();
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  set_escdelay(25);
  curs_set(0);
  if (color && has_colors()) {
    start_color();
    use_default_colors();
    // Readable on light and dark backgrounds: dark text on a cyan bar for the
    // selection, red on the terminal's own background for warnings.
    init_pair(kPairSelected, COLOR_BLACK, COLOR_CYAN);
    init_pair(kPairWarn, COLOR_RED, -1);
    init_pair(kPairTab, COLOR_BLACK, COLOR_GREEN);
    color_ = true;
  }
}

Screen::~Screen() {
  curs_set(1);
  endwin();
}

int Screen::read_key(int timeout_ms) {
  wtimeout(stdscr, timeout_ms);
  return wgetch(stdscr);
}

int Screen::table_height_for(int lines) { return std::max(1, lines - kTopLines - 1); }

void Screen::invalidate() { clearok(curscr, TRUE); }

void Screen::draw(TopModel& m, const HeaderInfo& info) {
  m.set_table_height(table_height_for(LINES));
  werase(stdscr);
  const attr_t warn = color_ ? (COLOR_PAIR(kPairWarn) | A_BOLD) : A_BOLD;
  const attr_t selected = color_ ? (COLOR_PAIR(kPairSelected) | A_BOLD) : (A_REVERSE | A_BOLD);
  const attr_t tab = color_ ? (COLOR_PAIR(kPairTab) | A_BOLD) : (A_REVERSE | A_BOLD);

  // Header block.
  auto header = header_lines(m.shown().snap.get(), info);
  Totals totals;
  if (m.shown().snap) totals = compute_totals(*m.shown().snap);
  for (int i = 0; i < kHeaderLines && i < static_cast<int>(header.size()); i++) {
    attr_t a = i == 0 ? A_BOLD : A_NORMAL;
    if (i == 2 && (totals.drops || totals.missing || totals.incomplete)) a = warn;
    if (i == 0 && info.end_of_recording) a = warn;
    put(i, header[static_cast<size_t>(i)], a);
  }

  // View line: the tabs, then the view's status. When both do not fit, the
  // other views' tabs show their key only.
  int x = 0;
  const int y = kHeaderLines;
  std::string status = view_status(m);
  auto colon = status.find(": ");
  if (colon != std::string::npos) status = status.substr(colon + 2);
  auto tab_text = [&](size_t v, bool short_form) {
    bool cur = static_cast<int>(v) == m.view_number();
    if (cur) return fmt::format("[{} {}]", v + 1, m.views()[v]->name());
    return short_form ? fmt::format(" {} ", v + 1) : fmt::format(" {} {} ", v + 1, m.views()[v]->name());
  };
  size_t full = status.size() + (m.paused ? 7 : 0);
  for (size_t v = 0; v < m.views().size(); v++) full += tab_text(v, false).size() + 1;
  const bool short_tabs = static_cast<int>(full) > COLS;
  for (size_t v = 0; v < m.views().size() && y < LINES; v++) {
    bool cur = static_cast<int>(v) == m.view_number();
    std::string t = tab_text(v, short_tabs);
    if (x + static_cast<int>(t.size()) > COLS) break;
    wattrset(stdscr, cur ? tab : A_NORMAL);
    mvwaddnstr(stdscr, y, x, t.c_str(), static_cast<int>(t.size()));
    wattrset(stdscr, A_NORMAL);
    x += static_cast<int>(t.size()) + 1;
  }
  if (m.paused && x + 7 <= COLS) {
    wattrset(stdscr, warn);
    mvwaddnstr(stdscr, y, x, "PAUSED", 6);
    wattrset(stdscr, A_NORMAL);
    x += 7;
  }
  if (x < COLS) {
    std::string s = status.substr(0, static_cast<size_t>(COLS - x));
    mvwaddnstr(stdscr, y, x, s.c_str(), static_cast<int>(s.size()));
  }

  const int first = kTopLines, height = m.table_height();
  if (m.help) {
    put(kTopLines - 1, "Help", A_REVERSE, true);
    const auto& lines = help_lines();
    for (int i = 0; i < height && i < static_cast<int>(lines.size()); i++)
      put(first + i, lines[static_cast<size_t>(i)], i == 0 ? A_BOLD : A_NORMAL);
  } else if (m.detail) {
    const std::string& key = m.vstate().sel.key;
    put(kTopLines - 1, fmt::format("Detail: {}   (Backspace/Esc: back, Up/Down: scroll)", m.view().name()),
        A_REVERSE, true);
    auto lines = render_detail(m.view().detail(m.shown(), key), COLS);
    int maxscroll = std::max(0, static_cast<int>(lines.size()) - height);
    m.detail_scroll = std::clamp(m.detail_scroll, 0, maxscroll);
    for (int i = 0; i < height && m.detail_scroll + i < static_cast<int>(lines.size()); i++) {
      const PaneLine& l = lines[static_cast<size_t>(m.detail_scroll + i)];
      put(first + i, l.text, l.heading ? A_BOLD : A_NORMAL);
    }
  } else {
    const auto& cols = m.view().columns();
    const SortedRows& rows = m.sorted();
    Selection& sel = m.vstate().sel;
    sel.follow(rows, height);
    // Only the rows on screen are formatted; the columns are fitted to them
    // (the flex column's width).
    int end = std::min(rows.size(), sel.top + height);
    std::vector<Row> visible(static_cast<size_t>(std::max(0, end - sel.top)));
    for (size_t i = 0; i < visible.size(); i++) rows.write_row(sel.top + static_cast<int>(i), &visible[i]);
    auto fitted = fit_columns(cols, visible, COLS, m.vstate().sort.column);
    put(kTopLines - 1, render_header(cols, fitted, m.vstate().sort), A_REVERSE, true);
    for (int i = 0; i < static_cast<int>(visible.size()); i++) {
      bool is_sel = sel.top + i == sel.index;
      put(first + i, render_row(cols, fitted, visible[static_cast<size_t>(i)]), is_sel ? selected : A_NORMAL, is_sel);
    }
    if (rows.size() == 0)
      put(first, m.has_data() ? (m.vstate().filter.empty() ? "(no rows in this interval)" : "(no row matches the filter)")
                              : "(waiting for data)");
  }

  // Bottom line: the prompt, a message, or the key hints.
  std::string bottom;
  attr_t battr = A_NORMAL;
  switch (m.prompt) {
    case PromptKind::Search: bottom = "Search: " + m.input + "_"; battr = A_BOLD; break;
    case PromptKind::Filter: bottom = "Filter: " + m.input + "_"; battr = A_BOLD; break;
    case PromptKind::Delay:
      bottom = fmt::format("Change delay from {:.2f} to: {}_", m.delay_s, m.input);
      battr = A_BOLD;
      break;
    case PromptKind::None:
      if (!m.message.empty()) {
        bottom = m.message;
        battr = warn;
      } else {
        bottom = "q quit  h help  Tab/1-5 view  <> sort  R rev  / search  \\ filter  Z pause  d delay  Enter detail";
      }
  }
  put(LINES - 1, bottom, battr);
  wrefresh(stdscr);
}

}  // namespace pollscope::tui
