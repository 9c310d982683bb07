#include "core/serve/http_parser.hpp"

#include <cstring>

namespace pollscope::serve {

namespace {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Does the comma-separated header value contain `token` (case-insensitive)?
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = trim(value.substr(0, comma));
    if (ieq(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

ParseStatus HttpParser::fail(int status, std::string msg) {
  error_status_ = status;
  error_ = std::move(msg);
  consumed_ = 0;
  return ParseStatus::kError;
}

ParseStatus HttpParser::parse(const char* data, size_t len) {
  consumed_ = 0;
  req_ = HttpRequest{};
  // Tolerate empty lines before a request (RFC 9112 2.2).
  size_t skip = 0;
  while (skip < len && (data[skip] == '\r' || data[skip] == '\n') && skip < 8) ++skip;
  const char* start = data + skip;
  size_t avail = len - skip;
  size_t search = avail < kMaxHeaderBytes + 4 ? avail : kMaxHeaderBytes + 4;
  const void* hend = memmem(start, search, "\r\n\r\n", 4);
  if (hend == nullptr) {
    if (avail > kMaxHeaderBytes) return fail(431, "request header too large");
    if (len > max_request_) return fail(413, "request too large");
    // Reject garbage early: the request line must start with a token.
    if (avail > 0 && !is_tchar(start[0])) return fail(400, "malformed request line");
    return ParseStatus::kIncomplete;
  }
  const char* head_end = static_cast<const char*>(hend);
  std::string_view head(start, static_cast<size_t>(head_end - start));

  // Request line: METHOD SP target SP HTTP/1.x
  size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return fail(400, "malformed request line");
  std::string_view method = line.substr(0, sp1);
  for (char c : method)
    if (!is_tchar(c)) return fail(400, "malformed method");
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return fail(400, "malformed request line");
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return fail(400, "malformed request target");
  std::string_view version = line.substr(sp2 + 1);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return fail(400, "malformed HTTP version");
  }
  if (version[5] != '1') return fail(505, "HTTP version not supported");
  req_.method = method;
  req_.target = target;
  req_.version_minor = version[7] - '0';
  bool keep_alive = req_.version_minor >= 1;
  bool have_length = false;
  size_t length = 0;

  std::string_view rest = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
  while (!rest.empty()) {
    size_t e = rest.find("\r\n");
    std::string_view h = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
    size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(400, "malformed header line");
    std::string_view name = h.substr(0, colon);
    for (char c : name)
      if (!is_tchar(c)) return fail(400, "malformed header name");
    std::string_view value = trim(h.substr(colon + 1));
    for (char c : value)
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return fail(400, "malformed header value");
    if (ieq(name, "content-length")) {
      if (value.empty() || value.size() > 18) return fail(400, "malformed Content-Length");
      size_t v = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return fail(400, "malformed Content-Length");
        v = v * 10 + static_cast<size_t>(c - '0');
      }
      if (have_length && v != length) return fail(400, "conflicting Content-Length headers");
      have_length = true;
      length = v;
    } else if (ieq(name, "transfer-encoding")) {
      return fail(501, "Transfer-Encoding is not supported");
    } else if (ieq(name, "connection")) {
      if (has_token(value, "close")) keep_alive = false;
      else if (has_token(value, "keep-alive")) keep_alive = true;
    }
  }
  size_t head_len = static_cast<size_t>(head_end - data) + 4;
  if (length > max_request_ || head_len + length > max_request_) return fail(413, "request body too large");
  if (len - head_len < length) return ParseStatus::kIncomplete;
  req_.keep_alive = keep_alive;
  req_.content_length = length;
  req_.body = std::string_view(data + head_len, length);
  consumed_ = head_len + length;
  return ParseStatus::kComplete;
}

}  // namespace pollscope::serve
