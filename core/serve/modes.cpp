// The table of serve's waiting modes and its look-ups.
#include "core/serve/modes.hpp"

namespace pollscope::serve {

const std::vector<ModeInfo>& modes() {
  static const std::vector<ModeInfo> kModes = {
      {Mode::kBlocking, "blocking", "a thread blocked in read() per connection", true, false},
      {Mode::kBusyPoll, "busy-poll", "non-blocking reads in a loop that never sleeps", false, false},
      {Mode::kSelect, "select", "select() over fd sets rebuilt every round", false, true},
      {Mode::kPoll, "poll", "poll() over an array rebuilt every round", false, false},
      {Mode::kEpoll, "epoll", "epoll, level-triggered", false, false},
      {Mode::kEpollEt, "epoll-et", "epoll, edge-triggered, reads until EAGAIN", false, false},
  };
  return kModes;
}

const ModeInfo& mode_info(Mode m) {
  for (const auto& i : modes())
    if (i.mode == m) return i;
  return modes().back();  // unreachable: every Mode has its row
}

const ModeInfo* find_mode(std::string_view name) {
  for (const auto& i : modes())
    if (name == i.name) return &i;
  return nullptr;
}

bool parse_mode(std::string_view name, Mode* out) {
  const ModeInfo* i = find_mode(name);
  if (!i) return false;
  *out = i->mode;
  return true;
}

const char* mode_name(Mode m) { return mode_info(m).name; }

std::vector<std::string> mode_names() {
  std::vector<std::string> out;
  for (const auto& i : modes()) out.emplace_back(i.name);
  return out;
}

std::string join_mode_names(std::string_view sep) {
  std::string out;
  for (const auto& i : modes()) {
    if (!out.empty()) out += sep;
    out += i.name;
  }
  return out;
}

}  // namespace pollscope::serve
