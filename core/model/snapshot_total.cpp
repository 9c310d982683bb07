#include "core/model/snapshot_total.hpp"

namespace pollscope {

void SnapshotTotal::add(const Snapshot& interval) {
  // Closed and folded rows are what folding acts on: without them this
  // interval cannot have made anything to fold (open connections never fold).
  if (!foldable_)
    for (const auto& r : interval.sockets)
      if (r.closed() || r.folded) {
        foldable_ = true;
        break;
      }
  total_.merge(interval, &index_);
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
