// How far into an entry array (socket or thread entries, bpf/sock.h and
// bpf/syscalls.h) the programs have handed out slots: the never used ones go
// out in order (take_slot, bpf/pollscope.bpf.c), so every entry sits below
// that count, and a pass over the slots can stop there.
#pragma once
#include <linux/types.h>

#include <cstdint>

namespace pollscope {

// The slots below which every entry of an array of `count` is, from the
// programs' count of slots handed out (the arrays' .bss counters; a full map
// counts its failed attempts past the end); every slot when there is no count.
inline uint32_t slots_handed_out(const __u64* handed_out, uint32_t count) {
  if (!handed_out) return count;
  const __u64 n = __atomic_load_n(handed_out, __ATOMIC_ACQUIRE);
  return n < count ? static_cast<uint32_t>(n) : count;
}

}  // namespace pollscope
