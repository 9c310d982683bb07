// Reading recordings: every bad input ends in one clear Fatal naming the file
// (and line), never a library's message; a truncated last line is forgiven.
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/base/error.hpp"
#include "core/model/recording_reader.hpp"
#include "core/model/snapshot_json.hpp"

using namespace pollscope;

namespace {

// A private directory, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/pollscope-recording-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

Snapshot snap(uint64_t seq, uint64_t ready) {
  Snapshot s;
  s.seq = seq;
  s.start_time = 1000 + static_cast<double>(seq);
  s.end_time = s.start_time + 1;
  s.kernel = "6.18";
  s.hostname = "h";
  s.families = {"sock"};
  SocketRow r;
  r.key = {0xffff888012345678ULL, 42};
  r.pid = 100;
  r.proto = "tcp";
  r.ready = ready;
  r.ready_to_read.record(5000);
  s.sockets.push_back(r);
  ThreadRow t;
  t.tid = 100;
  t.wait[kWaitEpoll].calls = 7;
  s.threads.push_back(t);
  CpuRow c;
  c.cpu = 1;
  c.count[3] = 5;
  s.cpus.push_back(c);
  return s;
}

// One recording line as this pollscope writes it (with "pollscope_recording").
std::string line_of(const Snapshot& s) {
  TempDir d;
  { RecordingWriter(d.file("one")).write(s); }
  std::ifstream in(d.file("one"));
  std::string line;
  std::getline(in, line);
  return line;
}

// The same snapshot as a pollscope from before the format key wrote it.
std::string old_line_of(const Snapshot& s) { return snapshot_to_json(s, false).dump(); }

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// The Fatal message of reading path to the end ("" when nothing was thrown).
std::string read_error(const std::string& path, size_t max_line = RecordingReader::kMaxLineBytes) {
  try {
    RecordingReader r(path, max_line);
    Snapshot s;
    while (r.next(&s)) {
    }
  } catch (const Fatal& e) {
    return e.what();
  }
  return "";
}

// The error for a one-line recording whose JSON was edited by f.
std::string error_after_edit(const std::function<void(Json&)>& f) {
  TempDir d;
  Json j = Json::parse(line_of(snap(1, 10)));
  f(j);
  write_file(d.file("r.jsonl"), line_of(snap(1, 10)) + "\n" + j.dump() + "\n");
  std::string e = read_error(d.file("r.jsonl"));
  // Never the parser's own words.
  CHECK(e.find("json.exception") == std::string::npos);
  CHECK(e.find("stoull") == std::string::npos);
  return e;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a recording is read back snapshot by snapshot", "[recording]") {
  TempDir d;
  {
    RecordingWriter w(d.file("r.jsonl"));
    for (uint64_t i = 1; i <= 3; i++) w.write(snap(i, 10 * i));
  }
  RecordingReader r(d.file("r.jsonl"));
  Snapshot s;
  uint64_t ready = 0;
  while (r.next(&s)) ready += s.sockets.at(0).ready;
  CHECK(r.snapshots() == 3);
  CHECK(ready == 60);
  CHECK(r.warning().empty());
}

TEST_CASE("a line of many socket rows is read back row for row, in order", "[recording]") {
  // The rows are parsed apart from the rest of the line: each must come back
  // whole (its histograms are lists nested in it), in its place, with the
  // threads and CPUs after them intact.
  TempDir d;
  Snapshot s = snap(1, 10);
  for (uint64_t i = 1; i < 500; i++) {
    SocketRow r = s.sockets[0];
    r.key.first_seen_ns = 42 + i;
    r.ready = i;
    r.comm = i % 2 ? "a\"b" : "[{sockets}]";
    r.ready_to_read.record(1000 * i);
    s.sockets.push_back(r);
  }
  { RecordingWriter(d.file("r.jsonl")).write(s); }
  RecordingReader r(d.file("r.jsonl"));
  Snapshot back;
  REQUIRE(r.next(&back));
  CHECK(back.sockets.size() == 500);
  CHECK(snapshot_to_json(back, false) == snapshot_to_json(s, false));
}

TEST_CASE("the recorder writes the format version first on every line", "[recording]") {
  std::string line = line_of(snap(1, 10));
  CHECK(line.rfind("{\"pollscope_recording\":1,\"seq\":1,", 0) == 0);
}

TEST_CASE("a recording without the format key is read as format 1", "[recording]") {
  TempDir d;
  write_file(d.file("old.jsonl"), old_line_of(snap(1, 10)) + "\n" + old_line_of(snap(2, 20)) + "\n");
  std::string warning;
  auto snaps = read_recording(d.file("old.jsonl"), &warning);
  REQUIRE(snaps.size() == 2);
  CHECK(snaps[1].sockets.at(0).ready == 20);
  CHECK(snapshot_to_json(snaps[0], false) == snapshot_to_json(snap(1, 10), false));
}

TEST_CASE("a line from the first recordings, without the keys added since, is read", "[recording]") {
  TempDir d;
  Json j = snapshot_to_json(snap(1, 10), false);
  for (const char* k : {"origin", "folded"}) j["sockets"][0].erase(k);
  for (const char* k : {"sock_events", "sock_events_lost", "sockets_needed", "max_sockets", "max_threads"})
    j["health"].erase(k);
  j["sockets"][0]["a_key_from_the_future"] = 1;  // unknown keys are ignored
  write_file(d.file("first.jsonl"), j.dump() + "\n");
  std::string warning;
  auto snaps = read_recording(d.file("first.jsonl"), &warning);
  REQUIRE(snaps.size() == 1);
  CHECK(snaps[0].sockets.at(0).ready == 10);
  CHECK(snaps[0].sockets.at(0).folded == 0);
  CHECK(snaps[0].health.max_sockets == 0);
}

TEST_CASE("a recording of a newer format is refused", "[recording]") {
  std::string e = error_after_edit([](Json& j) { j["pollscope_recording"] = 2; });
  CHECK(has(e, "r.jsonl:2: recording format 2 is newer than this pollscope reads (up to 1)"));
  e = error_after_edit([](Json& j) { j["pollscope_recording"] = "one"; });
  CHECK(has(e, "r.jsonl:2: pollscope_recording must be a format number"));
  e = error_after_edit([](Json& j) { j["pollscope_recording"] = 0; });
  CHECK(has(e, "r.jsonl:2: pollscope_recording must be a format number"));
}

TEST_CASE("a missing, directory or empty recording is one clear error", "[recording]") {
  TempDir d;
  CHECK(has(read_error(d.file("missing.jsonl")), "cannot read recording " + d.file("missing.jsonl") +
                                                     ": No such file or directory"));
  CHECK(read_error(d.path) == "recording " + d.path + " is a directory, not a file");
  write_file(d.file("empty.jsonl"), "");
  CHECK(read_error(d.file("empty.jsonl")) == "recording " + d.file("empty.jsonl") + " is empty");
  write_file(d.file("blank.jsonl"), "\n  \n\n");
  CHECK(read_error(d.file("blank.jsonl")) == "recording " + d.file("blank.jsonl") + " holds no snapshot");
}

TEST_CASE("a line over the limit is refused with its number", "[recording]") {
  TempDir d;
  SECTION("a 2 GiB sparse file, one line of zeros, at the default limit") {
    std::string path = d.file("sparse.jsonl");
    write_file(path, "");
    REQUIRE(::truncate(path.c_str(), off_t{2} << 30) == 0);
    CHECK(read_error(path) == path + ":1: line longer than 512 MiB, the limit of a recording line (is this a recording?)");
  }
  SECTION("the second line, at a small limit") {
    std::string good = line_of(snap(1, 10));
    std::string path = d.file("long.jsonl");
    write_file(path, good + "\n" + good + std::string(good.size(), ' ') + "\n");
    CHECK(read_error(path, good.size() + 10) ==
          path + ":2: line longer than " + std::to_string(good.size() + 10) +
              " bytes, the limit of a recording line (is this a recording?)");
    // A line exactly at the limit is fine.
    CHECK(read_error(path, 2 * good.size()) == "");
  }
}

TEST_CASE("a truncated last line is skipped with a warning", "[recording]") {
  TempDir d;
  std::string a = line_of(snap(1, 10)), b = line_of(snap(2, 20)), c = line_of(snap(3, 40));
  std::string path = d.file("cut.jsonl");

  SECTION("cut mid-line: the complete lines are read") {
    write_file(path, a + "\n" + b + "\n" + c.substr(0, c.size() / 2));
    RecordingReader r(path);
    Snapshot s;
    uint64_t ready = 0;
    while (r.next(&s)) ready += s.sockets.at(0).ready;
    CHECK(r.snapshots() == 2);
    CHECK(ready == 30);
    CHECK(r.warning() == path + ":3: last line truncated, skipped");
  }
  SECTION("a complete last line without its newline is read") {
    write_file(path, a + "\n" + c);
    std::string warning;
    CHECK(read_recording(path, &warning).size() == 2);
    CHECK(warning.empty());
  }
  SECTION("the same damage before the last line is an error") {
    write_file(path, a + "\n" + c.substr(0, c.size() / 2) + "\n" + b + "\n");
    CHECK(has(read_error(path), path + ":2: not a JSON document"));
  }
  SECTION("a last line ended by a newline is not forgiven") {
    write_file(path, a + "\n" + c.substr(0, c.size() / 2) + "\n");
    CHECK(has(read_error(path), path + ":2: not a JSON document"));
  }
  SECTION("nothing but a truncated line") {
    write_file(path, c.substr(0, 10));
    CHECK(read_error(path) == "recording " + path + " holds no snapshot (its last line is truncated)");
  }
  SECTION("a truncated last line that is JSON but not a snapshot is an error") {
    write_file(path, a + "\n{\"seq\": 2}");
    CHECK(has(read_error(path), path + ":2: not a pollscope snapshot: missing key start_time"));
  }
}

TEST_CASE("a line of the wrong shape names the key", "[recording]") {
  CHECK(has(error_after_edit([](Json& j) { j.erase("seq"); }), "r.jsonl:2: not a pollscope snapshot: missing key seq"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"][0].erase("ready"); }), "missing key sockets[0].ready"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["ready_to_read"].erase("slots"); }),
            "missing key sockets[0].ready_to_read.slots"));
  CHECK(has(error_after_edit([](Json& j) { j["threads"][0]["wait"].erase("poll"); }),
            "missing key threads[0].wait.poll"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["comm"] = 5; }),
            "sockets[0].comm must be a string, not 5"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"] = Json::object(); }), "sockets must be a list, not an object"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"][0] = 3; }), "sockets[0] must be an object, not 3"));
  // The rows are parsed one at a time: each keeps its place, a list among
  // them is named, and what follows a bad row is still parsed as JSON first.
  CHECK(has(error_after_edit([](Json& j) { j["sockets"].push_back(j["sockets"][0]); j["sockets"][1].erase("fd"); }),
            "missing key sockets[1].fd"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"].push_back(Json::array({1})); }),
            "sockets[1] must be an object, not a list"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"][0] = nullptr; j.erase("cpus"); }),
            "not a pollscope snapshot: missing key cpus"));
  CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["sk"] = "zz"; }),
            "sockets[0].sk must be a hexadecimal string"));
  CHECK(has(error_after_edit([](Json& j) { j["families"] = Json::array({"sock", 1}); }), "families[1] must be a string, not 1"));
  CHECK(has(error_after_edit([](Json& j) { j = Json::array(); }), "r.jsonl:2: not a pollscope snapshot: the line must be a JSON object, not a list"));
  CHECK(has(error_after_edit([](Json& j) { j["health"]["self_cost"] = "yes"; }),
            "health.self_cost must be true or false, not \"yes\""));
}

TEST_CASE("absurd numbers are refused", "[recording]") {
  SECTION("counts: negative, fractional, too big") {
    CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["ready"] = -1; }),
              "r.jsonl:2: not a pollscope snapshot: sockets[0].ready must be a whole number of 0 or more, not -1"));
    CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["reads"] = 1.5; }),
              "sockets[0].reads must be a whole number of 0 or more, not 1.5"));
    CHECK(has(error_after_edit([](Json& j) { j["threads"][0]["wait"]["epoll"]["calls"] = -7; }),
              "threads[0].wait.epoll.calls must be a whole number of 0 or more"));
    CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["pid"] = 1ULL << 40; }),
              "sockets[0].pid must be a whole number from 0 to 4294967295"));
    CHECK(has(error_after_edit([](Json& j) { j["health"]["drops"]["socks"] = -2; }),
              "health.drops.socks must be a whole number of 0 or more"));
  }
  SECTION("times: negative, end before start") {
    CHECK(has(error_after_edit([](Json& j) { j["start_time"] = -1e308; }),
              "r.jsonl:2: impossible snapshot: start_time (-1e+308) is not a time"));
    CHECK(has(error_after_edit([](Json& j) { j["end_time"] = 1e300; }), "end_time (1e+300) is not a time"));
    CHECK(has(error_after_edit([](Json& j) { j["end_time"] = 500.0; }),
              "impossible snapshot: end_time (500.000000) is before start_time (1001.000000)"));
    CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["open_time"] = -3.0; }),
              "sockets[0].open_time (-3) is not a time"));
    CHECK(has(error_after_edit([](Json& j) { j["cpus"][0]["cpu"] = -1; }), "cpus[0].cpu (-1) must be a CPU number"));
  }
  SECTION("times: not finite") {
    // JSON has no infinity; 1e999 is the way to write one, and the parser refuses it.
    TempDir d;
    std::string line = line_of(snap(1, 10));
    std::string inf = line;
    inf.replace(inf.find("\"start_time\":") + 13, 6, "1e999");
    write_file(d.file("inf.jsonl"), line + "\n" + inf + "\n");
    CHECK(read_error(d.file("inf.jsonl")) == d.file("inf.jsonl") + ":2: not a pollscope snapshot: a number out of range");
  }
  SECTION("histograms: slot counts that do not add up, too many slots") {
    CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["ready_to_read"]["count"] = 2; }),
              "sockets[0].ready_to_read.count is 2 but its slots add up to 1"));
    CHECK(has(error_after_edit([](Json& j) { j["threads"][0]["runq"]["slots"] = Json(std::vector<int>(33, 0)); }),
              "threads[0].runq.slots has 33 slots; a histogram has 32"));
    CHECK(has(error_after_edit([](Json& j) { j["sockets"][0]["wake_to_run"]["slots"] = {0, -1}; }),
              "sockets[0].wake_to_run.slots[1] must be a whole number of 0 or more, not -1"));
    CHECK(has(error_after_edit([](Json& j) {
                j["sockets"][0]["ready_to_read"]["slots"] = {~0ULL, 2};
                j["sockets"][0]["ready_to_read"]["count"] = 1;
              }),
              "sockets[0].ready_to_read.slots add up to more than 2^64-1"));
  }
}

TEST_CASE("a line that is not JSON, or nested absurdly deep, names its line", "[recording]") {
  TempDir d;
  std::string good = line_of(snap(1, 10));
  write_file(d.file("g.jsonl"), good + "\nnot json\n" + good + "\n");
  CHECK(read_error(d.file("g.jsonl")) == d.file("g.jsonl") + ":2: not a JSON document (error at byte 2 of the line)");
  write_file(d.file("deep.jsonl"), good + "\n\n" + std::string(100000, '[') + "\n");
  CHECK(read_error(d.file("deep.jsonl")) ==
        d.file("deep.jsonl") + ":3: not a pollscope snapshot: nested deeper than 32 levels");
  // Brackets inside strings do not count.
  Json j = Json::parse(good);
  j["hostname"] = std::string(100, '[');
  write_file(d.file("str.jsonl"), j.dump() + "\n");
  CHECK(read_error(d.file("str.jsonl")) == "");
}
