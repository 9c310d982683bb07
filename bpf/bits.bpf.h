/* Bit arithmetic for in-kernel log2 histograms (as libbpf-tools' bits.bpf.h). */
#ifndef POLLSCOPE_BPF_BITS_BPF_H
#define POLLSCOPE_BPF_BITS_BPF_H

#include "common.h"

static __always_inline __u32 log2_u32(__u32 v)
{
	__u32 r, shift;
	r = (v > 0xFFFF) << 4; v >>= r;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 hi = v >> 32;
	return hi ? log2_u32(hi) + 32 : log2_u32((__u32)v);
}

static __always_inline __u32 hist_slot(__u64 v)
{
	__u32 slot = log2_u64(v);
	return slot < PS_HIST_SLOTS ? slot : PS_HIST_SLOTS - 1;
}

/* A histogram that two CPUs may add to at once (a socket's): atomic adds. */
static __always_inline void hist_add(struct ps_hist *h, __u64 v)
{
	__sync_fetch_and_add(&h->slots[hist_slot(v) & (PS_HIST_SLOTS - 1)], 1);
	__sync_fetch_and_add(&h->sum_ns, v);
	if (v > h->max_ns)
		h->max_ns = v; /* racy across CPUs; a lost max is the rare loser of a tie */
}

/* A histogram only one context ever adds to (a thread's wait calls, written
 * by that thread alone, from its own system calls): plain adds; user space
 * only reads. Not where another CPU writes the same line often (a thread
 * entry's switch fields sit beside what sched_waking writes on the waker's
 * CPU): there a load then a store fetches the line twice where a locked add
 * fetches it once, and sched_switch measured 20% dearer that way. */
static __always_inline void hist_add_own(struct ps_hist *h, __u64 v)
{
	h->slots[hist_slot(v) & (PS_HIST_SLOTS - 1)] += 1;
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

#endif
