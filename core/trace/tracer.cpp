#include "core/trace/tracer.hpp"

#include "core/trace/collector.hpp"
#include "core/probe/probe_set.hpp"

namespace pollscope {

class TracerImpl {
 public:
  explicit TracerImpl(const TracerOptions& o) : probes(o), collector(probes, o) {}
  probe::ProbeSet probes;
  Collector collector;
};

Tracer::Tracer(const TracerOptions& opts) : impl_(std::make_unique<TracerImpl>(opts)) {}
Tracer::~Tracer() = default;
Snapshot Tracer::collect() { return impl_->collector.collect(); }

}  // namespace pollscope
