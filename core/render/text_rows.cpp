#include "core/render/text_rows.hpp"

#include "core/render/format.hpp"

#include <algorithm>
#include <string_view>

namespace pollscope {

void TextRows::add(const Row& row) {
  begin_row();
  for (size_t c = 0; c < cols_.size() && c < row.cells.size(); c++) set(c, row.cells[c].text, row.cells[c].alt);
}

void TextRows::begin_row() {
  spans_.resize(spans_.size() + cols_.size());
  rows_++;
}

void TextRows::set(size_t column, std::string_view text, std::string_view alt) {
  // A cell outside the columns, or before any row: nothing to keep. A cell
  // set twice keeps the second text (the column may stay as wide as the
  // first: views write each cell once).
  if (rows_ == 0 || column >= cols_.size()) return;
  Span& s = spans_[(rows_ - 1) * cols_.size() + column];
  s.at = static_cast<uint32_t>(text_.size());
  s.len = static_cast<uint32_t>(text.size());
  text_ += text;
  // The short text is shown only where the text is cut: with every column
  // as wide as its widest cell, in a column with a max_width.
  s.alt = cols_[column].max_width > 0 ? static_cast<uint32_t>(alt.size()) : 0;
  if (s.alt) text_ += alt;
  widest_[column] = std::max(widest_[column], text.size());
}

void TextRows::render(const SortSpec& sort, std::string& out, const Drain& drain) const {
  constexpr size_t kDrainBytes = 64 * 1024;
  // The widths fit_columns() gives for width 0, from the widest texts.
  std::vector<Row> none;
  std::vector<Fitted> fitted = fit_columns(cols_, none, 0, sort.column);
  for (auto& f : fitted) {
    const Column& c = cols_[static_cast<size_t>(f.column)];
    int widest = static_cast<int>(widest_[static_cast<size_t>(f.column)]);
    if (c.max_width > 0) widest = std::min(widest, c.max_width);
    f.width = std::max(f.width, widest);
  }
  std::string header = render_header(cols_, fitted, sort);
  header.erase(header.find_last_not_of(' ') + 1);
  out += header;
  out += '\n';
  size_t line_len = fitted.size();
  for (const auto& f : fitted) line_len += static_cast<size_t>(f.width);
  out.reserve(out.size() + (drain ? kDrainBytes + line_len : rows_ * line_len));
  // What render_row() gives, less its trailing blanks, written straight from
  // the kept texts (no row of strings rebuilt for it, no line of its own).
  const std::string_view all(text_);
  const size_t ncols = cols_.size();
  for (size_t r = 0; r < rows_; r++) {
    const size_t line_start = out.size();
    const Span* spans = spans_.data() + ncols * r;
    for (size_t k = 0; k < fitted.size(); k++) {
      const auto c = static_cast<size_t>(fitted[k].column);
      const Span& sp = spans[c];
      std::string_view text = all.substr(sp.at, sp.len);
      if (sp.alt && text.size() > static_cast<size_t>(fitted[k].width)) text = all.substr(sp.at + sp.len, sp.alt);
      if (k) out += ' ';
      append_fit(out, text, fitted[k].width, cols_[c].align == Align::Right, cols_[c].keep_end);
    }
    size_t end = out.find_last_not_of(' ');
    out.resize(end == std::string::npos || end < line_start ? line_start : end + 1);
    out += '\n';
    if (drain && out.size() >= kDrainBytes) drain(out);
  }
}

}  // namespace pollscope
