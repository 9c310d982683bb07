// The tracer: loads the probes with the given filters and turns their maps
// into one Snapshot per call to collect(). Owns every libbpf object (RAII);
// destroying it detaches and unloads everything.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"
#include "core/trace/trace_options.hpp"

namespace pollscope {

class TracerImpl;

class Tracer {
 public:
  // Throws Fatal with one clear line when the probes cannot run at all
  // (privileges, no BTF, nothing attachable).
  explicit Tracer(const TracerOptions& opts);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // Everything that happened since the previous call (or since start).
  Snapshot collect();
  // The same, for the last time: with lifetime_rows, every entry's row. The
  // probes are detached first (pause()), so the socket and thread tables of
  // this read describe one moment; only destruction may follow.
  Snapshot collect_last();
  // Gives back a snapshot done with: the next collect() fills its socket
  // rows' memory again instead of fresh pages (at 10,000 active sockets the
  // rows are ~30 MB, which glibc maps and unmaps: faulting them in again
  // every interval was a sixth of report's CPU).
  void recycle(Snapshot&& done);

  // The processes traced, for a tracer made with dynamic_pids (a --cgroup
  // tracer calls it itself at every collect()).
  void set_pids(const std::vector<uint32_t>& pids);
  // Detaches every probe (no cost while paused; the maps stay, so collect()
  // still works and reports nothing new) and attaches them again (--duty).
  void pause();
  void resume();
  bool paused() const;

 private:
  Snapshot collect(bool last);
  std::unique_ptr<TracerImpl> impl_;
};

}  // namespace pollscope
