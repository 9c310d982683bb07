// The slots of an entry array (socket or thread entries, bpf/sock.h and
// bpf/syscalls.h) that user space freed, on their way back to the programs'
// queue of free slots.
#pragma once
#include <cstdint>
#include <vector>

namespace pollscope {

class SlotRecycler {
 public:
  explicit SlotRecycler(int queue_fd) : queue_fd_(queue_fd) {}
  // A slot just freed (its entry zeroed): given back at the next recycle().
  void released(uint32_t slot) { released_.push_back(slot); }
  // Once per interval, before any release: gives the programs the slots
  // released in the last interval. An event that found its entry just before
  // the release has long finished writing to it (and the programs clean a
  // slot again when they take it), so it cannot reach the next owner. A slot
  // the queue refused is tried again next time.
  void recycle();

 private:
  int queue_fd_;
  std::vector<uint32_t> released_;
};

}  // namespace pollscope
