#include "core/export/export_collectable.hpp"

namespace pollscope {

ExportCollectable::ExportCollectable(size_t max_port_series, size_t max_thread_series, ExportState state)
    : totals_(max_port_series, max_thread_series), state_(std::move(state)) {}

void ExportCollectable::add(const Snapshot& interval, double active_s) {
  std::lock_guard<std::mutex> lock(mu_);
  totals_.add(interval, active_s);
}

void ExportCollectable::set_attached(bool attached) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.probes_attached = attached;
}

std::vector<prometheus::MetricFamily> ExportCollectable::Collect() const {
  std::lock_guard<std::mutex> lock(mu_);
  return metric_families(totals_, state_);
}

}  // namespace pollscope
