// Everything the interactive top screen knows, without a terminal: the views,
// the shown frame (frozen while paused), per-view sort/selection/filter, the
// search, the prompt, the detail pane and help. Keys are applied by
// handle_key() (key_handler.cpp), which says what changed (htop's HandlerResult).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "tui/frame.hpp"
#include "tui/selection.hpp"
#include "tui/sorted_rows.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

enum class HandlerResult {
  Ignored,       // nothing changed
  Redraw,        // same rows, draw again (selection, prompt text, help...)
  Rebuild,       // rows must be rebuilt (view, sort, filter, unpause)
  FullRedraw,    // Ctrl-L, resize: clear the terminal and draw everything
  DelayChanged,  // the delay was changed: reschedule the next interval
  Quit,
};

enum class PromptKind { None, Search, Filter, Delay };

struct ViewState {
  SortSpec sort;
  Selection sel;
  std::string filter;
};

class TopModel {
 public:
  TopModel(double delay_s, const FilterSpec& filter = {});

  // A new interval arrives; shown right away unless paused.
  void ingest(Snapshot s);
  // The interval the last ingest() replaced, when nothing shows it any more
  // (an empty snapshot otherwise): its memory can be filled again
  // (SnapshotSource::recycle). At 100,000 sockets an interval's rows are
  // tens of MB; allocated afresh every interval they left the heap
  // fragmented and top's peak memory varied by 30 MB between runs.
  Snapshot take_retired();
  // Batch mode, once a frame is printed: nothing shows it any more, so its
  // interval is retired (take_retired()) before the next one is collected,
  // and one interval's rows are in memory at a time, not two.
  void release_frame();
  // Rebuilds the current view's rows from the shown frame (sorted, not
  // formatted).
  void rebuild();

  // Sorting by column id for the start (--sort): false when no view has it.
  bool set_sort(const std::string& column_id);
  bool set_view(const std::string& name);
  void select_view(int v);

  // Table geometry, from the screen (rows the table area can hold).
  void set_table_height(int h) { table_height_ = h < 1 ? 1 : h; }
  int table_height() const { return table_height_; }

  const View& view() const { return *views_[static_cast<size_t>(view_)]; }
  int view_number() const { return view_; }
  const std::vector<std::unique_ptr<View>>& views() const { return views_; }
  ViewState& vstate() { return vstates_[static_cast<size_t>(view_)]; }
  const ViewState& vstate() const { return vstates_[static_cast<size_t>(view_)]; }
  // The current view's rows, sorted, formatted on demand.
  const SortedRows& sorted() const { return sorted_; }
  // Every row formatted (batch mode, tests): work for every row, where the
  // screen formats only the rows it draws.
  std::vector<Row> rows() const { return sorted_.all(); }
  const Frame& shown() const { return shown_; }
  bool has_data() const { return shown_.snap != nullptr; }
  uint64_t ingested() const { return ingested_; }

  // Public state the key handler and the screen share.
  bool paused = false;
  bool detail = false;
  int detail_scroll = 0;
  bool help = false;
  PromptKind prompt = PromptKind::None;
  std::string input;         // prompt text being typed
  std::string prompt_saved;  // filter before the prompt opened (Esc restores it)
  std::string search;        // last search text
  std::string message;       // one-line status message (bad delay, no match)
  double delay_s;

  void unpause();  // shows the latest interval

 private:
  std::vector<std::unique_ptr<View>> views_;
  std::vector<ViewState> vstates_;
  int view_ = 0;
  FilterSpec filter_;
  ConnLog conns_;
  uint64_t conns_logged_ = 0;  // conns_.logged() when latest_.conns was copied
  Frame latest_;
  std::shared_ptr<const Snapshot> retired_;
  void retire(std::shared_ptr<const Snapshot> done);  // retired_ = done, when nothing else holds it
  Frame shown_;
  uint64_t ingested_ = 0;
  SortedRows sorted_;
  int table_height_ = 10;
};

HandlerResult handle_key(TopModel& m, int key);

// The help screen's lines (also used by the man page check in tests).
const std::vector<std::string>& help_lines();

}  // namespace pollscope::tui
