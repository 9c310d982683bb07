// libFuzzer target for HttpParser: no crash, no UB, views inside the buffer,
// and the same requests whether the input arrives whole or in two parts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/serve/http_parser.hpp"

using pollscope::serve::HttpParser;
using pollscope::serve::ParseStatus;

namespace {

struct Outcome {
  std::vector<std::string> requests;  // method target body, per request
  int error = 0;
};

bool inside(std::string_view v, const std::string& buf) {
  return v.empty() || (v.data() >= buf.data() && v.data() + v.size() <= buf.data() + buf.size());
}

Outcome run(const std::string& data, size_t split) {
  HttpParser p(8192);
  Outcome o;
  std::string buf;
  size_t off = 0;
  for (int part = 0; part < 2 && o.error == 0; ++part) {
    buf += part == 0 ? data.substr(0, split) : data.substr(split);
    for (;;) {
      ParseStatus st = p.parse(buf.data() + off, buf.size() - off);
      if (st == ParseStatus::kIncomplete) break;
      if (st == ParseStatus::kError) {
        o.error = p.error_status();
        if (o.error < 400 || o.error > 505) abort();
        break;
      }
      const auto& r = p.request();
      if (p.consumed() == 0 || p.consumed() > buf.size() - off) abort();
      if (!inside(r.method, buf) || !inside(r.target, buf) || !inside(r.body, buf)) abort();
      if (r.body.size() != r.content_length) abort();
      o.requests.push_back(std::string(r.method) + " " + std::string(r.target) + " " + std::string(r.body) +
                           (r.keep_alive ? " ka" : " close"));
      off += p.consumed();
    }
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t split = in.empty() ? 0 : data[0] % (in.size() + 1);
  Outcome whole = run(in, in.size());
  Outcome parts = run(in, split);
  if (whole.error == 0 && parts.error == 0 && whole.requests != parts.requests) abort();
  return 0;
}
