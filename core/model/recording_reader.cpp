#include "core/model/recording_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <new>

#include "core/base/error.hpp"
#include "core/model/json_fields.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/model/snapshot_validate.hpp"

namespace pollscope {

namespace {

// A snapshot nests 7 deep (threads[].wait.epoll.blocked.slots). The parser
// builds a node per bracket, about 60 bytes each: a 64 MiB line of '[' would
// cost gigabytes before any check could look at it, so nesting is counted first.
constexpr int kMaxDepth = 32;

UniqueFd open_recording(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw Fatal("cannot read recording " + path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw Fatal("cannot read recording " + path + ": " + errno_text(errno));
  // read() would fail with EISDIR only at the first line; say it plainly now.
  if (S_ISDIR(st.st_mode)) throw Fatal("recording " + path + " is a directory, not a file");
  return fd;
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// Brackets outside strings, deepest level; stops counting once past max.
bool nested_deeper_than(const std::string& s, int max) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return true;
    } else if (c == ']' || c == '}') {
      depth--;
    }
  }
  return false;
}

// nlohmann's destructor allocates: it flattens a tree onto a vector to avoid
// deep recursion. Out of memory while a line is parsed or converted, the
// bad_alloc unwinds through the tree, and a second bad_alloc inside that
// destructor would abort the process. This reserve, declared after the tree,
// is given back first (locals die in reverse order), so the tree can be torn
// down and the line reported. It is address space only: its pages are never
// touched. 16 MiB flattens an array of 500,000 values (16 bytes each, twice
// while the vector grows); a snapshot's largest array is its sockets.
class TeardownReserve {
 public:
  // ::operator new called directly: a new-expression whose memory is never
  // used may be left out by the compiler (and GCC does).
  TeardownReserve() : p_(::operator new(kBytes)) {}
  ~TeardownReserve() { ::operator delete(p_); }
  TeardownReserve(const TeardownReserve&) = delete;
  TeardownReserve& operator=(const TeardownReserve&) = delete;

 private:
  static constexpr size_t kBytes = size_t{16} << 20;
  void* p_;
};

std::string size_text(size_t bytes) {
  return bytes % (size_t{1} << 20) == 0 ? fmt::format("{} MiB", bytes >> 20) : fmt::format("{} bytes", bytes);
}

}  // namespace

RecordingReader::RecordingReader(const std::string& path, size_t max_line_bytes)
    : path_(path), max_line_bytes_(max_line_bytes), lines_(open_recording(path), max_line_bytes) {}

bool RecordingReader::next(Snapshot* out) {
  for (;;) {
    LineReader::Result got;
    try {
      got = lines_.next(&line_);
    } catch (const std::bad_alloc&) {
      throw Fatal(fmt::format("{}:{}: not enough memory to read this line", path_, lines_.line_number() + 1));
    }
    switch (got) {
      case LineReader::Result::kLine:
        break;
      case LineReader::Result::kEnd:
        if (snapshots_ > 0) return false;
        if (!lines_.saw_bytes()) throw Fatal("recording " + path_ + " is empty");
        throw Fatal("recording " + path_ + " holds no snapshot" +
                    (warning_.empty() ? "" : " (its last line is truncated)"));
      case LineReader::Result::kTooLong:
        throw Fatal(fmt::format("{}:{}: line longer than {}, the limit of a recording line (is this a recording?)",
                                path_, lines_.line_number(), size_text(max_line_bytes_)));
      case LineReader::Result::kError:
        throw Fatal("cannot read recording " + path_ + ": " + errno_text(lines_.error()));
    }
    if (blank(line_)) continue;
    if (!parse_line(out)) continue;  // a truncated last line: the next call ends
    snapshots_++;
    return true;
  }
}

bool RecordingReader::parse_line(Snapshot* out) {
  const std::string where = fmt::format("{}:{}", path_, lines_.line_number());
  if (nested_deeper_than(line_, kMaxDepth))
    throw Fatal(fmt::format("{}: not a pollscope snapshot: nested deeper than {} levels", where, kMaxDepth));
  try {
    JsonDoc j;
    TeardownReserve reserve;  // after j: freed before j is torn down
    try {
      // JsonDoc::parse() would build the tree in a local of its own, torn down
      // out of reach of the reserve: parse into j instead.
      nlohmann::detail::json_sax_dom_parser<JsonDoc> dom(j, /*allow_exceptions=*/true);
      JsonDoc::sax_parse(line_, &dom);
    } catch (const JsonDoc::parse_error& e) {
      // A recorder flushes whole lines, so only its last write can stop short:
      // a last line without '\n' that is not JSON is that, not corruption.
      if (!lines_.had_newline()) {
        warning_ = where + ": last line truncated, skipped";
        return false;
      }
      throw Fatal(fmt::format("{}: not a JSON document (error at byte {} of the line)", where, e.byte));
    } catch (const JsonDoc::exception&) {
      // The only other parse failure: a number beyond a double (1e999).
      throw Fatal(where + ": not a pollscope snapshot: a number out of range");
    }

    // The format first: a newer format may have a shape this reader cannot judge.
    auto format = j.find("pollscope_recording");  // end() when j is not an object
    if (format != j.end()) {
      const JsonDoc& f = *format;
      if (!f.is_number_unsigned() || f.get<uint64_t>() == 0)
        throw Fatal(where + ": pollscope_recording must be a format number such as 1");
      if (f.get<uint64_t>() > kRecordingFormat)
        throw Fatal(fmt::format("{}: recording format {} is newer than this pollscope reads (up to {}); "
                                "replay it with a newer pollscope",
                                where, f.get<uint64_t>(), kRecordingFormat));
    }
    std::string error;
    if (!snapshot_from_json(j, out, &error)) throw Fatal(where + ": not a pollscope snapshot: " + error);
    if (!validate_snapshot(*out, &error)) throw Fatal(where + ": impossible snapshot: " + error);
    return true;
  } catch (const std::bad_alloc&) {
    // Under a memory limit: say so, rather than an internal error.
    throw Fatal(fmt::format("{}: not enough memory to read this line ({} bytes)", where, line_.size()));
  }
}

std::vector<Snapshot> read_recording(const std::string& path, std::string* warning) {
  RecordingReader reader(path);
  std::vector<Snapshot> out;
  Snapshot s;
  while (reader.next(&s)) out.push_back(std::move(s));
  *warning = reader.warning();
  return out;
}

}  // namespace pollscope
