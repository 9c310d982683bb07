// JSON both ways for the metrics of a table (core/model/row_metrics.hpp):
// snapshot_json.cpp writes and reads each row's identity by hand and its
// counters and histograms through these.
#pragma once
#include <cstddef>

#include "core/model/json_fields.hpp"
#include "core/model/metric_table.hpp"
#include "core/model/snapshot_json.hpp"

namespace pollscope {

// derived: add p50_ns, p90_ns, p99_ns (reports, not recordings).
Json hist_to_json(const Log2Histogram& h, bool derived);
// Throws ShapeError when the object is not a histogram this writer could have
// written (its count must be the sum of its slots).
void hist_from_json(const JsonObject& o, Log2Histogram* h);

// derived: add each stage's share of all the time and of the tail (reports).
Json stages_to_json(const StageStats& st, bool derived);
void stages_from_json(const JsonObject& o, StageStats* st);

// The counters of the table, in table order.
template <class Row, class Raw, size_t N>
void counters_to_json(const Metric<Row, Raw> (&table)[N], const Row& r, Json& o) {
  for (const auto& m : table)
    if (!m.is_histogram() && !m.is_stages()) o[m.json] = r.*m.count;
}

// The histograms of the table, in table order: after the counters and the
// derived rates, where the JSON shape has them.
template <class Row, class Raw, size_t N>
void histograms_to_json(const Metric<Row, Raw> (&table)[N], const Row& r, bool derived, Json& o) {
  for (const auto& m : table) {
    if (m.is_histogram()) o[m.json] = hist_to_json(r.*m.hist, derived);
    // A row without a split (old recordings, probes without sched or
    // syscalls) has no stages key rather than one of zeros.
    else if (m.is_stages() && !(r.*m.stages).empty()) o[m.json] = stages_to_json(r.*m.stages, derived);
  }
}

// Every metric of the table; throws ShapeError naming the key.
template <class Row, class Raw, size_t N>
void metrics_from_json(const Metric<Row, Raw> (&table)[N], const JsonObject& o, Row& r) {
  for (const auto& m : table) {
    if (m.presence == Presence::kAddedLater && !o.has(m.json)) continue;  // a recording from before it: 0
    if (m.is_histogram()) hist_from_json(o.object(m.json), &(r.*m.hist));
    else if (m.is_stages()) stages_from_json(o.object(m.json), &(r.*m.stages));
    else get_to(o, m.json, r.*m.count);
  }
}

// An array metric's element i (one softirq vector), both ways.
template <class Row, class Raw, class RowArray, class RawArray, size_t N>
void counters_to_json(const ArrayMetric<Row, Raw, RowArray, RawArray> (&table)[N], const Row& r, size_t i,
                      Json& o) {
  for (const auto& m : table) o[m.json] = (r.*m.count)[i];
}

template <class Row, class Raw, class RowArray, class RawArray, size_t N>
void metrics_from_json(const ArrayMetric<Row, Raw, RowArray, RawArray> (&table)[N], const JsonObject& o, size_t i,
                       Row& r) {
  for (const auto& m : table) get_to(o, m.json, (r.*m.count)[i]);
}

}  // namespace pollscope
