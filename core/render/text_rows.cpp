#include "core/render/text_rows.hpp"

#include <algorithm>

namespace pollscope {

void TextRows::add(const Row& row) {
  for (size_t c = 0; c < cols_.size(); c++) {
    const Cell* cell = c < row.cells.size() ? &row.cells[c] : nullptr;
    if (cell) text_ += cell->text;
    ends_.push_back(static_cast<uint32_t>(text_.size()));
    // The short text is shown only where the text is cut: with every column
    // as wide as its widest cell, in a column with a max_width.
    if (cell && cols_[c].max_width > 0) text_ += cell->alt;
    ends_.push_back(static_cast<uint32_t>(text_.size()));
    if (cell) widest_[c] = std::max(widest_[c], cell->text.size());
  }
  rows_++;
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
  // One scratch row rendered by render_row(), as render_table() does.
  Row scratch;
  scratch.cells.resize(cols_.size());
  size_t e = 0;
  uint32_t start = 0;
  for (size_t r = 0; r < rows_; r++) {
    for (size_t c = 0; c < cols_.size(); c++) {
      const uint32_t text_end = ends_[e++], alt_end = ends_[e++];
      scratch.cells[c].text.assign(text_, start, text_end - start);
      scratch.cells[c].alt.assign(text_, text_end, alt_end - text_end);
      start = alt_end;
    }
    std::string line = render_row(cols_, fitted, scratch);
    size_t end = line.find_last_not_of(' ');
    out.append(line, 0, end == std::string::npos ? 0 : end + 1);
    out += '\n';
    if (drain && out.size() >= kDrainBytes) drain(out);
  }
}

}  // namespace pollscope
