#include "core/trace/thread_slots.hpp"

#include <bpf/bpf.h>

#include <cstring>

namespace pollscope {

static_assert(sizeof(ps_thread) % 8 == 0, "ps_thread is the array's stride: 8-byte padded");

ThreadSlots::ThreadSlots(const probe::MapFds& maps)
    : window_(maps.threads, maps.thread_slot_count, sizeof(ps_thread)),
      task_ids_fd_(maps.task_ids),
      recycler_(maps.free_threads),
      handed_out_(maps.threads_handed_out) {}

bool ThreadSlots::read(uint32_t slot, ps_thread* out) {
  const ps_thread* e = slot_entry(slot);
  if (!e) return false;
  if (__atomic_load_n(&e->first_seen_ns, __ATOMIC_ACQUIRE) == 0) return false;
  std::memcpy(out, e, sizeof(*out));
  return out->first_seen_ns != 0 && holds(slot, *out);
}

bool ThreadSlots::holds(uint32_t slot, const ps_thread& entry) {
  const ps_thread* p = slot_entry(slot);
  if (!p) return false;
  const ps_thread& e = *p;
  return __atomic_load_n(&e.first_seen_ns, __ATOMIC_ACQUIRE) == entry.first_seen_ns &&
         __atomic_load_n(&e.tid, __ATOMIC_ACQUIRE) == entry.tid;
}

void ThreadSlots::release(uint32_t slot, const ps_thread& entry) {
  if (!holds(slot, entry)) return;
  ps_thread& e = *slot_entry(slot);
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
