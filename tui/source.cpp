#include "tui/source.hpp"

#include "core/model/snapshot_json.hpp"

namespace pollscope::tui {

std::unique_ptr<ReplaySource> ReplaySource::open(const std::string& path) {
  return std::make_unique<ReplaySource>(read_recording(path));
}

bool ReplaySource::next(Snapshot* out) {
  if (pos_ >= snaps_.size()) return false;
  *out = snaps_[pos_++];
  return true;
}

std::string ReplaySource::label(uint64_t index) const {
  return "replay " + std::to_string(index) + "/" + std::to_string(snaps_.size());
}

}  // namespace pollscope::tui
