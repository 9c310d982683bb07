#include "core/trace/tracer.hpp"

#include "core/proc/cgroup_procs.hpp"
#include "core/trace/collector.hpp"
#include "core/probe/probe_set.hpp"

namespace pollscope {

namespace {

// A cgroup filter is a pid filter whose set changes while tracing.
TracerOptions with_cgroup_pids(TracerOptions o) {
  if (o.cgroup.empty()) return o;
  o.dynamic_pids = true;
  o.filter.follow_children = true;  // forks between two readings of the cgroup
  o.filter.pids = cgroup_pids(o.cgroup);
  return o;
}

}  // namespace

class TracerImpl {
 public:
  explicit TracerImpl(const TracerOptions& o) : opts(with_cgroup_pids(o)), probes(opts), collector(probes, opts) {}
  TracerOptions opts;
  probe::ProbeSet probes;
  Collector collector;
};

Tracer::Tracer(const TracerOptions& opts) : impl_(std::make_unique<TracerImpl>(opts)) {}
Tracer::~Tracer() = default;

Snapshot Tracer::collect() { return collect(false); }
Snapshot Tracer::collect_last() {
  // The socket map is read, then the thread map: with the probes running, a
  // readiness split between the two reads would count in one table and not
  // the other.
  pause();
  return collect(true);
}

Snapshot Tracer::collect(bool last) {
  Snapshot s = impl_->collector.collect(last);
  if (!impl_->opts.cgroup.empty()) {
    s.filters += (s.filters.empty() ? "" : " ") + std::string("cgroup ") + impl_->opts.cgroup;
    set_pids(cgroup_pids(impl_->opts.cgroup));
  }
  return s;
}

void Tracer::recycle(Snapshot&& done) { impl_->collector.recycle(std::move(done)); }

void Tracer::set_pids(const std::vector<uint32_t>& pids) { impl_->probes.set_filter_pids(pids); }
void Tracer::pause() { impl_->probes.detach(); }
void Tracer::resume() { impl_->probes.reattach(); }
bool Tracer::paused() const { return impl_->probes.detached(); }

}  // namespace pollscope
