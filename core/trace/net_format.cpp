#include "core/trace/net_format.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace pollscope {

std::string format_ipv4_endpoint(uint32_t addr4, uint16_t port) {
  // By hand, not inet_ntop (sprintf inside): every active socket's two
  // endpoints are spelled every interval.
  char buf[24];
  char* p = buf;
  const auto* b = reinterpret_cast<const unsigned char*>(&addr4);  // network order
  for (int i = 0; i < 4; i++) {
    p = std::to_chars(p, buf + sizeof(buf), static_cast<unsigned>(b[i])).ptr;
    *p++ = i < 3 ? '.' : ':';
  }
  p = std::to_chars(p, buf + sizeof(buf), static_cast<unsigned>(port)).ptr;
  return std::string(buf, p);
}

std::string format_ipv6_endpoint(const uint8_t addr6[16], uint16_t port) {
  static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(addr6, mapped_prefix, 12) == 0) {
    uint32_t v4;
    std::memcpy(&v4, addr6 + 12, 4);
    return format_ipv4_endpoint(v4, port);
  }
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, addr6, buf, sizeof(buf));
  return "[" + std::string(buf) + "]:" + std::to_string(port);
}

const char* tcp_state_name(int state) {
  static const char* names[] = {"?",          "ESTABLISHED", "SYN_SENT", "SYN_RECV",  "FIN_WAIT1",
                                "FIN_WAIT2",  "TIME_WAIT",   "CLOSE",    "CLOSE_WAIT", "LAST_ACK",
                                "LISTEN",     "CLOSING",     "NEW_SYN_RECV"};
  if (state < 0 || state >= static_cast<int>(sizeof(names) / sizeof(names[0]))) return "?";
  return names[state];
}

}  // namespace pollscope
