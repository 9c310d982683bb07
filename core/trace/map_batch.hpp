// Reads every entry of a BPF hash map with bpf_map_lookup_batch: one bpf()
// call per few hundred entries, where a get_next_key + lookup walk costs two
// calls per entry (at 100,000 sockets, 200,000 system calls per interval).
// Kernels without batch operations for the map get that walk instead.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace pollscope {

class MapBatchReader {
 public:
  MapBatchReader(size_t key_size, size_t value_size, uint32_t batch = 256);
  using Visit = std::function<void(const void* key, const void* value)>;
  // Calls visit once per entry. Entries added or deleted by the programs while
  // the read runs may be seen or not; none is seen twice. Returns false (errno
  // set) when the map cannot be read.
  bool read(int map_fd, const Visit& visit);
  // The same, deleting each entry as it is read (a set that the programs
  // refill): an entry added during the take is either taken or left for the
  // next one, never lost.
  bool take(int map_fd, const Visit& visit);
  bool batched() const { return batched_; }  // false once the walk fallback is in use

 private:
  bool read_any(int map_fd, const Visit& visit, bool and_delete);
  bool read_batched(int map_fd, const Visit& visit, bool and_delete, bool* unsupported);
  bool read_walk(int map_fd, const Visit& visit, bool and_delete);
  size_t key_size_, value_size_;
  uint32_t batch_;
  bool batched_ = true;
  std::vector<unsigned char> keys_, values_;
};

}  // namespace pollscope
