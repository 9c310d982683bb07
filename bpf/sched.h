/* Probe family "sched": a wakeup waiting for its task to get a CPU, for
 * threads without a thread entry yet (tracked threads keep it in ps_thread). */
#ifndef POLLSCOPE_BPF_SCHED_H
#define POLLSCOPE_BPF_SCHED_H

#include "common.h"
#include "sock.h"

struct ps_wake {
	__u64 ts_ns;  /* sched_waking */
	struct ps_sock_ref sk; /* connection whose readiness caused it, key.sk 0 if none known */
};

/* Attribute a waking to a readiness on the same CPU only this soon after it. */
#define PS_WAKE_WINDOW_NS 20000ULL

#endif
