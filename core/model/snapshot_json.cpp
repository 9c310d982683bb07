#include "core/model/snapshot_json.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>

#include "core/base/error.hpp"
#include "core/model/json_fields.hpp"
#include "core/model/metric_json.hpp"
#include "core/model/row_metrics.hpp"

namespace pollscope {

Json socket_to_json(const SocketRow& r, const Snapshot& s, bool derived) {
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
  counters_to_json(kSocketMetrics, r, o);
  // Report-only rates, by hand: not every counter has one, and their order
  // (the JSON report's documented key order) is not the table's.
  if (derived) {
    o["ready_per_s"] = per_second(r.ready, s);
    o["reads_per_s"] = per_second(r.reads, s);
    o["eagain_per_s"] = per_second(r.eagain, s);
    o["wakeups_per_s"] = per_second(r.wakeups, s);
    o["read_bytes_per_s"] = per_second(r.read_bytes, s);
    o["write_bytes_per_s"] = per_second(r.write_bytes, s);
  }
  histograms_to_json(kSocketMetrics, r, derived, o);
  return o;
}

namespace {

// The members before "sockets", added to j.
void head_members(const Snapshot& s, bool derived, Json& j) {
  j["seq"] = s.seq;
  j["start_time"] = s.start_time;
  j["end_time"] = s.end_time;
  if (derived) j["duration_s"] = s.duration_s();
  j["kernel"] = s.kernel;
  j["hostname"] = s.hostname;
  j["filters"] = s.filters;
  j["families"] = s.families;
}

// The members after "sockets", added to j.
void tail_members(const Snapshot& s, bool derived, Json& j) {
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
      counters_to_json(kWaitMetrics, w, wj);
      if (derived) {
        wj["calls_per_s"] = per_second(w.calls, s);
        wj["events_per_call"] = w.calls ? static_cast<double>(w.events) / w.calls : 0.0;
      }
      histograms_to_json(kWaitMetrics, w, derived, wj);
      waits[wait_kind_name(k)] = std::move(wj);
    }
    o["wait"] = std::move(waits);
    counters_to_json(kThreadMetrics, t, o);
    if (derived) {
      o["wakeups_per_s"] = per_second(t.wakeups, s);
      o["invol_switches_per_s"] = per_second(t.invol_switches, s);
      o["blocked_pct"] = percent_of_duration(t.blocked_ns(), s);
    }
    histograms_to_json(kThreadMetrics, t, derived, o);
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
      counters_to_json(kCpuMetrics, c, v, vj);
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
}

// What Json::dump(indent) gives for text, when text is a member at depth
// depth (indent < 0: compact, nothing to add). JSON strings hold no raw line
// break, so every one in text starts a line of its structure.
void indent_into(const std::string& text, int indent, int depth, std::string& out) {
  if (indent < 0) {
    out += text;
    return;
  }
  const std::string pad(static_cast<size_t>(indent * depth), ' ');
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
}

}  // namespace

Json snapshot_to_json(const Snapshot& s, bool derived) {
  Json j;
  head_members(s, derived, j);
  Json socks = Json::array();
  for (const auto& r : s.sockets) socks.push_back(socket_to_json(r, s, derived));
  j["sockets"] = std::move(socks);
  tail_members(s, derived, j);
  return j;
}

void write_snapshot_json(const Snapshot& s, bool derived, Json first, int indent,
                         const std::vector<const SocketRow*>* order, const JsonSink& sink) {
  constexpr size_t kChunkBytes = 64 * 1024;
  // A comm is the kernel's bytes (any a process set, or a character cut at
  // 15 bytes): not UTF-8 is written as U+FFFD, not an exception mid-output.
  auto dump = [indent](const Json& j) { return j.dump(indent, ' ', false, Json::error_handler_t::replace); };
  const bool pretty = indent >= 0;
  const std::string nl = pretty ? "\n" : "", pad1(pretty ? static_cast<size_t>(indent) : 0, ' ');
  const std::string pad2 = pad1 + pad1;
  Json head = std::move(first);
  head_members(s, derived, head);
  std::string out = dump(head);
  out.erase(out.size() - (pretty ? 2 : 1));  // its closing "\n}" or "}"
  out += "," + nl + pad1 + "\"sockets\":" + (pretty ? " [" : "[");
  const size_t rows = order ? order->size() : s.sockets.size();
  for (size_t i = 0; i < rows; i++) {
    const SocketRow& r = order ? *(*order)[i] : s.sockets[i];
    out += (i ? "," : "") + nl + pad2;
    indent_into(dump(socket_to_json(r, s, derived)), indent, 2, out);
    if (out.size() >= kChunkBytes) {
      sink(out);
      out.clear();
    }
  }
  out += rows ? nl + pad1 + "]," : "],";
  Json tail;
  tail_members(s, derived, tail);
  std::string tail_text = dump(tail);
  out.append(tail_text, 1, std::string::npos);  // after its opening "{"
  sink(out);
}

void socket_from_json(const JsonObject& o, SocketRow* r) {
  get_hex_to(o, "sk", r->key.sk);
  get_to(o, "first_seen_ns", r->key.first_seen_ns);
  get_to(o, "pid", r->pid);
  get_to(o, "tid", r->tid);
  get_to(o, "comm", r->comm);
  get_to(o, "fd", r->fd);
  get_to(o, "inode", r->inode);
  get_to(o, "proto", r->proto);
  get_to(o, "local", r->local);
  get_to(o, "remote", r->remote);
  get_to(o, "state", r->state);
  // Added after the first recordings: optional.
  if (o.has("origin")) get_to(o, "origin", r->origin);
  if (o.has("folded")) get_to(o, "folded", r->folded);
  get_to(o, "open_time", r->open_time);
  get_to(o, "close_time", r->close_time);
  get_to(o, "age_s", r->age_s);
  metrics_from_json(kSocketMetrics, o, *r);
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
      socket_from_json(o, &r);
      s.sockets.push_back(std::move(r));
    }
    for (const JsonObject& o : j.objects("threads")) {
      ThreadRow t;
      get_to(o, "pid", t.pid);
      get_to(o, "tid", t.tid);
      get_to(o, "comm", t.comm);
      for (int k = 0; k < kWaitKinds; k++) {
        const JsonObject wj = o.object("wait").object(wait_kind_name(k));
        metrics_from_json(kWaitMetrics, wj, t.wait[k]);
      }
      metrics_from_json(kThreadMetrics, o, t);
      s.threads.push_back(std::move(t));
    }
    for (const JsonObject& o : j.objects("cpus")) {
      CpuRow c;
      get_to(o, "cpu", c.cpu);
      for (int v = 0; v < kSoftirqVectors; v++) {
        const JsonObject vj = o.object("softirq").object(softirq_name(v));
        metrics_from_json(kCpuMetrics, vj, v, c);
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
  bool ok = true;
  write_snapshot_json(s, false, Json{{"pollscope_recording", kRecordingFormat}}, -1, nullptr,
                      [&](const std::string& text) {
                        ok = ok && std::fwrite(text.data(), 1, text.size(), file_) == text.size();
                      });
  if (!ok || std::fputc('\n', file_) == EOF || std::fflush(file_) != 0)
    throw Fatal("cannot write recording " + path_ + ": " + errno_text(errno));
}

}  // namespace pollscope
