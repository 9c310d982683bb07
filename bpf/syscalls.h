/* Probe family "syscalls": per-thread wait syscalls, plus the thread's
 * scheduling numbers (filled by the sched family for threads we track).
 *
 * Thread entries live in the slots of an array that user space maps into its
 * memory, as socket entries do (bpf/sock.h). A task finds its entry through
 * its identity (struct ps_task_id) in task local storage, reached from the
 * task pointer without hashing; the tid and first_seen_ns stored in the slot
 * confirm it. raw_tp programs, which get no task pointer they may pass to
 * the storage, look the identity up in a hash by tid. Free slots wait in a
 * queue; user space gives a slot back when its thread has exited. */
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
	__u64 first_seen_ns;    /* when the entry was created; 0 while the slot is free */
	/* The wait call in progress: written and read only by the thread itself
	 * (enter and exit run in its context), so no separate map is needed. */
	__u64 wait_start_ns;    /* 0 when not inside a wait call */
	__u32 wait_kind;
	__u32 slot;             /* this slot's index */
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

/* What the probes remember of a task: its entry's slot, and the entry's
 * first_seen_ns, which tells it from a later thread's entry in that slot. */
struct ps_task_id {
	__u64 born_ns;
	__u32 slot;     /* its entry's slot + 1; 0 before it has one */
	__u32 __pad;
};

/* The traced thread on a CPU, as sched_switch last switched it in: its tid
 * and identity, and resume_ns when that was written (an entry written before
 * a pause, when sched_switch was not running, is not trusted after it). */
struct ps_cpu_thread {
	struct ps_task_id id;
	__u32 tid;      /* 0: no traced thread with an entry */
	__u32 __pad;
	__u64 gen;
};

#endif
