// The socket entries as the programs keep them: slots of the socks array
// (bpf/sock.h), reached through a window of it mapped at a time. Reading one
// is a copy from memory (a system call only to move the window: read in slot
// order, that is once per window); a slot whose key is 0 is free.
// Read in slot order, then close(): each window is mapped once a pass.
#pragma once
#include <cstdint>
#include <vector>

#include "bpf/sock.h"
#include "core/probe/probe_set.hpp"
#include "core/trace/array_window.hpp"
#include "core/trace/slot_recycler.hpp"
#include "core/trace/slots_handed_out.hpp"

namespace pollscope {

class SockSlots {
 public:
  explicit SockSlots(const probe::MapFds& maps);

  uint32_t count() const { return window_.count(); }
  // The slots below which every entry is (ThreadSlots::taken_below): a full
  // read at 100,000 sockets under --max-sockets 1048576 reads 100,000 slots,
  // and the first one after start only the connections seen so far.
  uint32_t taken_below() const { return slots_handed_out(handed_out_, count()); }
  // Copies the entry in slot into *out; false when the slot is free (or out
  // of range). The programs may be writing it meanwhile: a copy is one
  // moment's reading, as a map lookup's is.
  bool read(uint32_t slot, ps_sock* out);
  // The connection in slot, when it is key; false if the slot moved on.
  bool holds(uint32_t slot, const ps_sock_key& key);
  // Frees the slot of connection key: its events stop finding it. The
  // programs may give it to a new connection after the next recycle().
  void release(uint32_t slot, const ps_sock_key& key);
  // Once per interval, before any release: gives the programs the slots
  // released in the last interval.
  void recycle() { recycler_.recycle(); }
  // Unmaps the window (the end of a pass over the slots).
  void close() { window_.close(); }

  // Calls f(slot, entry) for every entry in use.
  template <class F>
  void for_each(ps_sock* buf, F&& f) {
    const uint32_t end = taken_below();
    for (uint32_t slot = 0; slot < end; slot++)
      if (read(slot, buf)) f(slot, *buf);
  }

 private:
  ps_sock* slot_entry(uint32_t slot) { return static_cast<ps_sock*>(window_.at(slot)); }

  ArrayWindow window_;
  SlotRecycler recycler_;
  const __u64* handed_out_;  // the programs' count (MapFds::socks_handed_out)
};

}  // namespace pollscope
