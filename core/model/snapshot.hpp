// The data model every renderer reads: one Snapshot per interval (counters are
// deltas over the interval), or the merge of many (a whole report). The TUI,
// the text report and the JSON report render the same Snapshot; the recording
// format (JSON lines) is its serialization (core/model/snapshot_json.*).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model/histogram.hpp"
#include "core/model/stages.hpp"

namespace pollscope {

// Identity of a connection across intervals: the kernel socket address plus
// its birth time (connect, accept, listen) or the time the probes first saw it
// (an address is reused by a later socket at once). A row that folds many
// closed connections (SocketRow::folded) has sk 0 and a first_seen_ns that
// names its group (fold_key()).
struct SocketKey {
  uint64_t sk = 0;
  uint64_t first_seen_ns = 0;
  bool operator<(const SocketKey& o) const {
    return sk != o.sk ? sk < o.sk : first_seen_ns < o.first_seen_ns;
  }
  bool operator==(const SocketKey& o) const { return sk == o.sk && first_seen_ns == o.first_seen_ns; }
};

struct SocketKeyHash {
  size_t operator()(const SocketKey& k) const {
    // Kernel addresses differ in the middle bits: a multiply mixes them down.
    return static_cast<size_t>((k.sk ^ (k.first_seen_ns * 0x9e3779b97f4a7c15ULL)) * 0xbf58476d1ce4e5b9ULL >> 17);
  }
};

struct SocketRow {
  SocketKey key;
  // Identity and state, as of the end of the interval.
  uint32_t pid = 0;      // owner process (0: not seen reading/writing yet)
  uint32_t tid = 0;      // last reader
  std::string comm;      // owner's command
  int fd = -1;           // owner's descriptor for it, -1 when unknown
  uint64_t inode = 0;
  std::string proto;     // "tcp", "udp" (suffix 6 for IPv6: "tcp6")
  std::string local;     // "127.0.0.1:6379", "[::1]:80"
  std::string remote;
  std::string state;     // TCP state name, "-" for UDP
  std::string origin;    // "connect", "accept", "listen", "" when its birth was not seen
  double open_time = 0;  // unix seconds it became ESTABLISHED, 0 if not seen
  double close_time = 0; // unix seconds it closed, 0 while open
  double age_s = 0;      // from open (or first seen) to close or to the end of the interval
  // Counters over the interval.
  uint64_t ready = 0;        // sk_data_ready events
  uint64_t reads = 0;        // reads returning data
  uint64_t read_bytes = 0;
  uint64_t eagain = 0;       // reads returning -EAGAIN
  uint64_t writes = 0;
  uint64_t write_bytes = 0;
  uint64_t wakeups = 0;      // wakeups caused by this socket's readiness
  Log2Histogram ready_to_read;  // first readiness since last read -> next read with data
  Log2Histogram wake_to_run;    // sched_waking -> sched_switch onto a CPU, for those wakeups
  StageStats stages;            // ready_to_read split into stages (empty without sched and syscalls)
  // Closed connections this row stands for when it is a fold of many (0: one
  // connection). A folded row keeps the exact sums of its connections; its
  // local or remote endpoint is "*" on the side that varied.
  uint64_t folded = 0;
  bool closed() const { return close_time > 0; }
};

enum WaitKind { kWaitEpoll = 0, kWaitPoll = 1, kWaitSelect = 2, kWaitKinds = 3 };
const char* wait_kind_name(int kind);  // "epoll", "poll", "select"

struct WaitStats {
  uint64_t calls = 0;   // completed calls
  uint64_t events = 0;  // sum of positive returns (ready fds)
  uint64_t zero = 0;    // calls that returned 0 (timed out)
  uint64_t errors = 0;  // calls that failed (EINTR, ...)
  Log2Histogram blocked;  // time inside the call
};

struct ThreadRow {
  uint32_t pid = 0;
  uint32_t tid = 0;
  std::string comm;
  std::array<WaitStats, kWaitKinds> wait;
  uint64_t wakeups = 0;       // sched_waking of this thread
  uint64_t sock_wakeups = 0;  // of which caused by a socket's readiness
  Log2Histogram runq;         // sched_waking -> on CPU
  uint64_t invol_switches = 0;  // preempted while runnable
  uint64_t vol_switches = 0;    // went to sleep
  StageStats stages;            // the readiness events this thread read, split into stages
  uint64_t wait_calls() const;
  uint64_t blocked_ns() const;  // time inside wait calls
};

constexpr int kSoftirqVectors = 10;
const char* softirq_name(int vec);  // "HI", "TIMER", "NET_TX", "NET_RX", ...

struct CpuRow {
  int cpu = 0;
  std::array<uint64_t, kSoftirqVectors> count{};
  std::array<uint64_t, kSoftirqVectors> time_ns{};
};

struct ProbeHealth {
  std::string tracepoint;  // "sock:sk_data_ready"
  std::string family;      // "sock"
  std::string method;      // "tp_btf", "raw_tp", "tracepoint", "none"
  bool attached = false;
  std::string reason;      // when not attached: "disabled by request", the attach error, ...
  std::string program;     // BPF program name
  uint64_t run_cnt = 0;    // over the interval, from bpf_stats (0 when self cost is off)
  uint64_t run_time_ns = 0;
};

struct Health {
  uint64_t events = 0;  // events the programs handled
  // What could not be kept, by map: "socks" (connections that found the
  // socket map full), "threads" (thread events with no entry), "unowned_ready",
  // "wakes", "filter_pids".
  std::map<std::string, uint64_t> drops;
  uint64_t sock_events = 0;       // socket events recorded in a connection's entry
  uint64_t sock_events_lost = 0;  // socket events of connections that found the map full
  uint32_t max_sockets = 0;       // socket map size in force (0: not known)
  uint32_t max_threads = 0;       // thread map size in force (0: not known)
  // Most connections that wanted an entry in one interval (in the map + turned
  // away): the size that would have fit.
  uint64_t sockets_needed = 0;
  bool self_cost = false;  // bpf_stats were on, run_cnt/run_time_ns are real
  std::vector<ProbeHealth> probes;
  uint64_t total_drops() const;
  uint64_t dropped(const std::string& map) const;  // drops of one map, 0 when none
  // Every event was recorded: nothing dropped, no socket event lost.
  bool complete() const { return total_drops() == 0 && sock_events_lost == 0; }
  // Share of socket events not recorded, 0..1.
  double sock_lost_share() const;
  // A --max-sockets that would have fit (0 when the map did not fill), and
  // the same for --max-threads.
  uint32_t suggested_max_sockets() const;
  uint32_t suggested_max_threads() const;
};

struct Snapshot {
  uint64_t seq = 0;          // 1 for the first interval; 0 for a merged report
  double start_time = 0;     // unix seconds, start of the interval (or of the report)
  double end_time = 0;
  double duration_s() const { return end_time - start_time; }
  std::string kernel;
  std::string hostname;
  std::string filters;       // human description, "" for none
  std::vector<std::string> families;  // probe families requested
  std::vector<SocketRow> sockets;
  std::vector<ThreadRow> threads;
  std::vector<CpuRow> cpus;
  Health health;

  // Merges a later interval into this one: counters and histograms add up,
  // identity and state come from the later interval. index, when given, maps
  // this snapshot's socket keys to their rows and is kept up to date (a
  // total merged with many intervals keeps it across them: SnapshotTotal).
  void merge(const Snapshot& later, std::unordered_map<SocketKey, size_t, SocketKeyHash>* index = nullptr);
};

// One connection's row of a later interval merged into its row so far, as
// Snapshot::merge() merges them: the numbers of both, the identity and state
// of the later one (what it does not know kept from the earlier).
void merge_socket(SocketRow& into, const SocketRow& later);

// Keeps at most max_rows socket rows by folding closed connections into one
// row per process, protocol and service port (the local port of an accepted
// or listening socket, the remote port of a connected one), whose counters
// and histograms are the exact sums. The closed connections kept as their
// own rows are those with the worst ready->read, then the most reads; live
// connections are never folded, nor the rows in keep (an interval's closes of
// connections reported live before: their own rows must close). Returns the
// number of connections folded.
uint64_t fold_closed_sockets(Snapshot& s, size_t max_rows, const std::set<SocketKey>* keep = nullptr);

// Reserves room for n socket rows, up to 2^18: a reservation is address space,
// not memory, until rows fill it, but past that (a row is 728 bytes;
// --max-sockets goes to 4M) more than a small machine may grant. One refused
// is ignored: the vector grows as it needs.
void reserve_socket_rows(std::vector<SocketRow>& rows, size_t n);

// Which endpoint names the service: the local one of an accepted or listening
// socket, the remote one of a connected socket; when the birth was not seen,
// the one with the lower port (ephemeral ports are the high ones). Folding
// and the exporter's per-port series group by it.
bool service_is_local(const SocketRow& r);

// The default row limit of report, top and --record.
constexpr size_t kDefaultMaxRows = 1000;

// Rate per second over the snapshot's duration (0 for an empty duration).
double per_second(uint64_t count, const Snapshot& s);
// Nanoseconds as a percentage of the snapshot's duration (0 for an empty one).
double percent_of_duration(uint64_t ns, const Snapshot& s);

}  // namespace pollscope
