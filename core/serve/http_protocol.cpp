// `--proto http`: HttpParser + fixed or sized bodies.
//   GET /            -> 200, the default body (--body-size bytes)
//   GET /bytes/N     -> 200, N bytes (N <= 64 MiB)
//   HEAD             -> the same headers, no body
// Keep-alive by default (HTTP/1.1), `Connection: close` honoured, pipelining
// answered in order. Malformed requests get 400 (or 413/431/501/505) and close.
#include <charconv>
#include <string>

#include "core/serve/feed_loop.hpp"
#include "core/serve/http_parser.hpp"
#include "core/serve/protocol.hpp"
#include "core/serve/protocol_impl.hpp"

namespace pollscope::serve {

namespace {

constexpr size_t kMaxSizedBody = 64u << 20;

std::string make_body(size_t n) {
  static const char kText[] = "Hello from pollscope serve. ";
  std::string b;
  b.reserve(n);
  while (b.size() < n) b.push_back(kText[b.size() % (sizeof kText - 1)]);
  if (n > 0) b.back() = '\n';
  return b;
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

void append_size(std::string& out, size_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

class HttpProtocol : public Protocol {
 public:
  HttpProtocol(size_t max_request, size_t body_size) : parser_(max_request), body_(make_body(body_size)) {
    // The whole default keep-alive response, built once.
    ok_ = "HTTP/1.1 200 OK\r\nServer: pollscope\r\nContent-Type: text/plain\r\nContent-Length: ";
    append_size(ok_, body_.size());
    ok_ += "\r\n\r\n";
    ok_ += body_;
  }

  FeedResult feed(const char* data, size_t len, std::string& out) override {
    return feed_requests(
        parser_, data, len, out, [this](std::string& o) { error_reply(parser_.error_status(), parser_.error(), o); },
        [this](std::string& o) {
          const HttpRequest& q = parser_.request();
          respond(q, o);
          return q.keep_alive ? Answered::kNext : Answered::kClose;
        });
  }

  void refuse(std::string_view why, std::string& out) override { error_reply(503, std::string(why), out); }

 private:
  void respond(const HttpRequest& q, std::string& out) {
    bool head = q.method == "HEAD";
    std::string_view t = q.target;
    if (t.substr(0, 7) == "/bytes/") {
      size_t n = 0;
      auto p = std::from_chars(t.data() + 7, t.data() + t.size(), n);
      if (p.ec != std::errc() || p.ptr != t.data() + t.size() || n > kMaxSizedBody) {
        status_reply(404, "no such size\n", q, head, out);
        return;
      }
      header(200, n, q, out);
      if (!head) {
        size_t start = out.size();
        out.resize(start + n);
        for (size_t i = 0; i < n; ++i) out[start + i] = body_.empty() ? 'x' : body_[i % body_.size()];
      }
      return;
    }
    if (!head && q.keep_alive && q.version_minor == 1) {
      out += ok_;  // the common case: one append
      return;
    }
    header(200, body_.size(), q, out);
    if (!head) out += body_;
  }

  void header(int status, size_t length, const HttpRequest& q, std::string& out) {
    out += "HTTP/1.1 ";
    append_size(out, static_cast<size_t>(status));
    out += ' ';
    out += reason(status);
    out += "\r\nServer: pollscope\r\nContent-Type: text/plain\r\nContent-Length: ";
    append_size(out, length);
    if (!q.keep_alive) out += "\r\nConnection: close";
    else if (q.version_minor == 0) out += "\r\nConnection: keep-alive";
    out += "\r\n\r\n";
  }

  void status_reply(int status, std::string_view body, const HttpRequest& q, bool head, std::string& out) {
    header(status, body.size(), q, out);
    if (!head) out.append(body.data(), body.size());
  }

  void error_reply(int status, const std::string& msg, std::string& out) {
    out += "HTTP/1.1 ";
    append_size(out, static_cast<size_t>(status));
    out += ' ';
    out += reason(status);
    out += "\r\nServer: pollscope\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ";
    append_size(out, msg.size() + 1);
    out += "\r\n\r\n";
    out += msg;
    out += '\n';
  }

  HttpParser parser_;
  std::string body_;
  std::string ok_;
};

}  // namespace

std::unique_ptr<Protocol> make_http_protocol(size_t max_request, size_t body_size) {
  return std::make_unique<HttpProtocol>(max_request, body_size);
}

}  // namespace pollscope::serve
