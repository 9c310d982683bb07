#include <catch2/catch.hpp>
#include <string>

#include "core/serve/resp_parser.hpp"

using namespace pollscope::serve;

namespace {

std::vector<std::string> args_of(const RespParser& p) {
  return std::vector<std::string>(p.args().begin(), p.args().end());
}

}  // namespace

TEST_CASE("resp: multibulk command", "[resp]") {
  RespParser p(1 << 20);
  std::string in = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n";
  REQUIRE(p.parse(in.data(), in.size()) == ParseStatus::kComplete);
  CHECK(p.consumed() == in.size());
  CHECK(args_of(p) == std::vector<std::string>{"SET", "key", "va\r\nl"});
}

TEST_CASE("resp: inline command with extra spaces and bare LF", "[resp]") {
  RespParser p(1 << 20);
  std::string in = "  PING   hello\t\nGET x\r\n";
  REQUIRE(p.parse(in.data(), in.size()) == ParseStatus::kComplete);
  CHECK(args_of(p) == std::vector<std::string>{"PING", "hello"});
  size_t used = p.consumed();
  REQUIRE(p.parse(in.data() + used, in.size() - used) == ParseStatus::kComplete);
  CHECK(args_of(p) == std::vector<std::string>{"GET", "x"});
  CHECK(used + p.consumed() == in.size());
}

TEST_CASE("resp: every split point of a pipeline is incomplete until the end", "[resp]") {
  std::string in = "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n";
  for (size_t cut = 0; cut <= in.size(); ++cut) {
    RespParser p(1 << 20);
    std::string buf = in.substr(0, cut);
    std::vector<std::vector<std::string>> got;
    size_t off = 0;
    for (;;) {
      ParseStatus st = p.parse(buf.data() + off, buf.size() - off);
      REQUIRE(st != ParseStatus::kError);
      if (st == ParseStatus::kIncomplete) break;
      got.push_back(args_of(p));
      off += p.consumed();
    }
    // feed the rest and finish
    buf += in.substr(cut);
    for (;;) {
      ParseStatus st = p.parse(buf.data() + off, buf.size() - off);
      REQUIRE(st != ParseStatus::kError);
      if (st == ParseStatus::kIncomplete) break;
      got.push_back(args_of(p));
      off += p.consumed();
    }
    CHECK(off == in.size());
    REQUIRE(got.size() == 3);
    CHECK(got[1] == std::vector<std::string>{"GET", "k"});
  }
}

TEST_CASE("resp: empty commands are consumed with no arguments", "[resp]") {
  RespParser p(1 << 20);
  std::string in = "\r\n*0\r\n";
  REQUIRE(p.parse(in.data(), in.size()) == ParseStatus::kComplete);
  CHECK(p.args().empty());
  CHECK(p.consumed() == 2);
  REQUIRE(p.parse(in.data() + 2, in.size() - 2) == ParseStatus::kComplete);
  CHECK(p.args().empty());
}

TEST_CASE("resp: malformed input is a protocol error", "[resp]") {
  RespParser p(1 << 20);
  auto err = [&](const std::string& in) {
    INFO(in);
    REQUIRE(p.parse(in.data(), in.size()) == ParseStatus::kError);
    return p.error();
  };
  CHECK(err("*x\r\n") == "Protocol error: invalid multibulk length");
  CHECK(err("*1\r\n:4\r\n") == "Protocol error: expected '$', got ':'");
  CHECK(err("*1\r\n$-3\r\n") == "Protocol error: invalid bulk length");
  CHECK(err("*1\r\n$abc\r\n") == "Protocol error: invalid bulk length");
  CHECK(err("*1\r\n$2\r\nabcd\r\n").find("Protocol error") == 0);
  CHECK(err("*1\rx") .find("Protocol error") == 0);
  CHECK(err("*99999999999\r\n") == "Protocol error: invalid multibulk length");
}

TEST_CASE("resp: limits on sizes", "[resp]") {
  RespParser p(1024);
  std::string big = "*1\r\n$2000\r\n";
  REQUIRE(p.parse(big.data(), big.size()) == ParseStatus::kError);
  CHECK(p.error() == "Protocol error: invalid bulk length");
  std::string inline_long(RespParser::kMaxInline + 10, 'a');
  REQUIRE(p.parse(inline_long.data(), inline_long.size()) == ParseStatus::kError);
  // Many small arguments adding up over the limit, still incomplete: an error too.
  std::string many = "*1000\r\n";
  for (int i = 0; i < 200; ++i) many += "$1\r\na\r\n";
  REQUIRE(p.parse(many.data(), many.size()) == ParseStatus::kError);
  CHECK(p.error().find("maximum size") != std::string::npos);
}
