// A batch-mode table (every column as wide as its widest cell) built one row
// at a time and kept as its cell texts only, in one buffer. top's batch mode
// prints every row of every frame: at 100,000 sockets a Row per socket (a
// string and a vector of cells each) was most of its memory, where the texts
// alone are about a tenth of it.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/render/table.hpp"

namespace pollscope {

class TextRows {
 public:
  explicit TextRows(const std::vector<Column>& cols) : cols_(cols), widest_(cols.size(), 0) {}
  // Keeps row's cell texts (and the short ones, for columns with a
  // max_width); row is free to be written again.
  void add(const Row& row);
  // The same a cell at a time, in any order: a row's cells not set are
  // empty; a column out of range, or a set() before any begin_row(), is
  // ignored. (top -b writes its rows this way, with no Row in between.)
  void begin_row();
  void set(size_t column, std::string_view text, std::string_view alt);
  size_t size() const { return rows_; }
  // Appends what render_table(cols, rows, sort, 0) gives for the rows added,
  // in the order added. With drain, out is handed to it (to write out and
  // clear) whenever it holds 64 KB or more: a frame of 100,000 rows is
  // megabytes of text.
  using Drain = std::function<void(std::string&)>;
  void render(const SortSpec& sort, std::string& out, const Drain& drain = nullptr) const;

 private:
  const std::vector<Column>& cols_;
  struct Span {
    uint32_t at = 0;   // where in text_ the cell's text starts; its alt follows
    uint32_t len = 0;
    uint32_t alt = 0;  // length of the alt
  };
  std::string text_;              // every cell's text and alt, row after row
  std::vector<Span> spans_;       // per cell of every row, in column order
  std::vector<size_t> widest_;    // per column: its widest text
  size_t rows_ = 0;
};

}  // namespace pollscope
