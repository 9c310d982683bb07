/* Probe family "softirq": time and count per vector per CPU. */
#ifndef POLLSCOPE_BPF_SOFTIRQ_H
#define POLLSCOPE_BPF_SOFTIRQ_H

#include "common.h"

#define PS_NR_SOFTIRQS 10 /* HI TIMER NET_TX NET_RX BLOCK IRQ_POLL TASKLET SCHED HRTIMER RCU */

struct ps_softirq {
	__u64 count[PS_NR_SOFTIRQS];
	__u64 time_ns[PS_NR_SOFTIRQS];
	__u64 start_ns[PS_NR_SOFTIRQS]; /* entry time of the running one, 0 if none */
};

#endif
