// One client connection of a non-blocking loop: the bytes of an incomplete
// request, replies not yet written, and where it is in its life.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace pollscope::serve {

struct Conn {
  enum class State : uint8_t {
    kOpen,     // reading requests
    kClosing,  // error/QUIT/Connection: close: write what is pending, then linger
    kLinger,   // our side shut down: discard input until EOF or 2 s, then close (the
               // client reads our last reply instead of a reset)
    kEof,      // the client shut down its side: write what is pending, then close
  };

  int fd = -1;
  State state = State::kOpen;
  bool read_deferred = false;  // readable while replies were pending
  bool queued = false;         // replies wait for Worker::flush_queued()
  uint32_t registered = 0;     // epoll: the events currently registered
  size_t index = 0;            // position in Worker's list
  int64_t last_ms = 0;         // last progress (read or write), for --idle-timeout
  std::string in;              // bytes of an incomplete request
  std::string out;             // replies not yet written, from out_off
  size_t out_off = 0;

  bool has_output() const { return out_off < out.size(); }
  bool wants_read() const { return state == State::kLinger || (state == State::kOpen && !has_output()); }
  bool wants_write() const { return has_output(); }
};

}  // namespace pollscope::serve
