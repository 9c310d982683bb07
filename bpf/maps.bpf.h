/* Map helpers (as libbpf-tools' maps.bpf.h). */
#ifndef POLLSCOPE_BPF_MAPS_BPF_H
#define POLLSCOPE_BPF_MAPS_BPF_H

#include <bpf/bpf_helpers.h>

#ifndef EEXIST
#define EEXIST 17
#endif

/* The value at key, created from init when absent. NULL when it could not be
 * created; *err then holds why (-E2BIG: a plain hash map is full). Two CPUs
 * creating the same key both get the one entry. */
static __always_inline void *lookup_or_try_init(void *map, const void *key, const void *init, long *err)
{
	void *val = bpf_map_lookup_elem(map, key);
	*err = 0;
	if (val)
		return val;
	long e = bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	if (e != 0 && e != -EEXIST) {
		*err = e;
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

#endif
