// The exporter's totals as Prometheus metric families, built at each scrape.
// Names carry their unit (_seconds, _bytes, _total); label sets are bounded:
// process x service port, process x thread (bounded by --max-threads),
// CPU x softirq vector, probe. pollscope-export(8) lists every family.
#pragma once
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "core/export/export_totals.hpp"

namespace pollscope {

struct ExportState {
  bool probes_attached = false;  // false while starting and during a --duty pause
  double duty_fraction = 1.0;
  std::string cgroup;  // the --cgroup path, a label on every process series ("" for none)
};

std::vector<prometheus::MetricFamily> metric_families(const ExportTotals& totals, const ExportState& state);

}  // namespace pollscope
