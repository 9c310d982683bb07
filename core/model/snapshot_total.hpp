// The sum of a run's interval snapshots, as report and lab keep it. A total
// holds every socket seen (100,000 at C100K) while an interval brings only
// those with news: the index from socket to row is kept across intervals,
// and closed connections are folded (fold_closed_sockets) only when an
// interval brought closed or folded rows. Rebuilding the index and walking
// every row each interval was most of report's CPU at 100,000 sockets.
#pragma once
#include <cstddef>
#include <unordered_map>

#include "core/model/snapshot.hpp"

namespace pollscope {

class SnapshotTotal {
 public:
  // max_rows: the row limit closed connections fold beyond; 0: no folding.
  // expected_rows: how many rows the total is likely to reach (the socket
  // map's size), reserved at once (address space until rows fill it).
  explicit SnapshotTotal(size_t max_rows = 0, size_t expected_rows = 0);
  // Merges one interval (Snapshot::merge), then folds when needed.
  void add(const Snapshot& interval);
  // The same; an interval with more socket rows than the total (the first
  // one with any, or the last of a lifetime_rows trace: a row per socket)
  // hands its row vector over, and the total's rows are merged into it,
  // instead of it being copied (interval keeps the total's old vector,
  // emptied).
  void add(Snapshot&& interval);
  const Snapshot& total() const { return total_; }

 private:
  void reindex();
  // Makes the interval's rows the total's, with the total's rows merged in
  // as earlier ones, when the interval's keys are distinct (the index is
  // built from them); false, changing nothing, when one repeats.
  bool take_rows(Snapshot& interval);
  void note_foldable(const Snapshot& interval);
  void fold_if_needed();
  Snapshot total_;
  size_t max_rows_;
  bool foldable_ = false;  // the total may hold rows a fold would change
  std::unordered_map<SocketKey, size_t, SocketKeyHash> index_;  // sockets' rows in total_
  bool index_stale_ = false;  // index_ is to be made (reindex()) before it is used
};

}  // namespace pollscope
