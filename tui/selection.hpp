// The selected row of an interactive table and its scroll position: it
// follows its row's key across re-sorting and new data (csysdig).
#pragma once
#include <string>
#include <vector>

#include "core/render/table.hpp"

namespace pollscope::tui {

// The selected row and the scroll position of a table `height` rows high.
struct Selection {
  std::string key;  // followed across updates
  int index = 0;
  int top = 0;      // first row shown

  // After the rows changed (new data, sort, filter): finds the key again; when
  // it is gone keeps the same position (clamped). Then scrolls it into view.
  void follow(const std::vector<Row>& rows, int height);
  // Moves by delta rows (clamped) and scrolls; takes the new row's key.
  void step(const std::vector<Row>& rows, int delta, int height);
  void move_to(const std::vector<Row>& rows, int index, int height);
};

}  // namespace pollscope::tui
