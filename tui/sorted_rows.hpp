// The current view's rows of one frame, filtered and sorted, each kept as no
// more than its key, its sort value and its item in the frame. A refresh
// sorts every row (so the selection can reach and follow any of them) but
// formats cell texts only where they are needed: for a filter, which matches
// text, and for a text sort column. Rows are formatted when they are drawn
// (row()), searched (find()) or printed in batch mode (all()).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/render/table.hpp"
#include "tui/frame.hpp"
#include "tui/row_key.hpp"
#include "tui/selection.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

class SortedRows : public KeyList {
 public:
  // Rebuilds from frame f as view v shows it. The order is sort_rows()'s: the
  // sort column's natural order (reversed on request), ties by key.
  void build(const View& v, const Frame& f, const SortSpec& sort, const std::string& filter);

  int size() const override { return static_cast<int>(entries_.size()); }
  std::string_view key(int pos) const override { return entries_[static_cast<size_t>(pos)].key.view(); }
  // The row at pos, every cell formatted now; write_row() reuses out's cells.
  Row row(int pos) const;
  void write_row(int pos, Row* out) const;
  // The same as the next row of table (its texts only).
  void write_row(int pos, TextRows* table) const;
  // Every row, formatted, in order (batch mode).
  std::vector<Row> all() const;
  // find_row() over the rows: the first at or after from (wrapping) with a
  // cell containing needle, or -1. Formats rows until one matches.
  int find(const std::string& needle, int from) const;

 private:
  struct Entry {  // small: sorting moves 10,000 of them
    RowKey key;
    double num = 0;     // the sort column's number (numeric columns)
    uint32_t item = 0;  // the view's item in frame_
    uint32_t text = 0;  // its text in texts_ (text columns only)
  };
  void sort(const std::vector<Column>& cols, const SortSpec& sort);

  const View* view_ = nullptr;
  Frame frame_;  // keeps the snapshot the entries' items point into
  std::vector<Entry> entries_;  // reused: its capacity outlives a refresh
  std::vector<std::string> texts_;
};

}  // namespace pollscope::tui
