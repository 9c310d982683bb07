#include "tui/sorted_rows.hpp"

#include <algorithm>

namespace pollscope::tui {

void SortedRows::build(const View& v, const Frame& f, const SortSpec& sort, const std::string& filter) {
  view_ = &v;
  frame_ = f;
  entries_.clear();
  texts_.clear();
  const auto& cols = v.columns();
  const int c = sort.column >= 0 && sort.column < static_cast<int>(cols.size()) ? sort.column : -1;
  const bool text_sorted = c >= 0 && !cols[static_cast<size_t>(c)].numeric;
  const size_t n = v.items(f);
  entries_.reserve(n);
  Row scratch;  // a filter matches the text of every cell
  RowWriter w(c, text_sorted, filter.empty() ? nullptr : &scratch, cols.size());
  for (size_t i = 0; i < n; i++) {
    w.clear();
    if (!v.write_row(f, i, w)) continue;
    if (!filter.empty() && !row_matches(scratch, filter)) continue;
    Entry e{w.key(), w.sort_num(), static_cast<uint32_t>(i), 0};
    if (text_sorted) {
      e.text = static_cast<uint32_t>(texts_.size());
      texts_.push_back(std::move(w.sort_text()));
    }
    entries_.push_back(e);
  }
  if (c >= 0) this->sort(cols, sort);
}

void SortedRows::sort(const std::vector<Column>& cols, const SortSpec& spec) {
  const bool numeric = cols[static_cast<size_t>(spec.column)].numeric;
  // As sort_rows(): numbers descending first (identifiers ascending), text
  // ascending; reverse flips it; ties by key.
  const bool descending = cols[static_cast<size_t>(spec.column)].descending_first() != spec.reverse;
  std::sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) {
    int cmp = 0;
    if (numeric) {
      cmp = a.num < b.num ? -1 : (a.num > b.num ? 1 : 0);
    } else {
      int r = texts_[a.text].compare(texts_[b.text]);
      cmp = r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    if (cmp != 0) return descending ? cmp > 0 : cmp < 0;
    int k = a.key.compare(b.key);
    if (k != 0) return k < 0;
    return a.item < b.item;  // equal keys (none expected): still one order
  });
}

void SortedRows::write_row(int pos, Row* out) const {
  const Entry& e = entries_[static_cast<size_t>(pos)];
  RowWriter w(-1, false, out, view_->columns().size(), false);  // the entry has the key
  view_->write_row(frame_, e.item, w);
  out->key.assign(e.key.view());
}

void SortedRows::write_row(int pos, TextRows* table) const {
  const Entry& e = entries_[static_cast<size_t>(pos)];
  RowWriter w(table);
  table->begin_row();
  view_->write_row(frame_, e.item, w);
}

Row SortedRows::row(int pos) const {
  Row r;
  write_row(pos, &r);
  return r;
}

std::vector<Row> SortedRows::all() const {
  std::vector<Row> rows(entries_.size());
  for (size_t i = 0; i < rows.size(); i++) write_row(static_cast<int>(i), &rows[i]);
  return rows;
}

int SortedRows::find(const std::string& needle, int from) const {
  int n = size();
  if (n == 0 || needle.empty()) return -1;
  if (from < 0 || from >= n) from = 0;
  Row scratch;
  for (int i = 0; i < n; i++) {
    int k = (from + i) % n;
    write_row(k, &scratch);
    if (row_matches(scratch, needle)) return k;
  }
  return -1;
}

}  // namespace pollscope::tui
