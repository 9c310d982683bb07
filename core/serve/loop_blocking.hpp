// `--mode blocking`: the oldest way. Each listener has an acceptor thread
// blocked in accept(); each connection gets its own thread blocked in read().
#pragma once
#include <vector>

#include "core/serve/shared_state.hpp"

namespace pollscope::serve {

class BlockingServer {
 public:
  BlockingServer(Shared& shared, std::vector<int> listen_fds);
  ~BlockingServer();
  void start();
  // Wakes every blocked thread (shutdown of listeners and connections), waits for them.
  void stop();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace pollscope::serve
