#include "core/load/proto.hpp"

#include "core/load/echo.hpp"
#include "core/load/http.hpp"
#include "core/load/resp.hpp"

namespace pollscope::load {

std::optional<Proto> parse_proto(const std::string& name) {
  if (name == "resp") return Proto::Resp;
  if (name == "http") return Proto::Http;
  if (name == "echo") return Proto::Echo;
  return std::nullopt;
}

const char* proto_name(Proto p) {
  switch (p) {
    case Proto::Resp: return "resp";
    case Proto::Http: return "http";
    case Proto::Echo: return "echo";
  }
  return "?";
}

std::string build_request(const ProtoSpec& spec) {
  switch (spec.proto) {
    case Proto::Resp: return resp_command(split_words(spec.command));
    case Proto::Http: return http_get(spec.path, spec.host);
    case Proto::Echo: return echo_payload(spec.size);
  }
  return {};
}

std::unique_ptr<ReplyParser> make_parser(const ProtoSpec& spec) {
  switch (spec.proto) {
    case Proto::Resp: return std::make_unique<RespParser>();
    case Proto::Http: return std::make_unique<HttpParser>();
    case Proto::Echo: return std::make_unique<EchoParser>(echo_payload(spec.size));
  }
  return nullptr;
}

}  // namespace pollscope::load
