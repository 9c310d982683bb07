#include "core/load/echo.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace pollscope::load {

std::string echo_payload(size_t size) {
  std::string s(size, '\0');
  uint32_t x = 2463534242u;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;  // xorshift32
    s[i] = static_cast<char>('a' + x % 26);
  }
  if (size > 0) s[size - 1] = '\n';  // line-friendly for line-based echo servers
  return s;
}

ReplyStatus EchoParser::next(const char*& p, const char* end) {
  if (payload_.empty()) return ReplyStatus::ProtocolError;
  size_t n = std::min(static_cast<size_t>(end - p), payload_.size() - offset_);
  if (std::memcmp(p, payload_.data() + offset_, n) != 0) mismatch_ = true;
  p += n;
  offset_ += n;
  if (offset_ < payload_.size()) return ReplyStatus::NeedMore;
  offset_ = 0;
  bool bad = mismatch_;
  mismatch_ = false;
  return bad ? ReplyStatus::Unexpected : ReplyStatus::Ok;
}

}  // namespace pollscope::load
