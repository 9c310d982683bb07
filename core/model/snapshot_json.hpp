// Snapshot <-> JSON. The same shape serves the recording (one snapshot per
// line, JSON lines) and the JSON report (with derived rates and percentiles,
// which the reader ignores). Key names are stable: they are documented in
// pollscope-report(8).
#pragma once
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

using Json = nlohmann::ordered_json;

// derived: add rates (*_per_s) and percentiles (p50_ns, ...), for reports.
Json snapshot_to_json(const Snapshot& s, bool derived);
// Returns false and sets *error on a malformed document.
bool snapshot_from_json(const Json& j, Snapshot* out, std::string* error);

// Appends one line per snapshot.
class RecordingWriter {
 public:
  explicit RecordingWriter(const std::string& path);  // throws Fatal when it cannot open
  ~RecordingWriter();
  void write(const Snapshot& s);  // throws Fatal on a write error
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

 private:
  std::string path_;
  std::FILE* file_;
};

// Reads a recording; throws Fatal naming the file and line on bad input.
std::vector<Snapshot> read_recording(const std::string& path);

}  // namespace pollscope
