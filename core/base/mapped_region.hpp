// A shared memory mapping of a file descriptor (a BPF array map created with
// BPF_F_MMAPABLE): unmapped with its owner.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <utility>

namespace pollscope {

class MappedRegion {
 public:
  MappedRegion() = default;
  // Maps len bytes of fd read-write from offset (a multiple of the page
  // size); valid() tells whether it worked (errno).
  MappedRegion(int fd, size_t len, off_t offset = 0) {
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
    if (p != MAP_FAILED) {
      base_ = p;
      len_ = len;
    }
  }
  ~MappedRegion() { reset(); }
  MappedRegion(MappedRegion&& o) noexcept : base_(std::exchange(o.base_, nullptr)), len_(std::exchange(o.len_, 0)) {}
  MappedRegion& operator=(MappedRegion&& o) noexcept {
    if (this != &o) {
      reset();
      base_ = std::exchange(o.base_, nullptr);
      len_ = std::exchange(o.len_, 0);
    }
    return *this;
  }
  MappedRegion(const MappedRegion&) = delete;
  MappedRegion& operator=(const MappedRegion&) = delete;

  bool valid() const { return base_ != nullptr; }
  void* data() const { return base_; }
  size_t size() const { return len_; }

 private:
  void reset() {
    if (base_) ::munmap(base_, len_);
    base_ = nullptr;
    len_ = 0;
  }
  void* base_ = nullptr;
  size_t len_ = 0;
};

}  // namespace pollscope
