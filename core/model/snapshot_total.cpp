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
  if (index_stale_ && !interval.sockets.empty()) reindex();
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
  // collector's own fold may have replaced the interval's with a tight one);
  // and for the total's rows too.
  const size_t rows = interval.sockets.size() + total_.sockets.size();
  if (interval.sockets.size() > total_.sockets.size() &&
      interval.sockets.capacity() >= std::max(total_.sockets.capacity(), rows))
    take_rows(interval);
  if (index_stale_ && !interval.sockets.empty()) reindex();
  total_.merge(interval, &index_);  // the rest (the rows, unless taken above)
  fold_if_needed();
}

bool SnapshotTotal::take_rows(Snapshot& interval) {
  {
    std::vector<SocketKey> keys;
    keys.reserve(interval.sockets.size());
    for (const auto& r : interval.sockets) keys.push_back(r.key);
    std::sort(keys.begin(), keys.end());
    // A key twice (a slot read while being published): merge() joins them.
    if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) return false;
  }
  std::vector<SocketRow> earlier;
  earlier.swap(total_.sockets);
  total_.sockets.swap(interval.sockets);
  // The total's rows are the earlier ones: numbers added, identity and state
  // of the interval's row where both have the connection. Only they are
  // indexed: the index of the whole total, 100,000 rows after the last read
  // of a lifetime_rows trace, waits for an add() that needs it.
  std::unordered_map<SocketKey, size_t, SocketKeyHash> earlier_index;
  earlier_index.reserve(earlier.size());
  for (size_t i = 0; i < earlier.size(); i++) earlier_index.emplace(earlier[i].key, i);
  std::vector<bool> merged(earlier.size(), false);
  if (!earlier.empty())
    for (auto& later : total_.sockets) {
      auto it = earlier_index.find(later.key);
      if (it == earlier_index.end()) continue;
      SocketRow& row = earlier[it->second];
      merge_socket(row, later);
      later = std::move(row);
      merged[it->second] = true;
    }
  for (size_t i = 0; i < earlier.size(); i++)
    if (!merged[i]) total_.sockets.push_back(std::move(earlier[i]));  // within the capacity checked by add()
  earlier.clear();
  interval.sockets.swap(earlier);  // room the collector can fill again (Tracer::recycle)
  index_ = {};
  index_stale_ = true;
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
  index_stale_ = false;
  index_.clear();
  index_.reserve(total_.sockets.size());
  for (size_t i = 0; i < total_.sockets.size(); i++) index_.emplace(total_.sockets[i].key, i);
}

}  // namespace pollscope
