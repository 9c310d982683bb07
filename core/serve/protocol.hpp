// A protocol turns buffered request bytes into replies. Each event loop (or
// each connection thread in blocking mode) owns one Protocol object; the
// connection keeps only the bytes of an incomplete request between calls.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace pollscope::serve {

class Keyspace;

enum class Proto { kResp, kHttp, kEcho };

struct FeedResult {
  size_t consumed = 0;   // bytes of complete requests, replied to in `out`
  size_t requests = 0;   // requests answered (echo: 1 per call with data)
  bool close = false;    // close once `out` is written (error, QUIT, Connection: close)
  bool error = false;    // the close is because of a malformed or oversized request
};

class Protocol {
 public:
  virtual ~Protocol() = default;
  // Parses every complete request at the start of [data, data+len), appends the
  // replies in order to `out`. Stops at the first incomplete request.
  virtual FeedResult feed(const char* data, size_t len, std::string& out) = 0;
  // The reply sent to a connection that is refused (e.g. --max-conns reached).
  virtual void refuse(std::string_view why, std::string& out) = 0;
};

struct ProtocolConfig {
  Proto proto = Proto::kResp;
  size_t max_request = 1 << 20;
  size_t body_size = 13;      // http: bytes in the default response body
  Keyspace* keyspace = nullptr;  // resp: shared keyspace
};

std::unique_ptr<Protocol> make_protocol(const ProtocolConfig& cfg);

// Refuses an accepted connection: its protocol's refusal reply, sent without
// blocking (best effort), then our side shut down and fd closed.
void refuse_connection(Protocol& proto, int fd, std::string_view why);

bool parse_proto(std::string_view name, Proto* out);
const char* proto_name(Proto p);

}  // namespace pollscope::serve
