/* Types shared by the BPF programs and user space: histograms, counters,
 * configuration. Fixed-width types and explicit padding only. */
#ifndef POLLSCOPE_BPF_COMMON_H
#define POLLSCOPE_BPF_COMMON_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Log2 histogram of nanoseconds: slot k counts values v with
 * 2^k <= v < 2^(k+1) (slot 0 also holds 0); the last slot holds everything
 * from 2^(PS_HIST_SLOTS-1) ns (~2.1 s) up. */
#define PS_HIST_SLOTS 32

struct ps_hist {
	__u64 slots[PS_HIST_SLOTS];
	__u64 sum_ns;
	__u64 max_ns;
};

#define PS_COMM_LEN 16

/* Indexes of the global health counters (a per-CPU array summed by user space). */
enum ps_counter {
	PS_CNT_EVENTS = 0,        /* events handled by any program but softirq's (see on_softirq) */
	PS_CNT_SOCK_MAP_FULL,     /* connections that found the socks map full (each once) */
	PS_CNT_THREAD_MAP_FULL,   /* thread entries that could not be created */
	PS_CNT_PENDING_MAP_FULL,  /* unowned-socket readiness that could not be kept */
	PS_CNT_WAKE_MAP_FULL,     /* wakeups that could not be kept until switch-in */
	PS_CNT_FILTER_MAP_FULL,   /* forked children that could not join the pid filter */
	PS_CNT_SOCK_EVENTS,       /* socket events recorded in an entry */
	PS_CNT_SOCK_EVENTS_LOST,  /* socket events of connections that found the socks map full */
	PS_CNT_STAGE_UNSPLIT,     /* readiness events read by a thread without an entry: not split */
	PS_CNT_MAX,
};

#endif
