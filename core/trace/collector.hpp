// Reads the probes' maps once per interval and turns the cumulative kernel
// counters into one interval Snapshot (deltas), resolving sockets to their
// owner's fd. Closed connections are reported once with their final numbers
// and then removed from the kernel map; beyond the row limit they are folded
// (fold_closed_sockets).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bpf/common.h"
#include "bpf/sock.h"
#include "bpf/softirq.h"
#include "bpf/syscalls.h"
#include "core/model/snapshot.hpp"
#include "core/probe/probe_set.hpp"
#include "core/trace/packed_words.hpp"
#include "core/trace/sock_slots.hpp"
#include "core/trace/thread_slots.hpp"
#include "core/trace/socket_resolver.hpp"

namespace pollscope {

struct TracerOptions;

// Pure conversions, shared with tests.
Log2Histogram histogram_from_raw(const ps_hist& h);
SocketRow socket_row_from_raw(uint64_t sk, const ps_sock& now, const ps_sock* before);
void fill_socket_row(SocketRow& r, uint64_t sk, const ps_sock& now, const ps_sock* before);  // r: a fresh row
ThreadRow thread_row_from_raw(const ps_thread& now, const ps_thread* before);

class Collector {
 public:
  Collector(const probe::ProbeSet& probes, const TracerOptions& opts);
  // last: the final collect (with lifetime_rows, every entry's row).
  Snapshot collect(bool last = false);
  void recycle(Snapshot&& done);  // see Tracer::recycle

 private:
  void collect_sockets(Snapshot& s, uint64_t now_mono, double wall_offset, bool last);
  // Takes the touched-socket bits into touched_; true when this interval
  // reads every entry (a full read), not only the touched ones.
  bool take_touched(uint64_t now_mono);
  // The last read of lifetime rows: adds every known slot to touched_.
  void add_known_slots();
  // Calls visit for the socket entries to read this interval: the touched
  // ones, or all of them.
  using SlotVisit = std::function<void(uint32_t slot, const ps_sock& entry)>;
  void read_socket_entries(const SlotVisit& visit, bool full);
  void collect_threads(Snapshot& s);
  void collect_cpus(Snapshot& s);
  void collect_health(Snapshot& s);
  uint64_t softirq_programs_attached() const;

  const probe::ProbeSet& probes_;
  probe::MapFds maps_;
  SockSlots slots_;
  ThreadSlots thread_slots_;
  std::string filters_;
  std::vector<std::string> families_;
  int ncpus_;
  uint64_t seq_ = 0;
  double last_wall_;
  // What the last read left of an entry: its numbers (packed: most of a
  // socket's entry is empty histogram slots) and the owner's descriptor.
  // Kept by slot, not hashed by key: an entry is found with an index, and the
  // scans for gone and idle entries run over arrays, not a node per entry
  // (at 100,000 sockets a walk of a hash map's nodes cost a quarter of top's CPU).
  struct SockState {
    SocketKey key;         // the connection this is of; sk 0: none
    int fd = -1;
    uint32_t walk = 0;     // the last walk that saw it
  };
  std::vector<SockState> prev_socks_;   // by slot
  // By slot, the numbers last read (none with lifetime rows: 3 MB fewer at
  // 131,072 slots).
  std::vector<PackedWords> prev_raw_;
  std::vector<uint64_t> slot_last_ns_;  // by slot: its last activity as last read, 0 without state
  std::vector<uint32_t> touched_now_;   // by slot: the last walk whose bit take had it
  size_t sock_states_ = 0;              // slots with state
  void forget_sock(uint32_t slot);
  uint32_t walk_ = 0;  // walks of the maps so far
  std::vector<SocketRow> spare_rows_;  // a recycled snapshot's rows, filled again
  std::vector<uint32_t> touched_;     // slots
  std::vector<uint32_t> idle_slots_;
  // Time between reads of every socket entry (idle ones age out there).
  static constexpr uint64_t kFullReadNs = 30ULL * 1000000000ULL;
  uint64_t last_full_read_ns_ = 0;
  bool map_refused_ = false;  // the socket map turned a connection away in the last interval
  struct Deleted {
    ps_sock_key key;
    uint32_t slot;
  };
  std::vector<Deleted> to_delete_;
  uint64_t socket_entries_ = 0;  // entries in the socket map at the last walk
  std::set<SocketKey> reported_before_;  // this interval's closes of connections reported before
  uint32_t max_sockets_ = 0, max_threads_ = 0;
  size_t max_rows_ = 0;
  bool lifetime_rows_ = false;  // TracerOptions::lifetime_rows
  // With lifetime_rows: connections whose row came when their idle entry was
  // deleted (a later entry of theirs adds to it; its close must not fold).
  std::unordered_set<SocketKey, SocketKeyHash> idled_out_;
  // What the last read left of a thread entry, by slot.
  struct ThreadState {
    PackedWords raw;
    uint64_t born_ns = 0;  // its first_seen_ns; 0: no state
  };
  std::vector<ThreadState> prev_threads_;
  std::vector<ps_softirq> prev_softirq_;
  uint64_t softirq_runs_ = 0;  // softirq runs in the last collect_cpus, on every CPU
  std::array<uint64_t, PS_CNT_MAX> prev_counters_{};
  std::map<std::string, probe::ProgramCost> prev_cost_;
  SocketResolver resolver_;
  std::string kernel_, hostname_;
};

}  // namespace pollscope
