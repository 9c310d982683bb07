/* Probe family "sock": per-connection state, identified by the kernel socket
 * address plus the connection's birth time (struct ps_sock_key): the kernel
 * reuses a freed socket's address at once, so the address alone would merge
 * connections. Counters are cumulative since the connection was first seen;
 * user space takes deltas per interval.
 *
 * Entries live in the slots of an array that user space maps into its memory
 * (no copy, no system call to read one). The socket's identity (struct
 * ps_sk_id, in socket local storage) holds its connection's slot, so an event
 * reaches its entry without hashing; the key stored in the slot confirms it.
 * Free slots wait in a queue: the programs take one for a new connection,
 * user space gives it back when it deletes the entry. */
#ifndef POLLSCOPE_BPF_SOCK_H
#define POLLSCOPE_BPF_SOCK_H

#include "common.h"
#include "stages.h"

/* The connection: its socket and its birth. */
struct ps_sock_key {
	__u64 sk;       /* kernel socket address */
	__u64 born_ns;  /* birth (SYN_SENT, SYN_RECV, listen) or first sight */
};

/* A connection and the slot of its entry (a wakeup remembers it until the
 * switch that ends it). */
struct ps_sock_ref {
	struct ps_sock_key key;
	__u32 slot;     /* its entry's slot + 1, as in struct ps_sk_id; 0 if none */
	__u32 __pad;
};

struct ps_sock {
	struct ps_sock_key key; /* the connection in this slot; key.sk is 0 while the slot is free */
	__u32 slot;             /* this slot's index */
	__u32 __pad0;
	__u64 inode;            /* socket inode (links to /proc/PID/fd), 0 until an owner is seen */
	__u64 first_seen_ns;    /* bpf_ktime_get_ns() when the entry was created */
	__u64 open_ns;          /* when it entered ESTABLISHED, 0 if not seen */
	__u64 close_ns;         /* when it entered CLOSE, 0 while open */
	__u64 last_ns;          /* last event on it */
	__u64 pending_ready_ns; /* first sk_data_ready since the last successful read, 0 if none */
	__u64 ready;            /* sk_data_ready events */
	__u64 reads;            /* sock_recv_length with ret > 0 */
	__u64 read_bytes;
	__u64 eagain;           /* sock_recv_length with ret == -EAGAIN */
	__u64 writes;           /* sock_send_length with ret > 0 */
	__u64 write_bytes;
	__u64 wakeups;          /* sched_waking attributed to this socket's readiness */
	struct ps_hist ready_to_read;
	struct ps_hist wake_to_run;
	struct ps_stages stages;  /* ready_to_read split into stages */
	__u32 tgid;             /* owner: process of the last task that read, wrote or polled it */
	__u32 tid;              /* last reader */
	char comm[PS_COMM_LEN]; /* owner's command name */
	__u32 saddr4, daddr4;   /* IPv4, network byte order */
	__u8 saddr6[16], daddr6[16];
	__u16 family;           /* AF_INET / AF_INET6 */
	__u16 protocol;         /* IPPROTO_TCP / IPPROTO_UDP */
	__u16 sport, dport;     /* host byte order */
	__u8 state;             /* TCP state (TCP_ESTABLISHED = 1, ...) */
	__u8 origin;            /* enum ps_origin: how the connection was born */
	__u8 __pad[2];
	__u32 __pad1;
};

/* How a connection started, when its birth was seen. */
enum ps_origin {
	PS_ORIGIN_UNKNOWN = 0, /* existed before tracing, or UDP */
	PS_ORIGIN_CONNECT = 1, /* connect(): -> SYN_SENT */
	PS_ORIGIN_ACCEPT = 2,  /* accepted: LISTEN -> SYN_RECV (child of a listener) */
	PS_ORIGIN_LISTEN = 3,  /* listen(): -> LISTEN */
};

/* What the probes remember of a socket itself, whether or not it has an
 * entry: socket local storage on tp_btf (dies with the socket), a hash keyed
 * by address on the raw_tp fallback. */
struct ps_sk_id {
	__u64 born_ns;  /* the current connection's birth; part of its key */
	__u32 flags;    /* PS_SKF_* */
	__u32 slot;     /* its entry's slot + 1; 0 before it has one */
};
#define PS_SKF_CLOSED 1u /* the connection reached CLOSE: its entry is final, no new one */
#define PS_SKF_LOST 2u   /* the socks map was full when it needed an entry (counted once) */
#define PS_SKF_HAD_ENTRY 4u /* the connection had an entry (user space may age it out while idle) */
/* Under an owner filter: read by a task outside it while it had no entry
 * (the traced server's clients, on loopback). Its readiness is not kept for
 * an owner to come: the sk_data_ready that runs in the traced server's
 * context, on every reply it sends, stops after this flag. A read or write
 * by a kept task clears it. */
#define PS_SKF_FOREIGN 8u

/* What is known of a socket before its owner is: kept only while an owner
 * filter is active (the softirq that makes it ready or established does not
 * run as the owner). */
struct ps_unowned {
	__u64 ready_ns; /* first sk_data_ready not yet read, 0 if none */
	__u64 open_ns;  /* when it became ESTABLISHED, 0 if not seen */
	__u32 origin;   /* enum ps_origin */
	__u32 __pad;
};

/* Per CPU: the socket most recently made readable on this CPU, read by
 * sched_waking to attribute the wakeup it causes. */
struct ps_last_ready {
	struct ps_sock_ref sk;
	__u64 ts_ns;
	__u32 waker_tid;
	__u32 __pad;
};

#endif
