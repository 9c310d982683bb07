// `--proto resp`: RespParser + Keyspace.
#include "core/serve/feed_loop.hpp"
#include "core/serve/keyspace.hpp"
#include "core/serve/protocol.hpp"
#include "core/serve/protocol_impl.hpp"
#include "core/serve/resp_parser.hpp"
#include "core/serve/resp_writer.hpp"

namespace pollscope::serve {

namespace {

class RespProtocol : public Protocol {
 public:
  RespProtocol(size_t max_request, Keyspace* ks) : parser_(max_request), ks_(ks) {}

  FeedResult feed(const char* data, size_t len, std::string& out) override {
    return feed_requests(
        parser_, data, len, out, [this](std::string& o) { resp::error(o, "ERR " + parser_.error()); },
        [this](std::string& o) {
          if (parser_.args().empty()) return Answered::kNotARequest;
          return ks_->execute(parser_.args(), o) ? Answered::kNext : Answered::kClose;
        });
  }

  void refuse(std::string_view why, std::string& out) override {
    out += "-ERR ";
    out.append(why.data(), why.size());
    out += "\r\n";
  }

 private:
  RespParser parser_;
  Keyspace* ks_;
};

}  // namespace

std::unique_ptr<Protocol> make_resp_protocol(size_t max_request, Keyspace* ks) {
  return std::make_unique<RespProtocol>(max_request, ks);
}

}  // namespace pollscope::serve
