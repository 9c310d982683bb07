#include "core/trace/thread_slots.hpp"

#include <bpf/bpf.h>

#include <cstring>

namespace pollscope {

static_assert(sizeof(ps_thread) % 8 == 0, "ps_thread is the array's stride: 8-byte padded");

ThreadSlots::ThreadSlots(const probe::MapFds& maps)
    : slots_(static_cast<ps_thread*>(maps.thread_slots)),
      count_(maps.thread_slots ? maps.thread_slot_count : 0),
      task_ids_fd_(maps.task_ids),
      recycler_(maps.free_threads) {}

bool ThreadSlots::read(uint32_t slot, ps_thread* out) const {
  if (slot >= count_) return false;
  if (__atomic_load_n(&slots_[slot].first_seen_ns, __ATOMIC_ACQUIRE) == 0) return false;
  std::memcpy(out, &slots_[slot], sizeof(*out));
  return out->first_seen_ns != 0 && holds(slot, *out);
}

bool ThreadSlots::holds(uint32_t slot, const ps_thread& entry) const {
  if (slot >= count_) return false;
  const ps_thread& e = slots_[slot];
  return __atomic_load_n(&e.first_seen_ns, __ATOMIC_ACQUIRE) == entry.first_seen_ns &&
         __atomic_load_n(&e.tid, __ATOMIC_ACQUIRE) == entry.tid;
}

void ThreadSlots::release(uint32_t slot, const ps_thread& entry) {
  if (!holds(slot, entry)) return;
  ps_thread& e = slots_[slot];
  // first_seen_ns first: an event of the thread from now on finds no entry.
  __atomic_store_n(&e.first_seen_ns, 0, __ATOMIC_SEQ_CST);
  std::memset(&e, 0, sizeof(e));
  ps_task_id id{};
  uint32_t tid = entry.tid;
  if (bpf_map_lookup_elem(task_ids_fd_, &tid, &id) == 0 && id.slot == slot + 1 && id.born_ns == entry.first_seen_ns)
    bpf_map_delete_elem(task_ids_fd_, &tid);
  recycler_.released(slot);
}

}  // namespace pollscope
