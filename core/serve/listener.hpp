// Listening sockets: one per loop. With more than one, they share the port
// through SO_REUSEPORT and the kernel spreads new connections across them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/unique_fd.hpp"

namespace pollscope::serve {

struct Listeners {
  std::vector<UniqueFd> fds;
  std::string address;  // "127.0.0.1:PORT" or "[::1]:PORT", the port actually bound
};

// Throws Fatal (exit 2 for an unparsable address, 1 for bind/listen failures).
Listeners open_listeners(const std::string& bind, uint16_t port, int count, bool nonblocking);

}  // namespace pollscope::serve
