// `--proto resp`: RespParser + Keyspace.
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
    FeedResult r;
    while (r.consumed < len) {
      ParseStatus st = parser_.parse(data + r.consumed, len - r.consumed);
      if (st == ParseStatus::kIncomplete) break;
      if (st == ParseStatus::kError) {
        resp::error(out, "ERR " + parser_.error());
        r.close = r.error = true;
        r.consumed = len;
        break;
      }
      r.consumed += parser_.consumed();
      if (parser_.args().empty()) continue;
      ++r.requests;
      if (!ks_->execute(parser_.args(), out)) {
        r.close = true;
        break;
      }
    }
    return r;
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
