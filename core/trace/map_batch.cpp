#include "core/trace/map_batch.hpp"

#include <bpf/bpf.h>
#include <errno.h>

#include <cstring>
#include <set>
#include <string>

namespace pollscope {

namespace {
// ENOTSUPP (524) is the kernel's "no batch operations for this map type";
// user space sees the raw number.
constexpr int kENOTSUPP = 524;
}  // namespace

MapBatchReader::MapBatchReader(size_t key_size, size_t value_size, uint32_t batch)
    : key_size_(key_size), value_size_(value_size), batch_(batch ? batch : 1) {}

bool MapBatchReader::read(int map_fd, const Visit& visit) { return read_any(map_fd, visit, false); }

bool MapBatchReader::take(int map_fd, const Visit& visit) { return read_any(map_fd, visit, true); }

bool MapBatchReader::read_any(int map_fd, const Visit& visit, bool and_delete) {
  if (batched_) {
    bool unsupported = false;
    if (read_batched(map_fd, visit, and_delete, &unsupported)) return true;
    if (!unsupported) return false;
    batched_ = false;
  }
  return read_walk(map_fd, visit, and_delete);
}

bool MapBatchReader::read_batched(int map_fd, const Visit& visit, bool and_delete, bool* unsupported) {
  // The position token of a hash map is a bucket index (4 bytes); room for
  // more costs nothing.
  uint64_t in_token[4] = {}, out_token[4] = {};
  bool first = true;
  DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
  for (;;) {
    keys_.resize(key_size_ * batch_);
    values_.resize(value_size_ * batch_);
    __u32 count = batch_;
    void* in = first ? nullptr : in_token;
    int err = and_delete ? bpf_map_lookup_and_delete_batch(map_fd, in, out_token, keys_.data(), values_.data(),
                                                            &count, &opts)
                         : bpf_map_lookup_batch(map_fd, in, out_token, keys_.data(), values_.data(), &count, &opts);
    int e = err ? errno : 0;
    if (err && e == EFAULT) return false;
    for (__u32 i = 0; i < count && i < batch_; i++) visit(&keys_[i * key_size_], &values_[i * value_size_]);
    if (!err) {
      std::memcpy(in_token, out_token, sizeof(in_token));
      first = false;
      continue;
    }
    if (e == ENOENT) return true;  // the end of the map
    if (e == ENOSPC && count == 0) {
      // One bucket holds more entries than the buffer: a bigger buffer, same place.
      batch_ *= 2;
      continue;
    }
    if (first && count == 0 && (e == EINVAL || e == kENOTSUPP || e == EOPNOTSUPP || e == ENOSYS)) {
      *unsupported = true;
      errno = e;
      return false;
    }
    errno = e;
    return false;
  }
}

bool MapBatchReader::read_walk(int map_fd, const Visit& visit, bool and_delete) {
  std::vector<unsigned char> key(key_size_), next(key_size_), value(value_size_);
  // A deletion under the walk restarts it from the first key: the keys seen
  // are remembered so that none is visited twice.
  std::set<std::string> seen;
  void* cur = nullptr;
  while (bpf_map_get_next_key(map_fd, cur, next.data()) == 0) {
    key = next;
    cur = key.data();
    if (bpf_map_lookup_elem(map_fd, key.data(), value.data()) != 0) continue;
    if (!seen.insert(std::string(key.begin(), key.end())).second) continue;
    visit(key.data(), value.data());
    if (and_delete) {
      bpf_map_delete_elem(map_fd, key.data());
      cur = nullptr;  // the deleted key cannot lead on: start over (seen skips the rest)
    }
  }
  return true;
}

}  // namespace pollscope
