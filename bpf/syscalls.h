/* Probe family "syscalls": per-thread wait syscalls, plus the thread's
 * scheduling numbers (filled by the sched family for threads we track). */
#ifndef POLLSCOPE_BPF_SYSCALLS_H
#define POLLSCOPE_BPF_SYSCALLS_H

#include "common.h"
#include "sock.h"
#include "stages.h"

enum ps_wait_kind { PS_WAIT_EPOLL = 0, PS_WAIT_POLL, PS_WAIT_SELECT, PS_WAIT_KINDS };

struct ps_wait_stats {
	__u64 calls;        /* completed calls */
	__u64 events;       /* sum of positive return values (ready fds/events) */
	__u64 zero;         /* calls that returned 0 (timeout) */
	__u64 errors;       /* calls that returned < 0 (EINTR, ...) */
	struct ps_hist blocked; /* time from enter to exit */
};

struct ps_thread {
	struct ps_wait_stats wait[PS_WAIT_KINDS];
	struct ps_hist runq;    /* sched_waking -> sched_switch onto a CPU */
	__u64 wakeups;          /* sched_waking of this thread */
	__u64 sock_wakeups;     /* of which attributed to a socket's readiness */
	__u64 invol_switches;   /* switched out while runnable (preempted) */
	__u64 vol_switches;     /* switched out sleeping */
	__u64 first_seen_ns;
	/* The wait call in progress: written and read only by the thread itself
	 * (enter and exit run in its context), so no separate map is needed. */
	__u64 wait_start_ns;    /* 0 when not inside a wait call */
	__u32 wait_kind;
	__u32 __pad;
	/* A sched_waking not yet followed by the switch onto a CPU (kept here
	 * rather than in the wakes map: no insert and delete per wakeup). */
	__u64 wake_ts_ns;       /* 0 when none is pending */
	struct ps_sock_ref wake_sk; /* connection whose readiness caused it, key.sk 0 if none known */
	/* The last sleep, the waking that ended it and the switch back onto a
	 * CPU (sched family); each 0 until seen. A new sleep clears the other two. */
	__u64 sleep_ns;
	__u64 woken_ns;
	__u64 oncpu_ns;
	/* The last PS_CYCLES wait cycles, by cycles % PS_CYCLES. */
	struct ps_cycle ring[PS_CYCLES];
	__u64 cycles;
	__u64 lost_ret_ns;      /* return of the last cycle overwritten in the ring */
	struct ps_stages stages; /* readiness events this thread read */
	__u32 tgid;
	__u32 tid;
	char comm[PS_COMM_LEN];
};


#endif
