#include "tui/view.hpp"

#include <fmt/format.h>

#include "core/render/format.hpp"

namespace pollscope::tui {

std::vector<std::unique_ptr<View>> make_views() {
  std::vector<std::unique_ptr<View>> v;
  v.push_back(make_sockets_view());
  v.push_back(make_threads_view());
  v.push_back(make_cpus_view());
  v.push_back(make_connections_view());
  v.push_back(make_stages_view());
  return v;
}

int view_index(const std::vector<std::unique_ptr<View>>& views, const std::string& name) {
  if (name.empty()) return -1;
  for (size_t i = 0; i < views.size(); i++) {
    std::string n = views[i]->name();
    if (n.size() >= name.size() && contains_nocase(n.substr(0, name.size()), name)) return static_cast<int>(i);
  }
  return -1;
}

std::string socket_key(const SocketKey& k) { return fmt::format("{:x}.{}", k.sk, k.first_seen_ns); }

RowKey& add_socket_key(RowKey& key, const SocketKey& k) {
  return key.add_int(k.sk, 16).add(".").add_int(k.first_seen_ns);
}

bool is_socket_key(std::string_view key, const SocketKey& k) {
  RowKey mine;
  return add_socket_key(mine, k) == key;
}

Cell addr_cell(const SocketRow& r) {
  std::string remote = r.remote.empty() ? "*" : r.remote;
  Cell c{r.local + "->" + remote, 0, {}};
  auto colon = r.local.rfind(':');
  if (colon != std::string::npos) c.alt = r.local.substr(colon) + "->" + remote;
  return c;
}

DetailBlock detail_text(std::string text, bool heading) {
  DetailBlock b;
  b.text = std::move(text);
  b.heading = heading;
  return b;
}

DetailBlock detail_hist(std::string title, const Log2Histogram& h) {
  DetailBlock b;
  b.text = std::move(title);
  b.is_hist = true;
  b.hist = h;
  return b;
}

}  // namespace pollscope::tui
