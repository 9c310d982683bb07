// Where the top screens get their intervals from: a recording replayed, or the
// live tracer. The loop asks for the next interval when it is due (pacing is
// the loop's business, so replay can also be stepped instantly in batch mode).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model/recording_reader.hpp"
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

// A recording, read twice: once through when opened (every line checked, so
// a bad one is an error before the screen starts, and counted for the
// "replay i/N" label; nothing kept), then a line at a time as the screen asks
// for intervals. Memory holds one interval, not the recording (held whole, a
// recording of 10,000 sockets took 221 MB for 106 MB of file). A recording
// of up to 32 MB, or one that cannot be read twice (a pipe, /dev/stdin), is
// read once and held.
class ReplaySource : public SnapshotSource {
 public:
  // Throws Fatal (exit 1) when the recording is missing or malformed. A
  // truncated last line is skipped with a warning on stderr.
  static constexpr uint64_t kHoldBytes = uint64_t{32} << 20;
  static std::unique_ptr<ReplaySource> open(const std::string& path, uint64_t hold_bytes = kHoldBytes);
  ~ReplaySource() override;
  // Throws Fatal when the file changed since it was opened so that a line
  // read now is bad.
  bool next(Snapshot* out) override;
  bool live() const override { return false; }
  std::string label(uint64_t index) const override;
  uint64_t size() const { return count_; }

 private:
  ReplaySource(std::string path, uint64_t count);

  std::string path_;
  std::vector<Snapshot> held_;  // all of it, when small or not a regular file
  bool holds_ = false;
  uint64_t count_;  // intervals found by the first reading
  uint64_t pos_ = 0;  // intervals handed out
  std::unique_ptr<RecordingReader> reader_;
};

}  // namespace pollscope::tui
