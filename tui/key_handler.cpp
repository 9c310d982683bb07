// Keys of the top screen (top(1) and htop conventions). Each key returns what
// changed; the loop decides what to redraw.
#define NCURSES_NOMACROS 1
#include <curses.h>

#include <cstdlib>

#include "tui/top_model.hpp"

namespace pollscope::tui {

namespace {

constexpr int kCtrlL = 12;
constexpr int kEsc = 27;
constexpr int kDel = 127;
constexpr int kCtrlH = 8;

bool is_back(int k) { return k == KEY_BACKSPACE || k == kDel || k == kCtrlH; }
bool is_enter(int k) { return k == '\n' || k == '\r' || k == KEY_ENTER; }

void run_search(TopModel& m, int from) {
  int i = m.sorted().find(m.search, from);
  if (i >= 0) {
    m.vstate().sel.move_to(m.sorted(), i, m.table_height());
    m.message.clear();
  } else {
    m.message = "no match for \"" + m.search + "\"";
  }
}

HandlerResult prompt_key(TopModel& m, int k) {
  if (k == kEsc) {
    if (m.prompt == PromptKind::Filter) {
      m.vstate().filter = m.prompt_saved;
      m.prompt = PromptKind::None;
      m.rebuild();
      return HandlerResult::Rebuild;
    }
    m.prompt = PromptKind::None;
    return HandlerResult::Redraw;
  }
  if (is_enter(k)) {
    PromptKind kind = m.prompt;
    m.prompt = PromptKind::None;
    if (kind == PromptKind::Delay) {
      char* end = nullptr;
      double d = std::strtod(m.input.c_str(), &end);
      if (m.input.empty() || *end != '\0' || !(d >= 0.05 && d <= 3600)) {
        m.message = "invalid delay \"" + m.input + "\" (seconds, 0.05 to 3600)";
        return HandlerResult::Redraw;
      }
      m.delay_s = d;
      m.message.clear();
      return HandlerResult::DelayChanged;
    }
    return HandlerResult::Redraw;
  }
  bool changed = false;
  if (is_back(k)) {
    if (!m.input.empty()) {
      m.input.pop_back();
      changed = true;
    }
  } else if (k >= 32 && k < 127) {
    m.input += static_cast<char>(k);
    changed = true;
  } else {
    return HandlerResult::Ignored;
  }
  if (!changed) return HandlerResult::Redraw;
  // Search and filter act as you type.
  if (m.prompt == PromptKind::Search) {
    m.search = m.input;
    if (!m.search.empty()) run_search(m, m.vstate().sel.index);
    return HandlerResult::Redraw;
  }
  if (m.prompt == PromptKind::Filter) {
    m.vstate().filter = m.input;
    m.rebuild();
    return HandlerResult::Rebuild;
  }
  return HandlerResult::Redraw;
}

}  // namespace

HandlerResult handle_key(TopModel& m, int k) {
  if (k == KEY_RESIZE) return HandlerResult::FullRedraw;
  if (k == kCtrlL) return HandlerResult::FullRedraw;
  if (m.prompt != PromptKind::None) return prompt_key(m, k);
  if (m.help) {  // any key closes the help
    m.help = false;
    return HandlerResult::Redraw;
  }
  m.message.clear();
  const int page = m.table_height() > 1 ? m.table_height() - 1 : 1;
  Selection& sel = m.vstate().sel;
  const int nviews = static_cast<int>(m.views().size());

  switch (k) {
    case 'q':
      return HandlerResult::Quit;
    case 'h':
    case '?':
      m.help = true;
      return HandlerResult::Redraw;
    case '\t':
      m.select_view((m.view_number() + 1) % nviews);
      return HandlerResult::Rebuild;
    case KEY_BTAB:
      m.select_view((m.view_number() + nviews - 1) % nviews);
      return HandlerResult::Rebuild;
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
      m.select_view(k - '1');
      return HandlerResult::Rebuild;
    case 'Z':
    case 'z':
      if (m.paused)
        m.unpause();
      else
        m.paused = true;
      return HandlerResult::Rebuild;
    case 'd':
    case 's':
      m.prompt = PromptKind::Delay;
      m.input.clear();
      return HandlerResult::Redraw;
    default:
      break;
  }

  if (m.detail) {
    if (is_back(k) || k == kEsc || is_enter(k) || k == KEY_LEFT) {
      m.detail = false;
      m.detail_scroll = 0;
      return HandlerResult::Redraw;
    }
    switch (k) {
      case KEY_UP: m.detail_scroll = m.detail_scroll > 0 ? m.detail_scroll - 1 : 0; return HandlerResult::Redraw;
      case KEY_DOWN: m.detail_scroll++; return HandlerResult::Redraw;
      case KEY_PPAGE: m.detail_scroll = m.detail_scroll > page ? m.detail_scroll - page : 0; return HandlerResult::Redraw;
      case KEY_NPAGE: m.detail_scroll += page; return HandlerResult::Redraw;
      case KEY_HOME: m.detail_scroll = 0; return HandlerResult::Redraw;
      default: return HandlerResult::Ignored;
    }
  }

  const auto& cols = m.view().columns();
  const int ncols = static_cast<int>(cols.size());
  switch (k) {
    case '<':
    case '>': {
      SortSpec& s = m.vstate().sort;
      s.column = (s.column + (k == '>' ? 1 : ncols - 1)) % ncols;
      m.rebuild();
      return HandlerResult::Rebuild;
    }
    case 'R':
      m.vstate().sort.reverse = !m.vstate().sort.reverse;
      m.rebuild();
      return HandlerResult::Rebuild;
    case '/':
      m.prompt = PromptKind::Search;
      m.input.clear();
      return HandlerResult::Redraw;
    case 'n':
      if (m.search.empty()) return HandlerResult::Ignored;
      run_search(m, sel.index + 1);
      return HandlerResult::Redraw;
    case '\\':
      m.prompt = PromptKind::Filter;
      m.prompt_saved = m.vstate().filter;
      m.input = m.vstate().filter;
      return HandlerResult::Redraw;
    case KEY_UP: sel.step(m.sorted(), -1, m.table_height()); return HandlerResult::Redraw;
    case KEY_DOWN: sel.step(m.sorted(), 1, m.table_height()); return HandlerResult::Redraw;
    case KEY_PPAGE: sel.step(m.sorted(), -page, m.table_height()); return HandlerResult::Redraw;
    case KEY_NPAGE: sel.step(m.sorted(), page, m.table_height()); return HandlerResult::Redraw;
    case KEY_HOME: sel.move_to(m.sorted(), 0, m.table_height()); return HandlerResult::Redraw;
    case KEY_END: sel.move_to(m.sorted(), m.sorted().size() - 1, m.table_height()); return HandlerResult::Redraw;
    default:
      break;
  }
  if (is_enter(k) || k == KEY_RIGHT) {
    if (m.sorted().size() == 0) return HandlerResult::Ignored;
    m.detail = true;
    m.detail_scroll = 0;
    return HandlerResult::Redraw;
  }
  if (k == kEsc && !m.vstate().filter.empty()) {  // Esc clears the filter
    m.vstate().filter.clear();
    m.rebuild();
    return HandlerResult::Rebuild;
  }
  return HandlerResult::Ignored;
}

const std::vector<std::string>& help_lines() {
  static const std::vector<std::string> lines = {
      "pollscope top - keys (any key returns)",
      "  q              quit (Ctrl-C and SIGTERM too)",
      "  h, ?           this help",
      "  Tab, Shift-Tab next / previous view",
      "  1 2 3 4 5      Sockets, Threads, CPUs, Connections, Stages view",
      "  < >            sort by the column on the left / right",
      "  R              reverse the sort order",
      "  /              search (as you type); n next match",
      "  \\              filter rows (as you type); Esc clears",
      "  Z              pause the screen (data keeps being collected)",
      "  d, s           change the delay between updates",
      "  Up Down PgUp PgDn Home End   move the selection",
      "  Enter          detail pane of the selected row (histograms)",
      "  Backspace, Esc back from the detail pane",
      "  Ctrl-L         redraw the screen",
      "Sorted column: v natural order, ^ reversed. The selection follows its row.",
  };
  return lines;
}

}  // namespace pollscope::tui
