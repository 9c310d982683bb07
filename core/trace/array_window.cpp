#include "core/trace/array_window.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <numeric>

#include "core/base/error.hpp"

namespace pollscope {

namespace {
constexpr size_t kWindowBytes = 1 << 20;
}

ArrayWindow::ArrayWindow(int fd, uint32_t count, size_t stride, size_t keep_bytes)
    : fd_(fd), count_(fd >= 0 ? count : 0), stride_(stride) {
  if (!count_) return;
  page_ = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t page = page_;
  if (static_cast<size_t>(count_) * stride_ <= keep_bytes) {
    keep_ = true;
    per_window_ = count_;
    return;
  }
  // The fewest entries that fill whole pages: a window starts at a page
  // boundary (mmap's offset) and no entry straddles two windows.
  const size_t unit = page / std::gcd(stride, page);
  size_t units = std::max<size_t>(1, kWindowBytes / (unit * stride));
  per_window_ = static_cast<uint32_t>(std::min<size_t>(unit * units, count_));
}

void* ArrayWindow::at(uint32_t slot) {
  if (slot >= count_) return nullptr;
  if (!region_.valid() || slot < first_ || slot - first_ >= per_window_) {
    const uint32_t first = slot / per_window_ * per_window_;
    const uint32_t n = std::min(per_window_, count_ - first);
    region_ = MappedRegion();  // one window at a time
    region_ = MappedRegion(fd_, (n * stride_ + page_ - 1) / page_ * page_, static_cast<off_t>(first) * stride_);
    if (!region_.valid()) throw Fatal("mapping a window of a BPF map failed: " + errno_text(errno));
    first_ = first;
  }
  return static_cast<char*>(region_.data()) + (slot - first_) * stride_;
}

void ArrayWindow::close() {
  if (!keep_) region_ = MappedRegion();
}

}  // namespace pollscope
