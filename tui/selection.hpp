// The selected row of an interactive table and its scroll position: it
// follows its row's key across re-sorting and new data (csysdig).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/render/table.hpp"

namespace pollscope::tui {

// What a selection moves over: the rows in order, known by their keys only
// (top's rows are formatted when drawn, not before).
class KeyList {
 public:
  virtual int size() const = 0;
  virtual std::string_view key(int i) const = 0;

 protected:
  ~KeyList() = default;
};

// The selected row and the scroll position of a table `height` rows high.
struct Selection {
  std::string key;  // followed across updates
  int index = 0;
  int top = 0;      // first row shown

  // After the rows changed (new data, sort, filter): finds the key again; when
  // it is gone keeps the same position (clamped). Then scrolls it into view.
  void follow(const KeyList& rows, int height);
  // Moves by delta rows (clamped) and scrolls; takes the new row's key.
  void step(const KeyList& rows, int delta, int height);
  void move_to(const KeyList& rows, int index, int height);

  // The same over formatted rows.
  void follow(const std::vector<Row>& rows, int height);
  void step(const std::vector<Row>& rows, int delta, int height);
  void move_to(const std::vector<Row>& rows, int index, int height);
};

}  // namespace pollscope::tui
