// SPDX-License-Identifier: GPL-2.0
/* The floor under pollscope's probe cost: programs on the same tracepoints
 * that do a fixed, minimal amount of work, so bench/probe-floor can measure,
 * with the kernel's statistics on and on the same workload, what any probe
 * there costs before it does anything useful. `level` is set before load:
 *   0 empty  return at once;
 *   1 clock  one clock read per event, kept in a per-CPU slot;
 *   2 entry  the least a per-socket, per-thread latency tracer with
 *            pollscope's -p filter does: the traced process's events (and
 *            every readiness, whose context is the waker's) find their entry
 *            in socket or task local storage, read the clock once and store
 *            it there; the softirqs store it in a per-CPU array.
 * Built and loaded only by bench/probe-floor, never by pollscope. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 level = 0;
const volatile __u32 traced_tgid = 0;

struct floor_entry {
	__u64 last_ns;
	__u64 events;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct floor_entry);
} sk_entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct floor_entry);
} task_entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct floor_entry);
} cpu_entry SEC(".maps");

static __always_inline void clock_only(void)
{
	__u32 zero = 0;
	struct floor_entry *e = bpf_map_lookup_elem(&cpu_entry, &zero); /* inlined: per-CPU array */
	if (e)
		e->last_ns = bpf_ktime_get_ns();
}

static __always_inline void stamp(struct floor_entry *e)
{
	if (!e)
		return;
	e->last_ns = bpf_ktime_get_ns();
	e->events++;
}

static __always_inline bool current_traced(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == traced_tgid;
}

/* A socket event: sends and reads are the traced process's own (filtered on
 * the current task); a readiness runs in the waker's context, so it cannot be
 * filtered before its socket's entry is found. */
static __always_inline int on_sock(struct sock *sk, bool filter_current)
{
	if (level == 1) {
		clock_only();
	} else if (level == 2) {
		if (filter_current && !current_traced())
			return 0;
		stamp(bpf_sk_storage_get(&sk_entries, sk, 0, BPF_SK_STORAGE_GET_F_CREATE));
	}
	return 0;
}

static __always_inline void stamp_task(struct task_struct *task)
{
	stamp(bpf_task_storage_get(&task_entries, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE));
}

SEC("tp_btf/sk_data_ready")
int BPF_PROG(floor_sk_data_ready, struct sock *sk) { return on_sock(sk, false); }

SEC("tp_btf/sock_recv_length")
int BPF_PROG(floor_sock_recv_length, struct sock *sk, int ret, int flags) { return on_sock(sk, true); }

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_sock_send_length, struct sock *sk, int ret, int flags) { return on_sock(sk, true); }

SEC("tp_btf/sched_waking")
int BPF_PROG(floor_sched_waking, struct task_struct *p)
{
	if (level == 1)
		clock_only();
	else if (level == 2 && p->tgid == traced_tgid)
		stamp_task(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(floor_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (level == 1) {
		clock_only();
	} else if (level == 2) {
		if (prev->tgid == traced_tgid)
			stamp_task(prev);
		if (next->tgid == traced_tgid)
			stamp_task(next);
	}
	return 0;
}

static __always_inline int on_softirq(void)
{
	if (level == 1) {
		clock_only();
	} else if (level == 2) {
		__u32 zero = 0;
		stamp(bpf_map_lookup_elem(&cpu_entry, &zero));
	}
	return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(floor_softirq_entry, unsigned int vec) { return on_softirq(); }

SEC("tp_btf/softirq_exit")
int BPF_PROG(floor_softirq_exit, unsigned int vec) { return on_softirq(); }

/* The wait calls, on the same tracefs syscall tracepoints pollscope uses;
 * 1 lets the event through to other perf listeners, as pollscope's do. */
static __always_inline int on_wait(void)
{
	if (level == 1)
		clock_only();
	else if (level == 2 && current_traced())
		stamp_task(bpf_get_current_task_btf());
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_epoll_wait")
int floor_enter_epoll_wait(void *ctx) { return on_wait(); }

SEC("tracepoint/syscalls/sys_exit_epoll_wait")
int floor_exit_epoll_wait(void *ctx) { return on_wait(); }
