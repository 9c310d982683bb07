// Reads a file descriptor line by line with a ceiling on a line's length.
// std::getline grows its string until the newline or the end of the file, so a
// file that is one huge line (or a sparse file, a hole of zeros) is pulled into
// memory whole before anything can refuse it; this reader stops at the ceiling,
// having read and held at most that many bytes of the line.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/unique_fd.hpp"

namespace pollscope {

class LineReader {
 public:
  enum class Result {
    kLine,     // *line holds the next line, without its '\n'
    kEnd,      // no more bytes
    kTooLong,  // the next line is longer than max_line_bytes; the reader stops there
    kError,    // read() failed; error() is its errno
  };

  LineReader(UniqueFd fd, size_t max_line_bytes);

  Result next(std::string* line);
  // 1-based number of the line last returned (or refused as too long).
  uint64_t line_number() const { return line_number_; }
  // False when the line last returned ended at the end of the file without a
  // '\n': the tail of a file whose writer stopped mid-line.
  bool had_newline() const { return had_newline_; }
  // Whether the file held any byte at all (to tell an empty file from blank lines).
  bool saw_bytes() const { return saw_bytes_; }
  int error() const { return error_; }

 private:
  bool refill();  // false at the end of the file or on an error (error_ set)

  UniqueFd fd_;
  size_t max_line_bytes_;
  std::vector<char> buf_;
  size_t pos_ = 0;  // next unread byte in buf_
  size_t len_ = 0;  // bytes held in buf_
  uint64_t line_number_ = 0;
  bool had_newline_ = true;
  bool saw_bytes_ = false;
  bool done_ = false;  // end, too long or error: next() returns kEnd/... again
  int error_ = 0;
};

}  // namespace pollscope
