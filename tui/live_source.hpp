// Live intervals from the tracer (root): one Tracer::collect() per call.
#pragma once
#include <memory>

#include "core/trace/tracer.hpp"
#include "tui/source.hpp"

namespace pollscope::tui {

class LiveSource : public SnapshotSource {
 public:
  // Loads and attaches the probes; throws Fatal with one clear line when it
  // cannot (not root, no BTF, ...). Destroying it detaches everything.
  explicit LiveSource(const TracerOptions& opts) : tracer_(opts) {}
  bool next(Snapshot* out) override {
    *out = tracer_.collect();
    return true;
  }
  bool live() const override { return true; }
  std::string label(uint64_t) const override { return "live"; }
  void recycle(Snapshot&& done) override { tracer_.recycle(std::move(done)); }

 private:
  Tracer tracer_;
};

}  // namespace pollscope::tui
