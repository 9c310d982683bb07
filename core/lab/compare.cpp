#include "core/lab/compare.hpp"

#include <fmt/format.h>

namespace pollscope {

namespace {

double num(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

double per(double count, uint64_t requests) { return requests ? count / static_cast<double>(requests) : 0.0; }

std::string small(double v) {
  if (v == 0) return "0";
  if (v < 0.01) return fmt::format("{:.3f}", v);
  if (v < 10) return fmt::format("{:.2f}", v);
  if (v < 1000) return fmt::format("{:.0f}", v);
  return fmt::format("{:.1f}k", v / 1000);
}

std::string us(double v) { return v < 1000 ? fmt::format("{:.0f}us", v) : fmt::format("{:.1f}ms", v / 1000); }

}  // namespace

CompareRow make_compare_row(const std::string& mode, int connections, const Snapshot& server,
                            const nlohmann::json& load, double cpu_s, double wall_s, pid_t server_pid) {
  CompareRow r;
  r.mode = mode;
  r.connections = connections;
  r.rate_asked = num(load, "rate_asked");
  r.qps = num(load, "throughput_rps");
  r.requests = static_cast<uint64_t>(num(load, "requests"));
  if (load.contains("latency_us")) {
    r.p50_us = num(load["latency_us"], "p50");
    r.p99_us = num(load["latency_us"], "p99");
  }
  if (load.contains("errors")) r.errors = static_cast<uint64_t>(num(load["errors"], "total"));
  r.server_cpu_pct = wall_s > 0 ? 100.0 * cpu_s / wall_s : 0;
  r.cpu_us_per_req = per(cpu_s * 1e6, r.requests);

  uint64_t waits = 0, wakeups = 0, switches = 0, reads = 0, eagain = 0;
  Log2Histogram r2r, w2r;
  for (const auto& t : server.threads) {
    if (t.pid != static_cast<uint32_t>(server_pid)) continue;
    r.server_threads++;
    waits += t.wait_calls();
    wakeups += t.wakeups;
    switches += t.vol_switches + t.invol_switches;
  }
  for (const auto& s : server.sockets) {
    if (s.pid != static_cast<uint32_t>(server_pid)) continue;
    reads += s.reads;
    eagain += s.eagain;
    r2r.add(s.ready_to_read);
    w2r.add(s.wake_to_run);
  }
  r.waits_per_req = per(waits, r.requests);
  r.reads_per_req = per(reads, r.requests);
  r.eagain_per_req = per(eagain, r.requests);
  r.wakeups_per_req = per(wakeups, r.requests);
  r.ctxsw_per_req = per(switches, r.requests);
  r.ready_read_p99_ns = r2r.percentile_ns(0.99);
  r.wake_run_p99_ns = w2r.percentile_ns(0.99);
  return r;
}

std::string render_compare_text(const std::vector<CompareRow>& rows) {
  std::string out = fmt::format("{:<9} {:>5} {:>7} {:>7} {:>7} {:>4} {:>5} {:>7} | {:>6} {:>6} {:>8} {:>6} {:>6} | {:>7} {:>7}\n",
                                "MODE", "CONNS", "QPS", "p50", "p99", "THR", "CPU%", "CPU/req", "WAIT/r", "READ/r",
                                "EAGAIN/r", "WAKE/r", "CSW/r", "R>R p99", "W>R p99");
  for (const auto& r : rows) {
    out += fmt::format("{:<9} {:>5} {:>7.0f} {:>7} {:>7} {:>4} {:>5.0f} {:>7} | {:>6} {:>6} {:>8} {:>6} {:>6} | {:>7} {:>7}\n",
                       r.mode, r.connections, r.qps, us(r.p50_us), us(r.p99_us), r.server_threads, r.server_cpu_pct,
                       us(r.cpu_us_per_req), small(r.waits_per_req), small(r.reads_per_req), small(r.eagain_per_req),
                       small(r.wakeups_per_req), small(r.ctxsw_per_req),
                       r.ready_read_p99_ns ? format_ns(r.ready_read_p99_ns) : "-",
                       r.wake_run_p99_ns ? format_ns(r.wake_run_p99_ns) : "-");
  }
  return out;
}

std::string render_compare_json(const std::vector<CompareRow>& rows) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    nlohmann::ordered_json o;
    o["mode"] = r.mode;
    o["connections"] = r.connections;
    o["rate_asked"] = r.rate_asked;
    o["qps"] = r.qps;
    o["requests"] = r.requests;
    o["errors"] = r.errors;
    o["p50_us"] = r.p50_us;
    o["p99_us"] = r.p99_us;
    o["server_threads"] = r.server_threads;
    o["server_cpu_pct"] = r.server_cpu_pct;
    o["cpu_us_per_request"] = r.cpu_us_per_req;
    o["waits_per_request"] = r.waits_per_req;
    o["reads_per_request"] = r.reads_per_req;
    o["eagain_per_request"] = r.eagain_per_req;
    o["wakeups_per_request"] = r.wakeups_per_req;
    o["context_switches_per_request"] = r.ctxsw_per_req;
    o["ready_to_read_p99_ns"] = r.ready_read_p99_ns;
    o["wake_to_run_p99_ns"] = r.wake_run_p99_ns;
    j.push_back(o);
  }
  nlohmann::ordered_json doc;
  doc["pollscope_lab_compare"] = 1;
  doc["rows"] = j;
  return doc.dump(2) + "\n";
}

}  // namespace pollscope
