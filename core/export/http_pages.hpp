// The exporter's pages besides /metrics: "/" (a short HTML page linking to
// /metrics) and "/-/healthy" (200 "OK" while the process serves), answered
// from civetweb's begin_request callback of prometheus-cpp's exposer, which
// has no API for pages of its own. Every other path goes on to the exposer
// (/metrics, or its 404).
#pragma once

struct CivetCallbacks;

namespace pollscope {

const CivetCallbacks* export_page_callbacks();

}  // namespace pollscope
