// The request loop the framed protocols (RESP, HTTP) share: take requests out of
// the bytes received and answer each, until the bytes end mid-request, a request
// is malformed (answered, then the connection closes: the rest of the stream
// cannot be framed) or a request ends the connection.
#pragma once
#include <cstddef>
#include <string>

#include "core/serve/parse_status.hpp"
#include "core/serve/protocol.hpp"

namespace pollscope::serve {

enum class Answered { kNext, kNotARequest, kClose };

// on_error(out) writes the error reply from the parser's state; on_request(out)
// answers the request the parser holds.
template <class Parser, class OnError, class OnRequest>
FeedResult feed_requests(Parser& parser, const char* data, size_t len, std::string& out, OnError on_error,
                         OnRequest on_request) {
  FeedResult r;
  while (r.consumed < len) {
    ParseStatus st = parser.parse(data + r.consumed, len - r.consumed);
    if (st == ParseStatus::kIncomplete) break;
    if (st == ParseStatus::kError) {
      on_error(out);
      r.close = r.error = true;
      r.consumed = len;
      break;
    }
    r.consumed += parser.consumed();
    Answered a = on_request(out);
    if (a == Answered::kNotARequest) continue;
    ++r.requests;
    if (a == Answered::kClose) {
      r.close = true;
      break;
    }
  }
  return r;
}

}  // namespace pollscope::serve
