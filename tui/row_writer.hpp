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
#include "tui/row_key.hpp"

namespace pollscope::tui {

class RowWriter {
 public:
  // Every cell, formatted, into row->cells (resized to columns); the key
  // stays in key().
  static RowWriter all_cells(Row* row, size_t columns) {
    RowWriter w;
    w.row_ = row;
    row->cells.resize(columns);
    return w;
  }
  // Only what sorting by column needs: its number, and its text when it is
  // a text column (text_sorted). column < 0: nothing but the key.
  static RowWriter sort_value(int column, bool text_sorted) {
    RowWriter w;
    w.sort_column_ = column;
    w.text_sorted_ = text_sorted;
    return w;
  }

  RowKey& key() { return key_; }
  // For cells whose value is dear to compute (a scan of other rows).
  bool wants(int column) const { return row_ != nullptr || column == sort_column_; }

  // A numeric cell: value is a number or a function returning one; text(v)
  // formats it.
  template <class Value, class Text>
  void num(int column, Value value, Text text) {
    if (!wants(column)) return;
    double v = evaluate(value);
    if (row_) {
      put(column, Cell{text(v), v, {}});
    } else {
      num_ = v;
      if (text_sorted_) text_ = text(v);
    }
  }
  // A text cell (its number is 0, as sorting text cells ignores it).
  template <class Text>
  void text(int column, Text text) {
    if (!wants(column)) return;
    if (row_) {
      put(column, Cell{text(), 0, {}});
    } else {
      num_ = 0;
      if (text_sorted_) text_ = text();
    }
  }
  // A cell made whole by make() (a short alternative text, a number of its own).
  template <class Make>
  void cell(int column, Make make) {
    if (!wants(column)) return;
    Cell c = make();
    if (row_) {
      put(column, std::move(c));
    } else {
      num_ = c.num;
      if (text_sorted_) text_ = std::move(c.text);
    }
  }

  // sort_value(): what was written for the sort column.
  double sort_num() const { return num_; }
  std::string& sort_text() { return text_; }

 private:
  RowWriter() = default;
  template <class Value>
  static double evaluate(const Value& value) {
    if constexpr (std::is_invocable_v<const Value&>)
      return static_cast<double>(value());
    else
      return static_cast<double>(value);
  }
  void put(int column, Cell c) { row_->cells[static_cast<size_t>(column)] = std::move(c); }

  Row* row_ = nullptr;
  int sort_column_ = -1;
  bool text_sorted_ = false;
  RowKey key_;
  double num_ = 0;
  std::string text_;
};

}  // namespace pollscope::tui
