// Snapshot <-> JSON. The same shape serves the recording (one snapshot per
// line, JSON lines, read back by core/model/recording_reader.hpp) and the JSON
// report (with derived rates and percentiles, which the reader ignores). Key
// names are stable: they are documented in pollscope-report(8).
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model/snapshot.hpp"

namespace pollscope {

using Json = nlohmann::ordered_json;

// derived: add rates (*_per_s) and percentiles (p50_ns, ...), for reports.
Json snapshot_to_json(const Snapshot& s, bool derived);
// One row of "sockets"; s gives the interval its rates are over.
Json socket_to_json(const SocketRow& r, const Snapshot& s, bool derived);
// The text of `first`'s members followed by snapshot_to_json(s, derived)'s,
// as dump(indent) gives it (indent < 0: compact), made a socket row at a
// time and handed to sink in pieces of about 64 KB: at 100,000 sockets the
// whole document as a tree, then as text, was gigabytes. The rows in order
// when given (pointers into s.sockets), else as s holds them.
using JsonSink = std::function<void(const std::string&)>;
void write_snapshot_json(const Snapshot& s, bool derived, Json first, int indent,
                         const std::vector<const SocketRow*>* order, const JsonSink& sink);
// Returns false and sets *error, naming the key, on a document of the wrong
// shape. Takes the reader's nlohmann::json (see JsonDoc in json_fields.hpp).
bool snapshot_from_json(const nlohmann::json& doc, Snapshot* out, std::string* error);
// One row of "sockets" (o names its place for messages); throws ShapeError
// (json_fields.hpp) on the wrong shape. For a reader that parses rows apart.
class JsonObject;
void socket_from_json(const JsonObject& o, SocketRow* r);

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
