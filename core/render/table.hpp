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
  // Never wider than this (0: no limit), even where columns are as wide as
  // their widest cell: the report's 80-column layout cuts long names.
  int max_width = 0;
  bool descending_first() const { return numeric && !ascending; }
};

// A column of a fixed layout (the report, lab --compare, check): a title, a
// minimum width, an alignment; optionally a width it never exceeds, its cells
// cut at the end (or, keep_end, at the start, keeping the port of an address).
Column fixed_column(std::string title, int width, Align align, int max_width = 0, bool keep_end = false);

struct Cell {
  std::string text;
  double num = 0;
  std::string alt;  // shorter text shown when text does not fit ("" = none)
};

struct Row {
  std::string key;  // stable identity across intervals and re-sorting
  std::vector<Cell> cells;
};

// A row of a fixed layout: texts only, no key (never sorted nor selected).
Row text_row(std::vector<std::string> texts);

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
// A column's max_width bounds its widest cell in both modes.
std::vector<Fitted> fit_columns(const std::vector<Column>& cols, const std::vector<Row>& rows,
                                int width, int must_keep);
// The header line; the sorted column's title carries 'v' (natural order) or
// '^' (reversed).
std::string render_header(const std::vector<Column>& cols, const std::vector<Fitted>& fitted,
                          const SortSpec& sort);
std::string render_row(const std::vector<Column>& cols, const std::vector<Fitted>& fitted,
                       const Row& row);
// The table's lines, header first, each without trailing spaces; for callers
// that put text between rows (check's fixes).
std::vector<std::string> table_lines(const std::vector<Column>& cols, const std::vector<Row>& rows,
                                     const SortSpec& sort, int width);
// Whole table as text (header and every row), each line without trailing spaces.
std::string render_table(const std::vector<Column>& cols, const std::vector<Row>& rows,
                         const SortSpec& sort, int width);
// A fixed layout as text: rows in the order given, no sort mark, every column
// as wide as its widest cell within its bounds.
std::string render_fixed_table(const std::vector<Column>& cols, const std::vector<Row>& rows);

}  // namespace pollscope
