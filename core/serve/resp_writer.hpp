// Appends RESP replies to an output buffer (no allocation beyond the buffer's growth).
#pragma once
#include <charconv>
#include <string>
#include <string_view>

namespace pollscope::serve::resp {

inline void simple(std::string& out, std::string_view s) {
  out += '+';
  out.append(s.data(), s.size());
  out += "\r\n";
}
inline void error(std::string& out, std::string_view s) {
  out += '-';
  out.append(s.data(), s.size());
  out += "\r\n";
}
inline void prefixed_number(std::string& out, char prefix, long long v) {
  char buf[24];
  buf[0] = prefix;
  auto r = std::to_chars(buf + 1, buf + sizeof buf - 2, v);
  *r.ptr++ = '\r';
  *r.ptr++ = '\n';
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}
inline void integer(std::string& out, long long v) { prefixed_number(out, ':', v); }
inline void array_header(std::string& out, long long n) { prefixed_number(out, '*', n); }
inline void bulk(std::string& out, std::string_view s) {
  prefixed_number(out, '$', static_cast<long long>(s.size()));
  out.append(s.data(), s.size());
  out += "\r\n";
}
inline void null_bulk(std::string& out) { out += "$-1\r\n"; }
inline void ok(std::string& out) { out += "+OK\r\n"; }

}  // namespace pollscope::serve::resp
