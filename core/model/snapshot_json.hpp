// Snapshot <-> JSON. The same shape serves the recording (one snapshot per
// line, JSON lines, read back by core/model/recording_reader.hpp) and the JSON
// report (with derived rates and percentiles, which the reader ignores). Key
// names are stable: they are documented in pollscope-report(8).
#pragma once
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

using Json = nlohmann::ordered_json;

// derived: add rates (*_per_s) and percentiles (p50_ns, ...), for reports.
Json snapshot_to_json(const Snapshot& s, bool derived);
// Returns false and sets *error, naming the key, on a document of the wrong
// shape. Takes the reader's nlohmann::json (see JsonDoc in json_fields.hpp).
bool snapshot_from_json(const nlohmann::json& doc, Snapshot* out, std::string* error);

// The recording format this pollscope writes, in the "pollscope_recording"
// key of every line (pollscope-report(8), Recordings). Raise it when a change
// would make an older reader misread a line, not for added keys: readers ignore
// keys they do not know. Lines without the key (pollscope before the key
// existed) are format 1.
constexpr uint64_t kRecordingFormat = 1;

// Writes a recording: one line per snapshot, each ending in '\n', flushed per
// line (a crash cuts at most the last line short).
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

}  // namespace pollscope
