// SPDX-License-Identifier: GPL-2.0
/* pollscope's probes. Every typed tracepoint has two programs: a tp_btf one
 * (preferred) and a raw_tp fallback; user space loads exactly one of each pair
 * (core/probe/). Both read kernel memory through CO-RE, so the same handler
 * serves both. Everything aggregates into maps; nothing is copied per event.
 *
 * Trap: in sk_data_ready and sched_waking, `current` is whoever ran the
 * softirq or the waker, not the socket's owner. Owners are learned only from
 * tasks that read, write or wait (recv/send tracepoints, wait syscalls). */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "common.h"
#include "bits.bpf.h"
#include "filter.bpf.h"
#include "maps.bpf.h"
#include "sched.h"
#include "sock.h"
#include "softirq.h"
#include "stages.bpf.h"
#include "syscalls.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define EAGAIN 11
#define PS_TCP_ESTABLISHED 1
#define PS_TCP_SYN_SENT 2
#define PS_TCP_SYN_RECV 3
#define PS_TCP_CLOSE 7
#define PS_TCP_LISTEN 10

/* Entries in the wakes map; sched_switch looks there only when it is not 0. */
__u64 wakes_pending = 0;

/* Set by user space when it attaches the programs again after a pause
 * (pollscope export --duty): a readiness or a waking from before it spans
 * the pause and is no latency, so it makes no sample. */
__u64 resume_ns = 0;

/* How many slots of socks and of threads were ever handed out (take_slot):
 * every entry is in a slot below it, so user space reads no further. It can
 * pass the slot count by a few (attempts that raced each other for the last
 * slots). */
__u64 socks_handed_out = 0;
__u64 threads_handed_out = 0;
const volatile __u32 sock_slot_count = 0;
const volatile __u32 thread_slot_count = 0;

/* Sizes are defaults; user space sets them from flags before load.
 *
 * Connection entries live in the slots of socks, an array user space maps
 * into its memory (bpf/sock.h); free_socks queues the slots user space gave
 * back when it deleted their entries, and take_slot() hands out the slots
 * never used, in order, when the queue is empty. An
 * event finds its entry through the socket's identity, without hashing.
 * Neither map pushes a live entry out: with no free slot, a new connection
 * gets no entry, and every event that then finds none is counted. User space
 * deletes closed and long-idle entries every interval.
 *
 * Thread entries are kept the same way, in threads and free_threads
 * (bpf/syscalls.h); user space gives a slot back when its thread has exited. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct ps_sock);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 16384);
	__uint(key_size, 0);
	__uint(value_size, sizeof(__u32));
} free_socks SEC(".maps");

/* The identity of each socket (struct ps_sk_id). tp_btf programs keep it in
 * socket local storage, freed with the socket, so a reused address is a new
 * socket by construction. raw_tp programs cannot use socket storage: they
 * keep it by address and rely on the TCP birth transitions to tell a new
 * socket from an old one at the same address. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ps_sk_id);
} sk_ids_local SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u64);
	__type(value, struct ps_sk_id);
} sk_ids SEC(".maps");

/* Readiness of sockets whose owner is not known yet, kept only while an owner
 * filter is active, until an owner that passes the filter reads them. An LRU:
 * most of these sockets belong to processes outside the filter. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ps_sock_key);
	__type(value, struct ps_unowned);
} unowned_ready SEC(".maps");

/* The socket entries touched since user space last took them, a bit per
 * slot: user space reads those entries, not every one (at 100,000 mostly idle
 * sockets, a tenth of the copying). It maps the words and takes each with an
 * exchange, so a bit set at any moment is in this take or the next; no set
 * can be full. Sized by user space to max_sockets / 64, rounded up. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} touched_bits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct ps_thread);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4096);
	__uint(key_size, 0);
	__uint(value_size, sizeof(__u32));
} free_threads SEC(".maps");

/* The identity of each task with an entry (struct ps_task_id): task local
 * storage, freed with the task, for every program that holds a task pointer
 * it may pass (the current task's, or a tp_btf argument); and a copy by tid
 * for the raw_tp sched programs, whose task arguments are plain addresses. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ps_task_id);
} task_ids_local SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct ps_task_id);
} task_ids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct ps_wake);
} wakes SEC(".maps");

/* The traced thread running on each CPU (struct ps_cpu_thread): the programs
 * that run in its context (its wait calls, a read's stage split, its next
 * switch-out) find its entry here, with an array lookup, instead of through
 * task local storage (a helper call, 35 to 45 ns here). Written by
 * sched_switch on every switch-in, so it is only as good as sched_switch is
 * attached: never written without the sched family, and marked with the
 * resume_ns it was written under. The entry it names is still checked
 * (thread_at). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_cpu_thread);
} cpu_thread SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_last_ready);
} last_ready SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_softirq);
} softirqs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Never written: zeroed values to create entries larger than the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_sock);
} zero_sock SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_thread);
} zero_thread SEC(".maps");


/* ---- helpers ---------------------------------------------------------- */

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);
	if (v)
		(*v)++;
}

/* An event changed entry s: user space must read it at the next interval.
 * Called after the handler's own writes to s, so that user space, reading
 * the entry after it took the bits, sees them. last_ns moves when the event
 * read the clock (now != 0); sends and reads that end no readiness do not
 * read it (a clock read is a third of such a program): user space counts the
 * entry's bit as activity when it ages idle entries out. */
static __always_inline void touch_sock(struct ps_sock *s, __u64 now)
{
	if (now)
		s->last_ns = now;
	__u32 slot = s->slot;
	__u32 word = slot / 64;
	__u64 *w = bpf_map_lookup_elem(&touched_bits, &word); /* inlined: an array */
	if (!w)
		return;
	__u64 bit = 1ULL << (slot & 63);
	if (!(*w & bit)) /* the atomic only once per take */
		__sync_fetch_and_or(w, bit);
}

/* The entry in slot `slot_plus1 - 1` if it holds connection `key`: the slot
 * may have been freed by user space (an idle entry aged out) and taken by
 * another connection since. */
static __always_inline struct ps_sock *sock_at(__u32 slot_plus1, const struct ps_sock_key *key)
{
	if (!slot_plus1)
		return NULL;
	__u32 slot = slot_plus1 - 1;
	struct ps_sock *s = bpf_map_lookup_elem(&socks, &slot);
	if (!s || s->key.sk != key->sk || s->key.born_ns != key->born_ns)
		return NULL;
	return s;
}

/* A field of a kernel object passed as a tracepoint argument. tp_btf programs
 * load it directly (the verifier knows the argument's type; one instruction),
 * raw_tp programs need a probe read (a helper call). `btf` is a constant in
 * every caller, so each program keeps only its own way. */
#define ARG_READ(btf, obj, field) ((btf) ? (obj)->field : BPF_CORE_READ(obj, field))

struct sk_info {
	__u16 family, protocol, sport, dport;
};

/* False for anything but TCP/UDP over IPv4/IPv6. */
static __always_inline bool read_sk_info(const struct sock *sk, struct sk_info *info, const bool btf)
{
	info->family = ARG_READ(btf, sk, __sk_common.skc_family);
	if (info->family != AF_INET && info->family != AF_INET6)
		return false;
	info->protocol = ARG_READ(btf, sk, sk_protocol);
	if (info->protocol != IPPROTO_TCP && info->protocol != IPPROTO_UDP)
		return false;
	info->sport = ARG_READ(btf, sk, __sk_common.skc_num);
	info->dport = bpf_ntohs(ARG_READ(btf, sk, __sk_common.skc_dport));
	return true;
}

static __always_inline void fill_addrs(struct ps_sock *s, const struct sock *sk, const struct sk_info *info)
{
	s->family = info->family;
	s->protocol = info->protocol;
	s->sport = info->sport;
	s->dport = info->dport;
	s->saddr4 = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	s->daddr4 = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	if (info->family == AF_INET6) {
		bpf_core_read(&s->saddr6, sizeof(s->saddr6), &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(&s->daddr6, sizeof(s->daddr6), &sk->__sk_common.skc_v6_daddr);
	}
}

/* The socket's identity, created on first sight. NULL only when no memory is
 * left for it (or, on tp_btf, in hard-irq context, where none of our events run). */
static __always_inline struct ps_sk_id *sk_id_get(const struct sock *sk, __u64 now, const bool btf,
						    const bool create)
{
	/* Created with its birth already set: two CPUs seeing a new socket at
	 * once must agree on its key. */
	struct ps_sk_id fresh = {.born_ns = now};
	struct ps_sk_id *id;
	if (btf) {
		id = bpf_sk_storage_get(&sk_ids_local, (void *)sk, &fresh, create ? BPF_SK_STORAGE_GET_F_CREATE : 0);
		if (!id && create) /* another CPU created it first */
			id = bpf_sk_storage_get(&sk_ids_local, (void *)sk, 0, 0);
	} else {
		__u64 addr = (__u64)sk;
		long err;
		id = create ? lookup_or_try_init(&sk_ids, &addr, &fresh, &err) : bpf_map_lookup_elem(&sk_ids, &addr);
	}
	if (id && !id->born_ns)
		id->born_ns = now;
	return id;
}

static __always_inline struct ps_sk_id *sk_id(const struct sock *sk, __u64 now, const bool btf)
{
	return sk_id_get(sk, now, btf, true);
}

/* A free slot of an entry array: one user space gave back, else the next
 * never used. Handing the never used ones out here, not from a queue filled
 * at start, spares user space a system call per slot before the first event
 * (131,072 system calls at --max-sockets 131072); false when every slot is
 * in use. */
static __always_inline bool take_slot(void *queue, __u64 *handed_out, __u32 count, __u32 *slot)
{
	if (bpf_map_pop_elem(queue, slot) == 0)
		return true;
	/* A full map is seen with a plain read: every event of a connection
	 * without an entry asks again, and an atomic add each time would bounce
	 * the counter's cache line between CPUs under map pressure. */
	if (*(volatile __u64 *)handed_out >= count)
		return false;
	__u64 next = __sync_fetch_and_add(handed_out, 1);
	if (next >= count)
		return false;
	*slot = (__u32)next;
	return true;
}

/* The entry of the socket's current connection, created unless the
 * connection already ended (a late read of a closed socket must not start a
 * row that would never close). No free slot is counted: the connection once,
 * each of its events that finds no entry. */
static __always_inline struct ps_sock *create_sock(const struct ps_sock_key *key, struct ps_sk_id *id,
						   const struct sock *sk, const struct sk_info *info, __u64 now)
{
	if (id->flags & PS_SKF_CLOSED)
		return NULL;
	__u32 old = id->slot;
	struct ps_sock *s = sock_at(old, key);
	if (s)
		return s;
	__u32 zero = 0, slot;
	struct ps_sock *tmpl = bpf_map_lookup_elem(&zero_sock, &zero);
	if (!tmpl)
		return NULL;
	if (!take_slot(&free_socks, &socks_handed_out, sock_slot_count, &slot)) {
		if (!(id->flags & PS_SKF_LOST)) {
			__sync_fetch_and_or(&id->flags, PS_SKF_LOST);
			count(PS_CNT_SOCK_MAP_FULL);
		}
		count(PS_CNT_SOCK_EVENTS_LOST);
		return NULL;
	}
	s = bpf_map_lookup_elem(&socks, &slot);
	if (!s)
		return NULL; /* not a slot of this array: user space gave a bad one */
	/* A clean slot: user space zeroed it when it freed it, but an event of
	 * its old connection may have landed since. */
	bpf_probe_read_kernel(s, sizeof(*s), tmpl);
	s->slot = slot;
	s->first_seen_ns = key->born_ns;
	/* Not idle to user space, which may read the slot before the event
	 * that made it touches it. */
	s->last_ns = now;
	s->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	fill_addrs(s, sk, info);
	/* The key is what user space looks at: its birth first, then the
	 * socket, with an exchange (a full barrier), so a reader never sees a
	 * half-written key or the entry before its fields. */
	s->key.born_ns = key->born_ns;
	__sync_lock_test_and_set(&s->key.sk, key->sk);
	/* Two CPUs can see a new connection at once: the first to publish its
	 * slot in the identity wins, the other gives its slot back. */
	if (__sync_val_compare_and_swap(&id->slot, old, slot + 1) != old) {
		__sync_lock_test_and_set(&s->key.sk, 0);
		s->key.born_ns = 0;
		bpf_map_push_elem(&free_socks, &slot, 0);
		return sock_at(id->slot, key);
	}
	__sync_fetch_and_or(&id->flags, PS_SKF_HAD_ENTRY);
	return s;
}

/* The entry in the slot task identity id names, if it is still thread tid's. */
static __always_inline struct ps_thread *thread_at(const struct ps_task_id *id, __u32 tid)
{
	if (!id || !id->slot)
		return NULL;
	__u32 slot = id->slot - 1;
	struct ps_thread *t = bpf_map_lookup_elem(&threads, &slot); /* inlined: an array */
	if (!t || t->first_seen_ns != id->born_ns || t->tid != tid)
		return NULL;
	return t;
}

/* This CPU's cpu_thread (inlined: a per-CPU array). */
static __always_inline struct ps_cpu_thread *this_cpu_thread(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&cpu_thread, &zero);
}

/* The entry of thread tid if it is the one running on this CPU, as
 * sched_switch last recorded it in c; NULL when c says nothing about tid
 * (then look the task up). */
static __always_inline struct ps_thread *running_thread_in(const struct ps_cpu_thread *c, __u32 tid)
{
	if (!c || c->tid != tid || !tid || c->gen != resume_ns)
		return NULL;
	return thread_at(&c->id, tid);
}

static __always_inline struct ps_thread *running_thread(__u32 tid)
{
	return running_thread_in(this_cpu_thread(), tid);
}

/* sched_switch, switching thread tid in: what c says of this CPU from now on
 * (t NULL: no traced thread with an entry). Written only when it changes:
 * most switches on a machine are between untraced tasks. */
static __always_inline void set_running_thread(struct ps_cpu_thread *c, const struct ps_thread *t, __u32 tid)
{
	if (!c)
		return;
	if (!t) {
		if (c->tid)
			c->tid = 0;
		return;
	}
	c->id.born_ns = t->first_seen_ns;
	c->id.slot = t->slot + 1;
	c->tid = tid;
	c->gen = resume_ns;
}

/* The entry of task `task` (thread tid), never created here. tp_btf passes a
 * trusted task pointer and finds the identity in its local storage (about
 * half the cost of a hash lookup); raw_tp looks it up by tid. */
static __always_inline struct ps_thread *thread_of(struct task_struct *task, __u32 tid, const bool btf)
{
	const struct ps_task_id *id;
	if (btf)
		id = bpf_task_storage_get(&task_ids_local, task, 0, 0);
	else
		id = bpf_map_lookup_elem(&task_ids, &tid);
	return thread_at(id, tid);
}

/* The current thread's entry, never created here: every program type may
 * pass the current task to its local storage. */
static __always_inline struct ps_thread *current_thread(__u32 tid)
{
	struct ps_thread *t = running_thread(tid);
	if (t)
		return t;
	return thread_at(bpf_task_storage_get(&task_ids_local, bpf_get_current_task_btf(), 0, 0), tid);
}

/* The current thread's entry, created when it has none. Entries are created
 * only by their own thread, so two CPUs never race for one. No free slot
 * (or no memory for the identity) is counted, on each event that needed it. */
static __always_inline struct ps_thread *get_thread(__u32 tid, __u32 tgid, __u64 now)
{
	struct ps_thread *t = running_thread(tid);
	if (t)
		return t;
	struct ps_task_id *id = bpf_task_storage_get(&task_ids_local, bpf_get_current_task_btf(), 0,
						     BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!id) {
		count(PS_CNT_THREAD_MAP_FULL);
		return NULL;
	}
	t = thread_at(id, tid);
	if (t)
		return t;
	__u32 zero = 0, slot;
	struct ps_thread *tmpl = bpf_map_lookup_elem(&zero_thread, &zero);
	if (!tmpl)
		return NULL;
	if (!take_slot(&free_threads, &threads_handed_out, thread_slot_count, &slot)) {
		count(PS_CNT_THREAD_MAP_FULL);
		return NULL;
	}
	t = bpf_map_lookup_elem(&threads, &slot);
	if (!t)
		return NULL; /* not a slot of this array: user space gave a bad one */
	/* A clean slot (user space zeroed it when it freed it). */
	bpf_probe_read_kernel(t, sizeof(*t), tmpl);
	t->slot = slot;
	t->tid = tid;
	t->tgid = tgid;
	bpf_get_current_comm(&t->comm, sizeof(t->comm));
	/* first_seen_ns is what user space looks at: set last, with an exchange
	 * (a full barrier), so it never sees the entry before its fields. */
	__sync_lock_test_and_set(&t->first_seen_ns, now);
	id->born_ns = now;
	id->slot = slot + 1;
	struct ps_task_id copy = *id;
	bpf_map_update_elem(&task_ids, &tid, &copy, BPF_ANY); /* full: raw_tp programs miss it */
	return t;
}

/* ---- sock family -------------------------------------------------------- */

static __always_inline int on_sk_data_ready(const struct sock *sk, const bool btf)
{
	struct sk_info info;
	count(PS_CNT_EVENTS);
	if (!read_sk_info(sk, &info, btf) || !port_ok(info.sport, info.dport))
		return 0;
	__u32 zero = 0;
	struct ps_last_ready *lr = bpf_map_lookup_elem(&last_ready, &zero);
	/* The identity is looked up before the clock is read: a socket whose
	 * reader is outside the owner filter stops here (one clock read is a
	 * quarter of this program's cost). */
	struct ps_sk_id *id = sk_id_get(sk, 0, btf, false);
	if (id && (id->flags & PS_SKF_FOREIGN) && owner_filter_active()) {
		if (lr)
			lr->sk.key.sk = 0; /* a wakeup now is not one of ours to attribute */
		return 0;
	}
	__u64 now = bpf_ktime_get_ns();
	if (!id)
		id = sk_id(sk, now, btf);
	if (!id)
		return 0;
	struct ps_sock_key key = {.sk = (__u64)sk, .born_ns = id->born_ns};
	struct ps_sock *s = sock_at(id->slot, &key);
	if (!s) {
		if (owner_filter_active()) {
			struct ps_unowned *u = bpf_map_lookup_elem(&unowned_ready, &key);
			if (u) {
				if (!u->ready_ns)
					u->ready_ns = now;
			} else if (!(id->flags & PS_SKF_CLOSED)) {
				/* An LRU makes room; -EEXIST is another CPU's insert of the
				 * same key, not a loss. */
				struct ps_unowned fresh = {.ready_ns = now};
				long err = bpf_map_update_elem(&unowned_ready, &key, &fresh, BPF_NOEXIST);
				if (err != 0 && err != -EEXIST)
					count(PS_CNT_PENDING_MAP_FULL);
			}
		} else {
			s = create_sock(&key, id, sk, &info, now);
		}
	}
	if (s) {
		count(PS_CNT_SOCK_EVENTS);
		__sync_fetch_and_add(&s->ready, 1);
		if (!s->pending_ready_ns)
			s->pending_ready_ns = now;
		touch_sock(s, now);
	}
	if (lr) {
		lr->sk.key = key;
		lr->sk.slot = id->slot;
		lr->ts_ns = now;
		lr->waker_tid = (__u32)bpf_get_current_pid_tgid();
	}
	return 0;
}

/* A read by a task outside the owner filter: its socket is marked foreign
 * (once), and what softirq kept of it for an owner to come is let go. Not a
 * socket with an entry: a kept task owns it (another thread of the server
 * under --comm, a child not followed), and its readiness stays counted. */
static __always_inline void mark_foreign(const struct sock *sk, const bool btf)
{
	if (!owner_filter_active())
		return;
	__u16 family = ARG_READ(btf, sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return;
	struct ps_sk_id *id = sk_id_get(sk, 0, btf, false);
	if (!id || id->slot || (id->flags & PS_SKF_FOREIGN))
		return;
	__sync_fetch_and_or(&id->flags, PS_SKF_FOREIGN);
	struct ps_sock_key key = {.sk = (__u64)sk, .born_ns = id->born_ns};
	bpf_map_delete_elem(&unowned_ready, &key);
}

/* The clock, read once per program at most, and only when needed. */
static __always_inline __u64 clock_once(__u64 *now)
{
	if (!*now)
		*now = bpf_ktime_get_ns();
	return *now;
}

/* The task running recv/send owns the socket. Returns its entry, creating it
 * (and its thread) when the task passes the filters: the caller touches the
 * entry (touch_sock) after its own writes. *tid_out is the task's tid (the
 * read's stage split needs it: one helper call less). */
static __always_inline struct ps_sock *owned_sock(const struct sock *sk, const bool btf, bool is_read,
						  __u64 *now_out, __u32 *tid_out)
{
	/* The pid test first: it needs no kernel reads, and with a pid filter most
	 * sends and receives on the machine (a traced server's clients included)
	 * are someone else's. The comm is read only when a filter or a new owner
	 * needs it, the clock only once the event is kept. */
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid;
	*tid_out = tid;
	if (!pid_ok(tgid)) {
		if (is_read && tgid != self_tgid)
			mark_foreign(sk, btf);
		return NULL;
	}
	struct sk_info info;
	if (!read_sk_info(sk, &info, btf) || !port_ok(info.sport, info.dport))
		return NULL;
	if (filter_comm) {
		char comm[PS_COMM_LEN];
		bpf_get_current_comm(&comm, sizeof(comm));
		if (!comm_ok(comm)) {
			if (is_read)
				mark_foreign(sk, btf);
			return NULL;
		}
	}
	/* The clock only for what needs it: a new identity or entry, a new
	 * owner's thread (the caller reads it for a readiness the read ends). */
	struct ps_sk_id *id = sk_id_get(sk, 0, btf, false);
	if (!id || !id->born_ns)
		id = sk_id(sk, clock_once(now_out), btf);
	if (!id)
		return NULL;
	if (id->flags & PS_SKF_FOREIGN)
		__sync_fetch_and_and(&id->flags, ~PS_SKF_FOREIGN);
	struct ps_sock_key key = {.sk = (__u64)sk, .born_ns = id->born_ns};
	struct ps_sock *s = sock_at(id->slot, &key);
	if (!s) {
		s = create_sock(&key, id, sk, &info, clock_once(now_out));
		if (owner_filter_active()) {
			/* What softirq saw of this connection before its owner did:
			 * the owner has it now (or, with the map full, nobody will). */
			struct ps_unowned *u = bpf_map_lookup_elem(&unowned_ready, &key);
			if (u) {
				if (s) {
					if (u->ready_ns) {
						s->pending_ready_ns = u->ready_ns;
						__sync_fetch_and_add(&s->ready, 1);
						count(PS_CNT_SOCK_EVENTS);
					}
					if (u->open_ns && !s->open_ns)
						s->open_ns = u->open_ns;
					if (u->origin && !s->origin)
						s->origin = u->origin;
				} else if (u->ready_ns && !(id->flags & PS_SKF_CLOSED)) {
					count(PS_CNT_SOCK_EVENTS_LOST);
				}
				bpf_map_delete_elem(&unowned_ready, &key);
			}
		}
		if (!s)
			return NULL;
	}
	if (s->tgid != tgid || s->tid != tid) {
		s->tgid = tgid;
		s->tid = tid;
		bpf_get_current_comm(&s->comm, sizeof(s->comm));
		/* A new reader or writer: make sure its thread is tracked. The same
		 * thread again needs no lookup (an evicted thread entry comes back
		 * with its next wait call). */
		get_thread(tid, tgid, clock_once(now_out));
	}
	if (!s->inode)
		s->inode = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
	if (!s->dport || !s->sport)
		fill_addrs(s, sk, &info);
	count(PS_CNT_SOCK_EVENTS);
	return s;
}

static __always_inline int on_recv_length(const struct sock *sk, int ret, const bool btf)
{
	count(PS_CNT_EVENTS);
	__u64 now = 0;
	__u32 tid;
	struct ps_sock *s = owned_sock(sk, btf, true, &now, &tid);
	if (!s)
		return 0;
	if (ret > 0) {
		__sync_fetch_and_add(&s->reads, 1);
		__sync_fetch_and_add(&s->read_bytes, ret);
		__u64 ready_ns = s->pending_ready_ns;
		if (ready_ns) {
			s->pending_ready_ns = 0;
			clock_once(&now);
			if (now > ready_ns && ready_ns >= resume_ns) {
				hist_add(&s->ready_to_read, now - ready_ns);
				if (stages_on) {
					struct ps_thread *t = current_thread(tid);
					if (t)
						split_readiness(t, &s->stages, ready_ns, now);
					else
						count(PS_CNT_STAGE_UNSPLIT);
				}
			}
		}
	} else if (ret == -EAGAIN) {
		__sync_fetch_and_add(&s->eagain, 1);
	}
	touch_sock(s, now);
	return 0;
}

static __always_inline int on_send_length(const struct sock *sk, int ret, const bool btf)
{
	count(PS_CNT_EVENTS);
	__u64 now = 0;
	__u32 tid;
	struct ps_sock *s = owned_sock(sk, btf, false, &now, &tid);
	if (!s)
		return 0;
	if (ret > 0) {
		__sync_fetch_and_add(&s->writes, 1);
		__sync_fetch_and_add(&s->write_bytes, ret);
	}
	touch_sock(s, now);
	return 0;
}

/* A transition that starts a new connection on this socket: connect(),
 * listen(), the first transition of a child accepted from a listener, or any
 * live state on a socket whose last connection ended (an address reused
 * unseen, on the raw_tp fallback). */
static __always_inline bool is_birth(const struct ps_sk_id *id, int oldstate, int newstate)
{
	if (newstate == PS_TCP_CLOSE)
		return false;
	return newstate == PS_TCP_SYN_SENT || newstate == PS_TCP_SYN_RECV || newstate == PS_TCP_LISTEN ||
	       oldstate == PS_TCP_LISTEN || (id->flags & PS_SKF_CLOSED);
}

static __always_inline __u8 origin_of(int oldstate, int newstate)
{
	if (newstate == PS_TCP_SYN_SENT)
		return PS_ORIGIN_CONNECT;
	if (newstate == PS_TCP_LISTEN)
		return PS_ORIGIN_LISTEN;
	if (newstate == PS_TCP_SYN_RECV || oldstate == PS_TCP_LISTEN)
		return PS_ORIGIN_ACCEPT;
	return PS_ORIGIN_UNKNOWN;
}

static __always_inline int on_set_state(const struct sock *sk, int oldstate, int newstate,
					const bool btf)
{
	struct sk_info info;
	count(PS_CNT_EVENTS);
	if (!read_sk_info(sk, &info, btf) || info.protocol != IPPROTO_TCP)
		return 0;
	/* The port filter decides which connections get an entry, not which
	 * transitions reach one: on the way to CLOSE the kernel releases the
	 * local port (skc_num is 0 here), and the entry must still close. */
	bool wanted = port_ok(info.sport, info.dport);
	__u64 now = bpf_ktime_get_ns();
	struct ps_sk_id *id = sk_id_get(sk, now, btf, wanted);
	if (!id)
		return 0;
	bool birth = wanted && is_birth(id, oldstate, newstate);
	if (birth) {
		/* A new key: the previous connection's entry (closed, or to be
		 * aged out by user space) keeps its final numbers. */
		id->born_ns = now;
		id->flags = 0;
		id->slot = 0;
	}
	struct ps_sock_key key = {.sk = (__u64)sk, .born_ns = id->born_ns};
	struct ps_sock *s = sock_at(id->slot, &key);
	if (!s && !wanted)
		return 0;
	if (!s) {
		if (newstate == PS_TCP_CLOSE && (id->flags & PS_SKF_HAD_ENTRY)) {
			/* Its entry was aged out by user space while idle: a stub
			 * entry carries the close, so its row ends CLOSE. */
			s = create_sock(&key, id, sk, &info, now);
			if (!s)
				return 0;
		} else if (newstate == PS_TCP_CLOSE) {
			/* Nothing of ours to finish; an owner filter may hold its
			 * softirq-side state. */
			__sync_fetch_and_or(&id->flags, PS_SKF_CLOSED);
			if (owner_filter_active())
				bpf_map_delete_elem(&unowned_ready, &key);
			return 0;
		}
	}
	if (!s) {
		if (owner_filter_active()) {
			/* Only connect() runs in the owner's context (SYN_SENT); an
			 * accepted connection waits for its owner's first read or write
			 * (owned_sock), with its open time kept here. */
			__u64 pid_tgid = bpf_get_current_pid_tgid();
			char comm[PS_COMM_LEN];
			bpf_get_current_comm(&comm, sizeof(comm));
			if (newstate != PS_TCP_SYN_SENT || !pid_ok(pid_tgid >> 32) || !comm_ok(comm)) {
				struct ps_unowned *u = bpf_map_lookup_elem(&unowned_ready, &key);
				if (!u) {
					struct ps_unowned fresh = {.origin = birth ? origin_of(oldstate, newstate) : 0};
					bpf_map_update_elem(&unowned_ready, &key, &fresh, BPF_NOEXIST);
					u = bpf_map_lookup_elem(&unowned_ready, &key);
				}
				if (u && newstate == PS_TCP_ESTABLISHED && !u->open_ns)
					u->open_ns = now;
				return 0;
			}
			s = create_sock(&key, id, sk, &info, now);
			if (s) {
				s->tgid = pid_tgid >> 32;
				s->tid = (__u32)pid_tgid;
				__builtin_memcpy(s->comm, comm, sizeof(comm));
				/* owned_sock() adds the thread only when the reader changes. */
				get_thread(s->tid, s->tgid, now);
			}
		} else {
			s = create_sock(&key, id, sk, &info, now);
		}
		if (!s)
			return 0;
		if (birth)
			s->origin = origin_of(oldstate, newstate);
	}
	count(PS_CNT_SOCK_EVENTS);
	s->state = newstate;
	if (newstate == PS_TCP_ESTABLISHED) {
		if (!s->open_ns)
			s->open_ns = now;
		fill_addrs(s, sk, &info);
	} else if (newstate == PS_TCP_CLOSE) {
		if (!s->close_ns)
			s->close_ns = now;
		__sync_fetch_and_or(&id->flags, PS_SKF_CLOSED);
	}
	touch_sock(s, now);
	return 0;
}

SEC("tp_btf/sk_data_ready")
int BPF_PROG(btf_sk_data_ready, const struct sock *sk) { return on_sk_data_ready(sk, true); }
SEC("raw_tp/sk_data_ready")
int BPF_PROG(raw_sk_data_ready, const struct sock *sk) { return on_sk_data_ready(sk, false); }

SEC("tp_btf/sock_recv_length")
int BPF_PROG(btf_sock_recv_length, struct sock *sk, int ret, int flags) { return on_recv_length(sk, ret, true); }
SEC("raw_tp/sock_recv_length")
int BPF_PROG(raw_sock_recv_length, struct sock *sk, int ret, int flags) { return on_recv_length(sk, ret, false); }

SEC("tp_btf/sock_send_length")
int BPF_PROG(btf_sock_send_length, struct sock *sk, int ret, int flags) { return on_send_length(sk, ret, true); }
SEC("raw_tp/sock_send_length")
int BPF_PROG(raw_sock_send_length, struct sock *sk, int ret, int flags) { return on_send_length(sk, ret, false); }

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(btf_inet_sock_set_state, const struct sock *sk, int oldstate, int newstate)
{ return on_set_state(sk, oldstate, newstate, true); }
SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(raw_inet_sock_set_state, const struct sock *sk, int oldstate, int newstate)
{ return on_set_state(sk, oldstate, newstate, false); }

/* ---- sched family ------------------------------------------------------- */

static __always_inline int on_sched_waking(struct task_struct *p, const bool btf)
{
	count(PS_CNT_EVENTS);
	__u32 tid = ARG_READ(btf, p, pid);
	__u32 tgid = ARG_READ(btf, p, tgid);
	if (!pid_ok(tgid))
		return 0;
	if (filter_comm) {
		char comm[PS_COMM_LEN];
		bpf_probe_read_kernel_str(&comm, sizeof(comm), &p->comm);
		if (!comm_ok(comm))
			return 0;
	}
	__u64 now = bpf_ktime_get_ns();
	struct ps_sock_ref sk = {};
	__u32 zero = 0;
	struct ps_last_ready *lr = bpf_map_lookup_elem(&last_ready, &zero);
	if (lr && lr->sk.key.sk && now - lr->ts_ns < PS_WAKE_WINDOW_NS &&
	    lr->waker_tid == (__u32)bpf_get_current_pid_tgid())
		sk = lr->sk;
	struct ps_thread *t = thread_of(p, tid, btf);
	if (!t && !sk.key.sk)
		return 0; /* neither a tracked thread nor a socket wakeup */
	if (sk.key.sk) {
		struct ps_sock *s = sock_at(sk.slot, &sk.key);
		if (s) {
			__sync_fetch_and_add(&s->wakeups, 1);
			touch_sock(s, now);
		}
	}
	if (t) {
		__sync_fetch_and_add(&t->wakeups, 1);
		if (sk.key.sk)
			__sync_fetch_and_add(&t->sock_wakeups, 1);
		t->wake_sk = sk;
		t->wake_ts_ns = now;
		return 0;
	}
	struct ps_wake w = {.ts_ns = now, .sk = sk};
	long err = bpf_map_update_elem(&wakes, &tid, &w, BPF_NOEXIST);
	if (err == 0)
		__sync_fetch_and_add(&wakes_pending, 1);
	else if (err != -EEXIST || bpf_map_update_elem(&wakes, &tid, &w, BPF_EXIST) != 0)
		count(PS_CNT_WAKE_MAP_FULL);
	return 0;
}

static __always_inline int on_sched_switch(bool preempt, struct task_struct *prev,
					   struct task_struct *next, unsigned int prev_state, const bool btf)
{
	count(PS_CNT_EVENTS);
	/* Threads outside the pid filter have no entries: with a short pid list
	 * they are skipped without a lookup. */
	__u32 prev_tid = ARG_READ(btf, prev, pid);
	__u64 now = 0; /* read once, when first needed: a clock read is a third of this program */
	struct ps_cpu_thread *running = this_cpu_thread();
	if (pid_ok(ARG_READ(btf, prev, tgid))) {
		/* prev is the thread this CPU ran: found without a lookup when
		 * its switch-in was seen. */
		struct ps_thread *t = running_thread_in(running, prev_tid);
		if (!t)
			t = thread_of(prev, prev_tid, btf);
		if (t) {
			if (preempt || prev_state == 0 /* TASK_RUNNING */) {
				__sync_fetch_and_add(&t->invol_switches, 1);
			} else {
				__sync_fetch_and_add(&t->vol_switches, 1);
				/* A new sleep: the stages of a readiness during it
				 * start here (bpf/stages.h). */
				now = bpf_ktime_get_ns();
				t->sleep_ns = now;
				t->woken_ns = 0;
				t->oncpu_ns = 0;
			}
		}
	}
	__u32 next_tid = ARG_READ(btf, next, pid);
	if (!pid_ok(ARG_READ(btf, next, tgid))) {
		set_running_thread(running, NULL, 0);
		return 0;
	}
	struct ps_thread *t = thread_of(next, next_tid, btf);
	set_running_thread(running, t, next_tid);
	__u64 woken = 0;
	struct ps_sock_ref sk = {};
	if (t && t->wake_ts_ns) {
		woken = t->wake_ts_ns;
		sk = t->wake_sk;
		t->wake_ts_ns = 0;
	} else if (wakes_pending) {
		struct ps_wake *w = bpf_map_lookup_elem(&wakes, &next_tid);
		if (!w)
			return 0;
		woken = w->ts_ns;
		sk = w->sk;
		if (bpf_map_delete_elem(&wakes, &next_tid) == 0)
			__sync_fetch_and_sub(&wakes_pending, 1);
	} else {
		return 0;
	}
	if (!now)
		now = bpf_ktime_get_ns();
	__u64 delta = now > woken ? now - woken : 0;
	bool sample = woken >= resume_ns; /* not a waking from before a pause */
	if (t) {
		if (sample)
			hist_add(&t->runq, delta);
		/* The waking and the switch that end the last sleep, both set
		 * here, in the thread's own switch-in: sched_waking can fire on
		 * the waker's CPU before the switch-out that records the sleep
		 * (try_to_wake_up traces before it waits for on_cpu), so a
		 * waking older than the sleep counts from the sleep. */
		if (t->sleep_ns && !t->oncpu_ns) {
			t->woken_ns = woken > t->sleep_ns ? woken : t->sleep_ns;
			t->oncpu_ns = now;
		}
	}
	if (sk.key.sk && sample) {
		struct ps_sock *s = sock_at(sk.slot, &sk.key);
		if (s) {
			hist_add(&s->wake_to_run, delta);
			touch_sock(s, now);
		}
	}
	return 0;
}

static __always_inline int on_process_fork(struct task_struct *parent, struct task_struct *child)
{
	if (!follow_children || !filter_pid)
		return 0;
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	if (!bpf_map_lookup_elem(&filter_pids, &ptgid))
		return 0;
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;
	if (bpf_map_update_elem(&filter_pids, &ctgid, &one, BPF_ANY) != 0)
		count(PS_CNT_FILTER_MAP_FULL);
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(btf_sched_waking, struct task_struct *p) { return on_sched_waking(p, true); }
SEC("raw_tp/sched_waking")
int BPF_PROG(raw_sched_waking, struct task_struct *p) { return on_sched_waking(p, false); }

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{ return on_sched_switch(preempt, prev, next, prev_state, true); }
SEC("raw_tp/sched_switch")
int BPF_PROG(raw_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{ return on_sched_switch(preempt, prev, next, prev_state, false); }

SEC("tp_btf/sched_process_fork")
int BPF_PROG(btf_sched_process_fork, struct task_struct *parent, struct task_struct *child)
{ return on_process_fork(parent, child); }
SEC("raw_tp/sched_process_fork")
int BPF_PROG(raw_sched_process_fork, struct task_struct *parent, struct task_struct *child)
{ return on_process_fork(parent, child); }

/* ---- softirq family ----------------------------------------------------- */

/* Not counted in PS_CNT_EVENTS: each run of a vector is an entry and an exit,
 * so user space adds the runs it reads here once per program attached. The
 * counter's add measured 37 to 83 ns dearer at softirq_entry (three runs),
 * and 60 ns in bench/helpers/floor.bpf.c's least program with the same
 * per-CPU array add (a plain global indexed by CPU added 6): why, not found. */
static __always_inline int on_softirq(unsigned int vec, bool entry)
{
	if (vec >= PS_NR_SOFTIRQS)
		return 0;
	__u32 zero = 0;
	struct ps_softirq *st = bpf_map_lookup_elem(&softirqs, &zero);
	if (!st)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	if (entry) {
		st->start_ns[vec] = now;
		st->count[vec]++;
	} else if (st->start_ns[vec]) {
		/* An entry from before a pause (export --duty) is no time of
		 * this run: the exit would add the whole pause. */
		if (st->start_ns[vec] >= resume_ns)
			st->time_ns[vec] += now - st->start_ns[vec];
		st->start_ns[vec] = 0;
	}
	return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(btf_softirq_entry, unsigned int vec) { return on_softirq(vec, true); }
SEC("raw_tp/softirq_entry")
int BPF_PROG(raw_softirq_entry, unsigned int vec) { return on_softirq(vec, true); }
SEC("tp_btf/softirq_exit")
int BPF_PROG(btf_softirq_exit, unsigned int vec) { return on_softirq(vec, false); }
SEC("raw_tp/softirq_exit")
int BPF_PROG(raw_softirq_exit, unsigned int vec) { return on_softirq(vec, false); }

/* ---- syscalls family ---------------------------------------------------- */

static __always_inline int wait_enter(__u32 kind)
{
	count(PS_CNT_EVENTS);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid;
	if (!pid_ok(tgid))
		return 0;
	if (filter_comm) {
		char comm[PS_COMM_LEN];
		bpf_get_current_comm(&comm, sizeof(comm));
		if (!comm_ok(comm))
			return 0;
	}
	__u64 now = bpf_ktime_get_ns();
	struct ps_thread *t = get_thread(tid, tgid, now);
	if (!t)
		return 0;
	t->wait_start_ns = now;
	t->wait_kind = kind;
	return 0;
}

static __always_inline int wait_exit(long ret)
{
	count(PS_CNT_EVENTS);
	/* Tasks outside a short pid list stop before the storage lookup (a
	 * traced server's clients make as many wait calls as it does). */
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (pid_list_len && !pid_ok(pid_tgid >> 32))
		return 0;
	struct ps_thread *t = current_thread((__u32)pid_tgid);
	if (!t || !t->wait_start_ns)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	__u64 start = t->wait_start_ns;
	__u32 kind = t->wait_kind;
	t->wait_start_ns = 0;
	if (kind >= PS_WAIT_KINDS)
		return 0;
	/* Written only here, in the thread's own context: plain adds. */
	struct ps_wait_stats *w = &t->wait[kind];
	w->calls += 1;
	if (ret > 0)
		w->events += ret;
	else if (ret == 0)
		w->zero += 1;
	else
		w->errors += 1;
	hist_add_own(&w->blocked, now > start ? now - start : 0);
	/* The cycle this return ends, for the stages of readiness events read
	 * later; its sleep counts only if it began inside this call. */
	struct ps_cycle *c = &t->ring[t->cycles & (PS_CYCLES - 1)];
	t->lost_ret_ns = c->ret_ns; /* the cycle this one overwrites */
	bool slept = t->sleep_ns >= start && t->oncpu_ns;
	c->enter_ns = start;
	c->sleep_ns = slept ? t->sleep_ns : 0;
	c->wake_ns = slept ? t->woken_ns : 0;
	c->oncpu_ns = slept ? t->oncpu_ns : 0;
	c->ret_ns = now;
	t->cycles++;
	return 0;
}

/* A perf-event tracepoint reads its BPF program's return value: 0 drops the
 * event for every other perf listener on it (perf stat, perf record, another
 * tracer), so these programs always let it through. With no other listener
 * the kernel stops there: passing costs nothing. */
#define PS_PASS_EVENT 1

#define WAIT_SYSCALL(call, kind)                                                   \
	SEC("tracepoint/syscalls/sys_enter_" #call)                                \
	int enter_##call(void *ctx)                                                \
	{                                                                          \
		wait_enter(kind);                                                  \
		return PS_PASS_EVENT;                                              \
	}                                                                          \
	SEC("tracepoint/syscalls/sys_exit_" #call)                                 \
	int exit_##call(struct trace_event_raw_sys_exit *ctx)                      \
	{                                                                          \
		wait_exit(ctx->ret);                                               \
		return PS_PASS_EVENT;                                              \
	}

WAIT_SYSCALL(epoll_wait, PS_WAIT_EPOLL)
WAIT_SYSCALL(epoll_pwait, PS_WAIT_EPOLL)
WAIT_SYSCALL(epoll_pwait2, PS_WAIT_EPOLL)
WAIT_SYSCALL(poll, PS_WAIT_POLL)
WAIT_SYSCALL(ppoll, PS_WAIT_POLL)
WAIT_SYSCALL(select, PS_WAIT_SELECT)
WAIT_SYSCALL(pselect6, PS_WAIT_SELECT)
