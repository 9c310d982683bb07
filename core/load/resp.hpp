// RESP (Redis serialization protocol): command writer and incremental reply
// parser. The parser accepts RESP2 and the RESP3 types; a reply whose top
// level is an error (-ERR..., !bulk error) is Unexpected.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/load/proto.hpp"

namespace pollscope::load {

std::vector<std::string> split_words(const std::string& s);
// *N\r\n$len\r\narg\r\n... as redis-cli and redis-benchmark send it.
std::string resp_command(const std::vector<std::string>& args);

class RespParser : public ReplyParser {
 public:
  RespParser() { stack_.reserve(kMaxDepth); }
  ReplyStatus next(const char*& p, const char* end) override;
  void reset() override;

 private:
  static constexpr size_t kMaxDepth = 32;
  enum class State { Type, Line, Number, Bulk };
  // One element finished: pops finished aggregates; true when the reply is complete.
  bool element_done();
  ReplyStatus finish();

  State state_ = State::Type;
  char type_ = 0;
  int64_t num_ = 0;
  bool neg_ = false;
  bool digits_ = false;
  uint64_t bulk_left_ = 0;  // payload + CRLF still to skip
  bool error_ = false;
  std::vector<int64_t> stack_;  // elements left in each open aggregate
};

}  // namespace pollscope::load

