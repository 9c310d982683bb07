// A view of the top screen: its columns, how a Frame becomes rows, and what
// the detail pane shows for one row. One file per view (view_*.cpp).
// A view writes one row at a time through a RowWriter, which formats only
// the cells it is asked for: each refresh sorts every row but formats only
// the rows drawn (tui/sorted_rows.hpp).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/model/histogram.hpp"
#include "core/render/format.hpp"
#include "core/render/table.hpp"
#include "tui/frame.hpp"
#include "tui/row_writer.hpp"

namespace pollscope::tui {

// The detail pane's content: text lines and log2 histograms, in order.
struct DetailBlock {
  std::string text;           // a line of text (when hist is null)
  bool heading = false;       // drawn bold
  bool is_hist = false;       // a histogram, titled by text
  Log2Histogram hist;
};
using Detail = std::vector<DetailBlock>;

class View {
 public:
  virtual ~View() = default;
  virtual const char* name() const = 0;  // "Sockets"
  virtual const std::vector<Column>& columns() const = 0;
  virtual int default_sort() const = 0;
  // How many items of f the view looks at (sockets, threads, CPU x vector,
  // ...); item i is written by write_row(f, i, ...).
  virtual size_t items(const Frame& f) const = 0;
  // Writes item i's row: its key and the cells w wants. False when the item
  // makes no row of this view (Stages: a thread without a stage split).
  virtual bool write_row(const Frame& f, size_t item, RowWriter& w) const = 0;
  // Detail of the row with this key ("" lines when it is gone).
  virtual Detail detail(const Frame& f, const std::string& key) const = 0;
};

// The five views, in the order of keys 1-5: Sockets, Threads, CPUs, Connections, Stages.
std::vector<std::unique_ptr<View>> make_views();
std::unique_ptr<View> make_sockets_view();
std::unique_ptr<View> make_threads_view();
std::unique_ptr<View> make_cpus_view();
std::unique_ptr<View> make_connections_view();
std::unique_ptr<View> make_stages_view();

// Index of the view named (case-insensitive, prefix allowed), or -1.
int view_index(const std::vector<std::unique_ptr<View>>& views, const std::string& name);

// Shared helpers of the views.
std::string socket_key(const SocketKey& k);
// Appends socket_key(k) to key, without a heap allocation.
RowKey& add_socket_key(RowKey& key, const SocketKey& k);
// key == socket_key(k), without building the string (the detail pane looks
// its row up among every socket on each draw).
bool is_socket_key(std::string_view key, const SocketKey& k);
// The text of a latency cell: "-" without samples.
inline auto latency_text(bool has_samples) {
  return [has_samples](double ns) { return format_latency(ns, has_samples); };
}
// A cell of h's q-quantile, computed and formatted only when w wants it (both
// walk the histogram's slots).
inline void write_percentile(RowWriter& w, int column, const Log2Histogram& h, double q) {
  w.num(column, [&] { return h.percentile_ns(q); }, [&](double ns) { return format_latency(ns, !h.empty()); });
}
// "LOCAL->REMOTE"; on narrow screens the local port only, the remote in full.
Cell addr_cell(const SocketRow& r);
DetailBlock detail_text(std::string text, bool heading = false);
DetailBlock detail_hist(std::string title, const Log2Histogram& h);

}  // namespace pollscope::tui
