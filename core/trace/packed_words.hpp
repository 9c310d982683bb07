// A struct of 64-bit words kept as its non-zero words only. The collector
// keeps the previous reading of every map entry to take interval deltas; a
// socket's entry is 1.6 KB, mostly empty histogram slots, so 100,000 sockets
// would hold 160 MB as plain copies and about a fifth of that packed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pollscope {

class PackedWords {
 public:
  // bytes: a multiple of 8, at most 64 * 64 * 8.
  void pack(const void* data, size_t bytes);
  // Writes the packed struct back (zeros where nothing was packed).
  void unpack(void* data, size_t bytes) const;
  bool empty() const { return words_.empty(); }
  size_t heap_bytes() const { return words_.capacity() * sizeof(uint64_t); }

 private:
  // A bitmap of the non-zero words (one uint64_t per 64 words), then those
  // words in order.
  std::vector<uint64_t> words_;
};

}  // namespace pollscope
