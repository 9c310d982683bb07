// The Connections view: recent opens and closes (inet_sock_set_state), newest
// first, with the duration and the bytes of closed connections.
#include <fmt/format.h>

#include "core/render/format.hpp"
#include "tui/view.hpp"

namespace pollscope::tui {

namespace {

enum Col { kTime, kEvent, kPid, kComm, kAddr, kDuration, kIn, kOut };

const std::vector<Column>& conn_columns() {
  static const std::vector<Column> cols = {
      {"time", "TIME", 12, Align::Left, 1, true, false, false},
      {"event", "EVENT", 6, Align::Left, 2, false, false, false},
      {"pid", "PID", 7, Align::Right, 3, true, false, false, 0, true},
      {"comm", "COMM", 10, Align::Left, 5, false, false, false},
      {"addr", "LOCAL->REMOTE", 18, Align::Left, 4, false, true, true},
      {"duration", "DURATION", 9, Align::Right, 6, true, false, false},
      {"in", "IN", 6, Align::Right, 7, true, false, false},
      {"out", "OUT", 6, Align::Right, 8, true, false, false},
  };
  return cols;
}

RowKey& add_event_key(RowKey& key, const ConnEvent& e) {
  return add_socket_key(key.add(e.close ? "close." : "open."), e.key);
}

class ConnectionsView : public View {
 public:
  const char* name() const override { return "Connections"; }
  const std::vector<Column>& columns() const override { return conn_columns(); }
  int default_sort() const override { return kTime; }

  size_t items(const Frame& f) const override { return f.conns ? f.conns->size() : 0; }

  bool write_row(const Frame& f, size_t item, RowWriter& w) const override {
    const ConnEvent& e = (*f.conns)[item];
    if (w.wants_key()) add_event_key(w.key(), e);
    w.num(kTime, e.time, [](double t) { return format_clock(t, true); });
    w.text(kEvent, [&] { return e.close ? "CLOSE" : "OPEN"; });
    w.num(kPid, e.pid, [&](double) { return e.pid ? std::to_string(e.pid) : "-"; });
    w.text(kComm, [&] { return e.comm.empty() ? "-" : e.comm; });
    w.cell(kAddr, [&] {
      Cell c{e.local + "->" + e.remote, 0, {}};
      auto colon = e.local.rfind(':');
      if (colon != std::string::npos) c.alt = e.local.substr(colon) + "->" + e.remote;
      return c;
    });
    // Open events have no duration nor bytes yet.
    auto if_closed = [&](auto format) {
      return [&e, format](double v) { return e.close ? format(v) : std::string("-"); };
    };
    w.num(kDuration, e.duration_s, if_closed(format_duration));
    w.num(kIn, static_cast<double>(e.bytes_in), if_closed(format_bytes));
    w.num(kOut, static_cast<double>(e.bytes_out), if_closed(format_bytes));
    return true;
  }

  Detail detail(const Frame& f, const std::string& key) const override {
    Detail d;
    if (!f.conns) return d;
    for (const auto& e : *f.conns) {
      RowKey mine;
      if (!(add_event_key(mine, e) == key)) continue;
      d.push_back(detail_text(fmt::format("{} {} {} -> {}", e.close ? "Closed" : "Opened", e.proto, e.local, e.remote), true));
      d.push_back(detail_text(fmt::format("at {}  owner pid {} ({})", format_clock(e.time, true), e.pid, e.comm)));
      if (e.close)
        d.push_back(detail_text(fmt::format("lasted {}  read {} bytes  wrote {} bytes (while traced)",
                                            format_duration(e.duration_s), e.bytes_in, e.bytes_out)));
      if (f.snap)
        for (const auto& r : f.snap->sockets)
          if (r.key == e.key) {
            d.push_back(detail_hist("ready -> read in the current interval", r.ready_to_read));
            d.push_back(detail_hist("wake -> run in the current interval", r.wake_to_run));
          }
      return d;
    }
    d.push_back(detail_text("This event is no longer in the log.", true));
    return d;
  }
};

}  // namespace

std::unique_ptr<View> make_connections_view() { return std::make_unique<ConnectionsView>(); }

}  // namespace pollscope::tui
