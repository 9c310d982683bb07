#include "tui/source.hpp"

#include <sys/stat.h>

#include <cstdio>

#include "core/model/recording_reader.hpp"

namespace pollscope::tui {

std::unique_ptr<ReplaySource> ReplaySource::open(const std::string& path, uint64_t hold_bytes) {
  // Held whole when small (parsed once, every step then free) or when it
  // cannot be read again; streamed when large (an interval of 10,000
  // sockets is 10 MB of JSON, about 0.3 s to parse as it is shown).
  struct stat st {};
  const bool again = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
                     static_cast<uint64_t>(st.st_size) > hold_bytes;
  RecordingReader check(path);
  std::vector<Snapshot> held;
  Snapshot s;
  while (check.next(&s))
    if (!again) held.push_back(std::move(s));
  // On stderr before the screen starts: stdout (batch frames) stays data only.
  if (!check.warning().empty()) std::fprintf(stderr, "pollscope top: %s\n", check.warning().c_str());
  std::unique_ptr<ReplaySource> src(new ReplaySource(path, check.snapshots()));
  src->holds_ = !again;
  src->held_ = std::move(held);
  return src;
}

ReplaySource::ReplaySource(std::string path, uint64_t count) : path_(std::move(path)), count_(count) {}

ReplaySource::~ReplaySource() = default;

bool ReplaySource::next(Snapshot* out) {
  // Only the intervals the first reading found: a recording still being
  // written has more lines by now, and its last line may be whole now.
  if (pos_ >= count_) return false;
  if (holds_) {
    *out = std::move(held_[pos_++]);
    return true;
  }
  if (!reader_) reader_ = std::make_unique<RecordingReader>(path_);
  if (!reader_->next(out)) {
    count_ = pos_;  // the file shrank since: the replay ends here
    return false;
  }
  pos_++;
  return true;
}

std::string ReplaySource::label(uint64_t index) const {
  return "replay " + std::to_string(index) + "/" + std::to_string(count_);
}

}  // namespace pollscope::tui
