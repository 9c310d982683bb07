#include "core/serve/listener.hpp"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "core/base/error.hpp"

namespace pollscope::serve {

namespace {

constexpr int kBacklog = 4096;

}  // namespace

Listeners open_listeners(const std::string& bind, uint16_t port, int count, bool nonblocking) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  bool v6 = false;
  auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, bind.c_str(), &sin->sin_addr) == 1) {
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    len = sizeof *sin;
  } else if (inet_pton(AF_INET6, bind.c_str(), &sin6->sin6_addr) == 1) {
    v6 = true;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    len = sizeof *sin6;
  } else {
    throw Fatal("--bind: '" + bind + "' is not an IPv4 or IPv6 address", kExitUsage);
  }

  Listeners out;
  for (int i = 0; i < count; ++i) {
    int type = SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
    UniqueFd fd(::socket(v6 ? AF_INET6 : AF_INET, type, 0));
    if (!fd.valid()) throw Fatal("socket: " + errno_text(errno));
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // Only when sharing: a lone listener must fail on a port that is in use.
    if (count > 1) ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
      int err = errno;
      throw Fatal("cannot listen on " + bind + ":" + std::to_string(ntohs(v6 ? sin6->sin6_port : sin->sin_port)) +
                  ": " + errno_text(err));
    }
    if (::listen(fd.get(), kBacklog) != 0) throw Fatal("listen: " + errno_text(errno));
    if (i == 0) {
      // --port 0: the others join the port the kernel picked for the first.
      sockaddr_storage got{};
      socklen_t glen = sizeof got;
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&got), &glen);
      uint16_t p = v6 ? reinterpret_cast<sockaddr_in6*>(&got)->sin6_port : reinterpret_cast<sockaddr_in*>(&got)->sin_port;
      if (v6) sin6->sin6_port = p;
      else sin->sin_port = p;
      char host[INET6_ADDRSTRLEN] = {};
      inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? static_cast<void*>(&sin6->sin6_addr) : static_cast<void*>(&sin->sin_addr),
                host, sizeof host);
      out.address = v6 ? "[" + std::string(host) + "]:" + std::to_string(ntohs(p))
                       : std::string(host) + ":" + std::to_string(ntohs(p));
    }
    out.fds.push_back(std::move(fd));
  }
  return out;
}

}  // namespace pollscope::serve
