#include "tui/selection.hpp"

#include <algorithm>

namespace pollscope::tui {

void Selection::follow(const std::vector<Row>& rows, int height) {
  int n = static_cast<int>(rows.size());
  if (n == 0) {
    index = 0;
    top = 0;
    return;
  }
  int found = -1;
  if (!key.empty()) {
    for (int i = 0; i < n; i++)
      if (rows[static_cast<size_t>(i)].key == key) {
        found = i;
        break;
      }
  }
  if (found >= 0) {
    index = found;
  } else {
    index = std::clamp(index, 0, n - 1);
    key = rows[static_cast<size_t>(index)].key;
  }
  if (height < 1) height = 1;
  if (index < top) top = index;
  if (index >= top + height) top = index - height + 1;
  top = std::clamp(top, 0, std::max(0, n - height));
}

void Selection::move_to(const std::vector<Row>& rows, int i, int height) {
  int n = static_cast<int>(rows.size());
  if (n == 0) return;
  index = std::clamp(i, 0, n - 1);
  key = rows[static_cast<size_t>(index)].key;
  follow(rows, height);
}

void Selection::step(const std::vector<Row>& rows, int delta, int height) { move_to(rows, index + delta, height); }

}  // namespace pollscope::tui
