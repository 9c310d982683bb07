/* The filters every probe applies, set by user space between open and load
 * (core/probe/probe_set.cpp): pid (with a short read-only list checked
 * without a map lookup), local or remote port, command name. Included once,
 * by pollscope.bpf.c: the globals and maps below belong to that object. */
#ifndef POLLSCOPE_BPF_FILTER_BPF_H
#define POLLSCOPE_BPF_FILTER_BPF_H

#include "common.h"

/* Set by user space between open and load. */
const volatile __u32 self_tgid = 0;
const volatile bool filter_pid = false;    /* filter_pids holds the tgids to keep */
const volatile bool filter_port = false;   /* filter_ports holds local or remote ports */
const volatile bool filter_comm = false;
const volatile char comm_filter[PS_COMM_LEN] = {};
const volatile bool follow_children = false; /* forked children of kept tgids are kept */
/* A short, fixed pid filter (no children followed) is also copied here: a
 * read-only array is checked without a map lookup on every event. */
#define PS_PID_LIST 8
const volatile __u32 pid_list[PS_PID_LIST] = {};
const volatile __u32 pid_list_len = 0;


struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} filter_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u8);
} filter_ports SEC(".maps");

static __always_inline bool pid_ok(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if (!filter_pid)
		return true;
	if (pid_list_len) {
#pragma unroll
		for (int i = 0; i < PS_PID_LIST; i++)
			if (i < pid_list_len && pid_list[i] == tgid)
				return true;
		return false;
	}
	return bpf_map_lookup_elem(&filter_pids, &tgid) != NULL;
}

static __always_inline bool comm_ok(const char *comm)
{
	if (!filter_comm)
		return true;
	for (int i = 0; i < PS_COMM_LEN; i++) {
		if (comm[i] != comm_filter[i])
			return false;
		if (comm[i] == 0)
			break;
	}
	return true;
}

static __always_inline bool owner_filter_active(void)
{
	return filter_pid || filter_comm;
}

static __always_inline bool port_ok(__u16 sport, __u16 dport)
{
	if (!filter_port)
		return true;
	return bpf_map_lookup_elem(&filter_ports, &sport) || bpf_map_lookup_elem(&filter_ports, &dport);
}


#endif
