#include "core/serve/keyspace.hpp"

#include <algorithm>
#include <charconv>
#include <climits>

#include "core/serve/resp_writer.hpp"

namespace pollscope::serve {

namespace {

constexpr std::string_view kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive comparison with a lower-case literal.
bool is(std::string_view a, std::string_view lit) {
  if (a.size() != lit.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lit[i]) return false;
  return true;
}

bool to_ll(std::string_view s, long long* v) {
  if (s.empty() || s.size() > 20) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

void wrong_args(std::string& out, std::string_view name) {
  out += "-ERR wrong number of arguments for '";
  for (char c : name) out += lower(c);
  out += "' command\r\n";
}

}  // namespace

bool Keyspace::execute(const std::vector<std::string_view>& args, std::string& out) {
  if (!locked_) return run(args, out);
  std::lock_guard<std::mutex> g(mu_);
  return run(args, out);
}

Keyspace::Value* Keyspace::find(std::string_view key) {
  key_.assign(key.data(), key.size());
  auto it = map_.find(key_);
  return it == map_.end() ? nullptr : &it->second;
}

void Keyspace::erase(std::string_view key) {
  key_.assign(key.data(), key.size());
  map_.erase(key_);
}

template <typename T>
T* Keyspace::get_or_create(std::string_view key, std::string& out, bool* wrongtype) {
  *wrongtype = false;
  key_.assign(key.data(), key.size());
  auto it = map_.find(key_);
  if (it == map_.end()) it = map_.emplace(key_, Value(std::in_place_type<T>)).first;
  T* v = std::get_if<T>(&it->second);
  if (v == nullptr) {
    *wrongtype = true;
    resp::error(out, kWrongType);
  }
  return v;
}

bool Keyspace::run(const std::vector<std::string_view>& a, std::string& out) {
  const std::string_view cmd = a[0];
  const size_t n = a.size();
  bool wt = false;

  if (is(cmd, "ping")) {
    if (n == 1) out += "+PONG\r\n";
    else if (n == 2) resp::bulk(out, a[1]);
    else wrong_args(out, cmd);
  } else if (is(cmd, "set")) {
    if (n != 3) {
      if (n < 3) wrong_args(out, cmd);
      else out += "-ERR syntax error\r\n";
      return true;
    }
    key_.assign(a[1].data(), a[1].size());
    auto it = map_.find(key_);
    if (it == map_.end()) {
      map_.emplace(key_, Value(std::in_place_type<std::string>, a[2]));
    } else if (auto* s = std::get_if<std::string>(&it->second)) {
      s->assign(a[2].data(), a[2].size());
    } else {
      it->second = Value(std::in_place_type<std::string>, a[2]);
    }
    resp::ok(out);
  } else if (is(cmd, "get")) {
    if (n != 2) return wrong_args(out, cmd), true;
    Value* v = find(a[1]);
    if (v == nullptr) resp::null_bulk(out);
    else if (auto* s = std::get_if<std::string>(v)) resp::bulk(out, *s);
    else resp::error(out, kWrongType);
  } else if (is(cmd, "incr") || is(cmd, "decr") || is(cmd, "incrby") || is(cmd, "decrby")) {
    bool by = cmd.size() == 6;
    if (n != (by ? 3u : 2u)) return wrong_args(out, cmd), true;
    long long delta = 1;
    if (by && !to_ll(a[2], &delta)) return out += "-ERR value is not an integer or out of range\r\n", true;
    if (lower(cmd[0]) == 'd') delta = -delta;
    auto* s = get_or_create<std::string>(a[1], out, &wt);
    if (s == nullptr) return true;
    long long cur = 0;
    if (!s->empty() && !to_ll(*s, &cur)) return out += "-ERR value is not an integer or out of range\r\n", true;
    if ((delta > 0 && cur > LLONG_MAX - delta) || (delta < 0 && cur < LLONG_MIN - delta)) {
      return out += "-ERR increment or decrement would overflow\r\n", true;
    }
    cur += delta;
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, cur);
    s->assign(buf, static_cast<size_t>(r.ptr - buf));
    resp::integer(out, cur);
  } else if (is(cmd, "lpush") || is(cmd, "rpush")) {
    if (n < 3) return wrong_args(out, cmd), true;
    auto* l = get_or_create<List>(a[1], out, &wt);
    if (l == nullptr) return true;
    bool left = lower(cmd[0]) == 'l';
    for (size_t i = 2; i < n; ++i) {
      if (left) l->emplace_front(a[i]);
      else l->emplace_back(a[i]);
    }
    resp::integer(out, static_cast<long long>(l->size()));
  } else if (is(cmd, "lpop") || is(cmd, "rpop")) {
    if (n != 2) return wrong_args(out, cmd), true;
    Value* v = find(a[1]);
    if (v == nullptr) return resp::null_bulk(out), true;
    auto* l = std::get_if<List>(v);
    if (l == nullptr) return resp::error(out, kWrongType), true;
    if (lower(cmd[0]) == 'l') {
      resp::bulk(out, l->front());
      l->pop_front();
    } else {
      resp::bulk(out, l->back());
      l->pop_back();
    }
    if (l->empty()) erase(a[1]);
  } else if (is(cmd, "llen")) {
    if (n != 2) return wrong_args(out, cmd), true;
    Value* v = find(a[1]);
    if (v == nullptr) return resp::integer(out, 0), true;
    auto* l = std::get_if<List>(v);
    if (l == nullptr) return resp::error(out, kWrongType), true;
    resp::integer(out, static_cast<long long>(l->size()));
  } else if (is(cmd, "lrange")) {
    if (n != 4) return wrong_args(out, cmd), true;
    long long start = 0, stop = 0;
    if (!to_ll(a[2], &start) || !to_ll(a[3], &stop)) {
      return out += "-ERR value is not an integer or out of range\r\n", true;
    }
    Value* v = find(a[1]);
    if (v == nullptr) return resp::array_header(out, 0), true;
    auto* l = std::get_if<List>(v);
    if (l == nullptr) return resp::error(out, kWrongType), true;
    long long size = static_cast<long long>(l->size());
    if (start < 0) start = std::max(0LL, size + start);
    if (stop < 0) stop = size + stop;
    if (stop >= size) stop = size - 1;
    if (start > stop || start >= size) return resp::array_header(out, 0), true;
    resp::array_header(out, stop - start + 1);
    for (long long i = start; i <= stop; ++i) resp::bulk(out, (*l)[static_cast<size_t>(i)]);
  } else if (is(cmd, "sadd")) {
    if (n < 3) return wrong_args(out, cmd), true;
    auto* s = get_or_create<Set>(a[1], out, &wt);
    if (s == nullptr) return true;
    long long added = 0;
    for (size_t i = 2; i < n; ++i) added += s->emplace(a[i]).second ? 1 : 0;
    resp::integer(out, added);
  } else if (is(cmd, "spop")) {
    if (n != 2) return wrong_args(out, cmd), true;
    Value* v = find(a[1]);
    if (v == nullptr) return resp::null_bulk(out), true;
    auto* s = std::get_if<Set>(v);
    if (s == nullptr) return resp::error(out, kWrongType), true;
    auto it = s->begin();
    resp::bulk(out, *it);
    s->erase(it);
    if (s->empty()) erase(a[1]);
  } else if (is(cmd, "scard")) {
    if (n != 2) return wrong_args(out, cmd), true;
    Value* v = find(a[1]);
    if (v == nullptr) return resp::integer(out, 0), true;
    auto* s = std::get_if<Set>(v);
    if (s == nullptr) return resp::error(out, kWrongType), true;
    resp::integer(out, static_cast<long long>(s->size()));
  } else if (is(cmd, "hset")) {
    if (n < 4 || n % 2 != 0) return wrong_args(out, cmd), true;
    auto* h = get_or_create<Hash>(a[1], out, &wt);
    if (h == nullptr) return true;
    long long added = 0;
    for (size_t i = 2; i + 1 < n; i += 2) {
      auto r = h->try_emplace(std::string(a[i]));
      if (r.second) ++added;
      r.first->second.assign(a[i + 1].data(), a[i + 1].size());
    }
    resp::integer(out, added);
  } else if (is(cmd, "hget")) {
    if (n != 3) return wrong_args(out, cmd), true;
    Value* v = find(a[1]);
    if (v == nullptr) return resp::null_bulk(out), true;
    auto* h = std::get_if<Hash>(v);
    if (h == nullptr) return resp::error(out, kWrongType), true;
    auto it = h->find(std::string(a[2]));
    if (it == h->end()) resp::null_bulk(out);
    else resp::bulk(out, it->second);
  } else if (is(cmd, "mset")) {
    if (n < 3 || n % 2 == 0) return wrong_args(out, cmd), true;
    for (size_t i = 1; i + 1 < n; i += 2) {
      key_.assign(a[i].data(), a[i].size());
      auto it = map_.find(key_);
      if (it == map_.end()) map_.emplace(key_, Value(std::in_place_type<std::string>, a[i + 1]));
      else if (auto* s = std::get_if<std::string>(&it->second)) s->assign(a[i + 1].data(), a[i + 1].size());
      else it->second = Value(std::in_place_type<std::string>, a[i + 1]);
    }
    resp::ok(out);
  } else if (is(cmd, "mget")) {
    if (n < 2) return wrong_args(out, cmd), true;
    resp::array_header(out, static_cast<long long>(n - 1));
    for (size_t i = 1; i < n; ++i) {
      Value* v = find(a[i]);
      auto* s = v ? std::get_if<std::string>(v) : nullptr;
      if (s) resp::bulk(out, *s);
      else resp::null_bulk(out);
    }
  } else if (is(cmd, "del") || is(cmd, "exists")) {
    if (n < 2) return wrong_args(out, cmd), true;
    bool del = cmd.size() == 3;
    long long count = 0;
    for (size_t i = 1; i < n; ++i) {
      if (find(a[i]) == nullptr) continue;
      ++count;
      if (del) erase(a[i]);
    }
    resp::integer(out, count);
  } else if (is(cmd, "echo")) {
    if (n != 2) return wrong_args(out, cmd), true;
    resp::bulk(out, a[1]);
  } else if (is(cmd, "dbsize")) {
    resp::integer(out, static_cast<long long>(map_.size()));
  } else if (is(cmd, "flushall") || is(cmd, "flushdb")) {
    map_.clear();
    resp::ok(out);
  } else if (is(cmd, "select")) {
    if (n != 2) return wrong_args(out, cmd), true;
    if (a[1] == "0") resp::ok(out);
    else out += "-ERR DB index is out of range\r\n";
  } else if (is(cmd, "config")) {
    // redis-benchmark asks for "save" and "appendonly" before it starts.
    if (n == 3 && is(a[1], "get")) {
      std::string_view p = a[2];
      if (is(p, "save")) {
        resp::array_header(out, 2), resp::bulk(out, "save"), resp::bulk(out, "");
      } else if (is(p, "appendonly")) {
        resp::array_header(out, 2), resp::bulk(out, "appendonly"), resp::bulk(out, "no");
      } else {
        resp::array_header(out, 0);
      }
    } else {
      out += "-ERR unsupported CONFIG subcommand\r\n";
    }
  } else if (is(cmd, "command")) {
    resp::array_header(out, 0);
  } else if (is(cmd, "quit")) {
    resp::ok(out);
    return false;
  } else {
    out += "-ERR unknown command '";
    for (char c : cmd.substr(0, 64)) out += (c == '\r' || c == '\n') ? ' ' : c;
    out += "'\r\n";
  }
  return true;
}

}  // namespace pollscope::serve
