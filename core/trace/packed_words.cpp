#include "core/trace/packed_words.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace pollscope {

namespace {

uint64_t word_at(const unsigned char* p, size_t i) {
  uint64_t w;
  std::memcpy(&w, p + i * 8, 8);  // p need not be 8-byte aligned
  return w;
}

// Bit i set: word i of p (i < n <= 64) is not zero. Portable and branch-free:
// zero and non-zero words alternate irregularly in an entry, so a branch on
// each one mispredicts often.
uint64_t nonzero_bits_plain(const unsigned char* p, size_t n) {
  uint64_t bits = 0;
  for (size_t i = 0; i < n; i++) bits |= static_cast<uint64_t>(word_at(p, i) != 0) << i;
  return bits;
}

#if defined(__x86_64__)
// The same, four words per compare: at 10,000 sockets packing every entry
// read was an eighth of top's CPU, and this halves it. Chosen at run time,
// so the binary still runs on a CPU without AVX2.
__attribute__((target("avx2"))) uint64_t nonzero_bits_avx2(const unsigned char* p, size_t n) {
  const __m256i zero = _mm256_setzero_si256();
  uint64_t zeros = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i * 8));
    int z = _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(v, zero)));
    zeros |= static_cast<uint64_t>(static_cast<unsigned>(z)) << i;
  }
  const uint64_t done = i == 64 ? ~0ULL : (1ULL << i) - 1;  // the words compared above
  return (~zeros & done) | (nonzero_bits_plain(p + i * 8, n - i) << (i % 64));
}

using NonzeroBits = uint64_t (*)(const unsigned char*, size_t);
NonzeroBits pick_nonzero_bits() {
  __builtin_cpu_init();  // a first call may come from another static initializer
  return __builtin_cpu_supports("avx2") ? nonzero_bits_avx2 : nonzero_bits_plain;
}
uint64_t nonzero_bits(const unsigned char* p, size_t n) {
  static const NonzeroBits chosen = pick_nonzero_bits();  // made at the first call, whenever it comes
  return chosen(p, n);
}
#else
uint64_t nonzero_bits(const unsigned char* p, size_t n) { return nonzero_bits_plain(p, n); }
#endif

}  // namespace

void PackedWords::pack(const void* data, size_t bytes) {
  const size_t n = bytes / 8;
  const size_t mask_words = (n + 63) / 64;
  // The bitmap first, then the non-zero words picked by it. A packed entry's
  // words are kept in place when it has as many as before (an entry's
  // cumulative numbers only gain non-zero words, so a repack rarely
  // allocates).
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint64_t bitmap[64];
  size_t count = 0;
  for (size_t m = 0; m < mask_words; m++) {
    bitmap[m] = nonzero_bits(p + m * 64 * 8, std::min<size_t>(64, n - m * 64));
    count += static_cast<size_t>(__builtin_popcountll(bitmap[m]));
  }
  const size_t size = mask_words + count;
  if (size > words_.capacity()) {
    // Exactly this much: resize() would double, and 100,000 entries' packed
    // readings are tens of MB.
    std::vector<uint64_t> room;
    room.reserve(size);
    words_.swap(room);
  }
  words_.resize(size);
  uint64_t* out = words_.data();
  std::copy(bitmap, bitmap + mask_words, out);
  size_t next = mask_words;
  for (size_t m = 0; m < mask_words; m++)
    for (uint64_t bits = bitmap[m]; bits; bits &= bits - 1)
      out[next++] = word_at(p, m * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
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
