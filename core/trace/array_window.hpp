// The entries of a BPF array map created with BPF_F_MMAPABLE, reached
// through one window of it mapped at a time.
//
// Why not map the whole array once: the kernel maps every page of it up
// front (remap_vmalloc_range), so a mapped 131,072-slot socket map is 214 MB
// of this process's resident memory for as long as it runs, however few
// entries are in use. A window of about 1 MB (with 4 KB pages: a window is
// whole pages and whole entries, so larger pages make it larger) costs about 60 us to map and
// unmap on this machine, a tenth of a microsecond per entry: reading every
// entry of that map through windows costs about 13 ms more than reading it
// through one mapping, and the process holds 1 MB of it, not 214.
//
// A small array is mapped whole once and kept (keep_bytes): a page touched
// for the first time after it is mapped costs this VM a fault of its own
// (its page tables are shadowed), and at 10,000 sockets reading the entries
// through windows mapped anew every interval was a fifth of top's CPU, in
// the first touch of each entry's pages. The default socket map (16,384
// slots) is 27 MB.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/base/mapped_region.hpp"

namespace pollscope {

class ArrayWindow {
 public:
  ArrayWindow() = default;
  // The array `fd` of `count` entries `stride` bytes apart (its value size
  // rounded up to 8); fd < 0 is an array with no entries. An array of at
  // most keep_bytes is one window, mapped at the first at() and kept.
  ArrayWindow(int fd, uint32_t count, size_t stride, size_t keep_bytes = 0);

  uint32_t count() const { return count_; }
  // The entry in slot, in the window (mapped now if slot is outside the one
  // mapped); nullptr if slot is out of range. Valid until the next at() of
  // another window or close(). Throws Fatal if the window cannot be mapped.
  void* at(uint32_t slot);
  // Unmaps the window: what is read through at() in slot order maps each
  // window once, and close() at the end of a pass gives the memory back
  // (not a kept whole array's).
  void close();

 private:
  int fd_ = -1;
  uint32_t count_ = 0;
  size_t stride_ = 0;
  size_t page_ = 0;
  uint32_t per_window_ = 0;   // entries per window, a whole number of pages
  uint32_t first_ = 0;        // first slot of the mapped window
  bool keep_ = false;         // the whole array, kept mapped
  MappedRegion region_;
};

}  // namespace pollscope
