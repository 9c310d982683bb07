#include "core/trace/sock_slots.hpp"

#include <cstring>

namespace pollscope {

static_assert(sizeof(ps_sock) % 8 == 0, "ps_sock is the array's stride: 8-byte padded");

SockSlots::SockSlots(const probe::MapFds& maps)
    : slots_(static_cast<ps_sock*>(maps.sock_slots)),
      count_(maps.sock_slots ? maps.sock_slot_count : 0),
      recycler_(maps.free_socks) {}

bool SockSlots::read(uint32_t slot, ps_sock* out) const {
  if (slot >= count_) return false;
  const ps_sock& e = slots_[slot];
  if (__atomic_load_n(&e.key.sk, __ATOMIC_ACQUIRE) == 0) return false;
  std::memcpy(out, &e, sizeof(*out));
  // A slot freed or taken while it was copied is not one entry's reading.
  return out->key.sk != 0 && out->key.born_ns != 0 && holds(slot, out->key);
}

bool SockSlots::holds(uint32_t slot, const ps_sock_key& key) const {
  if (slot >= count_) return false;
  const ps_sock& e = slots_[slot];
  return __atomic_load_n(&e.key.sk, __ATOMIC_ACQUIRE) == key.sk &&
         __atomic_load_n(&e.key.born_ns, __ATOMIC_ACQUIRE) == key.born_ns;
}

void SockSlots::release(uint32_t slot, const ps_sock_key& key) {
  if (!holds(slot, key)) return;
  ps_sock& e = slots_[slot];
  // The key first: an event of the connection from now on finds no entry.
  __atomic_store_n(&e.key.sk, 0, __ATOMIC_SEQ_CST);
  std::memset(&e, 0, sizeof(e));
  recycler_.released(slot);
}

}  // namespace pollscope
