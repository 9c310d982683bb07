#include "core/load/http.hpp"

#include <cstring>

namespace pollscope::load {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(const char* a, size_t n, const char* b) {
  if (std::strlen(b) != n) return false;
  for (size_t i = 0; i < n; ++i)
    if (lower(a[i]) != b[i]) return false;
  return true;
}

// Case-insensitive search of a lower-case token in [s, s+n).
bool icontains(const char* s, size_t n, const char* tok) {
  size_t m = std::strlen(tok);
  for (size_t i = 0; i + m <= n; ++i) {
    size_t j = 0;
    while (j < m && lower(s[i + j]) == tok[j]) ++j;
    if (j == m) return true;
  }
  return false;
}

}  // namespace

std::string http_get(const std::string& path, const std::string& host) {
  return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
}

void HttpParser::reset() {
  state_ = State::Status;
  line_.clear();
  close_ = next_close_ = false;
}

bool HttpParser::skip_body(const char*& p, const char* end) {
  uint64_t avail = static_cast<uint64_t>(end - p);
  if (avail < left_) {
    left_ -= avail;
    p = end;
    return false;
  }
  p += left_;
  left_ = 0;
  return true;
}

bool HttpParser::take_line(const char*& p, const char* end, bool& too_long) {
  const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
  const char* stop = nl ? static_cast<const char*>(nl) : end;
  if (line_.size() + static_cast<size_t>(stop - p) > kMaxLine) {
    too_long = true;
    return false;
  }
  line_.append(p, stop);
  if (!nl) {
    p = end;
    return false;
  }
  p = stop + 1;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  return true;
}

bool HttpParser::on_status() {
  // HTTP/1.x SSS reason
  if (line_.size() < 12 || line_.compare(0, 7, "HTTP/1.") != 0 || line_[8] != ' ') return false;
  http10_ = line_[7] == '0';
  int s = 0;
  for (int i = 9; i < 12; ++i) {
    char c = line_[static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    s = s * 10 + (c - '0');
  }
  if (line_.size() > 12 && line_[12] != ' ') return false;
  status_ = s;
  keep_alive_ = false;
  next_close_ = false;
  chunked_ = false;
  has_length_ = false;
  left_ = 0;
  return true;
}

bool HttpParser::on_header() {
  const char* s = line_.data();
  const char* colon = static_cast<const char*>(std::memchr(s, ':', line_.size()));
  if (!colon) return false;
  size_t nlen = static_cast<size_t>(colon - s);
  const char* v = colon + 1;
  const char* vend = s + line_.size();
  while (v < vend && (*v == ' ' || *v == '\t')) ++v;
  size_t vlen = static_cast<size_t>(vend - v);
  if (iequals(s, nlen, "content-length")) {
    uint64_t n = 0;
    size_t digits = 0;
    for (const char* q = v; q < vend && *q >= '0' && *q <= '9'; ++q, ++digits) {
      if (n > (UINT64_MAX - 9) / 10) return false;
      n = n * 10 + static_cast<uint64_t>(*q - '0');
    }
    if (digits == 0) return false;
    has_length_ = true;
    left_ = n;
  } else if (iequals(s, nlen, "transfer-encoding")) {
    if (icontains(v, vlen, "chunked")) chunked_ = true;
  } else if (iequals(s, nlen, "connection")) {
    if (icontains(v, vlen, "close")) next_close_ = true;
    if (icontains(v, vlen, "keep-alive")) keep_alive_ = true;
  }
  return true;
}

ReplyStatus HttpParser::finish() {
  state_ = State::Status;
  close_ = next_close_ || (http10_ && !keep_alive_);
  return (status_ >= 200 && status_ < 400) ? ReplyStatus::Ok : ReplyStatus::Unexpected;
}

ReplyStatus HttpParser::on_headers_done(bool& done) {
  done = false;
  if (status_ >= 100 && status_ < 200) {  // interim response: the real one follows
    state_ = State::Status;
    return ReplyStatus::NeedMore;
  }
  if (status_ == 204 || status_ == 304) {
    done = true;
    return finish();
  }
  if (chunked_) {
    state_ = State::ChunkSize;
    return ReplyStatus::NeedMore;
  }
  if (!has_length_) return ReplyStatus::ProtocolError;  // body until close
  if (left_ == 0) {
    done = true;
    return finish();
  }
  state_ = State::Body;
  return ReplyStatus::NeedMore;
}

ReplyStatus HttpParser::next(const char*& p, const char* end) {
  bool too_long = false;
  while (p < end) {
    switch (state_) {
      case State::Status:
        if (!take_line(p, end, too_long)) return too_long ? ReplyStatus::ProtocolError : ReplyStatus::NeedMore;
        if (!on_status()) return ReplyStatus::ProtocolError;
        line_.clear();
        state_ = State::Header;
        break;
      case State::Header: {
        if (!take_line(p, end, too_long)) return too_long ? ReplyStatus::ProtocolError : ReplyStatus::NeedMore;
        if (line_.empty()) {
          bool done;
          ReplyStatus r = on_headers_done(done);
          if (done || r == ReplyStatus::ProtocolError) return r;
        } else if (!on_header()) {
          return ReplyStatus::ProtocolError;
        }
        line_.clear();
        break;
      }
      case State::Body:
        if (!skip_body(p, end)) return ReplyStatus::NeedMore;
        return finish();
      case State::ChunkSize: {
        if (!take_line(p, end, too_long)) return too_long ? ReplyStatus::ProtocolError : ReplyStatus::NeedMore;
        uint64_t n = 0;
        size_t digits = 0;
        for (char c : line_) {
          int d;
          if (c >= '0' && c <= '9') d = c - '0';
          else if (lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
          else break;  // chunk extensions
          if (n > (UINT64_MAX >> 4)) return ReplyStatus::ProtocolError;
          n = n * 16 + static_cast<uint64_t>(d);
          ++digits;
        }
        if (digits == 0) return ReplyStatus::ProtocolError;
        line_.clear();
        if (n == 0) {
          state_ = State::Trailer;
        } else {
          left_ = n;
          state_ = State::ChunkData;
        }
        break;
      }
      case State::ChunkData:
        if (!skip_body(p, end)) return ReplyStatus::NeedMore;
        state_ = State::ChunkEnd;
        break;
      case State::ChunkEnd:  // the CRLF after the chunk data
        if (!take_line(p, end, too_long)) return too_long ? ReplyStatus::ProtocolError : ReplyStatus::NeedMore;
        if (!line_.empty()) return ReplyStatus::ProtocolError;
        state_ = State::ChunkSize;
        break;
      case State::Trailer:
        if (!take_line(p, end, too_long)) return too_long ? ReplyStatus::ProtocolError : ReplyStatus::NeedMore;
        if (line_.empty()) return finish();
        line_.clear();
        break;
    }
  }
  return ReplyStatus::NeedMore;
}

}  // namespace pollscope::load
