// The socket entries as the programs keep them: slots of the socks array,
// mapped into this process (bpf/sock.h). Reading one is a copy from memory,
// not a system call; a slot whose key is 0 is free.
#pragma once
#include <cstdint>
#include <vector>

#include "bpf/sock.h"
#include "core/probe/probe_set.hpp"
#include "core/trace/slot_recycler.hpp"

namespace pollscope {

class SockSlots {
 public:
  explicit SockSlots(const probe::MapFds& maps);

  uint32_t count() const { return count_; }
  // Copies the entry in slot into *out; false when the slot is free (or out
  // of range). The programs may be writing it meanwhile: a copy is one
  // moment's reading, as a map lookup's is.
  bool read(uint32_t slot, ps_sock* out) const;
  // The connection in slot, when it is key; false if the slot moved on.
  bool holds(uint32_t slot, const ps_sock_key& key) const;
  // Frees the slot of connection key: its events stop finding it. The
  // programs may give it to a new connection after the next recycle().
  void release(uint32_t slot, const ps_sock_key& key);
  // Once per interval, before any release: gives the programs the slots
  // released in the last interval.
  void recycle() { recycler_.recycle(); }

  // Calls f(slot, entry) for every entry in use.
  template <class F>
  void for_each(ps_sock* buf, F&& f) const {
    for (uint32_t slot = 0; slot < count_; slot++)
      if (read(slot, buf)) f(slot, *buf);
  }

 private:
  ps_sock* slots_;
  uint32_t count_;
  SlotRecycler recycler_;
};

}  // namespace pollscope
