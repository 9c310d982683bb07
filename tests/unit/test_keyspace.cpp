#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/serve/keyspace.hpp"
#include "core/serve/protocol.hpp"

using namespace pollscope::serve;

namespace {

std::string run(Keyspace& ks, std::vector<std::string_view> args) {
  std::string out;
  ks.execute(args, out);
  return out;
}

}  // namespace

TEST_CASE("keyspace: strings and counters", "[keyspace]") {
  Keyspace ks;
  CHECK(run(ks, {"PING"}) == "+PONG\r\n");
  CHECK(run(ks, {"ping", "hi"}) == "$2\r\nhi\r\n");
  CHECK(run(ks, {"GET", "k"}) == "$-1\r\n");
  CHECK(run(ks, {"SET", "k", "abc"}) == "+OK\r\n");
  CHECK(run(ks, {"get", "k"}) == "$3\r\nabc\r\n");
  CHECK(run(ks, {"INCR", "n"}) == ":1\r\n");
  CHECK(run(ks, {"INCR", "n"}) == ":2\r\n");
  CHECK(run(ks, {"INCR", "k"}) == "-ERR value is not an integer or out of range\r\n");
  CHECK(run(ks, {"MSET", "a", "1", "b", "2"}) == "+OK\r\n");
  CHECK(run(ks, {"MGET", "a", "b", "zz"}) == "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
  CHECK(run(ks, {"DEL", "a", "zz"}) == ":1\r\n");
  CHECK(run(ks, {"SET", "k"}) == "-ERR wrong number of arguments for 'set' command\r\n");
  CHECK(run(ks, {"NOPE"}).rfind("-ERR unknown command 'NOPE'", 0) == 0);
}

TEST_CASE("keyspace: lists, sets, hashes and wrong types", "[keyspace]") {
  Keyspace ks;
  CHECK(run(ks, {"LPUSH", "l", "a"}) == ":1\r\n");
  CHECK(run(ks, {"RPUSH", "l", "b", "c"}) == ":3\r\n");
  CHECK(run(ks, {"LRANGE", "l", "0", "-1"}) == "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  CHECK(run(ks, {"LPOP", "l"}) == "$1\r\na\r\n");
  CHECK(run(ks, {"RPOP", "l"}) == "$1\r\nc\r\n");
  CHECK(run(ks, {"RPOP", "l"}) == "$1\r\nb\r\n");
  CHECK(run(ks, {"RPOP", "l"}) == "$-1\r\n");
  CHECK(run(ks, {"SADD", "s", "x", "y", "x"}) == ":2\r\n");
  CHECK(run(ks, {"SCARD", "s"}) == ":2\r\n");
  std::string popped = run(ks, {"SPOP", "s"});
  CHECK((popped == "$1\r\nx\r\n" || popped == "$1\r\ny\r\n"));
  CHECK(run(ks, {"HSET", "h", "f", "v"}) == ":1\r\n");
  CHECK(run(ks, {"HSET", "h", "f", "w"}) == ":0\r\n");
  CHECK(run(ks, {"HGET", "h", "f"}) == "$1\r\nw\r\n");
  CHECK(run(ks, {"LPUSH", "h", "a"}).rfind("-WRONGTYPE", 0) == 0);
  CHECK(run(ks, {"GET", "h"}).rfind("-WRONGTYPE", 0) == 0);
  CHECK(run(ks, {"SET", "h", "now a string"}) == "+OK\r\n");
  CHECK(run(ks, {"GET", "h"}) == "$12\r\nnow a string\r\n");
}

TEST_CASE("keyspace: what redis-benchmark asks before it starts", "[keyspace]") {
  Keyspace ks;
  CHECK(run(ks, {"CONFIG", "GET", "save"}) == "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
  CHECK(run(ks, {"CONFIG", "GET", "appendonly"}) == "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
}

TEST_CASE("resp protocol: pipelined replies in order, error closes", "[keyspace]") {
  Keyspace ks;
  ProtocolConfig pc;
  pc.keyspace = &ks;
  auto proto = make_protocol(pc);
  std::string out;
  std::string in = "PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGE";
  FeedResult r = proto->feed(in.data(), in.size(), out);
  CHECK(r.requests == 3);
  CHECK(r.consumed == in.size() - 10);
  CHECK_FALSE(r.close);
  CHECK(out == "+PONG\r\n+OK\r\n$1\r\nv\r\n");
  out.clear();
  std::string bad = "PING\r\n*1\r\n!oops\r\n";
  r = proto->feed(bad.data(), bad.size(), out);
  CHECK(r.close);
  CHECK(r.error);
  CHECK(out == "+PONG\r\n-ERR Protocol error: expected '$', got '!'\r\n");
}

TEST_CASE("http protocol: keep-alive, close and sized bodies", "[http]") {
  ProtocolConfig pc;
  pc.proto = Proto::kHttp;
  pc.body_size = 5;
  auto proto = make_protocol(pc);
  std::string out;
  std::string in = "GET / HTTP/1.1\r\n\r\nGET /bytes/3 HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n";
  FeedResult r = proto->feed(in.data(), in.size(), out);
  CHECK(r.requests == 2);
  CHECK(r.close);
  CHECK_FALSE(r.error);
  CHECK(out.find("Content-Length: 5\r\n\r\n") != std::string::npos);
  CHECK(out.find("Content-Length: 3\r\nConnection: close\r\n\r\n") != std::string::npos);
  out.clear();
  std::string bad = "NOT HTTP\r\n\r\n";
  r = proto->feed(bad.data(), bad.size(), out);
  CHECK(r.error);
  CHECK(out.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
}
