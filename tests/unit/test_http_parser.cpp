#include <catch2/catch.hpp>
#include <string>

#include "core/serve/http_parser.hpp"

using namespace pollscope::serve;

TEST_CASE("http: GET with headers, keep-alive by default", "[http]") {
  HttpParser p(1 << 20);
  std::string in = "GET /x?y=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: t\r\n\r\n";
  REQUIRE(p.parse(in.data(), in.size()) == ParseStatus::kComplete);
  CHECK(p.consumed() == in.size());
  CHECK(p.request().method == "GET");
  CHECK(p.request().target == "/x?y=1");
  CHECK(p.request().keep_alive);
  CHECK(p.request().version_minor == 1);
}

TEST_CASE("http: Connection header and HTTP/1.0", "[http]") {
  HttpParser p(1 << 20);
  std::string a = "GET / HTTP/1.1\r\nConnection: Close\r\n\r\n";
  REQUIRE(p.parse(a.data(), a.size()) == ParseStatus::kComplete);
  CHECK_FALSE(p.request().keep_alive);
  std::string b = "GET / HTTP/1.0\r\n\r\n";
  REQUIRE(p.parse(b.data(), b.size()) == ParseStatus::kComplete);
  CHECK_FALSE(p.request().keep_alive);
  std::string c = "GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n";
  REQUIRE(p.parse(c.data(), c.size()) == ParseStatus::kComplete);
  CHECK(p.request().keep_alive);
}

TEST_CASE("http: body by Content-Length, pipelined, split anywhere", "[http]") {
  std::string in = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\n\r\n";
  for (size_t cut = 0; cut <= in.size(); ++cut) {
    HttpParser p(1 << 20);
    std::string buf = in.substr(0, cut);
    size_t off = 0;
    int n = 0;
    for (int pass = 0; pass < 2; ++pass) {
      if (pass == 1) buf += in.substr(cut);
      for (;;) {
        ParseStatus st = p.parse(buf.data() + off, buf.size() - off);
        REQUIRE(st != ParseStatus::kError);
        if (st == ParseStatus::kIncomplete) break;
        if (n == 0) CHECK(p.request().body == "hello");
        if (n == 1) CHECK(p.request().target == "/b");
        ++n;
        off += p.consumed();
      }
    }
    CHECK(n == 2);
    CHECK(off == in.size());
  }
}

TEST_CASE("http: malformed requests get 400, others their status", "[http]") {
  HttpParser p(4096);
  auto status = [&](const std::string& in) {
    INFO(in);
    REQUIRE(p.parse(in.data(), in.size()) == ParseStatus::kError);
    return p.error_status();
  };
  CHECK(status("GARBAGE\r\n\r\n") == 400);
  CHECK(status("GET /\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/x.y\r\n\r\n") == 400);
  CHECK(status("GET  / HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nNo colon here\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400);
  CHECK(status("\x16\x03\x01 tls hello") == 400);
  CHECK(status("GET / HTTP/2.0\r\n\r\n") == 505);
  CHECK(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == 501);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n") == 413);
  CHECK(status("GET / HTTP/1.1\r\nX: " + std::string(5000, 'a')) == 413);
}

TEST_CASE("http: incomplete header is not an error", "[http]") {
  HttpParser p(1 << 20);
  std::string in = "GET / HTTP/1.1\r\nHost: a\r\n";
  CHECK(p.parse(in.data(), in.size()) == ParseStatus::kIncomplete);
  CHECK(p.consumed() == 0);
}
