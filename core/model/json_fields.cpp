#include "core/model/json_fields.hpp"

#include <fmt/format.h>

#include <climits>
#include <cmath>

namespace pollscope {

namespace {

const char* kind_of(const JsonDoc& v) {
  switch (v.type()) {
    case JsonDoc::value_t::null: return "null";
    case JsonDoc::value_t::object: return "an object";
    case JsonDoc::value_t::array: return "a list";
    case JsonDoc::value_t::string: return "a string";
    case JsonDoc::value_t::boolean: return "true/false";
    case JsonDoc::value_t::number_integer:
    case JsonDoc::value_t::number_unsigned:
    case JsonDoc::value_t::number_float: return "a number";
    default: return "something else";
  }
}

[[noreturn]] void wrong(const std::string& place, const char* wanted, const JsonDoc& v) {
  throw ShapeError(fmt::format("{} must be {}, not {}", place, wanted, json_excerpt(v)));
}

}  // namespace

std::string json_excerpt(const JsonDoc& v) {
  // Containers are named, not dumped: they can be megabytes long.
  if (v.is_object() || v.is_array()) return kind_of(v);
  // dump() of a parsed value cannot fail: the parser has checked its UTF-8.
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

JsonObject::JsonObject(const JsonDoc& j, std::string place) : j_(&j), place_(std::move(place)) {
  if (!j.is_object()) {
    if (place_.empty()) throw ShapeError(fmt::format("the line must be a JSON object, not {}", kind_of(j)));
    wrong(place_, "an object", j);
  }
}

std::string JsonObject::place(const char* key) const { return place_.empty() ? key : place_ + "." + key; }

const JsonDoc& JsonObject::at(const char* key) const {
  auto it = j_->find(key);
  if (it == j_->end()) throw ShapeError("missing key " + place(key));
  return *it;
}

JsonObject JsonObject::object(const char* key) const { return JsonObject(at(key), place(key)); }

std::vector<JsonObject> JsonObject::objects(const char* key) const {
  const JsonDoc& a = at(key);
  if (!a.is_array()) wrong(place(key), "a list", a);
  std::vector<JsonObject> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); i++) out.emplace_back(a[i], fmt::format("{}[{}]", place(key), i));
  return out;
}

// The parser keeps non-negative integers as number_unsigned; negative ones,
// fractions and integers beyond 2^64-1 (kept as floats) are not counts.
constexpr const char* kCount = "a whole number of 0 or more";

uint64_t json_count_in(const JsonDoc& list, size_t index, const JsonObject& o, const char* key) {
  const JsonDoc& v = list[index];
  if (!v.is_number_unsigned()) wrong(fmt::format("{}[{}]", o.place(key), index), kCount, v);
  return v.get<uint64_t>();
}

void get_to(const JsonObject& o, const char* key, uint64_t& v) {
  const JsonDoc& j = o.at(key);
  if (!j.is_number_unsigned()) wrong(o.place(key), kCount, j);
  v = j.get<uint64_t>();
}

void get_to(const JsonObject& o, const char* key, uint32_t& v) {
  const JsonDoc& j = o.at(key);
  if (!j.is_number_unsigned() || j.get<uint64_t>() > UINT32_MAX)
    wrong(o.place(key), "a whole number from 0 to 4294967295", j);
  v = static_cast<uint32_t>(j.get<uint64_t>());
}

void get_to(const JsonObject& o, const char* key, int& v) {
  const JsonDoc& j = o.at(key);
  bool ok = j.is_number_unsigned() ? j.get<uint64_t>() <= INT_MAX
                                   : j.is_number_integer() && j.get<int64_t>() >= INT_MIN;
  if (!ok) wrong(o.place(key), fmt::format("a whole number from {} to {}", INT_MIN, INT_MAX).c_str(), j);
  v = j.is_number_unsigned() ? static_cast<int>(j.get<uint64_t>()) : static_cast<int>(j.get<int64_t>());
}

void get_to(const JsonObject& o, const char* key, double& v) {
  const JsonDoc& j = o.at(key);
  if (!j.is_number() || !std::isfinite(j.get<double>())) wrong(o.place(key), "a number", j);
  v = j.get<double>();
}

void get_to(const JsonObject& o, const char* key, bool& v) {
  const JsonDoc& j = o.at(key);
  if (!j.is_boolean()) wrong(o.place(key), "true or false", j);
  v = j.get<bool>();
}

void get_to(const JsonObject& o, const char* key, std::string& v) {
  const JsonDoc& j = o.at(key);
  if (!j.is_string()) wrong(o.place(key), "a string", j);
  v = j.get<std::string>();
}

void get_to(const JsonObject& o, const char* key, std::vector<std::string>& v) {
  const JsonDoc& j = o.at(key);
  if (!j.is_array()) wrong(o.place(key), "a list of strings", j);
  v.clear();
  for (size_t i = 0; i < j.size(); i++) {
    if (!j[i].is_string()) wrong(fmt::format("{}[{}]", o.place(key), i), "a string", j[i]);
    v.push_back(j[i].get<std::string>());
  }
}

void get_to(const JsonObject& o, const char* key, std::map<std::string, uint64_t>& v) {
  const JsonDoc& j = o.at(key);
  if (!j.is_object()) wrong(o.place(key), "an object of counts", j);
  v.clear();
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_number_unsigned()) wrong(o.place(key) + "." + it.key(), kCount, it.value());
    v[it.key()] = it.value().get<uint64_t>();
  }
}

void get_hex_to(const JsonObject& o, const char* key, uint64_t& v) {
  const JsonDoc& j = o.at(key);
  const std::string* s = j.is_string() ? j.get_ptr<const std::string*>() : nullptr;
  // "0x" and 1 to 16 hex digits: exactly what the writer produces ({:#x}).
  bool ok = s && s->size() > 2 && s->size() <= 18 && (*s)[0] == '0' && ((*s)[1] == 'x' || (*s)[1] == 'X');
  uint64_t n = 0;
  for (size_t i = 2; ok && i < s->size(); i++) {
    char c = (*s)[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) ok = false;
    n = n * 16 + static_cast<uint64_t>(d < 0 ? 0 : d);
  }
  if (!ok) wrong(o.place(key), "a hexadecimal string such as \"0xffff888012345678\"", j);
  v = n;
}

}  // namespace pollscope
