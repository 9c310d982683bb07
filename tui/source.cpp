#include "tui/source.hpp"

#include <cstdio>

#include "core/model/recording_reader.hpp"

namespace pollscope::tui {

std::unique_ptr<ReplaySource> ReplaySource::open(const std::string& path) {
  std::string warning;
  auto source = std::make_unique<ReplaySource>(read_recording(path, &warning));
  // On stderr before the screen starts: stdout (batch frames) stays data only.
  if (!warning.empty()) std::fprintf(stderr, "pollscope top: %s\n", warning.c_str());
  return source;
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
