// Owns the loaded probe skeleton: chooses one program per tracepoint through
// plan_attach() (tp_btf, else raw_tp; tracefs for syscalls), sets filters and
// map sizes, loads, attaches, and tears everything down in its destructor.
#pragma once
#include <linux/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/probe/tracepoints.hpp"
#include "core/base/mapped_region.hpp"
#include "core/base/unique_fd.hpp"

struct pollscope_bpf;
struct bpf_link;
struct bpf_map;

namespace pollscope {
struct TracerOptions;
}

namespace pollscope::probe {

struct ProbeStatus {
  Tracepoint tracepoint;
  bool requested = false;   // its family was asked for
  AttachMethod method = AttachMethod::None;
  bool attached = false;
  std::string reason;       // why not attached
  std::string program;      // BPF program name
  int prog_fd = -1;
};

struct MapFds {
  int softirqs = -1, counters = -1, filter_pids = -1;
  // The thread entries' slots (the threads array, struct
  // ps_thread[thread_slot_count], mappable), the queue of slots given back, and the
  // tid -> slot copies the raw_tp programs read (bpf/syscalls.h).
  int threads = -1;
  uint32_t thread_slot_count = 0;
  int free_threads = -1, task_ids = -1;
  // How many thread slots the programs ever handed out (mapped, in the
  // programs' .bss): every entry is below it. nullptr: any slot may be.
  const __u64* threads_handed_out = nullptr;
  // The socket entries' slots (the socks array, struct
  // ps_sock[sock_slot_count], mappable) and the queue of free slots user
  // space gives back.
  int socks = -1;
  uint32_t sock_slot_count = 0;
  int free_socks = -1;
  const __u64* socks_handed_out = nullptr;  // as threads_handed_out
  // The touched-socket bits (bpf/pollscope.bpf.c), a bit per slot, mapped:
  // the collector takes each word with an exchange.
  uint64_t* touched_bits = nullptr;
  uint32_t touched_words = 0;
};

struct ProgramCost {
  uint64_t run_cnt = 0;
  uint64_t run_time_ns = 0;
};

class ProbeSet {
 public:
  explicit ProbeSet(const TracerOptions& opts);  // throws Fatal
  ~ProbeSet();
  ProbeSet(const ProbeSet&) = delete;
  ProbeSet& operator=(const ProbeSet&) = delete;

  const std::vector<ProbeStatus>& status() const { return status_; }
  MapFds maps() const;
  bool self_cost_on() const { return stats_fd_.valid(); }
  // Cumulative run count and time of a program (bpf_stats), zero when off.
  ProgramCost cost(int prog_fd) const;
  // Makes the kernel pid filter exactly pids (TracerOptions::dynamic_pids).
  void set_filter_pids(const std::vector<uint32_t>& pids);
  // Detaches the programs (they then cost nothing; maps and their counts
  // stay) but the connection-state one, and attaches again the ones that
  // were attached; latencies that span the pause are dropped.
  void detach();
  void reattach();
  bool detached() const { return paused_; }

 private:
  void plan(const TracerOptions& opts);
  void configure(const TracerOptions& opts);
  void load_and_attach(const TracerOptions& opts);
  void map_touched_bits();

  pollscope_bpf* skel_ = nullptr;
  std::vector<bpf_link*> links_;
  std::vector<size_t> link_status_;  // the status_ entry of each link
  bool paused_ = false;
  std::vector<ProbeStatus> status_;
  UniqueFd stats_fd_;
  MappedRegion touched_bits_;  // the touched_bits array, mapped
};

}  // namespace pollscope::probe
