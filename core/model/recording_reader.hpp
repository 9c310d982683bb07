// Reads a recording (report/top --record: one JSON snapshot per line) one
// snapshot at a time, so a replay holds one line and what it builds from the
// lines, never the whole file.
//
// Limits and forgiveness, documented in pollscope-report(8), RECORDINGS:
// - a line longer than max_line_bytes (512 MiB) is refused, after reading at
//   most that much of it;
// - a last line without its '\n' that is not JSON (a recorder killed or out of
//   disk mid-line) is skipped with a warning; anywhere else a bad line is an
//   error naming file and line;
// - a line whose "pollscope_recording" format is newer than kRecordingFormat is
//   refused; a line without the key is format 1 (pollscope before the key).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/line_reader.hpp"
#include "core/model/snapshot.hpp"

namespace pollscope {

class RecordingReader {
 public:
  // A socket row is about 1.1 KB of JSON: a full interval at the default map
  // sizes (16384 sockets, 4096 threads) is about 20 MB, one of 100,000
  // sockets 110 MB, and 512 MiB holds 450,000 rows. The rows are parsed one
  // at a time, so a line costs its text and the rows made of it (about twice
  // its size), not a tree of it.
  static constexpr size_t kMaxLineBytes = size_t{512} << 20;

  // Opens path; throws Fatal when it is missing, unreadable or a directory.
  explicit RecordingReader(const std::string& path, size_t max_line_bytes = kMaxLineBytes);

  // The next snapshot; false after the last one. Throws Fatal naming the file
  // and line on a bad line, and at the end when the file held no snapshot.
  bool next(Snapshot* out);

  // "FILE:N: last line truncated, skipped" once such a line was met, else "".
  // The reader does not print: the caller says who is warning.
  const std::string& warning() const { return warning_; }
  uint64_t snapshots() const { return snapshots_; }

 private:
  // The line as a snapshot, or false for a truncated last line (warning_ set).
  bool parse_line(Snapshot* out);

  std::string path_;
  size_t max_line_bytes_;
  LineReader lines_;
  std::string line_;  // reused: its capacity is the largest line so far
  std::string warning_;
  uint64_t snapshots_ = 0;
};

// Every snapshot of a recording, for a replay that keeps them all (top steps
// through them and shows "replay 3/5"). *warning as RecordingReader::warning().
std::vector<Snapshot> read_recording(const std::string& path, std::string* warning);

}  // namespace pollscope
