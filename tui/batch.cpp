#include "tui/batch.hpp"

#include <fmt/format.h>

#include "core/render/text_rows.hpp"

namespace pollscope::tui {

std::string view_status(const TopModel& m) {
  const auto& cols = m.view().columns();
  const SortSpec& s = m.vstate().sort;
  std::string out = fmt::format("{}: {} rows, ", m.view().name(), m.sorted().size());
  if (!m.vstate().filter.empty()) out += "filter \"" + m.vstate().filter + "\", ";
  out += fmt::format("sort {} {}",
                                cols[static_cast<size_t>(s.column)].title,
                                (cols[static_cast<size_t>(s.column)].descending_first() != s.reverse) ? "desc" : "asc");
  return out;
}

namespace {

void frame_text(const TopModel& m, const HeaderInfo& info, std::string& out, const TextRows::Drain& drain) {
  for (const auto& line : header_lines(m.shown().snap.get(), info)) out += line + "\n";
  out += "\n";
  out += view_status(m) + "\n";
  // Row by row into their texts, not every row as a Row at once.
  TextRows table(m.view().columns());
  for (int i = 0; i < m.sorted().size(); i++) m.sorted().write_row(i, &table);
  table.render(m.vstate().sort, out, drain);
  out += "\n";
}

}  // namespace

std::string batch_frame(const TopModel& m, const HeaderInfo& info) {
  std::string out;
  frame_text(m, info, out, nullptr);
  return out;
}

bool write_batch_frame(const TopModel& m, const HeaderInfo& info, std::FILE* to) {
  bool ok = true;
  auto drain = [&](std::string& text) {
    if (ok && std::fwrite(text.data(), 1, text.size(), to) != text.size()) ok = false;
    text.clear();
  };
  std::string out;
  frame_text(m, info, out, drain);
  drain(out);
  return ok && std::fflush(to) == 0;
}

}  // namespace pollscope::tui
