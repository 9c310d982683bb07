// Typed reads out of a parsed JSON document, with errors in pollscope's own
// words: which key, where in the document, what it should have been and what it
// was. nlohmann's own exceptions ("[json.exception.out_of_range.403] key 'seq'
// not found") and silent conversions (-1 read as 18446744073709551615, 1.5 as
// 1) never reach a user: every value is type- and range-checked before use.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace pollscope {

// What a reader parses into. Not the ordered_json the writers use: key order
// means nothing to a reader, and ordered_json keeps an object's members in a
// vector that, growing while parsing, deep-copies every member parsed so far
// (its keys are const, so they cannot be moved): a line of 80,000 sockets was
// copied three times over, at twice the peak memory.
using JsonDoc = nlohmann::json;

// A document without the expected shape. Thrown only while one document is
// read; the reading function turns it into its error return.
class ShapeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One JSON object being read, with its place in the document for messages:
// "" for the root, "sockets[3]", "threads[0].wait.epoll".
class JsonObject {
 public:
  JsonObject(const JsonDoc& j, std::string place);  // throws ShapeError when j is not an object

  bool has(const char* key) const { return j_->contains(key); }
  const JsonDoc& at(const char* key) const;                  // throws ShapeError when missing
  JsonObject object(const char* key) const;               // a nested object
  std::vector<JsonObject> objects(const char* key) const;  // a list of objects
  // "sockets[3].ready" for key "ready"; "ready" at the root.
  std::string place(const char* key) const;

 private:
  const JsonDoc* j_;
  std::string place_;
};

// A value in a message: short, whatever it is ("-1", "\"x\"", "[1,2,...").
std::string json_excerpt(const JsonDoc& v);

// A count (a whole number from 0 to 2^64-1, what every counter is): the
// index-th element of the list at key in o. The place of an element is only
// spelt out for an error: a histogram has 32 of them.
uint64_t json_count_in(const JsonDoc& list, size_t index, const JsonObject& o, const char* key);

// get_to(o, key, v): the value at key, checked for v's type; throws ShapeError.
void get_to(const JsonObject& o, const char* key, uint64_t& v);
void get_to(const JsonObject& o, const char* key, uint32_t& v);
void get_to(const JsonObject& o, const char* key, int& v);
void get_to(const JsonObject& o, const char* key, double& v);  // finite
void get_to(const JsonObject& o, const char* key, bool& v);
void get_to(const JsonObject& o, const char* key, std::string& v);
void get_to(const JsonObject& o, const char* key, std::vector<std::string>& v);
void get_to(const JsonObject& o, const char* key, std::map<std::string, uint64_t>& v);
// A hexadecimal string such as "0xffff888012345678".
void get_hex_to(const JsonObject& o, const char* key, uint64_t& v);

}  // namespace pollscope
