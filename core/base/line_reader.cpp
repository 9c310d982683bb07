#include "core/base/line_reader.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pollscope {

namespace {
// Big enough that a recording is read in few syscalls, small next to a line.
constexpr size_t kChunkBytes = 256 * 1024;
}  // namespace

LineReader::LineReader(UniqueFd fd, size_t max_line_bytes)
    : fd_(std::move(fd)), max_line_bytes_(max_line_bytes), buf_(kChunkBytes) {}

bool LineReader::refill() {
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf_.data(), buf_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error_ = errno;
    if (n <= 0) return false;
    pos_ = 0;
    len_ = static_cast<size_t>(n);
    saw_bytes_ = true;
    return true;
  }
}

LineReader::Result LineReader::next(std::string* line) {
  line->clear();
  if (done_) return error_ ? Result::kError : Result::kEnd;
  bool started = false;  // any byte of this line seen (an empty line still counts)
  for (;;) {
    if (pos_ == len_) {
      if (!refill()) {
        done_ = true;
        if (error_) return Result::kError;
        if (!started) return Result::kEnd;
        line_number_++;
        had_newline_ = false;
        return Result::kLine;
      }
    }
    started = true;
    const char* begin = buf_.data() + pos_;
    const char* nl = static_cast<const char*>(std::memchr(begin, '\n', len_ - pos_));
    size_t take = nl ? static_cast<size_t>(nl - begin) : len_ - pos_;
    // Checked before appending, so the line never holds more than the ceiling.
    if (line->size() + take > max_line_bytes_) {
      done_ = true;
      line_number_++;
      line->clear();
      return Result::kTooLong;
    }
    line->append(begin, take);
    pos_ += take;
    if (nl) {
      pos_++;  // the '\n'
      line_number_++;
      had_newline_ = true;
      return Result::kLine;
    }
  }
}

}  // namespace pollscope
