// The one table engine of every text table pollscope prints (top's views,
// interactive and batch, the text report, lab --compare, check): columns with
// widths and priorities, rows with a stable key and cells that carry both the
// text shown and the number sorted on. Pure logic: sorting, filtering,
// searching, fitting columns to a width, rendering plain-text lines. It lives
// in core/render so the report and check need not depend on tui/.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace pollscope {

enum class Align { Left, Right };

struct Column {
  std::string id;        // for --sort and the man page: "ready", "ready-read-p99"
  std::string title;     // header text: "READY/s"
  int width = 6;         // natural width (flex columns: minimum width)
  Align align = Align::Right;
  int priority = 50;     // lower is kept first when the screen is narrow
  bool numeric = true;   // numeric columns sort by Cell::num, descending first
  bool flex = false;     // takes the spare width (at most its widest cell)
  bool keep_end = false; // truncate on the left, keeping the end of the text
  // Flex columns: at this priority the column grows to its widest cell
  // before columns of lower priority are placed (0: only with what is left).
  int grow_priority = 0;
  // Numeric identifiers (PID, FD, CPU) sort ascending first, like text.
  bool ascending = false;
  bool descending_first() const { return numeric && !ascending; }
};

struct Cell {
  std::string text;
  double num = 0;
  std::string alt;  // shorter text shown when text does not fit ("" = none)
};

struct Row {
  std::string key;  // stable identity across intervals and re-sorting
  std::vector<Cell> cells;
};

struct SortSpec {
  int column = 0;
  bool reverse = false;  // flips the column's natural order
};

// Sorts in the column's natural order (numbers descending, text ascending),
// reversed on request; ties by key, so the order is total and stable.
void sort_rows(std::vector<Row>& rows, const std::vector<Column>& cols, const SortSpec& sort);
// True when any cell's text contains needle (case-insensitive).
bool row_matches(const Row& row, const std::string& needle);
// Keeps the rows that match needle (all when empty).
void filter_rows(std::vector<Row>& rows, const std::string& needle);
// Index of the first matching row at or after from (wrapping), or -1.
int find_row(const std::vector<Row>& rows, const std::string& needle, int from);
// Index of the column with this id (case-insensitive) or title, or -1.
int column_index(const std::vector<Column>& cols, const std::string& name);

struct Fitted {
  int column;  // index into the columns
  int width;
};

// Chooses the columns that fit in width (columns separated by one space) by
// priority, keeping must_keep (the sort column) whenever possible, in their
// original order. A flex column is placed at least as wide as its widest short
// text (Cell::alt), grows to its widest text at its grow_priority, and gets
// what is left at the end.
// width <= 0: every column, each as wide as its widest cell (batch mode).
std::vector<Fitted> fit_columns(const std::vector<Column>& cols, const std::vector<Row>& rows,
                                int width, int must_keep);
// The header line; the sorted column's title carries 'v' (natural order) or
// '^' (reversed).
std::string render_header(const std::vector<Column>& cols, const std::vector<Fitted>& fitted,
                          const SortSpec& sort);
std::string render_row(const std::vector<Column>& cols, const std::vector<Fitted>& fitted,
                       const Row& row);
// Whole table as text (header and every row), each line without trailing spaces.
std::string render_table(const std::vector<Column>& cols, const std::vector<Row>& rows,
                         const SortSpec& sort, int width);

}  // namespace pollscope
