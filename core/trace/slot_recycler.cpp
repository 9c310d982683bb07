#include "core/trace/slot_recycler.hpp"

#include <bpf/bpf.h>

namespace pollscope {

void SlotRecycler::recycle() {
  std::vector<uint32_t> kept;
  for (uint32_t slot : released_)
    if (bpf_map_update_elem(queue_fd_, nullptr, &slot, BPF_ANY) != 0) kept.push_back(slot);
  released_ = std::move(kept);
}

}  // namespace pollscope
