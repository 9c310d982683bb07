// `--proto echo`: every byte read is written back.
#include "core/serve/protocol.hpp"
#include "core/serve/protocol_impl.hpp"

namespace pollscope::serve {

namespace {

class EchoProtocol : public Protocol {
 public:
  FeedResult feed(const char* data, size_t len, std::string& out) override {
    out.append(data, len);
    FeedResult r;
    r.consumed = len;
    r.requests = len > 0 ? 1 : 0;
    return r;
  }
  void refuse(std::string_view why, std::string& out) override {
    out += "ERR ";
    out.append(why.data(), why.size());
    out += '\n';
  }
};

}  // namespace

std::unique_ptr<Protocol> make_echo_protocol() { return std::make_unique<EchoProtocol>(); }

}  // namespace pollscope::serve
