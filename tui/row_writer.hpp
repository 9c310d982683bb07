// What a view writes for one row: its key, and those of its cells the caller
// wants. A refresh needs every row's key and sort value but only the drawn
// rows' texts, and formatting texts is most of a row's cost: so views hand
// each cell over as a value and a function that formats it (or a function
// that makes it), and the writer calls only what it wants.
#pragma once
#include <string>
#include <type_traits>
#include <utility>

#include "core/render/table.hpp"
#include "core/render/text_rows.hpp"
#include "tui/row_key.hpp"

namespace pollscope::tui {

class RowWriter {
 public:
  // Keeps what sorting by sort_column needs: its number, and its text when
  // it is a text column (text_sorted); sort_column < 0: nothing but the key.
  // With a row, also writes every cell, formatted, into row->cells (resized
  // to columns). Without key, views skip writing the row's key: a caller that
  // has it already (the sorted rows kept it) saves spelling it again, which
  // was a tenth of top -b's formatting of 10,000 rows.
  RowWriter(int sort_column, bool text_sorted, Row* row = nullptr, size_t columns = 0, bool key = true)
      : row_(row), sort_column_(sort_column), text_sorted_(text_sorted), wants_key_(key) {
    if (row_) row_->cells.resize(columns);
  }
  // Writes every cell, formatted, straight into the current row of sink
  // (begun by the caller): top -b's way, with no Row in between.
  explicit RowWriter(TextRows* sink) : sink_(sink), wants_key_(false) {}

  // Starts the next row (one writer serves a whole refresh).
  void clear() {
    key_.clear();
    num_ = 0;
    text_.clear();
  }

  RowKey& key() { return key_; }
  bool wants_key() const { return wants_key_; }
  // For cells whose value is dear to compute (a scan of other rows).
  bool wants(int column) const { return all_cells() || column == sort_column_; }

  // A numeric cell: value is a number or a function returning one; text(v)
  // formats it.
  template <class Value, class Text>
  void num(int column, Value value, Text text) {
    if (!wants(column)) return;
    const double v = evaluate(value);
    if (sink_)
      sink_->set(static_cast<size_t>(column), text(v), {});
    else if (row_)
      put(column, Cell{text(v), v, {}});
    else if (text_sorted_)
      text_ = text(v);
    if (column == sort_column_) num_ = v;
  }
  // A text cell (its number is 0, as sorting text cells ignores it).
  template <class Text>
  void text(int column, Text text) {
    if (!wants(column)) return;
    if (sink_)
      sink_->set(static_cast<size_t>(column), text(), {});
    else if (row_)
      put(column, Cell{text(), 0, {}});
    else if (text_sorted_)
      text_ = text();
    if (column == sort_column_) num_ = 0;
  }
  // A cell made whole by make() (a short alternative text, a number of its own).
  template <class Make>
  void cell(int column, Make make) {
    if (!wants(column)) return;
    Cell c = make();
    if (column == sort_column_) num_ = c.num;
    if (sink_)
      sink_->set(static_cast<size_t>(column), c.text, c.alt);
    else if (row_)
      put(column, std::move(c));
    else if (text_sorted_)
      text_ = std::move(c.text);
  }

  // What was written for the sort column.
  double sort_num() const { return num_; }
  std::string& sort_text() { return text_; }

 private:
  template <class Value>
  static double evaluate(const Value& value) {
    if constexpr (std::is_invocable_v<const Value&>)
      return static_cast<double>(value());
    else
      return static_cast<double>(value);
  }
  void put(int column, Cell c) {
    if (column == sort_column_ && text_sorted_) text_ = c.text;
    row_->cells[static_cast<size_t>(column)] = std::move(c);
  }

  bool all_cells() const { return row_ != nullptr || sink_ != nullptr; }

  Row* row_ = nullptr;
  TextRows* sink_ = nullptr;
  int sort_column_ = -1;
  bool text_sorted_ = false;
  bool wants_key_ = true;
  RowKey key_;
  double num_ = 0;
  std::string text_;
};

}  // namespace pollscope::tui
