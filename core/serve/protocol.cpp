// The protocol factory and names, and refusing a connection.
#include "core/serve/protocol.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "core/serve/protocol_impl.hpp"

namespace pollscope::serve {

void refuse_connection(Protocol& proto, int fd, std::string_view why) {
  std::string msg;
  proto.refuse(why, msg);
  ssize_t n = ::send(fd, msg.data(), msg.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  (void)n;
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
}

std::unique_ptr<Protocol> make_protocol(const ProtocolConfig& cfg) {
  switch (cfg.proto) {
    case Proto::kResp: return make_resp_protocol(cfg.max_request, cfg.keyspace);
    case Proto::kHttp: return make_http_protocol(cfg.max_request, cfg.body_size);
    case Proto::kEcho: return make_echo_protocol();
  }
  return nullptr;
}

bool parse_proto(std::string_view name, Proto* out) {
  if (name == "resp") *out = Proto::kResp;
  else if (name == "http") *out = Proto::kHttp;
  else if (name == "echo") *out = Proto::kEcho;
  else return false;
  return true;
}

const char* proto_name(Proto p) {
  switch (p) {
    case Proto::kResp: return "resp";
    case Proto::kHttp: return "http";
    case Proto::kEcho: return "echo";
  }
  return "?";
}

}  // namespace pollscope::serve
