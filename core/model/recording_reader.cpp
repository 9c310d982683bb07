#include "core/model/recording_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <new>
#include <optional>

#include "core/base/error.hpp"
#include "core/model/json_fields.hpp"
#include "core/model/snapshot_json.hpp"
#include "core/model/snapshot_validate.hpp"

namespace pollscope {

namespace {

// A snapshot nests 7 deep (threads[].wait.epoll.blocked.slots). The parser
// builds a node per bracket, about 60 bytes each: a 512 MiB line of '[' would
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

// Parses a line as json_sax_dom_parser alone would, except the elements of
// the root's "sockets" list: each is built as a tree of its own, turned into
// a SocketRow and dropped (the root gets an empty list). A tree costs about
// twelve times its text: built whole, a line of 100,000 sockets (100 MB)
// took more than a gigabyte while it was converted.
class RowsApartSax {
 public:
  using Dom = nlohmann::detail::json_sax_dom_parser<JsonDoc>;
  RowsApartSax(JsonDoc& root, std::vector<SocketRow>& rows) : root_(root, /*allow_exceptions=*/true), rows_(rows) {}
  // The first row of the wrong shape, in snapshot_from_json's words; "" if none.
  const std::string& row_error() const { return row_error_; }

  bool null() { return scalar([&](Dom& d) { return d.null(); }, [&] { return JsonDoc(nullptr); }); }
  bool boolean(bool v) { return scalar([&](Dom& d) { return d.boolean(v); }, [&] { return JsonDoc(v); }); }
  bool number_integer(JsonDoc::number_integer_t v) {
    return scalar([&](Dom& d) { return d.number_integer(v); }, [&] { return JsonDoc(v); });
  }
  bool number_unsigned(JsonDoc::number_unsigned_t v) {
    return scalar([&](Dom& d) { return d.number_unsigned(v); }, [&] { return JsonDoc(v); });
  }
  bool number_float(JsonDoc::number_float_t v, const JsonDoc::string_t& text) {
    return scalar([&](Dom& d) { return d.number_float(v, text); }, [&] { return JsonDoc(v); });
  }
  bool string(JsonDoc::string_t& v) { return scalar([&](Dom& d) { return d.string(v); }, [&] { return JsonDoc(v); }); }
  bool binary(JsonDoc::binary_t& v) { return scalar([&](Dom& d) { return d.binary(v); }, [&] { return JsonDoc(v); }); }
  bool key(JsonDoc::string_t& k) {
    if (!row_ && depth_ == 1) at_sockets_ = k == "sockets";
    return target().key(k);
  }
  bool start_object(std::size_t n) {
    open_container();
    return target().start_object(n);
  }
  bool start_array(std::size_t n) {
    if (!row_ && depth_ == 1 && at_sockets_) {
      // Its last copy counts, as in a tree.
      in_rows_ = true;
      rows_.clear();
      row_error_.clear();
      index_ = 0;
      depth_++;
      return target().start_array(n);
    }
    open_container();
    return target().start_array(n);
  }
  bool end_object() { return close_container(target().end_object()); }
  bool end_array() {
    bool ok = target().end_array();
    if (!row_ && in_rows_ && depth_ == 2) in_rows_ = false;
    return close_container(ok);
  }
  template <class Exception>
  bool parse_error(std::size_t at, const std::string& token, const Exception& e) {
    return root_.parse_error(at, token, e);  // throws
  }

 private:
  Dom& target() { return row_ ? *row_ : root_; }
  bool element_starts() const { return in_rows_ && !row_ && depth_ == 2; }
  void open_container() {
    if (element_starts()) {
      row_doc_ = JsonDoc();
      row_.emplace(row_doc_, /*allow_exceptions=*/true);
    }
    depth_++;
  }
  bool close_container(bool ok) {
    depth_--;
    if (row_ && depth_ == 2) {
      row_.reset();
      take_row(row_doc_);
      row_doc_ = JsonDoc();
    }
    return ok;
  }
  // A value: into the tree being built, or, as an element of the rows, a
  // row of the wrong shape (made a JsonDoc only then, for its error).
  template <class Add, class Make>
  bool scalar(Add&& add, Make&& make) {
    if (!element_starts()) return add(target());
    take_row(make());
    return true;
  }
  void take_row(const JsonDoc& doc) {
    if (row_error_.empty()) {
      try {
        SocketRow r;
        socket_from_json(JsonObject(doc, fmt::format("sockets[{}]", index_)), &r);
        rows_.push_back(std::move(r));
      } catch (const ShapeError& e) {
        row_error_ = e.what();
      }
    }
    index_++;
  }

  Dom root_;
  std::vector<SocketRow>& rows_;
  std::optional<Dom> row_;
  JsonDoc row_doc_;
  int depth_ = 0;
  bool at_sockets_ = false;  // the root's last key was "sockets"
  bool in_rows_ = false;     // inside the root's "sockets" list
  size_t index_ = 0;
  std::string row_error_;
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
  std::string row_error;
  try {
    JsonDoc j;
    std::vector<SocketRow> rows;
    // JsonDoc::parse() would build the tree in a local of its own, torn down
    // out of reach of the reserve: parse into j (and the row being built, in
    // sax) instead.
    RowsApartSax sax(j, rows);
    TeardownReserve reserve;  // after j and sax: freed before their trees are torn down
    try {
      JsonDoc::sax_parse(line_, &sax);
      row_error = sax.row_error();
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
    if (!row_error.empty()) throw Fatal(where + ": not a pollscope snapshot: " + row_error);
    out->sockets = std::move(rows);
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
