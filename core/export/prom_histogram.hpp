// A log2 histogram (core/model/histogram.hpp) as a Prometheus histogram: one
// bucket per slot, whose `le` bound is the slot's upper end in seconds,
// 2^(k+1) ns, the last slot open-ended (+Inf). A slot is [2^k, 2^(k+1)): every
// value of slot k is below its bound; only a value exactly on a power of two
// is counted one bucket above the `le` it equals (never below its value).
// Buckets are cumulative, as the exposition format wants.
#pragma once
#include <prometheus/client_metric.h>

#include "core/model/histogram.hpp"

namespace pollscope {

// The `le` bound of slot k in seconds; +Inf for the last slot.
double slot_le_seconds(int k);

// open_from: the first slot that is open-ended (its values have no upper
// bound): the stage histograms' top slot holds everything from 0.54 s up.
prometheus::ClientMetric::Histogram to_prometheus(const Log2Histogram& h, int open_from = Log2Histogram::kSlots - 1);

}  // namespace pollscope
