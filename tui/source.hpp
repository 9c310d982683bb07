// Where the top screens get their intervals from: a recording replayed, or the
// live tracer. The loop asks for the next interval when it is due (pacing is
// the loop's business, so replay can also be stepped instantly in batch mode).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope::tui {

class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  // The next interval; false when there is none any more (end of recording).
  virtual bool next(Snapshot* out) = 0;
  virtual bool live() const = 0;
  // "live" or "replay 3/5" for the index-th interval handed out (1-based).
  virtual std::string label(uint64_t index) const = 0;
  // An interval done with, for its memory to be filled again (Tracer::recycle).
  virtual void recycle(Snapshot&& done) { (void)done; }
};

class ReplaySource : public SnapshotSource {
 public:
  explicit ReplaySource(std::vector<Snapshot> snaps) : snaps_(std::move(snaps)) {}
  // Reads a recording; throws Fatal (exit 1) when it is missing or malformed.
  // A truncated last line is skipped with a warning on stderr.
  static std::unique_ptr<ReplaySource> open(const std::string& path);
  bool next(Snapshot* out) override;
  bool live() const override { return false; }
  std::string label(uint64_t index) const override;
  size_t size() const { return snaps_.size(); }

 private:
  std::vector<Snapshot> snaps_;
  size_t pos_ = 0;  // intervals handed out
};

}  // namespace pollscope::tui
