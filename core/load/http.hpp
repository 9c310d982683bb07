// HTTP/1.1: GET request writer and incremental response parser (status line,
// headers, Content-Length or chunked body; 1xx responses skipped). A status
// outside 200..399 is Unexpected; a response without a length that is not
// chunked (body until close) is a ProtocolError for a keep-alive client.
#pragma once
#include <cstdint>
#include <string>

#include "core/load/proto.hpp"

namespace pollscope::load {

std::string http_get(const std::string& path, const std::string& host);

class HttpParser : public ReplyParser {
 public:
  HttpParser() { line_.reserve(256); }
  ReplyStatus next(const char*& p, const char* end) override;
  void reset() override;
  bool wants_close() const override { return close_; }

 private:
  static constexpr size_t kMaxLine = 16384;
  enum class State { Status, Header, Body, ChunkSize, ChunkData, ChunkEnd, Trailer };
  // Reads up to and including '\n' into line_ (without CR/LF); false: need more.
  bool take_line(const char*& p, const char* end, bool& too_long);
  // Consumes up to left_ body bytes; true once all of them are in.
  bool skip_body(const char*& p, const char* end);
  bool on_status();
  bool on_header();
  ReplyStatus on_headers_done(bool& done);
  ReplyStatus finish();

  State state_ = State::Status;
  std::string line_;
  int status_ = 0;
  bool http10_ = false;
  bool keep_alive_ = false;
  bool close_ = false;
  bool next_close_ = false;
  bool chunked_ = false;
  bool has_length_ = false;
  uint64_t left_ = 0;
};

}  // namespace pollscope::load
