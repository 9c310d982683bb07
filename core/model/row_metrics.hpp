// The metric tables of the snapshot rows: per entry, the JSON key, the row
// member, the kernel field it is the interval delta of, how it merges, its
// unit (core/model/metric_table.hpp says what drives off them).
//
// Adding a plain counter to a connection: the field in struct ps_sock
// (bpf/sock.h) and the BPF code that counts it, the SocketRow member, one
// entry below, and its line in pollscope-report(8) FIELDS, JSON (a unit test
// fails until it is documented). Mark it Presence::kAddedLater so recordings
// written before it still replay.
//
// Order matters: it is the order of the keys in the JSON output and the
// recordings (golden fixtures under tests/fixtures pin it). Counters are
// written where each row's counters go, histograms after its derived rates.
//
// What stays hand-written: identities and states (addresses, pid, comm, fd,
// origin, times, folded, which merge by "keep what is known"), the derived
// rates of the JSON report (not every counter has one, in an order of their
// own), and the health counters (a per-CPU array indexed by enum ps_counter,
// not a struct, merged by rules of their own).
#pragma once
#include <array>

#include "bpf/sock.h"
#include "bpf/softirq.h"
#include "bpf/syscalls.h"
#include "core/model/metric_table.hpp"
#include "core/model/snapshot.hpp"

namespace pollscope {

using SocketMetric = Metric<SocketRow, ps_sock>;

// sockets[]: one connection (or a fold of closed ones).
inline constexpr SocketMetric kSocketMetrics[] = {
    counter("ready", &SocketRow::ready, &ps_sock::ready, Merge::kSum, "events"),
    counter("reads", &SocketRow::reads, &ps_sock::reads, Merge::kSum, "calls"),
    counter("read_bytes", &SocketRow::read_bytes, &ps_sock::read_bytes, Merge::kSum, "bytes"),
    counter("eagain", &SocketRow::eagain, &ps_sock::eagain, Merge::kSum, "calls"),
    counter("writes", &SocketRow::writes, &ps_sock::writes, Merge::kSum, "calls"),
    counter("write_bytes", &SocketRow::write_bytes, &ps_sock::write_bytes, Merge::kSum, "bytes"),
    counter("wakeups", &SocketRow::wakeups, &ps_sock::wakeups, Merge::kSum, "events"),
    histogram("ready_to_read", &SocketRow::ready_to_read, &ps_sock::ready_to_read),
    histogram("wake_to_run", &SocketRow::wake_to_run, &ps_sock::wake_to_run),
    stage_split("stages", &SocketRow::stages, &ps_sock::stages),
};
static_assert(well_formed(kSocketMetrics), "a metric of kSocketMetrics is neither a counter nor a histogram");

using ThreadMetric = Metric<ThreadRow, ps_thread>;

// threads[]: one thread, beside its wait calls (kWaitMetrics).
inline constexpr ThreadMetric kThreadMetrics[] = {
    counter("wakeups", &ThreadRow::wakeups, &ps_thread::wakeups, Merge::kSum, "events"),
    counter("sock_wakeups", &ThreadRow::sock_wakeups, &ps_thread::sock_wakeups, Merge::kSum, "events"),
    counter("invol_switches", &ThreadRow::invol_switches, &ps_thread::invol_switches, Merge::kSum, "events"),
    counter("vol_switches", &ThreadRow::vol_switches, &ps_thread::vol_switches, Merge::kSum, "events"),
    histogram("runq", &ThreadRow::runq, &ps_thread::runq),
    stage_split("stages", &ThreadRow::stages, &ps_thread::stages),
};
static_assert(well_formed(kThreadMetrics), "a metric of kThreadMetrics is neither a counter nor a histogram");

using WaitMetric = Metric<WaitStats, ps_wait_stats>;

// threads[].wait.KIND: one kind of wait call (epoll, poll, select) of a thread.
inline constexpr WaitMetric kWaitMetrics[] = {
    counter("calls", &WaitStats::calls, &ps_wait_stats::calls, Merge::kSum, "calls"),
    counter("events", &WaitStats::events, &ps_wait_stats::events, Merge::kSum, "events"),
    counter("zero", &WaitStats::zero, &ps_wait_stats::zero, Merge::kSum, "calls"),
    counter("errors", &WaitStats::errors, &ps_wait_stats::errors, Merge::kSum, "calls"),
    histogram("blocked", &WaitStats::blocked, &ps_wait_stats::blocked),
};
static_assert(well_formed(kWaitMetrics), "a metric of kWaitMetrics is neither a counter nor a histogram");

using CpuMetric = ArrayMetric<CpuRow, ps_softirq, std::array<uint64_t, kSoftirqVectors>, __u64[PS_NR_SOFTIRQS]>;

// cpus[].softirq.VECTOR: one softirq vector on one CPU.
inline constexpr CpuMetric kCpuMetrics[] = {
    {"count", &CpuRow::count, &ps_softirq::count, Merge::kSum, "runs"},
    {"time_ns", &CpuRow::time_ns, &ps_softirq::time_ns, Merge::kSum, "ns"},
};

}  // namespace pollscope
