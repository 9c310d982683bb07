#include "core/model/snapshot_json.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>

#include "core/base/error.hpp"
#include "core/model/json_fields.hpp"

namespace pollscope {

namespace {

Json hist_to_json(const Log2Histogram& h, bool derived) {
  Json j;
  j["count"] = h.count();
  j["sum_ns"] = h.sum_ns;
  j["max_ns"] = h.max_ns;
  if (derived) {
    j["p50_ns"] = static_cast<uint64_t>(h.percentile_ns(0.50));
    j["p90_ns"] = static_cast<uint64_t>(h.percentile_ns(0.90));
    j["p99_ns"] = static_cast<uint64_t>(h.percentile_ns(0.99));
  }
  // Trailing empty slots are left out.
  int last = Log2Histogram::kSlots - 1;
  while (last >= 0 && h.slots[last] == 0) last--;
  Json slots = Json::array();
  for (int k = 0; k <= last; k++) slots.push_back(h.slots[k]);
  j["slots"] = slots;
  return j;
}

void hist_from_json(const JsonObject& o, Log2Histogram* h) {
  get_to(o, "sum_ns", h->sum_ns);
  get_to(o, "max_ns", h->max_ns);
  const JsonDoc& slots = o.at("slots");
  if (!slots.is_array())
    throw ShapeError(o.place("slots") + " must be a list of counts, not " + json_excerpt(slots));
  if (slots.size() > Log2Histogram::kSlots)
    throw ShapeError(fmt::format("{} has {} slots; a histogram has {}", o.place("slots"), slots.size(),
                                 Log2Histogram::kSlots));
  h->slots.fill(0);
  for (size_t k = 0; k < slots.size(); k++) h->slots[k] = json_count_in(slots, k, o, "slots");
  // The writer stores the total next to the slots: a mismatch means the line
  // was edited or corrupted, and percentiles would be computed from wrong counts.
  uint64_t count = 0, total = 0;
  get_to(o, "count", count);
  for (uint64_t n : h->slots) {
    if (__builtin_add_overflow(total, n, &total))
      throw ShapeError(o.place("slots") + " add up to more than 2^64-1");
  }
  if (total != count)
    throw ShapeError(fmt::format("{} is {} but its slots add up to {}", o.place("count"), count, total));
}

}  // namespace

Json snapshot_to_json(const Snapshot& s, bool derived) {
  Json j;
  j["seq"] = s.seq;
  j["start_time"] = s.start_time;
  j["end_time"] = s.end_time;
  if (derived) j["duration_s"] = s.duration_s();
  j["kernel"] = s.kernel;
  j["hostname"] = s.hostname;
  j["filters"] = s.filters;
  j["families"] = s.families;

  Json socks = Json::array();
  for (const auto& r : s.sockets) {
    Json o;
    o["sk"] = fmt::format("{:#x}", r.key.sk);
    o["first_seen_ns"] = r.key.first_seen_ns;
    o["pid"] = r.pid;
    o["tid"] = r.tid;
    o["comm"] = r.comm;
    o["fd"] = r.fd;
    o["inode"] = r.inode;
    o["proto"] = r.proto;
    o["local"] = r.local;
    o["remote"] = r.remote;
    o["state"] = r.state;
    o["origin"] = r.origin;
    o["folded"] = r.folded;
    o["open_time"] = r.open_time;
    o["close_time"] = r.close_time;
    o["age_s"] = r.age_s;
    o["ready"] = r.ready;
    o["reads"] = r.reads;
    o["read_bytes"] = r.read_bytes;
    o["eagain"] = r.eagain;
    o["writes"] = r.writes;
    o["write_bytes"] = r.write_bytes;
    o["wakeups"] = r.wakeups;
    if (derived) {
      o["ready_per_s"] = per_second(r.ready, s);
      o["reads_per_s"] = per_second(r.reads, s);
      o["eagain_per_s"] = per_second(r.eagain, s);
      o["wakeups_per_s"] = per_second(r.wakeups, s);
      o["read_bytes_per_s"] = per_second(r.read_bytes, s);
      o["write_bytes_per_s"] = per_second(r.write_bytes, s);
    }
    o["ready_to_read"] = hist_to_json(r.ready_to_read, derived);
    o["wake_to_run"] = hist_to_json(r.wake_to_run, derived);
    socks.push_back(std::move(o));
  }
  j["sockets"] = std::move(socks);

  Json threads = Json::array();
  for (const auto& t : s.threads) {
    Json o;
    o["pid"] = t.pid;
    o["tid"] = t.tid;
    o["comm"] = t.comm;
    Json waits;
    for (int k = 0; k < kWaitKinds; k++) {
      const WaitStats& w = t.wait[k];
      Json wj;
      wj["calls"] = w.calls;
      wj["events"] = w.events;
      wj["zero"] = w.zero;
      wj["errors"] = w.errors;
      if (derived) {
        wj["calls_per_s"] = per_second(w.calls, s);
        wj["events_per_call"] = w.calls ? static_cast<double>(w.events) / w.calls : 0.0;
      }
      wj["blocked"] = hist_to_json(w.blocked, derived);
      waits[wait_kind_name(k)] = std::move(wj);
    }
    o["wait"] = std::move(waits);
    o["wakeups"] = t.wakeups;
    o["sock_wakeups"] = t.sock_wakeups;
    o["invol_switches"] = t.invol_switches;
    o["vol_switches"] = t.vol_switches;
    if (derived) {
      o["wakeups_per_s"] = per_second(t.wakeups, s);
      o["invol_switches_per_s"] = per_second(t.invol_switches, s);
      o["blocked_pct"] = percent_of_duration(t.blocked_ns(), s);
    }
    o["runq"] = hist_to_json(t.runq, derived);
    threads.push_back(std::move(o));
  }
  j["threads"] = std::move(threads);

  Json cpus = Json::array();
  for (const auto& c : s.cpus) {
    Json o;
    o["cpu"] = c.cpu;
    Json vecs;
    for (int v = 0; v < kSoftirqVectors; v++) {
      Json vj;
      vj["count"] = c.count[v];
      vj["time_ns"] = c.time_ns[v];
      if (derived) {
        vj["time_pct"] = percent_of_duration(c.time_ns[v], s);
      }
      vecs[softirq_name(v)] = std::move(vj);
    }
    o["softirq"] = std::move(vecs);
    cpus.push_back(std::move(o));
  }
  j["cpus"] = std::move(cpus);

  Json health;
  health["events"] = s.health.events;
  health["drops"] = s.health.drops;
  if (derived) health["total_drops"] = s.health.total_drops();
  health["sock_events"] = s.health.sock_events;
  health["sock_events_lost"] = s.health.sock_events_lost;
  health["max_sockets"] = s.health.max_sockets;
  health["max_threads"] = s.health.max_threads;
  health["sockets_needed"] = s.health.sockets_needed;
  if (derived) {
    health["complete"] = s.health.complete();
    health["sock_events_lost_pct"] = 100.0 * s.health.sock_lost_share();
    health["suggested_max_sockets"] = s.health.suggested_max_sockets();
    health["suggested_max_threads"] = s.health.suggested_max_threads();
  }
  health["self_cost"] = s.health.self_cost;
  Json probes = Json::array();
  for (const auto& p : s.health.probes) {
    Json o;
    o["tracepoint"] = p.tracepoint;
    o["family"] = p.family;
    o["method"] = p.method;
    o["attached"] = p.attached;
    o["reason"] = p.reason;
    o["program"] = p.program;
    o["run_cnt"] = p.run_cnt;
    o["run_time_ns"] = p.run_time_ns;
    if (derived) o["ns_per_event"] = p.run_cnt ? static_cast<double>(p.run_time_ns) / p.run_cnt : 0.0;
    probes.push_back(std::move(o));
  }
  health["probes"] = std::move(probes);
  j["health"] = std::move(health);
  return j;
}

bool snapshot_from_json(const JsonDoc& doc, Snapshot* out, std::string* error) {
  try {
    JsonObject j(doc, "");
    Snapshot s;
    get_to(j, "seq", s.seq);
    get_to(j, "start_time", s.start_time);
    get_to(j, "end_time", s.end_time);
    get_to(j, "kernel", s.kernel);
    get_to(j, "hostname", s.hostname);
    get_to(j, "filters", s.filters);
    get_to(j, "families", s.families);
    for (const JsonObject& o : j.objects("sockets")) {
      SocketRow r;
      get_hex_to(o, "sk", r.key.sk);
      get_to(o, "first_seen_ns", r.key.first_seen_ns);
      get_to(o, "pid", r.pid);
      get_to(o, "tid", r.tid);
      get_to(o, "comm", r.comm);
      get_to(o, "fd", r.fd);
      get_to(o, "inode", r.inode);
      get_to(o, "proto", r.proto);
      get_to(o, "local", r.local);
      get_to(o, "remote", r.remote);
      get_to(o, "state", r.state);
      // Added after the first recordings: optional.
      if (o.has("origin")) get_to(o, "origin", r.origin);
      if (o.has("folded")) get_to(o, "folded", r.folded);
      get_to(o, "open_time", r.open_time);
      get_to(o, "close_time", r.close_time);
      get_to(o, "age_s", r.age_s);
      get_to(o, "ready", r.ready);
      get_to(o, "reads", r.reads);
      get_to(o, "read_bytes", r.read_bytes);
      get_to(o, "eagain", r.eagain);
      get_to(o, "writes", r.writes);
      get_to(o, "write_bytes", r.write_bytes);
      get_to(o, "wakeups", r.wakeups);
      hist_from_json(o.object("ready_to_read"), &r.ready_to_read);
      hist_from_json(o.object("wake_to_run"), &r.wake_to_run);
      s.sockets.push_back(std::move(r));
    }
    for (const JsonObject& o : j.objects("threads")) {
      ThreadRow t;
      get_to(o, "pid", t.pid);
      get_to(o, "tid", t.tid);
      get_to(o, "comm", t.comm);
      for (int k = 0; k < kWaitKinds; k++) {
        const JsonObject wj = o.object("wait").object(wait_kind_name(k));
        get_to(wj, "calls", t.wait[k].calls);
        get_to(wj, "events", t.wait[k].events);
        get_to(wj, "zero", t.wait[k].zero);
        get_to(wj, "errors", t.wait[k].errors);
        hist_from_json(wj.object("blocked"), &t.wait[k].blocked);
      }
      get_to(o, "wakeups", t.wakeups);
      get_to(o, "sock_wakeups", t.sock_wakeups);
      get_to(o, "invol_switches", t.invol_switches);
      get_to(o, "vol_switches", t.vol_switches);
      hist_from_json(o.object("runq"), &t.runq);
      s.threads.push_back(std::move(t));
    }
    for (const JsonObject& o : j.objects("cpus")) {
      CpuRow c;
      get_to(o, "cpu", c.cpu);
      for (int v = 0; v < kSoftirqVectors; v++) {
        const JsonObject vj = o.object("softirq").object(softirq_name(v));
        get_to(vj, "count", c.count[v]);
        get_to(vj, "time_ns", c.time_ns[v]);
      }
      s.cpus.push_back(c);
    }
    const JsonObject h = j.object("health");
    get_to(h, "events", s.health.events);
    get_to(h, "drops", s.health.drops);
    get_to(h, "self_cost", s.health.self_cost);
    // Added after the first recordings: optional.
    for (auto [key, field] : {std::pair<const char*, uint64_t*>{"sock_events", &s.health.sock_events},
                              {"sock_events_lost", &s.health.sock_events_lost},
                              {"sockets_needed", &s.health.sockets_needed}})
      if (h.has(key)) get_to(h, key, *field);
    if (h.has("max_sockets")) get_to(h, "max_sockets", s.health.max_sockets);
    if (h.has("max_threads")) get_to(h, "max_threads", s.health.max_threads);
    for (const JsonObject& o : h.objects("probes")) {
      ProbeHealth p;
      get_to(o, "tracepoint", p.tracepoint);
      get_to(o, "family", p.family);
      get_to(o, "method", p.method);
      get_to(o, "attached", p.attached);
      get_to(o, "reason", p.reason);
      get_to(o, "program", p.program);
      get_to(o, "run_cnt", p.run_cnt);
      get_to(o, "run_time_ns", p.run_time_ns);
      s.health.probes.push_back(std::move(p));
    }
    *out = std::move(s);
    return true;
  } catch (const ShapeError& e) {
    *error = e.what();
    return false;
  }
}

RecordingWriter::RecordingWriter(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "w");
  if (!file_) throw Fatal("cannot write recording " + path + ": " + errno_text(errno));
}

RecordingWriter::~RecordingWriter() {
  if (file_) std::fclose(file_);
}

void RecordingWriter::write(const Snapshot& s) {
  // The format version goes first on every line, so each line stands alone: a
  // recording cut short, tailed or concatenated with another still says what it
  // is. Spliced into the text: re-inserting the members into a new ordered_json
  // would copy them whenever its member vector grows.
  std::string body = snapshot_to_json(s, false).dump();  // "{...}"
  std::string line = fmt::format("{{\"pollscope_recording\":{},", kRecordingFormat);
  line.append(body, 1, std::string::npos);
  line += "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
    throw Fatal("cannot write recording " + path_ + ": " + errno_text(errno));
}

}  // namespace pollscope
