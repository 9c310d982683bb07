#include "core/load/target.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/base/error.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope::load {

Target parse_target(const std::string& text) {
  std::string host, port;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw Fatal("bad address '" + text + "': expected HOST:PORT", kExitUsage);
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
      throw Fatal("bad address '" + text + "': expected HOST:PORT", kExitUsage);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
      port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535)
    throw Fatal("bad port in '" + text + "': expected 1..65535", kExitUsage);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0 || !res)
    throw Fatal("cannot resolve '" + host + "': " + gai_strerror(rc), kExitUsage);
  Target t;
  t.text = text;
  std::memcpy(&t.addr, res->ai_addr, res->ai_addrlen);
  t.addr_len = res->ai_addrlen;
  freeaddrinfo(res);
  return t;
}

void check_reachable(const Target& t, uint64_t timeout_ns) {
  UniqueFd fd(::socket(t.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) throw Fatal("socket: " + errno_text(errno));
  int err = 0;
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&t.addr), t.addr_len) != 0) {
    err = errno;
    if (err == EINPROGRESS) {
      pollfd p{fd.get(), POLLOUT, 0};
      int ms = static_cast<int>(timeout_ns / 1'000'000) + 1;
      int n = ::poll(&p, 1, ms);
      if (n == 0) {
        err = ETIMEDOUT;
      } else {
        socklen_t len = sizeof err;
        if (n < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      }
    }
  }
  if (err != 0) throw Fatal("cannot connect to " + t.text + ": " + errno_text(err));
}

}  // namespace pollscope::load
