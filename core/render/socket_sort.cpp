#include <algorithm>
#include <functional>

#include "core/base/error.hpp"
#include "core/render/report_options.hpp"

namespace pollscope {

namespace {

using Metric = std::function<double(const SocketRow&)>;

const std::vector<std::pair<std::string, Metric>>& metrics() {
  static const std::vector<std::pair<std::string, Metric>> m = {
      {"ready", [](const SocketRow& r) { return double(r.ready); }},
      {"reads", [](const SocketRow& r) { return double(r.reads); }},
      {"eagain", [](const SocketRow& r) { return double(r.eagain); }},
      {"ready-read-p99", [](const SocketRow& r) { return r.ready_to_read.percentile_ns(0.99); }},
      {"ready-read-p50", [](const SocketRow& r) { return r.ready_to_read.percentile_ns(0.50); }},
      {"wakeups", [](const SocketRow& r) { return double(r.wakeups); }},
      {"wake-run-p99", [](const SocketRow& r) { return r.wake_to_run.percentile_ns(0.99); }},
      {"bytes", [](const SocketRow& r) { return double(r.read_bytes + r.write_bytes); }},
      {"age", [](const SocketRow& r) { return r.age_s; }},
      {"pid", [](const SocketRow& r) { return -double(r.pid); }},
  };
  return m;
}

}  // namespace

const std::vector<std::string>& socket_sort_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& [name, f] : metrics()) k.push_back(name);
    return k;
  }();
  return keys;
}

void check_sort_key(const std::string& key) {
  for (const auto& k : socket_sort_keys())
    if (k == key) return;
  std::string all;
  for (const auto& k : socket_sort_keys()) all += (all.empty() ? "" : ", ") + k;
  throw Fatal("unknown sort key '" + key + "' (choose from " + all + ")", kExitUsage);
}

std::vector<const SocketRow*> sorted_sockets(const Snapshot& s, const std::string& key) {
  Metric metric = metrics().front().second;
  for (const auto& [name, f] : metrics())
    if (name == key) metric = f;
  std::vector<const SocketRow*> rows;
  for (const auto& r : s.sockets) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(), [&](const SocketRow* a, const SocketRow* b) {
    double ma = metric(*a), mb = metric(*b);
    if (ma != mb) return ma > mb;
    if (a->pid != b->pid) return a->pid < b->pid;
    if (a->fd != b->fd) return a->fd < b->fd;
    return a->key < b->key;
  });
  return rows;
}

}  // namespace pollscope
