#include "core/export/metrics_server.hpp"

#include <arpa/inet.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <prometheus/exposer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <exception>

#include "core/base/error.hpp"
#include "core/export/http_pages.hpp"

namespace pollscope {

namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

// Splits "HOST:PORT" or "[V6]:PORT"; port 0 when malformed.
HostPort split_listen(const std::string& listen) {
  HostPort hp;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return hp;
  hp.host = listen.substr(0, colon);
  if (hp.host.size() >= 2 && hp.host.front() == '[' && hp.host.back() == ']')
    hp.host = hp.host.substr(1, hp.host.size() - 2);
  std::string port = listen.substr(colon + 1);
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 1 || p > 65535) return hp;
  hp.port = static_cast<int>(p);
  return hp;
}

// Why the address cannot be listened on, from a plain bind(): civetweb only
// says that it failed.
std::string bind_error(const HostPort& hp) {
  bool v6 = hp.host.find(':') != std::string::npos;
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_text(errno);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));  // as civetweb does
  int rc;
  if (v6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(static_cast<uint16_t>(hp.port));
    inet_pton(AF_INET6, hp.host.c_str(), &a.sin6_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(hp.port));
    inet_pton(AF_INET, hp.host.c_str(), &a.sin_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  }
  int err = errno;
  ::close(fd);
  return rc == 0 ? "civetweb could not start" : errno_text(err);
}

bool same_text(const std::string& a, const std::string& b) {
  // Compares every byte whatever differs first: no early exit to time.
  unsigned diff = a.size() != b.size();
  for (size_t i = 0; i < a.size(); i++) diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(i < b.size() ? b[i] : 0);
  return diff == 0;
}

}  // namespace

void check_listen_address(const std::string& listen) {
  HostPort hp = split_listen(listen);
  in6_addr a6;
  in_addr a4;
  bool ip = inet_pton(AF_INET, hp.host.c_str(), &a4) == 1 || inet_pton(AF_INET6, hp.host.c_str(), &a6) == 1;
  if (hp.port == 0 || !ip)
    throw Fatal("--listen: '" + listen + "' is not IP:PORT (e.g. 127.0.0.1:9464)", kExitUsage);
  // Debian's civetweb is built without IPv6: say so rather than fail to start.
  constexpr unsigned kCivetwebIpv6 = 8;
  if (hp.host.find(':') != std::string::npos && !mg_check_feature(kCivetwebIpv6))
    throw Fatal("--listen: '" + listen + "': this build of civetweb has no IPv6; give an IPv4 address", kExitUsage);
}

bool is_loopback_address(const std::string& listen) {
  HostPort hp = split_listen(listen);
  return hp.host.rfind("127.", 0) == 0 || hp.host == "::1";
}

MetricsServer::MetricsServer(const std::string& listen, std::shared_ptr<ExportCollectable> metrics,
                             const BasicAuth& auth)
    : metrics_(std::move(metrics)) {
  check_listen_address(listen);
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(listen, 2, export_page_callbacks());
  } catch (const std::exception&) {
    throw Fatal("cannot listen on " + listen + ": " + bind_error(split_listen(listen)));
  }
  if (!auth.user.empty()) {
    std::string user = auth.user, password = auth.password;
    exposer_->RegisterAuth(
        [user, password](const std::string& u, const std::string& p) { return same_text(u, user) & same_text(p, password); },
        "pollscope");
  }
  exposer_->RegisterCollectable(metrics_);
}

MetricsServer::~MetricsServer() = default;

int MetricsServer::port() const {
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace pollscope
