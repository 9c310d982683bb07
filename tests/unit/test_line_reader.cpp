// The bounded line reader: lines split at '\n', a line over the limit refused
// without being held, a last line without '\n' reported as such.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/base/line_reader.hpp"

using namespace pollscope;

namespace {

std::string temp_file(const std::string& text) {
  char tmpl[] = "/tmp/pollscope-lines-XXXXXX";
  int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(tmpl, std::ios::binary) << text;
  return tmpl;
}

LineReader reader_of(const std::string& path, size_t max) {
  return LineReader(UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), max);
}

}  // namespace

TEST_CASE("the line reader never holds more than its limit", "[recording]") {
  std::string path = temp_file("abc\n\nabcd\nlast");
  LineReader r = reader_of(path, 3);
  std::string line;
  REQUIRE(r.next(&line) == LineReader::Result::kLine);
  CHECK(line == "abc");
  CHECK(r.had_newline());
  REQUIRE(r.next(&line) == LineReader::Result::kLine);
  CHECK(line.empty());
  CHECK(r.next(&line) == LineReader::Result::kTooLong);
  CHECK(r.line_number() == 3);
  CHECK(line.empty());

  LineReader tail = reader_of(path, 100);
  for (int i = 0; i < 3; i++) REQUIRE(tail.next(&line) == LineReader::Result::kLine);
  REQUIRE(tail.next(&line) == LineReader::Result::kLine);
  CHECK(line == "last");
  CHECK_FALSE(tail.had_newline());
  CHECK(tail.next(&line) == LineReader::Result::kEnd);
  CHECK(tail.saw_bytes());
  std::filesystem::remove(path);
}

TEST_CASE("the line reader tells an empty file from blank lines", "[recording]") {
  std::string empty = temp_file(""), blank = temp_file("\n");
  std::string line;
  LineReader e = reader_of(empty, 10);
  CHECK(e.next(&line) == LineReader::Result::kEnd);
  CHECK_FALSE(e.saw_bytes());
  LineReader b = reader_of(blank, 10);
  CHECK(b.next(&line) == LineReader::Result::kLine);
  CHECK(line.empty());
  CHECK(b.next(&line) == LineReader::Result::kEnd);
  CHECK(b.saw_bytes());
  std::filesystem::remove(empty);
  std::filesystem::remove(blank);
}

TEST_CASE("the line reader reads lines longer than its buffer", "[recording]") {
  // 256 KiB is read at a time: a line spanning several reads comes out whole.
  std::string big(600 * 1024, 'x');
  std::string path = temp_file(big + "\n" + big);
  std::string line;
  LineReader r = reader_of(path, big.size());
  REQUIRE(r.next(&line) == LineReader::Result::kLine);
  CHECK(line == big);
  REQUIRE(r.next(&line) == LineReader::Result::kLine);
  CHECK(line == big);
  CHECK_FALSE(r.had_newline());
  CHECK(r.line_number() == 2);
  std::filesystem::remove(path);
}

