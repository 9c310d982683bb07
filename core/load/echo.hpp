// Echo: the request is a payload; the reply is the same bytes coming back.
// The parser compares every byte with the payload; a reply is `size` bytes.
#pragma once
#include <string>

#include "core/load/proto.hpp"

namespace pollscope::load {

// Deterministic, non-repeating-looking bytes (so a shifted or mixed-up stream
// does not compare equal by accident).
std::string echo_payload(size_t size);

class EchoParser : public ReplyParser {
 public:
  explicit EchoParser(std::string payload) : payload_(std::move(payload)) {}
  ReplyStatus next(const char*& p, const char* end) override;
  void reset() override {
    offset_ = 0;
    mismatch_ = false;
  }

 private:
  std::string payload_;
  size_t offset_ = 0;
  bool mismatch_ = false;
};

}  // namespace pollscope::load
