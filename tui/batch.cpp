#include "tui/batch.hpp"

#include <fmt/format.h>

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

std::string batch_frame(const TopModel& m, const HeaderInfo& info) {
  std::string out;
  for (const auto& line : header_lines(m.shown().snap.get(), info)) out += line + "\n";
  out += "\n";
  out += view_status(m) + "\n";
  out += render_table(m.view().columns(), m.rows(), m.vstate().sort, 0);
  out += "\n";
  return out;
}

}  // namespace pollscope::tui
