// Text forms of socket addresses and TCP states.
#pragma once
#include <cstdint>
#include <string>

namespace pollscope {

// "127.0.0.1:6379"; addr4 in network byte order.
std::string format_ipv4_endpoint(uint32_t addr4, uint16_t port);
// "[::1]:6379"; IPv4-mapped addresses print as IPv4.
std::string format_ipv6_endpoint(const uint8_t addr6[16], uint16_t port);
// "ESTABLISHED", ..., "?" for unknown numbers.
const char* tcp_state_name(int state);

}  // namespace pollscope
