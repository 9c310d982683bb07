// The HTTP side of `pollscope export`: prometheus-cpp's exposer (civetweb)
// on one HOST:PORT serving /metrics from the collectable, optional basic
// auth on /metrics, and the "/" and "/-/healthy" pages.
#pragma once
#include <memory>
#include <string>

#include "core/export/export_collectable.hpp"

namespace prometheus {
class Exposer;
}

namespace pollscope {

struct BasicAuth {
  std::string user;  // empty: no authentication
  std::string password;
};

// IP:PORT with a port above 0: "127.0.0.1:9464", "0.0.0.0:9464". A bare port
// (which civetweb would bind on every address), a host name, or an IPv6
// address where civetweb was built without IPv6 (Debian 12's) is refused:
// throws Fatal(kExitUsage).
void check_listen_address(const std::string& listen);
bool is_loopback_address(const std::string& listen);

class MetricsServer {
 public:
  // Listens at once; throws Fatal (exit 1) with one line when it cannot
  // (address in use, not an address of this machine).
  MetricsServer(const std::string& listen, std::shared_ptr<ExportCollectable> metrics, const BasicAuth& auth);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  int port() const;  // the port listened on

 private:
  std::shared_ptr<ExportCollectable> metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace pollscope
