#include "core/render/table.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/render/format.hpp"

namespace pollscope {

void sort_rows(std::vector<Row>& rows, const std::vector<Column>& cols, const SortSpec& sort) {
  if (sort.column < 0 || sort.column >= static_cast<int>(cols.size())) return;
  const size_t c = static_cast<size_t>(sort.column);
  const bool numeric = cols[c].numeric;
  // Natural order: numbers descending, text and identifiers ascending;
  // reverse flips it.
  const bool descending = cols[c].descending_first() != sort.reverse;
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    int cmp = 0;
    if (c < a.cells.size() && c < b.cells.size()) {
      if (numeric) {
        double x = a.cells[c].num, y = b.cells[c].num;
        cmp = x < y ? -1 : (x > y ? 1 : 0);
      } else {
        int r = a.cells[c].text.compare(b.cells[c].text);
        cmp = r < 0 ? -1 : (r > 0 ? 1 : 0);
      }
    }
    if (cmp != 0) return descending ? cmp > 0 : cmp < 0;
    return a.key < b.key;
  });
}

bool row_matches(const Row& row, const std::string& needle) {
  if (needle.empty()) return true;
  for (const auto& cell : row.cells)
    if (contains_nocase(cell.text, needle)) return true;
  return false;
}

void filter_rows(std::vector<Row>& rows, const std::string& needle) {
  if (needle.empty()) return;
  rows.erase(std::remove_if(rows.begin(), rows.end(), [&](const Row& r) { return !row_matches(r, needle); }),
             rows.end());
}

int find_row(const std::vector<Row>& rows, const std::string& needle, int from) {
  int n = static_cast<int>(rows.size());
  if (n == 0 || needle.empty()) return -1;
  if (from < 0 || from >= n) from = 0;
  for (int i = 0; i < n; i++) {
    int k = (from + i) % n;
    if (row_matches(rows[static_cast<size_t>(k)], needle)) return k;
  }
  return -1;
}

int column_index(const std::vector<Column>& cols, const std::string& name) {
  auto lower = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  std::string n = lower(name);
  for (size_t i = 0; i < cols.size(); i++)
    if (lower(cols[i].id) == n || lower(cols[i].title) == n) return static_cast<int>(i);
  return -1;
}

namespace {

int natural_width(const Column& c, bool sorted) {
  // Room for the title, and for the sort mark in the sorted column.
  return std::max(c.width, static_cast<int>(c.title.size()) + (sorted ? 1 : 0));
}

int widest_cell(const std::vector<Row>& rows, size_t c, const Column& col) {
  size_t w = 0;
  for (const auto& r : rows)
    if (c < r.cells.size()) w = std::max(w, r.cells[c].text.size());
  int widest = static_cast<int>(w);
  return col.max_width > 0 ? std::min(widest, col.max_width) : widest;
}

std::string rstrip(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

namespace {

int widest_alt(const std::vector<Row>& rows, size_t c) {
  size_t w = 0;
  for (const auto& r : rows)
    if (c < r.cells.size()) w = std::max(w, r.cells[c].alt.empty() ? r.cells[c].text.size() : r.cells[c].alt.size());
  return static_cast<int>(w);
}

}  // namespace

std::vector<Fitted> fit_columns(const std::vector<Column>& cols, const std::vector<Row>& rows, int width,
                                int must_keep) {
  std::vector<Fitted> out;
  if (width <= 0) {
    for (size_t i = 0; i < cols.size(); i++)
      out.push_back({static_cast<int>(i),
                     std::max(natural_width(cols[i], static_cast<int>(i) == must_keep), widest_cell(rows, i, cols[i]))});
    return out;
  }
  // Steps by priority (the sort column first of all): placing a column, or
  // growing a flex column to its widest cell.
  struct Step {
    int priority;
    int column;
    bool grow;
  };
  std::vector<Step> steps;
  for (size_t i = 0; i < cols.size(); i++) {
    int c = static_cast<int>(i);
    steps.push_back({c == must_keep ? -1 : cols[i].priority, c, false});
    if (cols[i].flex && cols[i].grow_priority > 0) steps.push_back({cols[i].grow_priority, c, true});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.priority < b.priority; });
  std::vector<int> widths(cols.size(), 0);  // 0: not shown
  int used = 0;
  for (const Step& st : steps) {
    auto i = static_cast<size_t>(st.column);
    const Column& c = cols[i];
    if (st.grow) {
      if (widths[i] == 0) continue;
      int add = widest_cell(rows, i, c) - widths[i];
      if (add > 0 && used + add <= width) {
        widths[i] += add;
        used += add;
      }
      continue;
    }
    int w = natural_width(c, st.column == must_keep);
    if (c.flex) w = std::max(w, widest_alt(rows, i));
    int need = used == 0 ? w : used + 1 + w;
    if (need > width && c.flex) {  // a narrower flex column still helps
      w = natural_width(c, st.column == must_keep);
      need = used == 0 ? w : used + 1 + w;
    }
    if (need <= width) {
      widths[i] = w;
      used = need;
    }
  }
  for (size_t i = 0; i < cols.size(); i++)
    if (widths[i] > 0) out.push_back({static_cast<int>(i), widths[i]});
  // Spare width goes to the flex column(s), up to their widest cell.
  int spare = width - used;
  for (auto& f : out) {
    const Column& c = cols[static_cast<size_t>(f.column)];
    if (!c.flex || spare <= 0) continue;
    int want = widest_cell(rows, static_cast<size_t>(f.column), c) - f.width;
    if (want <= 0) continue;
    int add = std::min(want, spare);
    f.width += add;
    spare -= add;
  }
  return out;
}

std::string render_header(const std::vector<Column>& cols, const std::vector<Fitted>& fitted,
                          const SortSpec& sort) {
  std::string line;
  for (size_t k = 0; k < fitted.size(); k++) {
    const Column& c = cols[static_cast<size_t>(fitted[k].column)];
    std::string title = c.title;
    if (fitted[k].column == sort.column) title += sort.reverse ? "^" : "v";
    if (k) line += ' ';
    line += fit(title, fitted[k].width, c.align == Align::Right);
  }
  return line;
}

std::string render_row(const std::vector<Column>& cols, const std::vector<Fitted>& fitted, const Row& row) {
  std::string line;
  size_t total = fitted.size();
  for (const auto& f : fitted) total += static_cast<size_t>(f.width);
  line.reserve(total);
  for (size_t k = 0; k < fitted.size(); k++) {
    auto ci = static_cast<size_t>(fitted[k].column);
    const Column& c = cols[ci];
    static const std::string empty;
    const Cell* cell = ci < row.cells.size() ? &row.cells[ci] : nullptr;
    const std::string* text = cell ? &cell->text : &empty;
    if (cell && !cell->alt.empty() && cell->text.size() > static_cast<size_t>(fitted[k].width)) text = &cell->alt;
    if (k) line += ' ';
    append_fit(line, *text, fitted[k].width, c.align == Align::Right, c.keep_end);
  }
  return line;
}

std::vector<std::string> table_lines(const std::vector<Column>& cols, const std::vector<Row>& rows,
                                     const SortSpec& sort, int width) {
  auto fitted = fit_columns(cols, rows, width, sort.column);
  std::vector<std::string> lines;
  lines.reserve(rows.size() + 1);
  lines.push_back(rstrip(render_header(cols, fitted, sort)));
  for (const auto& r : rows) lines.push_back(rstrip(render_row(cols, fitted, r)));
  return lines;
}

std::string render_table(const std::vector<Column>& cols, const std::vector<Row>& rows, const SortSpec& sort,
                         int width) {
  // Appended line by line into one reserved string: top's batch mode renders
  // every row of every frame.
  auto fitted = fit_columns(cols, rows, width, sort.column);
  std::string out = rstrip(render_header(cols, fitted, sort)) + "\n";
  size_t line_len = fitted.size();
  for (const auto& f : fitted) line_len += static_cast<size_t>(f.width);
  out.reserve(out.size() + rows.size() * line_len);
  for (const auto& r : rows) {
    std::string line = render_row(cols, fitted, r);
    size_t end = line.find_last_not_of(' ');
    out.append(line, 0, end == std::string::npos ? 0 : end + 1);
    out += '\n';
  }
  return out;
}

std::string render_fixed_table(const std::vector<Column>& cols, const std::vector<Row>& rows) {
  return render_table(cols, rows, SortSpec{-1, false}, 0);
}

Column fixed_column(std::string title, int width, Align align, int max_width, bool keep_end) {
  Column c;
  c.id = title;
  c.title = std::move(title);
  c.width = width;
  c.align = align;
  c.numeric = false;
  c.keep_end = keep_end;
  c.max_width = max_width;
  return c;
}

Row text_row(std::vector<std::string> texts) {
  Row r;
  r.cells.reserve(texts.size());
  for (auto& t : texts) r.cells.push_back(Cell{std::move(t), 0, ""});
  return r;
}

}  // namespace pollscope
