// What `pollscope load` speaks: the request it repeats and the parser that
// splits the reply stream into replies. Parsers are pure and incremental: they
// take bytes as they arrive, in any split, and keep their state between calls.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace pollscope::load {

enum class Proto { Resp, Http, Echo };

std::optional<Proto> parse_proto(const std::string& name);
const char* proto_name(Proto p);

enum class ReplyStatus {
  NeedMore,       // all input consumed, no reply completed yet
  Ok,             // one reply completed and it is what was expected
  Unexpected,     // one reply completed but it is an error / wrong status / wrong payload
  ProtocolError,  // the bytes are not valid for the protocol; the stream is lost
};

class ReplyParser {
 public:
  virtual ~ReplyParser() = default;
  // Parses from p up to end and advances p past what it consumed. Stops after
  // each complete reply (Ok / Unexpected) so the caller can account for it.
  virtual ReplyStatus next(const char*& p, const char* end) = 0;
  // Forgets any partial reply (new connection).
  virtual void reset() = 0;
  // After a reply: the server said it closes the connection after it.
  virtual bool wants_close() const { return false; }
};

struct ProtoSpec {
  Proto proto = Proto::Resp;
  std::string command = "PING";  // resp: the command, words split on blanks
  std::string path = "/";        // http: the path of the GET
  std::string host = "127.0.0.1";  // http: Host header value
  size_t size = 64;              // echo: payload bytes per request
};

// The bytes of one request (every request of a run is the same).
std::string build_request(const ProtoSpec& spec);
std::unique_ptr<ReplyParser> make_parser(const ProtoSpec& spec);

}  // namespace pollscope::load
