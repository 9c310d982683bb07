#include "core/export/http_pages.hpp"

#include <CivetServer.h>
#include <civetweb.h>

#include <cstring>

namespace pollscope {

namespace {

constexpr const char kIndex[] =
    "<!DOCTYPE html>\n<html><head><title>pollscope export</title></head><body>\n"
    "<h1>pollscope export</h1>\n"
    "<p>Event-loop latency of the traced processes, per process and port, thread and CPU.</p>\n"
    "<p><a href=\"/metrics\">/metrics</a> (Prometheus text format); "
    "see pollscope-export(8) for every metric.</p>\n"
    "</body></html>\n";

int send(mg_connection* conn, const char* type, const char* body) {
  mg_send_http_ok(conn, type, static_cast<long long>(std::strlen(body)));
  mg_write(conn, body, std::strlen(body));
  return 200;
}

// 0: not ours, the exposer handles it; otherwise the status sent.
int begin_request(mg_connection* conn) {
  const mg_request_info* req = mg_get_request_info(conn);
  if (!req || !req->local_uri) return 0;
  if (std::strcmp(req->local_uri, "/") == 0) return send(conn, "text/html; charset=utf-8", kIndex);
  if (std::strcmp(req->local_uri, "/-/healthy") == 0) return send(conn, "text/plain; charset=utf-8", "OK\n");
  return 0;
}

CivetCallbacks make_callbacks() {
  CivetCallbacks cb;  // its constructor zeroes every callback
  cb.begin_request = begin_request;
  return cb;
}

}  // namespace

const CivetCallbacks* export_page_callbacks() {
  static const CivetCallbacks callbacks = make_callbacks();
  return &callbacks;
}

}  // namespace pollscope
