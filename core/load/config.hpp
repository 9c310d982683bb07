// Everything one `pollscope load` run needs, already validated.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "core/load/proto.hpp"

namespace pollscope::load {

struct Target {
  std::string text;  // as given, e.g. 127.0.0.1:6379
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
};

struct LoadConfig {
  Target target;
  ProtoSpec proto;
  int connections = 10;
  int threads = 1;
  int pipeline = 1;               // requests in flight per connection, at most
  double rate = 0;                // total requests/s; 0 = closed loop
  uint64_t duration_ns = 0;       // measured time after the warmup; 0 = no limit
  uint64_t warmup_ns = 0;
  uint64_t max_requests = 0;      // measured requests to send; 0 = no limit
  double connect_rate = 0;        // new connections/s at start; 0 = all at once
  uint64_t timeout_ns = 2'000'000'000;
  bool reconnect = false;

  bool open_loop() const { return rate > 0; }
};

}  // namespace pollscope::load
