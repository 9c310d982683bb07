#include "core/trace/packed_words.hpp"

#include <algorithm>
#include <cstring>

namespace pollscope {

void PackedWords::pack(const void* data, size_t bytes) {
  size_t n = bytes / 8;
  size_t mask_words = (n + 63) / 64;
  // One pass into a scratch buffer as large as the struct, then one copy:
  // assign() keeps the capacity, and an entry's cumulative numbers only gain
  // non-zero words, so a repack rarely allocates.
  // Without branches: every word is stored and the next slot advances only
  // past a non-zero one (zero and non-zero words alternate irregularly in an
  // entry, so a branch on each mispredicts often; this ran at twice the speed).
  thread_local std::vector<uint64_t> scratch;
  if (scratch.size() < mask_words + n + 1) scratch.resize(mask_words + n + 1);
  uint64_t* out = scratch.data();
  const unsigned char* p = static_cast<const unsigned char*>(data);
  size_t next = mask_words;
  for (size_t m = 0; m < mask_words; m++) {
    uint64_t bits = 0;
    const size_t end = std::min(n, (m + 1) * 64);
    for (size_t i = m * 64; i < end; i++) {
      uint64_t w;
      std::memcpy(&w, p + i * 8, 8);
      const uint64_t nz = w != 0;
      out[next] = w;
      next += nz;
      bits |= nz << (i % 64);
    }
    out[m] = bits;
  }
  words_.assign(out, out + next);
}

void PackedWords::unpack(void* data, size_t bytes) const {
  std::memset(data, 0, bytes);
  size_t n = bytes / 8;
  size_t mask_words = (n + 63) / 64;
  if (words_.size() < mask_words) return;
  unsigned char* p = static_cast<unsigned char*>(data);
  size_t next = mask_words;
  for (size_t m = 0; m < mask_words; m++) {
    uint64_t bits = words_[m];
    while (bits) {
      int b = __builtin_ctzll(bits);
      bits &= bits - 1;
      size_t i = m * 64 + static_cast<size_t>(b);
      if (i < n && next < words_.size()) std::memcpy(p + i * 8, &words_[next], 8);
      next++;
    }
  }
}

}  // namespace pollscope
