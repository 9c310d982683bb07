#include "tui/top_model.hpp"

namespace pollscope::tui {

TopModel::TopModel(double delay, const FilterSpec& filter)
    : delay_s(delay), views_(make_views()), filter_(filter) {
  vstates_.resize(views_.size());
  for (size_t i = 0; i < views_.size(); i++) vstates_[i].sort.column = views_[i]->default_sort();
}

void TopModel::ingest(Snapshot s) {
  apply_filter(filter_, &s);
  conns_.ingest(s);
  ingested_++;
  std::shared_ptr<const Snapshot> replaced = std::move(latest_.snap);
  // Not const itself (only through the pointer): take_retired() moves it out.
  latest_.snap = std::make_shared<Snapshot>(std::move(s));
  // A copy of the log only when it changed: at thousands of connections it
  // holds a thousand events, and most intervals open or close none.
  if (!latest_.conns || conns_.logged() != conns_logged_) {
    latest_.conns = std::make_shared<const std::deque<ConnEvent>>(conns_.events());
    conns_logged_ = conns_.logged();
  }
  latest_.index = ingested_;
  if (!paused) {
    shown_ = latest_;
    rebuild();
  }
  retire(std::move(replaced));
}

void TopModel::retire(std::shared_ptr<const Snapshot> done) {
  // Only one nothing else holds (while paused, shown_ and sorted_ may).
  retired_.reset();
  if (done && done.use_count() == 1) retired_ = std::move(done);
}

void TopModel::release_frame() {
  sorted_ = SortedRows();  // it holds the frame too
  shown_ = Frame();
  retire(std::move(latest_.snap));
  latest_.snap.reset();
}

Snapshot TopModel::take_retired() {
  if (!retired_) return Snapshot();
  Snapshot out = std::move(const_cast<Snapshot&>(*retired_));
  retired_.reset();
  return out;
}

void TopModel::unpause() {
  paused = false;
  shown_ = latest_;
  rebuild();
}

void TopModel::rebuild() {
  const View& v = view();
  ViewState& st = vstate();
  sorted_.build(v, shown_, st.sort, st.filter);
  st.sel.follow(sorted_, table_height_);
}

bool TopModel::set_sort(const std::string& name) {
  // The report's sort keys that have no column of their own here.
  std::string id = name == "bytes" ? "in" : name;
  bool any = false;
  for (size_t i = 0; i < views_.size(); i++) {
    int c = column_index(views_[i]->columns(), id);
    if (c >= 0) {
      vstates_[i].sort.column = c;
      any = true;
    }
  }
  return any;
}

bool TopModel::set_view(const std::string& name) {
  int v = view_index(views_, name);
  if (v < 0) return false;
  select_view(v);
  return true;
}

void TopModel::select_view(int v) {
  if (v < 0 || v >= static_cast<int>(views_.size())) return;
  view_ = v;
  detail = false;
  detail_scroll = 0;
  rebuild();
}

}  // namespace pollscope::tui
