// The thread entries as the programs keep them: slots of the threads array
// (bpf/syscalls.h), reached through a window of it mapped at a time (see
// ArrayWindow). A slot whose first_seen_ns is 0 is free. Read in slot order,
// then close().
#pragma once
#include <cstdint>

#include "bpf/syscalls.h"
#include "core/probe/probe_set.hpp"
#include "core/trace/array_window.hpp"
#include "core/trace/slot_recycler.hpp"
#include "core/trace/slots_handed_out.hpp"

namespace pollscope {

class ThreadSlots {
 public:
  explicit ThreadSlots(const probe::MapFds& maps);

  uint32_t count() const { return window_.count(); }
  // The slots below which every entry is: the programs hand out the never
  // used slots in order (take_slot, bpf/pollscope.bpf.c) and count them.
  // Reading only those, an interval reads the slots of the threads seen so
  // far, not all of --max-threads (4096 slots of 2 KB, mapped and read every
  // interval to find a few threads, were a tenth of top's CPU). A slot taken
  // after this call is read at the next interval.
  uint32_t taken_below() const { return slots_handed_out(handed_out_, count()); }
  // Copies the entry in slot into *out; false when the slot is free (or out
  // of range, or taken by another thread while it was copied).
  bool read(uint32_t slot, ps_thread* out);
  // Frees the slot of entry (as read from it), if it still holds it, and the
  // raw_tp programs' copy of its identity if that names this slot. The
  // programs may give the slot to a new thread after the next recycle().
  void release(uint32_t slot, const ps_thread& entry);
  void recycle() { recycler_.recycle(); }
  // Unmaps the window (the end of a pass over the slots).
  void close() { window_.close(); }

 private:
  bool holds(uint32_t slot, const ps_thread& entry);
  ps_thread* slot_entry(uint32_t slot) { return static_cast<ps_thread*>(window_.at(slot)); }

  ArrayWindow window_;
  int task_ids_fd_;
  SlotRecycler recycler_;
  const __u64* handed_out_;  // the programs' count (MapFds::threads_handed_out)
};

}  // namespace pollscope
