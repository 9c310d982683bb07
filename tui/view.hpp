// A view of the top screen: its columns, how a Frame becomes rows, and what
// the detail pane shows for one row. One file per view (view_*.cpp).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/model/histogram.hpp"
#include "core/render/table.hpp"
#include "tui/frame.hpp"

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
  virtual std::vector<Row> rows(const Frame& f) const = 0;
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
Cell num_cell(double v, std::string text);
Cell text_cell(std::string text);
// "LOCAL->REMOTE"; on narrow screens the local port only, the remote in full.
Cell addr_cell(const SocketRow& r);
DetailBlock detail_text(std::string text, bool heading = false);
DetailBlock detail_hist(std::string title, const Log2Histogram& h);

}  // namespace pollscope::tui
