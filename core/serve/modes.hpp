// The waiting modes of `pollscope serve` in one table: each is one way a
// process waits for network data, listed from the oldest to the one
// event-loop servers use today (the order of lab --compare's rows). serve's
// --mode, lab's --mode and --modes, their help texts and the names in the
// summaries all read it, so a mode is added here and in the loop that runs it
// (server.cpp's switch, which the compiler checks is complete).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pollscope::serve {

enum class Mode { kBlocking, kBusyPoll, kSelect, kPoll, kEpoll, kEpollEt };

struct ModeInfo {
  Mode mode;
  const char* name;         // the word of --mode
  const char* description;  // a few words for the help texts
  bool blocking;            // a thread per connection on blocking sockets (no event loop)
  bool fd_setsize_limit;    // cannot watch descriptors at or above FD_SETSIZE
};

// Every mode, in the table's order.
const std::vector<ModeInfo>& modes();
const ModeInfo& mode_info(Mode m);
// nullptr when no mode has this name.
const ModeInfo* find_mode(std::string_view name);
bool parse_mode(std::string_view name, Mode* out);
const char* mode_name(Mode m);
// The names in order, for CLI::IsMember and lab's default --modes.
std::vector<std::string> mode_names();
// The names joined by sep: "blocking,busy-poll,select,poll,epoll,epoll-et".
std::string join_mode_names(std::string_view sep);

}  // namespace pollscope::serve
