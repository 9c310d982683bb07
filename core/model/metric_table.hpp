// One row of a metric table: everything pollscope needs to know about a
// counter or a histogram of a snapshot row, in one place. The tables
// (core/model/row_metrics.hpp) drive the interval delta from the kernel struct
// (core/trace/collector.cpp), the merge of intervals (Snapshot::merge), JSON
// both ways (core/model/metric_json.hpp) and the documentation check of
// tests/unit/test_metric_table.cpp; a new plain counter is one entry there,
// not an edit in each of those places.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "bpf/common.h"
#include "core/model/histogram.hpp"
#include "core/model/stages.hpp"

namespace pollscope {

// How two intervals' values combine into the value of both.
enum class Merge {
  kSum,        // events and bytes: the total
  kMax,        // a peak: the larger
  kLast,       // a level: the later interval's
  kHistogram,  // slots and sums add, the maximum is the larger
  kStages,     // the stage split: each stage's histogram and nanoseconds add
};

// Whether every recording has the key. A metric added after the first
// recordings is kAddedLater: a line without it reads as 0 (an empty
// histogram), so older recordings still replay; a missing kAlways key is an
// error naming it.
enum class Presence { kAlways, kAddedLater };

// A counter (count, raw_count set) or a histogram (hist, raw_hist set) of Row,
// read from the cumulative kernel struct Raw. Kernel fields are __u64 (unsigned
// long long), not uint64_t (unsigned long on LP64): two member-pointer types.
template <class Row, class Raw>
struct Metric {
  const char* json;  // JSON key, in the order the writer emits it
  uint64_t Row::*count;
  __u64 Raw::*raw_count;
  Log2Histogram Row::*hist;
  ps_hist Raw::*raw_hist;
  Merge merge;
  const char* unit;  // "events", "bytes", "ns": what one unit of the value is
  Presence presence;
  StageStats Row::*stages = nullptr;  // a stage split (kStages)
  ps_stages Raw::*raw_stages = nullptr;

  constexpr bool is_histogram() const { return hist != nullptr; }
  constexpr bool is_stages() const { return stages != nullptr; }
};

template <class Row, class Raw>
constexpr Metric<Row, Raw> counter(const char* json, uint64_t Row::*member, __u64 Raw::*raw, Merge merge,
                                   const char* unit, Presence presence = Presence::kAlways) {
  return {json, member, raw, nullptr, nullptr, merge, unit, presence};
}

template <class Row, class Raw>
constexpr Metric<Row, Raw> histogram(const char* json, Log2Histogram Row::*member, ps_hist Raw::*raw,
                                     Presence presence = Presence::kAlways) {
  return {json, nullptr, nullptr, member, raw, Merge::kHistogram, "ns", presence};
}

// The stages of ready->read (core/model/stages.hpp). Added after the first
// recordings: a line without it reads as no split.
template <class Row, class Raw>
constexpr Metric<Row, Raw> stage_split(const char* json, StageStats Row::*member, ps_stages Raw::*raw) {
  return {json, nullptr, nullptr, nullptr, nullptr, Merge::kStages, "ns", Presence::kAddedLater, member, raw};
}

// A counter kept per softirq vector (CpuRow): the same, over an array.
template <class Row, class Raw, class RowArray, class RawArray>
struct ArrayMetric {
  const char* json;
  RowArray Row::*count;
  RawArray Raw::*raw_count;
  Merge merge;
  const char* unit;
};

// A counter has both its members and a count's merge; a histogram both of
// its own. Checked at compile time for every table (row_metrics.hpp).
template <class Row, class Raw, size_t N>
constexpr bool well_formed(const Metric<Row, Raw> (&table)[N]) {
  for (const auto& m : table) {
    bool none_of_stages = !m.stages && !m.raw_stages;
    bool counter = m.count && m.raw_count && !m.hist && !m.raw_hist && none_of_stages &&
                   m.merge != Merge::kHistogram && m.merge != Merge::kStages;
    bool hist = !m.count && !m.raw_count && m.hist && m.raw_hist && none_of_stages && m.merge == Merge::kHistogram;
    bool stages = !m.count && !m.raw_count && !m.hist && !m.raw_hist && m.stages && m.raw_stages &&
                  m.merge == Merge::kStages;
    if (!(counter || hist || stages) || !m.json || !m.unit) return false;
  }
  return true;
}

inline uint64_t merge_count(Merge how, uint64_t earlier, uint64_t later) {
  switch (how) {
    case Merge::kSum: return earlier + later;
    case Merge::kMax: return std::max(earlier, later);
    case Merge::kLast:
    case Merge::kHistogram:
    case Merge::kStages: break;  // not a count; a table never pairs it with one
  }
  return later;
}

// Merges every metric of the table of later into into.
template <class Row, class Raw, size_t N>
void merge_metrics(const Metric<Row, Raw> (&table)[N], Row& into, const Row& later) {
  for (const auto& m : table) {
    if (m.is_histogram()) (into.*m.hist).add(later.*m.hist);
    else if (m.is_stages()) (into.*m.stages).add(later.*m.stages);
    else into.*m.count = merge_count(m.merge, into.*m.count, later.*m.count);
  }
}

// Sets every metric of the table in to from from, leaving the rest of to.
template <class Row, class Raw, size_t N>
void copy_metrics(const Metric<Row, Raw> (&table)[N], Row& to, const Row& from) {
  for (const auto& m : table) {
    if (m.is_histogram()) to.*m.hist = from.*m.hist;
    else if (m.is_stages()) to.*m.stages = from.*m.stages;
    else to.*m.count = from.*m.count;
  }
}

template <class Row, class Raw, class RowArray, class RawArray, size_t N>
void merge_metrics(const ArrayMetric<Row, Raw, RowArray, RawArray> (&table)[N], Row& into, const Row& later) {
  for (const auto& m : table)
    for (size_t i = 0; i < (into.*m.count).size(); i++)
      (into.*m.count)[i] = merge_count(m.merge, (into.*m.count)[i], (later.*m.count)[i]);
}

}  // namespace pollscope
