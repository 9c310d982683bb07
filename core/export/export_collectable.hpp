// The bridge between the tracing loop and the HTTP exposer: the loop adds
// each interval, a scrape (on one of the exposer's threads) turns the totals
// into metric families. One mutex, held briefly by each side, so a scrape is
// answered at once whatever the loop is doing (loading probes, pausing).
#pragma once
#include <prometheus/collectable.h>

#include <mutex>

#include "core/export/export_totals.hpp"
#include "core/export/metric_families.hpp"

namespace pollscope {

class ExportCollectable : public prometheus::Collectable {
 public:
  ExportCollectable(size_t max_port_series, size_t max_thread_series, ExportState state);

  void add(const Snapshot& interval, double active_s);
  void set_attached(bool attached);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable std::mutex mu_;
  ExportTotals totals_;
  ExportState state_;
};

}  // namespace pollscope
