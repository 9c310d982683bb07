#include "core/lab/compare.hpp"

#include <nlohmann/json.hpp>

#include "core/render/format.hpp"
#include "core/render/table.hpp"

namespace pollscope {

namespace {

double per(double count, uint64_t requests) { return requests ? count / static_cast<double>(requests) : 0.0; }

// Microseconds in the one latency style ("812us", "1.2ms").
std::string us(double v) { return format_ns(v * 1e3); }

// A p99 in ns, "-" when no sample was seen.
std::string p99(double ns) { return format_latency(ns, ns > 0); }

}  // namespace

CompareRow make_compare_row(const std::string& mode, int connections, const Snapshot& server,
                            const load::LoadSummary& load, double cpu_s, double wall_s, pid_t server_pid) {
  CompareRow r;
  r.mode = mode;
  r.connections = connections;
  r.rate_asked = load.rate_asked;
  r.qps = load.throughput;
  r.requests = load.requests;
  r.p50_us = load.latency.p50;
  r.p99_us = load.latency.p99;
  r.errors = load.errors_total;
  r.server_cpu_pct = wall_s > 0 ? 100.0 * cpu_s / wall_s : 0;
  r.cpu_us_per_req = per(cpu_s * 1e6, r.requests);

  uint64_t waits = 0, wakeups = 0, switches = 0, reads = 0, eagain = 0;
  Log2Histogram r2r, w2r;
  StageStats stages;
  for (const auto& t : server.threads) {
    if (t.pid != static_cast<uint32_t>(server_pid)) continue;
    r.server_threads++;
    stages.add(t.stages);
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
  r.split = stages.split;
  r.stage_share = stages.shares();
  const Log2Histogram& ret = stages.hist[kStageReturn];
  r.return_p50_ns = ret.empty() ? 0 : ret.percentile_ns(0.5);
  return r;
}

std::string render_compare_text(const std::vector<CompareRow>& rows) {
  // "|" columns part the load's view, the per-request costs and the tracer's latencies.
  std::vector<Column> cols = {
      fixed_column("MODE", 9, Align::Left),     fixed_column("CONNS", 5, Align::Right),
      fixed_column("QPS", 7, Align::Right),     fixed_column("p50", 7, Align::Right),
      fixed_column("p99", 7, Align::Right),     fixed_column("THR", 4, Align::Right),
      fixed_column("CPU%", 5, Align::Right),    fixed_column("CPU/req", 7, Align::Right),
      fixed_column("|", 1, Align::Left),        fixed_column("WAIT/r", 6, Align::Right),
      fixed_column("READ/r", 6, Align::Right),  fixed_column("EAGAIN/r", 8, Align::Right),
      fixed_column("WAKE/r", 6, Align::Right),  fixed_column("CSW/r", 6, Align::Right),
      fixed_column("|", 1, Align::Left),        fixed_column("R>R p99", 7, Align::Right),
      fixed_column("W>R p99", 7, Align::Right), fixed_column("|", 1, Align::Left),
      fixed_column("WAKE%", 5, Align::Right),   fixed_column("RUNQ%", 5, Align::Right),
      fixed_column("RET%", 5, Align::Right),    fixed_column("BUSY%", 5, Align::Right),
      fixed_column("DISP%", 5, Align::Right),   fixed_column("RET p50", 7, Align::Right)};
  std::vector<Row> out;
  for (const auto& r : rows) {
    std::vector<std::string> cells = {
        r.mode, std::to_string(r.connections), format_rate(r.qps), us(r.p50_us), us(r.p99_us),
        std::to_string(r.server_threads), format_pct(r.server_cpu_pct), us(r.cpu_us_per_req), "|",
        format_rate(r.waits_per_req), format_rate(r.reads_per_req), format_rate(r.eagain_per_req),
        format_rate(r.wakeups_per_req), format_rate(r.ctxsw_per_req), "|",
        p99(r.ready_read_p99_ns), p99(r.wake_run_p99_ns), "|"};
    for (int st = 0; st < kStages; st++) cells.push_back(r.split ? format_pct(100.0 * r.stage_share[st]) : "-");
    cells.push_back(format_latency(r.return_p50_ns, r.return_p50_ns > 0));
    out.push_back(text_row(std::move(cells)));
  }
  return render_fixed_table(cols, out);
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
    nlohmann::ordered_json st;
    st["split"] = r.split;
    nlohmann::ordered_json share;
    for (int s = 0; s < kStages; s++) share[stage_name(s)] = r.stage_share[s];
    st["share"] = share;
    st["return_p50_ns"] = r.return_p50_ns;
    o["stages"] = st;
    j.push_back(o);
  }
  nlohmann::ordered_json doc;
  doc["pollscope_lab_compare"] = 1;
  doc["rows"] = j;
  return doc.dump(2) + "\n";
}

}  // namespace pollscope
