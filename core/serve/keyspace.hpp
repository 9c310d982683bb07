// The in-memory keyspace behind `--proto resp`: strings, lists, sets and hashes,
// and the commands redis-benchmark's default tests use (PING, ECHO, SET, GET,
// INCR, LPUSH, RPUSH, LPOP, RPOP, SADD, SPOP, HSET, MSET, LRANGE, ...), plus
// CONFIG GET (which redis-benchmark asks at start). Replies are RESP2.
// Thread-safe when built with `locked` (one mutex; --threads > 1).
#pragma once
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace pollscope::serve {

class Keyspace {
 public:
  explicit Keyspace(bool locked = false) : locked_(locked) {}

  // Runs one command (args[0] is its name, any case; args is not empty) and
  // appends the reply to `out`. Returns false when the client asked to close (QUIT).
  bool execute(const std::vector<std::string_view>& args, std::string& out);

  size_t size() const { return map_.size(); }

 private:
  using List = std::deque<std::string>;
  using Set = std::unordered_set<std::string>;
  using Hash = std::unordered_map<std::string, std::string>;
  using Value = std::variant<std::string, List, Set, Hash>;

  bool run(const std::vector<std::string_view>& a, std::string& out);
  Value* find(std::string_view key);
  template <typename T>
  T* get_or_create(std::string_view key, std::string& out, bool* wrongtype);
  void erase(std::string_view key);

  bool locked_;
  std::mutex mu_;
  std::unordered_map<std::string, Value> map_;
  std::string key_;  // reused lookup key: no allocation per lookup
};

}  // namespace pollscope::serve
