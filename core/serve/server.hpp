// `pollscope serve`: a small server that exists to be traced. Each mode is one
// chapter of how a process waits for network data (see man/pollscope-serve.8).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/serve/modes.hpp"
#include "core/serve/protocol.hpp"

namespace pollscope::serve {

struct ServeConfig {
  Mode mode = Mode::kEpoll;
  Proto proto = Proto::kResp;
  int threads = 1;                 // event loops (blocking: acceptor threads), one SO_REUSEPORT listener each
  std::string bind = "127.0.0.1";
  uint16_t port = 0;               // 0: the kernel picks a free port
  size_t max_request = 1 << 20;
  size_t max_conns = 100000;
  double idle_timeout_s = 0;       // 0: never
  size_t body_size = 13;           // http: default response body size
  int spin_us = 20;                // epoll: poll this long before sleeping while under load (0: never)
  uint32_t work_us = 0;            // CPU time burnt per request, a slow handler (0: none)
};

struct ServeSummary {
  uint64_t connections = 0;  // accepted and served
  uint64_t requests = 0;     // requests answered (echo: reads with data)
  uint64_t errors = 0;       // malformed/oversized requests, refused connections, accept failures
};

// Listens, prints the bound address ("127.0.0.1:PORT") as the first line of
// stdout, serves until SIGINT or SIGTERM, then stops gracefully and returns the
// totals. Throws Fatal when it cannot listen (address in use, bad address...).
ServeSummary serve(const ServeConfig& cfg);

}  // namespace pollscope::serve
