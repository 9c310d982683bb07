#include "core/model/snapshot_total.hpp"

#include <algorithm>

namespace pollscope {

// A vector grown by doubling holds its old and its new rows at once while it
// moves them: at 100,000 sockets the move from 65,536 rows to 131,072 was 138
// MB of the report's 212 MB peak. Capacity reserved up front is address
// space, not memory (the pages are untouched until rows fill them), so the
// total reserves the socket map's size and then grows only past it.
SnapshotTotal::SnapshotTotal(size_t max_rows, size_t expected_rows) : max_rows_(max_rows) {
  reserve_socket_rows(total_.sockets, std::max(expected_rows, max_rows));
}

void SnapshotTotal::add(const Snapshot& interval) {
  note_foldable(interval);
  total_.merge(interval, &index_);
  fold_if_needed();
}

// The first interval of a report at 100,000 sockets brings most of them (the
// connections that were open at attach): copied, its rows were resident twice,
// in the total and in the interval's vector that the collector keeps for the
// next interval.
void SnapshotTotal::add(Snapshot&& interval) {
  note_foldable(interval);
  // Only a vector with room for what the total reserved: a smaller one would
  // make the total grow by doubling later, old and new rows at once (the
  // collector's own fold may have replaced the interval's with a tight one).
  if (total_.sockets.empty() && !interval.sockets.empty() &&
      interval.sockets.capacity() >= total_.sockets.capacity())
    take_rows(interval);
  total_.merge(interval, &index_);  // the rest (the rows, unless taken above)
  fold_if_needed();
}

bool SnapshotTotal::take_rows(Snapshot& interval) {
  index_.clear();
  index_.reserve(interval.sockets.size());
  for (size_t i = 0; i < interval.sockets.size(); i++)
    if (!index_.emplace(interval.sockets[i].key, i).second) {
      // A key twice (a slot read while being published): merge() joins them.
      index_.clear();
      return false;
    }
  total_.sockets.swap(interval.sockets);
  return true;
}

void SnapshotTotal::note_foldable(const Snapshot& interval) {
  // Closed and folded rows are what folding acts on: without them this
  // interval cannot have made anything to fold (open connections never fold).
  if (!foldable_)
    for (const auto& r : interval.sockets)
      if (r.closed() || r.folded) {
        foldable_ = true;
        break;
      }
}

void SnapshotTotal::fold_if_needed() {
  if (!max_rows_ || !foldable_ || total_.sockets.size() <= max_rows_) return;
  // A fold moves rows and may give folded rows coarser keys without changing
  // their number: the index is made again whenever one ran.
  fold_closed_sockets(total_, max_rows_);
  reindex();
  // Still over the limit: every closed row folded and the folds coarsened,
  // so only new closed or folded rows can change anything. Under it, closed
  // rows may be left for open ones to push over later.
  foldable_ = total_.sockets.size() <= max_rows_;
}

void SnapshotTotal::reindex() {
  index_.clear();
  index_.reserve(total_.sockets.size());
  for (size_t i = 0; i < total_.sockets.size(); i++) index_.emplace(total_.sockets[i].key, i);
}

}  // namespace pollscope
