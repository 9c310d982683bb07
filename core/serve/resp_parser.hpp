// RESP request parser (Redis serialization protocol): inline commands
// ("PING\r\n") and multibulk ("*1\r\n$4\r\nPING\r\n"). Pure and incremental: it
// parses one command from the start of a buffer, says how many bytes it used,
// and reports kIncomplete (consuming nothing) when the command is not all there,
// so a caller keeps the tail and calls again with more bytes. Pipelined
// commands are parsed one call at a time. The argument views point into the
// caller's buffer and stay valid until that buffer changes.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/serve/parse_status.hpp"

namespace pollscope::serve {

class RespParser {
 public:
  // Inline lines and multibulk header lines longer than this are errors (Redis: 64 KiB).
  static constexpr size_t kMaxInline = 64 * 1024;
  // More arguments than this in one multibulk command is an error (Redis: 1024*1024).
  static constexpr long long kMaxArgs = 1024 * 1024;

  // max_request: the largest command accepted, in bytes (also bounds one bulk string).
  explicit RespParser(size_t max_request) : max_request_(max_request) {}

  // Parses one command at the start of [data, data+len). An empty inline line or
  // "*0" is a complete command with no arguments: skip it (consumed() > 0).
  ParseStatus parse(const char* data, size_t len);

  const std::vector<std::string_view>& args() const { return args_; }
  size_t consumed() const { return consumed_; }
  // After kError: text for "-ERR <error>", e.g. "Protocol error: invalid bulk length".
  const std::string& error() const { return error_; }

 private:
  ParseStatus parse_inline(const char* data, size_t len);
  ParseStatus parse_multibulk(const char* data, size_t len);
  ParseStatus fail(std::string msg);
  ParseStatus incomplete(size_t len);

  size_t max_request_;
  std::vector<std::string_view> args_;
  size_t consumed_ = 0;
  std::string error_;
};

}  // namespace pollscope::serve
