/* Splitting a readiness into stages (bpf/stages.h) at the read that returns
 * its data, from the reader thread's wait cycles. Runs once per readiness,
 * not per event: the lookups and the ring scan are paid by reads only. */
#ifndef POLLSCOPE_BPF_STAGES_BPF_H
#define POLLSCOPE_BPF_STAGES_BPF_H

#include "bits.bpf.h"
#include "stages.h"
#include "syscalls.h"

/* Set by user space when the sched and syscalls families are loaded too:
 * without them there are no sleeps or wait returns to split by. */
const volatile bool stages_on = false;

static __always_inline __u32 stage_class(__u64 ready_to_read)
{
	__u32 l = log2_u64(ready_to_read);
	if (l < 12)
		return 0;
	__u32 c = (l - 12) / 2 + 1;
	return c < PS_STAGE_CLASSES ? c : PS_STAGE_CLASSES - 1;
}

/* One readiness's split, passed by pointer: BPF calls take five arguments. */
struct ps_split {
	__u64 ns[PS_STAGES];
	__u32 applied; /* bit per stage that applied */
	__u32 class;
	__u32 approx;
	__u32 __pad;
};

static __always_inline __u32 stage_slot(__u64 v)
{
	__u32 slot = log2_u64(v);
	slot = slot > PS_STAGE_SLOT_SHIFT ? slot - PS_STAGE_SLOT_SHIFT : 0;
	return slot < PS_STAGE_SLOTS ? slot : PS_STAGE_SLOTS - 1;
}

/* A socket can be read by two threads at once: its stages take atomic adds.
 * Only the stages that applied are touched (one to three of five). Inlined
 * into split_readiness: a BPF-to-BPF call costs as much as these adds (each
 * return goes through the kernel's return thunk on this kind of machine). */
static __always_inline void stages_add_shared(struct ps_stages *st, const struct ps_split *sp)
{
	if (!st)
		return;
	__u32 class = sp->class & (PS_STAGE_CLASSES - 1);
	for (int i = 0; i < PS_STAGES; i++) {
		if (!(sp->applied & (1u << i)))
			continue;
		__sync_fetch_and_add(&st->class_ns[class][i], sp->ns[i]);
		__sync_fetch_and_add(&st->hist[i][stage_slot(sp->ns[i])], 1);
	}
	__sync_fetch_and_add(&st->class_count[class], 1);
	__sync_fetch_and_add(&st->split, 1);
	if (sp->approx)
		__sync_fetch_and_add(&st->approx, 1);
}

/* A thread's own stages are written only in its own context (its reads):
 * plain adds, no lock prefix. */
static __always_inline void stages_add_own(struct ps_stages *st, const struct ps_split *sp)
{
	__u32 class = sp->class & (PS_STAGE_CLASSES - 1);
	for (int i = 0; i < PS_STAGES; i++) {
		if (!(sp->applied & (1u << i)))
			continue;
		st->class_ns[class][i] += sp->ns[i];
		st->hist[i][stage_slot(sp->ns[i])] += 1;
	}
	st->class_count[class] += 1;
	st->split += 1;
	if (sp->approx)
		st->approx += 1;
}

/* The stages before the wait return `ret` (or the read, for a blocking read)
 * of a readiness at `ready`, given the reader's sleep that ended in that
 * return: asleep at the readiness -> wakeup, runq, return; woken but not yet
 * on a CPU -> runq, return; inside the wait call but not asleep -> return;
 * otherwise it was running -> busy. Times out of
 * order (a sleep from before the readiness, a waking not yet followed by a
 * CPU) mean it was running. */
static __always_inline void split_before(__u64 ready, __u64 enter, __u64 sleep, __u64 woken, __u64 oncpu,
					 __u64 ret, struct ps_split *sp)
{
	bool slept = sleep && woken >= sleep && oncpu >= woken && ret >= oncpu;
	/* slept && ready >= sleep: the reader was asleep at the readiness. */
	if (slept && ready >= sleep && ready < woken) {
		sp->ns[PS_STAGE_WAKEUP] = woken - ready;
		sp->ns[PS_STAGE_RUNQ] = oncpu - woken;
		sp->ns[PS_STAGE_RETURN] = ret - oncpu;
		sp->applied |= (1u << PS_STAGE_WAKEUP) | (1u << PS_STAGE_RUNQ) | (1u << PS_STAGE_RETURN);
	} else if (slept && ready >= sleep && ready < oncpu) {
		sp->ns[PS_STAGE_RUNQ] = oncpu - ready;
		sp->ns[PS_STAGE_RETURN] = ret - oncpu;
		sp->applied |= (1u << PS_STAGE_RUNQ) | (1u << PS_STAGE_RETURN);
	} else if (enter && ready >= enter) {
		/* Inside the wait call, not asleep: its own work. */
		sp->ns[PS_STAGE_RETURN] = ret - ready;
		sp->applied |= 1u << PS_STAGE_RETURN;
	} else {
		sp->ns[PS_STAGE_BUSY] = ret - ready;
		sp->applied |= 1u << PS_STAGE_BUSY;
	}
}

/* Splits the readiness at `ready` read at `now` by thread t, into the
 * socket's stages (sock_st, may be NULL) and the thread's. A global
 * (noinline, not static) function is verified once on its own instead of
 * once per path of every caller: inlined, the split's branches times the
 * caller's exceed the verifier's budget. */
__noinline int split_readiness(struct ps_thread *t, struct ps_stages *sock_st, __u64 ready, __u64 now)
{
	if (!t)
		return 0;
	struct ps_split sp = {};
	/* The first wait return after the readiness, among those kept. */
	__u64 best_ret = 0;
	__u32 best = 0;
	for (__u32 i = 0; i < PS_CYCLES; i++) {
		__u64 r = t->ring[i].ret_ns;
		if (r > ready && r <= now && (!best_ret || r < best_ret)) {
			best_ret = r;
			best = i;
		}
	}
	__u64 enter, sleep, woken, oncpu, ret;
	if (t->lost_ret_ns > ready) {
		/* A wait returned after the readiness and its cycle has left the
		 * ring (four more since): the loop had the data and did not read
		 * it for cycles. That is dispatch, from the readiness on. */
		sp.ns[PS_STAGE_DISPATCH] = now - ready;
		sp.applied = 1u << PS_STAGE_DISPATCH;
		sp.approx = 1;
		sp.class = stage_class(now - ready);
		stages_add_shared(sock_st, &sp);
		stages_add_own(&t->stages, &sp);
		return 0;
	}
	if (best_ret) {
		struct ps_cycle *c = &t->ring[best & (PS_CYCLES - 1)];
		enter = c->enter_ns;
		sleep = c->sleep_ns;
		woken = c->wake_ns;
		oncpu = c->oncpu_ns;
		ret = best_ret;
		sp.ns[PS_STAGE_DISPATCH] = now - best_ret;
		sp.applied = 1u << PS_STAGE_DISPATCH;
	} else {
		/* No wait call returned in between: a blocking read, busy polling,
		 * or a loop that reads without waiting. */
		enter = 0;
		sleep = t->sleep_ns;
		woken = t->woken_ns;
		oncpu = t->oncpu_ns;
		ret = now;
	}
	split_before(ready, enter, sleep, woken, oncpu, ret, &sp);
	sp.class = stage_class(now - ready);
	stages_add_shared(sock_st, &sp);
	stages_add_own(&t->stages, &sp);
	return 0;
}

#endif
