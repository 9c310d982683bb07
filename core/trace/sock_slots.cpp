#include "core/trace/sock_slots.hpp"

#include <cstring>

namespace pollscope {

static_assert(sizeof(ps_sock) % 8 == 0, "ps_sock is the array's stride: 8-byte padded");

// The socket array is kept mapped up to the default --max-sockets (16,384
// slots, 27 MB): read every interval, it is where mapping anew costs most.
// Larger ones (131,072 slots is 214 MB) go through windows.
constexpr size_t kKeepMappedBytes = size_t{32} << 20;

SockSlots::SockSlots(const probe::MapFds& maps)
    : window_(maps.socks, maps.sock_slot_count, sizeof(ps_sock), kKeepMappedBytes),
      recycler_(maps.free_socks),
      handed_out_(maps.socks_handed_out) {}

bool SockSlots::read(uint32_t slot, ps_sock* out) {
  const ps_sock* p = slot_entry(slot);
  if (!p) return false;
  const ps_sock& e = *p;
  if (__atomic_load_n(&e.key.sk, __ATOMIC_ACQUIRE) == 0) return false;
  std::memcpy(out, &e, sizeof(*out));
  // A slot freed or taken while it was copied is not one entry's reading.
  return out->key.sk != 0 && out->key.born_ns != 0 && holds(slot, out->key);
}

bool SockSlots::holds(uint32_t slot, const ps_sock_key& key) {
  const ps_sock* p = slot_entry(slot);
  if (!p) return false;
  const ps_sock& e = *p;
  return __atomic_load_n(&e.key.sk, __ATOMIC_ACQUIRE) == key.sk &&
         __atomic_load_n(&e.key.born_ns, __ATOMIC_ACQUIRE) == key.born_ns;
}

void SockSlots::release(uint32_t slot, const ps_sock_key& key) {
  if (!holds(slot, key)) return;
  ps_sock& e = *slot_entry(slot);
  // The key first: an event of the connection from now on finds no entry.
  __atomic_store_n(&e.key.sk, 0, __ATOMIC_SEQ_CST);
  std::memset(&e, 0, sizeof(e));
  recycler_.released(slot);
}

}  // namespace pollscope
