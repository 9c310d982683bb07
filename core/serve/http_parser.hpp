// HTTP/1.x request parser. Pure and incremental like RespParser: one request
// from the start of a buffer (request line, headers, Content-Length body),
// kIncomplete while it is not all there, kError with the status to answer
// (400 malformed, 413 body too large, 431 headers too large, 501 chunked
// bodies / unknown Transfer-Encoding, 505 version). Views point into the buffer.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/serve/parse_status.hpp"

namespace pollscope::serve {

struct HttpRequest {
  std::string_view method;
  std::string_view target;
  int version_minor = 1;    // HTTP/1.<minor>
  bool keep_alive = true;   // after the Connection header and the version default
  size_t content_length = 0;
  std::string_view body;
};

class HttpParser {
 public:
  // Request line + headers larger than this are a 431.
  static constexpr size_t kMaxHeaderBytes = 64 * 1024;

  explicit HttpParser(size_t max_request) : max_request_(max_request) {}

  ParseStatus parse(const char* data, size_t len);

  const HttpRequest& request() const { return req_; }
  size_t consumed() const { return consumed_; }
  // After kError: the status code to answer and a short reason.
  int error_status() const { return error_status_; }
  const std::string& error() const { return error_; }

 private:
  ParseStatus fail(int status, std::string msg);

  size_t max_request_;
  HttpRequest req_;
  size_t consumed_ = 0;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace pollscope::serve
