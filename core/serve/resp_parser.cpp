#include "core/serve/resp_parser.hpp"

#include <cstring>

namespace pollscope::serve {

namespace {

// Parses a decimal integer in [p, end) (optional leading '-'); false if malformed.
bool parse_ll(const char* p, const char* end, long long* out) {
  if (p == end) return false;
  bool neg = false;
  if (*p == '-') {
    neg = true;
    ++p;
    if (p == end) return false;
  }
  if (end - p > 18) return false;
  long long v = 0;
  for (; p < end; ++p) {
    if (*p < '0' || *p > '9') return false;
    v = v * 10 + (*p - '0');
  }
  *out = neg ? -v : v;
  return true;
}

}  // namespace

ParseStatus RespParser::fail(std::string msg) {
  error_ = "Protocol error: " + std::move(msg);
  args_.clear();
  consumed_ = 0;
  return ParseStatus::kError;
}

ParseStatus RespParser::incomplete(size_t len) {
  args_.clear();
  consumed_ = 0;
  if (len > max_request_) return fail("request exceeds the maximum size of " + std::to_string(max_request_) + " bytes");
  return ParseStatus::kIncomplete;
}

ParseStatus RespParser::parse(const char* data, size_t len) {
  args_.clear();
  consumed_ = 0;
  if (len == 0) return ParseStatus::kIncomplete;
  return data[0] == '*' ? parse_multibulk(data, len) : parse_inline(data, len);
}

ParseStatus RespParser::parse_inline(const char* data, size_t len) {
  const char* nl = static_cast<const char*>(std::memchr(data, '\n', len));
  if (nl == nullptr) {
    if (len > kMaxInline) return fail("too big inline request");
    return incomplete(len);
  }
  size_t line_len = static_cast<size_t>(nl - data);
  if (line_len > kMaxInline) return fail("too big inline request");
  const char* end = nl;
  if (end > data && end[-1] == '\r') --end;
  const char* p = data;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t')) ++p;
    const char* start = p;
    while (p < end && *p != ' ' && *p != '\t') ++p;
    if (p > start) args_.emplace_back(start, static_cast<size_t>(p - start));
  }
  consumed_ = line_len + 1;
  return ParseStatus::kComplete;
}

ParseStatus RespParser::parse_multibulk(const char* data, size_t len) {
  const char* end = data + len;
  const char* cr = static_cast<const char*>(std::memchr(data, '\r', len < kMaxInline ? len : kMaxInline));
  if (cr == nullptr) {
    if (len > kMaxInline) return fail("too big mbulk count string");
    return incomplete(len);
  }
  if (cr + 1 >= end) return incomplete(len);
  if (cr[1] != '\n') return fail("expected '\\n' after the multibulk length");
  long long count = 0;
  if (!parse_ll(data + 1, cr, &count) || count > kMaxArgs) return fail("invalid multibulk length");
  const char* p = cr + 2;
  for (long long i = 0; i < count; ++i) {
    if (p >= end) return incomplete(len);
    if (*p != '$') return fail(std::string("expected '$', got '") + *p + "'");
    size_t avail = static_cast<size_t>(end - p);
    const char* lcr = static_cast<const char*>(std::memchr(p, '\r', avail < 32 ? avail : 32));
    if (lcr == nullptr) {
      if (avail >= 32) return fail("too big bulk count string");
      return incomplete(len);
    }
    if (lcr + 1 >= end) return incomplete(len);
    if (lcr[1] != '\n') return fail("expected '\\n' after the bulk length");
    long long blen = 0;
    if (!parse_ll(p + 1, lcr, &blen) || blen < 0 || static_cast<unsigned long long>(blen) > max_request_) {
      return fail("invalid bulk length");
    }
    const char* body = lcr + 2;
    if (static_cast<size_t>(end - body) < static_cast<size_t>(blen) + 2) return incomplete(len);
    if (body[blen] != '\r' || body[blen + 1] != '\n') return fail("expected CRLF after a bulk string");
    args_.emplace_back(body, static_cast<size_t>(blen));
    p = body + blen + 2;
  }
  consumed_ = static_cast<size_t>(p - data);
  if (consumed_ > max_request_) {
    return fail("request exceeds the maximum size of " + std::to_string(max_request_) + " bytes");
  }
  return ParseStatus::kComplete;
}

}  // namespace pollscope::serve
