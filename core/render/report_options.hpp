// How a report is laid out; shared by the text and JSON renderers.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

struct ReportLayout {
  std::string sort = "ready";  // see socket_sort_keys()
  int top = 10;                // socket rows in the text report (0: all)
  bool wide = false;           // full local and remote addresses
};

// Valid --sort keys, in help order.
const std::vector<std::string>& socket_sort_keys();
// Throws Fatal(kExitUsage) for an unknown key.
void check_sort_key(const std::string& key);
// Sockets ordered by key, largest first (ties: pid, fd, key).
std::vector<const SocketRow*> sorted_sockets(const Snapshot& s, const std::string& key);

std::string render_report_text(const Snapshot& s, const ReportLayout& layout);
std::string render_report_json(const Snapshot& s, const ReportLayout& layout);
// The same JSON, handed to sink a piece at a time (about 64 KB) as it is
// made (write_snapshot_json): memory follows one row, not the document.
using ReportSink = std::function<void(const std::string&)>;
void write_report_json(const Snapshot& s, const ReportLayout& layout, const ReportSink& sink);

}  // namespace pollscope
