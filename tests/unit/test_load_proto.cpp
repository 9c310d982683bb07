#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/load/echo.hpp"
#include "core/load/http.hpp"
#include "core/load/proto.hpp"
#include "core/load/resp.hpp"

using namespace pollscope::load;

namespace {

struct Counts {
  int ok = 0, unexpected = 0, protocol = 0, closes = 0;
};

// Feeds `stream` in pieces of `step` bytes (0: in one piece), counting replies.
Counts feed(ReplyParser& parser, const std::string& stream, size_t step) {
  Counts c;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t n = step ? std::min(step, stream.size() - pos) : stream.size() - pos;
    const char* p = stream.data() + pos;
    const char* end = p + n;
    while (p < end) {
      ReplyStatus s = parser.next(p, end);
      if (s == ReplyStatus::NeedMore) break;
      if (s == ReplyStatus::ProtocolError) {
        ++c.protocol;
        return c;
      }
      (s == ReplyStatus::Ok ? c.ok : c.unexpected)++;
      if (parser.wants_close()) ++c.closes;
    }
    REQUIRE(p == end);
    pos += n;
  }
  return c;
}

// Same counts whatever the split of the stream.
Counts feed_all_splits(ReplyParser& parser, const std::string& stream) {
  parser.reset();
  Counts whole = feed(parser, stream, 0);
  for (size_t step = 1; step <= 7; ++step) {
    parser.reset();
    Counts c = feed(parser, stream, step);
    INFO("step " << step);
    REQUIRE(c.ok == whole.ok);
    REQUIRE(c.unexpected == whole.unexpected);
    REQUIRE(c.protocol == whole.protocol);
    REQUIRE(c.closes == whole.closes);
  }
  return whole;
}

}  // namespace

TEST_CASE("resp: command writer", "[load]") {
  CHECK(resp_command(split_words("PING")) == "*1\r\n$4\r\nPING\r\n");
  CHECK(resp_command(split_words("  SET  key  value ")) ==
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
  ProtoSpec spec;
  CHECK(build_request(spec) == "*1\r\n$4\r\nPING\r\n");
}

TEST_CASE("resp: replies of every type, in any split", "[load]") {
  RespParser p;
  std::string stream =
      "+PONG\r\n"
      ":1000\r\n"
      "$5\r\nhello\r\n"
      "$-1\r\n"
      "*0\r\n"
      "*-1\r\n"
      "*3\r\n$3\r\nfoo\r\n*2\r\n:1\r\n+x\r\n$0\r\n\r\n"
      "%1\r\n+k\r\n$2\r\nvv\r\n"
      "_\r\n"
      "#t\r\n"
      "*2\r\n-ERR nested is fine\r\n:2\r\n"
      "-ERR unknown command\r\n"
      "!3\r\nbad\r\n";
  Counts c = feed_all_splits(p, stream);
  CHECK(c.ok == 11);
  CHECK(c.unexpected == 2);
  CHECK(c.protocol == 0);
}

TEST_CASE("resp: garbage is a protocol error", "[load]") {
  RespParser p;
  CHECK(feed_all_splits(p, "+OK\r\nHTTP/1.1 200 OK\r\n").protocol == 1);
  CHECK(feed_all_splits(p, "$abc\r\n").protocol == 1);
  CHECK(feed_all_splits(p, "*1\r\n?\r\n").protocol == 1);
}

TEST_CASE("resp: a bulk payload containing CRLF and type bytes", "[load]") {
  RespParser p;
  Counts c = feed_all_splits(p, "$8\r\n+a\r\n-b\r\n\r\n+OK\r\n");
  CHECK(c.ok == 2);
  CHECK(c.unexpected == 0);
}

TEST_CASE("http: request writer", "[load]") {
  CHECK(http_get("/x", "127.0.0.1:80") == "GET /x HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n");
}

TEST_CASE("http: content-length, chunked, 1xx, statuses, close", "[load]") {
  HttpParser p;
  std::string stream =
      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\n\r\nhello"
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 204 No Content\r\n\r\n"
      "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-T: y\r\n\r\n"
      "HTTP/1.1 404 Not Found\r\ncontent-length: 3\r\n\r\nno!"
      "HTTP/1.1 301 Moved\r\nContent-Length: 0\r\n\r\n"
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
  Counts c = feed_all_splits(p, stream);
  CHECK(c.ok == 5);
  CHECK(c.unexpected == 1);
  CHECK(c.protocol == 0);
  CHECK(c.closes == 1);
}

TEST_CASE("http: HTTP/1.0 closes unless keep-alive", "[load]") {
  HttpParser p;
  CHECK(feed_all_splits(p, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx").closes == 1);
  CHECK(feed_all_splits(p, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx").closes == 0);
}

TEST_CASE("http: invalid responses are protocol errors", "[load]") {
  HttpParser p;
  CHECK(feed_all_splits(p, "+PONG\r\n").protocol == 1);
  CHECK(feed_all_splits(p, "HTTP/1.1 200 OK\r\n\r\nbody until close").protocol == 1);
  CHECK(feed_all_splits(p, "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n").protocol == 1);
  CHECK(feed_all_splits(p, "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n").protocol == 1);
  CHECK(feed_all_splits(p, "HTTP/1.1 200 OK\r\nX: " + std::string(20000, 'a') + "\r\n\r\n").protocol == 1);
}

TEST_CASE("echo: payload verified byte by byte", "[load]") {
  std::string pay = echo_payload(10);
  REQUIRE(pay.size() == 10);
  CHECK(pay != std::string(10, pay[0]));
  EchoParser p(pay);
  Counts c = feed_all_splits(p, pay + pay + pay);
  CHECK(c.ok == 3);
  std::string bad = pay;
  bad[3] ^= 1;
  c = feed_all_splits(p, pay + bad + pay);
  CHECK(c.ok == 2);
  CHECK(c.unexpected == 1);
  ProtoSpec spec;
  spec.proto = Proto::Echo;
  spec.size = 10;
  CHECK(build_request(spec) == pay);
}

TEST_CASE("proto names", "[load]") {
  CHECK(parse_proto("resp") == Proto::Resp);
  CHECK(parse_proto("http") == Proto::Http);
  CHECK(parse_proto("echo") == Proto::Echo);
  CHECK_FALSE(parse_proto("ftp").has_value());
  CHECK(std::string(proto_name(Proto::Http)) == "http");
}
