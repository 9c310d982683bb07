// State shared by every loop of one server: config, stop flag, counters, the
// keyspace, and the open-connection count behind --max-conns.
#pragma once
#include <atomic>
#include <cstdarg>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/serve/keyspace.hpp"
#include "core/serve/server.hpp"

namespace pollscope::serve {

struct Counters {
  uint64_t connections = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
};

struct Shared {
  explicit Shared(const ServeConfig& c) : cfg(c), keyspace(c.threads > 1 || mode_info(c.mode).blocking) {}

  const ServeConfig& cfg;
  std::atomic<bool> stop{false};
  std::atomic<size_t> active{0};
  Keyspace keyspace;

  void add(const Counters& c) {
    connections += c.connections;
    requests += c.requests;
    errors += c.errors;
  }
  std::atomic<uint64_t> connections{0}, requests{0}, errors{0};

  // A loop that cannot run records why and asks the server to stop.
  void fail(const std::string& why);
  std::string failure() {
    std::lock_guard<std::mutex> g(mu_);
    return failure_;
  }
  std::atomic<bool> failed{false};

  // Logs one line on stderr, at most once per second per `key` slot (0..7).
  void log_limited(int key, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

 private:
  std::mutex mu_;
  std::string failure_;
  std::atomic<int64_t> last_log_[8] = {};
};

// The reply text for a refused connection when the process is out of fds.
inline constexpr const char* kNoFdsReason = "server out of file descriptors, try again later";
inline constexpr const char* kMaxConnsReason = "max number of clients reached";

}  // namespace pollscope::serve
