#include "tui/selection.hpp"

#include <algorithm>

namespace pollscope::tui {

namespace {

class RowVectorKeys : public KeyList {
 public:
  explicit RowVectorKeys(const std::vector<Row>& rows) : rows_(rows) {}
  int size() const override { return static_cast<int>(rows_.size()); }
  std::string_view key(int i) const override { return rows_[static_cast<size_t>(i)].key; }

 private:
  const std::vector<Row>& rows_;
};

}  // namespace

void Selection::follow(const KeyList& rows, int height) {
  int n = rows.size();
  if (n == 0) {
    index = 0;
    top = 0;
    return;
  }
  int found = -1;
  if (!key.empty()) {
    for (int i = 0; i < n; i++)
      if (rows.key(i) == key) {
        found = i;
        break;
      }
  }
  if (found >= 0) {
    index = found;
  } else {
    index = std::clamp(index, 0, n - 1);
    key = rows.key(index);
  }
  if (height < 1) height = 1;
  if (index < top) top = index;
  if (index >= top + height) top = index - height + 1;
  top = std::clamp(top, 0, std::max(0, n - height));
}

void Selection::move_to(const KeyList& rows, int i, int height) {
  int n = rows.size();
  if (n == 0) return;
  index = std::clamp(i, 0, n - 1);
  key = rows.key(index);
  follow(rows, height);
}

void Selection::step(const KeyList& rows, int delta, int height) { move_to(rows, index + delta, height); }

void Selection::follow(const std::vector<Row>& rows, int height) { follow(RowVectorKeys(rows), height); }
void Selection::move_to(const std::vector<Row>& rows, int i, int height) { move_to(RowVectorKeys(rows), i, height); }
void Selection::step(const std::vector<Row>& rows, int delta, int height) { step(RowVectorKeys(rows), delta, height); }

}  // namespace pollscope::tui
