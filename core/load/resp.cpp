#include "core/load/resp.hpp"

#include <cstring>

namespace pollscope::load {

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string resp_command(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

void RespParser::reset() {
  state_ = State::Type;
  stack_.clear();
  error_ = false;
}

bool RespParser::element_done() {
  while (!stack_.empty()) {
    if (--stack_.back() > 0) return false;
    stack_.pop_back();
  }
  return true;
}

ReplyStatus RespParser::finish() {
  bool err = error_;
  error_ = false;
  state_ = State::Type;
  return err ? ReplyStatus::Unexpected : ReplyStatus::Ok;
}

ReplyStatus RespParser::next(const char*& p, const char* end) {
  while (p < end) {
    switch (state_) {
      case State::Type: {
        type_ = *p++;
        switch (type_) {
          case '-': case '+': case '_': case ',': case '#': case '(':
            if (stack_.empty() && type_ == '-') error_ = true;
            state_ = State::Line;
            break;
          case ':': case '$': case '*': case '%': case '~': case '>': case '=': case '!':
            if (stack_.empty() && type_ == '!') error_ = true;
            state_ = State::Number;
            num_ = 0, neg_ = false, digits_ = false;
            break;
          default:
            return ReplyStatus::ProtocolError;
        }
        break;
      }
      case State::Line: {
        const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
        if (!nl) {
          p = end;
          return ReplyStatus::NeedMore;
        }
        p = static_cast<const char*>(nl) + 1;
        state_ = State::Type;
        if (element_done()) return finish();
        break;
      }
      case State::Number: {
        char c = *p++;
        if (c >= '0' && c <= '9') {
          if (num_ > (INT64_MAX - 9) / 10) return ReplyStatus::ProtocolError;
          num_ = num_ * 10 + (c - '0');
          digits_ = true;
        } else if (c == '-' && !digits_ && !neg_) {
          neg_ = true;
        } else if (c == '\r') {
          // the \n ends the number
        } else if (c == '\n') {
          if (!digits_) return ReplyStatus::ProtocolError;
          int64_t n = neg_ ? -num_ : num_;
          state_ = State::Type;
          switch (type_) {
            case ':':
              if (element_done()) return finish();
              break;
            case '$': case '=': case '!':
              if (n < 0) {  // null bulk
                if (element_done()) return finish();
              } else {
                bulk_left_ = static_cast<uint64_t>(n) + 2;
                state_ = State::Bulk;
              }
              break;
            default: {  // aggregates
              if (type_ == '%') n *= 2;
              if (n <= 0) {
                if (element_done()) return finish();
              } else {
                if (stack_.size() >= kMaxDepth) return ReplyStatus::ProtocolError;
                stack_.push_back(n);
              }
            }
          }
        } else {
          return ReplyStatus::ProtocolError;
        }
        break;
      }
      case State::Bulk: {
        uint64_t avail = static_cast<uint64_t>(end - p);
        if (avail < bulk_left_) {
          bulk_left_ -= avail;
          p = end;
          return ReplyStatus::NeedMore;
        }
        p += bulk_left_;
        bulk_left_ = 0;
        state_ = State::Type;
        if (element_done()) return finish();
        break;
      }
    }
  }
  return ReplyStatus::NeedMore;
}

}  // namespace pollscope::load
