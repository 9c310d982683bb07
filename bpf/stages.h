/* The stages of a readiness: where the time between a socket becoming
 * readable (sk_data_ready) and the read that returns its data goes. Shared by
 * the sock and syscalls families' structs: the split is made at the read
 * (sock family) from the reader thread's wait cycles (syscalls family) and
 * sleeps and wakeups (sched family), so it needs all three.
 *
 * Every nanosecond of ready->read lands in exactly one stage:
 *   wakeup   ready -> the waking of the reader, which was asleep
 *   runq     that waking (or the ready time, if the reader was already woken)
 *            -> the reader switched onto a CPU
 *   return   on CPU -> the wait call returns (the kernel's own work after the
 *            wakeup: select and poll scan every descriptor); for a blocking
 *            read, on CPU -> the read returns
 *            A readiness that comes while the reader is inside a wait call
 *            but not asleep (select and poll scanning every descriptor
 *            before they sleep) is return from its arrival.
 *   busy     the reader was running outside a wait call when the data came:
 *            ready -> its next wait-call return (or the read, without one)
 *   dispatch wait-call return -> the read of this socket returning data */
#ifndef POLLSCOPE_BPF_STAGES_H
#define POLLSCOPE_BPF_STAGES_H

#include "common.h"

enum ps_stage {
	PS_STAGE_WAKEUP = 0,
	PS_STAGE_RUNQ,
	PS_STAGE_RETURN,
	PS_STAGE_BUSY,
	PS_STAGE_DISPATCH,
	PS_STAGES,
};

/* Per-stage histograms are compact (u32 counts, 24 slots) to keep a socket
 * entry small: slot 0 holds values below 2^(PS_STAGE_SLOT_SHIFT+1) ns
 * (128 ns), slot k holds 2^(k+6) <= v < 2^(k+7), the last slot everything
 * from 2^29 ns (~0.54 s). Counts wrap modulo 2^32; user space takes deltas. */
#define PS_STAGE_SLOTS 24
#define PS_STAGE_SLOT_SHIFT 6

/* Readiness events are also grouped by their whole ready->read time, so the
 * share of each stage in the slow ones (the tail) is known: class 0 below
 * 2^12 ns (4.1 us), class c (1..6) from 2^(10+2c) to 2^(12+2c) ns, class 7
 * from 2^24 ns (16.8 ms) up. */
#define PS_STAGE_CLASSES 8

struct ps_stages {
	__u32 hist[PS_STAGES][PS_STAGE_SLOTS]; /* readiness events in which the stage applied */
	__u64 class_ns[PS_STAGE_CLASSES][PS_STAGES]; /* ns per stage, by ready->read class */
	__u64 class_count[PS_STAGE_CLASSES];         /* readiness events per class */
	__u64 split;   /* readiness events split */
	__u64 approx;  /* of which all dispatch: the reader's first wait return
	                  after the readiness had left its ring of cycles */
};

/* One wait cycle of a thread: the call's entry, its last sleep inside it, the
 * waking and the switch onto a CPU that ended that sleep, and the return.
 * sleep_ns is 0 when the call did not sleep. */
struct ps_cycle {
	__u64 enter_ns;
	__u64 sleep_ns;
	__u64 wake_ns;
	__u64 oncpu_ns;
	__u64 ret_ns;
};
#define PS_CYCLES 4 /* cycles kept per thread (a power of two) */

#endif
