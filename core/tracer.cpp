#include "core/tracer.hpp"

#include <fmt/format.h>

#include <sstream>

#include "core/collector.hpp"
#include "core/error.hpp"
#include "core/model/snapshot_filter.hpp"
#include "core/probe/probe_set.hpp"

namespace pollscope {

class TracerImpl {
 public:
  explicit TracerImpl(const TracerOptions& o) : probes(o), collector(probes, o) {}
  probe::ProbeSet probes;
  Collector collector;
};

std::string describe_filters(const TracerOptions& o) {
  FilterSpec f{o.pids, o.ports, o.comm, o.follow_children};
  return f.describe();
}

std::vector<probe::Family> parse_families(const std::string& list) {
  std::vector<probe::Family> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    if (item == "all") return probe::all_families();
    probe::Family f;
    if (!probe::parse_family(item, &f))
      throw Fatal("unknown probe family '" + item + "' (choose from sock, sched, softirq, syscalls, all)",
                  kExitUsage);
    out.push_back(f);
  }
  if (out.empty()) throw Fatal("--probes needs at least one family", kExitUsage);
  return out;
}

Tracer::Tracer(const TracerOptions& opts) : impl_(std::make_unique<TracerImpl>(opts)) {}
Tracer::~Tracer() = default;
Snapshot Tracer::collect() { return impl_->collector.collect(); }

}  // namespace pollscope
