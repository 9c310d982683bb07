#include "core/export/metric_families.hpp"

#include <functional>

#include "core/export/prom_histogram.hpp"

namespace pollscope {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

MetricFamily family(const char* name, const char* help, MetricType type) {
  MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  return f;
}

void add_counter(MetricFamily& f, Labels labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  f.metric.push_back(std::move(m));
}

void add_gauge(MetricFamily& f, Labels labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  f.metric.push_back(std::move(m));
}

void add_histogram(MetricFamily& f, Labels labels, const Log2Histogram& h,
                   int open_from = Log2Histogram::kSlots - 1) {
  ClientMetric m;
  m.label = std::move(labels);
  m.histogram = to_prometheus(h, open_from);
  f.metric.push_back(std::move(m));
}

Labels with(Labels base, const std::string& name, const std::string& value) {
  base.push_back({name, value});
  return base;
}

Labels process_labels(uint32_t pid, const std::string& comm, const ExportState& st) {
  Labels l{{"pid", std::to_string(pid)}, {"comm", comm}};
  if (!st.cgroup.empty()) l.push_back({"cgroup", st.cgroup});
  return l;
}

void add_port_families(const ExportTotals& t, const ExportState& st, std::vector<MetricFamily>& out) {
  struct CounterOf {
    const char* name;
    const char* help;
    uint64_t SocketRow::*member;
  };
  static const CounterOf counters[] = {
      {"pollscope_socket_readiness_total", "sk_data_ready events of the sockets on this port", &SocketRow::ready},
      {"pollscope_socket_reads_total", "Reads that returned data", &SocketRow::reads},
      {"pollscope_socket_eagain_reads_total", "Reads that returned EAGAIN (found nothing)", &SocketRow::eagain},
      {"pollscope_socket_wakeups_total", "Scheduler wakeups caused by the sockets' readiness", &SocketRow::wakeups},
      {"pollscope_socket_read_bytes_total", "Bytes read", &SocketRow::read_bytes},
      {"pollscope_socket_written_bytes_total", "Bytes written", &SocketRow::write_bytes},
  };
  struct HistogramOf {
    const char* name;
    const char* help;
    Log2Histogram SocketRow::*member;
  };
  static const HistogramOf histograms[] = {
      {"pollscope_ready_to_read_seconds",
       "First readiness since the last read with data -> the next read with data (log2 buckets)",
       &SocketRow::ready_to_read},
      {"pollscope_wake_to_run_seconds", "Wakeup caused by a readiness -> the wakee on a CPU (log2 buckets)",
       &SocketRow::wake_to_run},
  };
  auto labels_of = [&st](const PortKey& k) {
    Labels l = process_labels(k.pid, k.comm, st);
    l.push_back({"proto", k.proto});
    l.push_back({"port", std::to_string(k.port)});
    l.push_back({"role", k.server ? "server" : "client"});
    return l;
  };
  for (const auto& c : counters) {
    MetricFamily f = family(c.name, c.help, MetricType::Counter);
    for (const auto& [k, row] : t.ports()) add_counter(f, labels_of(k), static_cast<double>(row.*c.member));
    out.push_back(std::move(f));
  }
  for (const auto& h : histograms) {
    MetricFamily f = family(h.name, h.help, MetricType::Histogram);
    for (const auto& [k, row] : t.ports()) add_histogram(f, labels_of(k), row.*h.member);
    out.push_back(std::move(f));
  }
  MetricFamily stages = family("pollscope_stage_seconds",
                               "Ready->read split into stages: wakeup, runq, return, busy, dispatch (log2 buckets)",
                               MetricType::Histogram);
  for (const auto& [k, row] : t.ports())
    for (int s = 0; s < kStages; s++)
      add_histogram(stages, with(labels_of(k), "stage", stage_name(s)), row.stages.hist[s], kStageOpenSlot);
  out.push_back(std::move(stages));
}

void add_thread_families(const ExportTotals& t, const ExportState& st, std::vector<MetricFamily>& out) {
  auto labels_of = [&st](const ThreadRow& r) { return with(process_labels(r.pid, r.comm, st), "tid", std::to_string(r.tid)); };
  MetricFamily calls = family("pollscope_thread_wait_calls_total", "Completed epoll/poll/select calls, by kind",
                              MetricType::Counter);
  MetricFamily events = family("pollscope_thread_wait_events_total", "Ready descriptors returned by wait calls",
                               MetricType::Counter);
  MetricFamily blocked = family("pollscope_thread_blocked_seconds_total", "Time inside wait calls",
                                MetricType::Counter);
  MetricFamily runq = family("pollscope_thread_runqueue_latency_seconds",
                             "Waking -> on a CPU, per thread (log2 buckets)", MetricType::Histogram);
  MetricFamily invol = family("pollscope_thread_involuntary_switches_total", "Preempted while runnable",
                              MetricType::Counter);
  MetricFamily wakeups = family("pollscope_thread_wakeups_total", "Scheduler wakeups of the thread",
                                MetricType::Counter);
  for (const auto& [k, r] : t.threads()) {
    Labels l = labels_of(r);
    for (int w = 0; w < kWaitKinds; w++) {
      Labels lk = with(l, "kind", wait_kind_name(w));
      add_counter(calls, lk, static_cast<double>(r.wait[w].calls));
      add_counter(events, lk, static_cast<double>(r.wait[w].events));
      add_counter(blocked, lk, static_cast<double>(r.wait[w].blocked.sum_ns) / 1e9);
    }
    add_histogram(runq, l, r.runq);
    add_counter(invol, l, static_cast<double>(r.invol_switches));
    add_counter(wakeups, l, static_cast<double>(r.wakeups));
  }
  for (MetricFamily* f : {&calls, &events, &blocked, &runq, &invol, &wakeups}) out.push_back(std::move(*f));
}

void add_cpu_families(const ExportTotals& t, std::vector<MetricFamily>& out) {
  MetricFamily secs = family("pollscope_softirq_seconds_total", "Time in softirq handlers, per CPU and vector",
                             MetricType::Counter);
  MetricFamily runs = family("pollscope_softirq_events_total", "Softirq handler runs, per CPU and vector",
                             MetricType::Counter);
  for (const auto& [cpu, row] : t.cpus())
    for (int v = 0; v < kSoftirqVectors; v++) {
      Labels l{{"cpu", std::to_string(cpu)}, {"vector", softirq_name(v)}};
      add_counter(secs, l, static_cast<double>(row.time_ns[v]) / 1e9);
      add_counter(runs, l, static_cast<double>(row.count[v]));
    }
  out.push_back(std::move(secs));
  out.push_back(std::move(runs));
}

void add_health_families(const ExportTotals& t, const ExportState& st, std::vector<MetricFamily>& out) {
  const HealthTotals& h = t.health();
  MetricFamily events = family("pollscope_probe_events_total", "Events the probes handled", MetricType::Counter);
  add_counter(events, {}, static_cast<double>(h.events));
  MetricFamily drops = family("pollscope_probe_drops_total", "Events that could not be kept, by map",
                              MetricType::Counter);
  for (const auto& [map, n] : h.drops) add_counter(drops, {{"map", map}}, static_cast<double>(n));
  MetricFamily lost = family("pollscope_probe_socket_events_lost_total",
                             "Socket events of connections that found the socket map full", MetricType::Counter);
  add_counter(lost, {}, static_cast<double>(h.sock_events_lost));
  MetricFamily evicted = family("pollscope_export_series_evicted_total",
                                "Process/port and thread series dropped to keep within the series bounds",
                                MetricType::Counter);
  add_counter(evicted, {}, static_cast<double>(t.evicted()));
  MetricFamily info = family("pollscope_probe_info", "One per tracepoint: how its probe is attached (value 1)",
                             MetricType::Gauge);
  for (const auto& [name, p] : h.probes)
    add_gauge(info,
              {{"tracepoint", p.tracepoint}, {"family", p.family}, {"method", p.method},
               {"attached", p.attached ? "1" : "0"}},
              1);
  MetricFamily active = family("pollscope_active_seconds_total",
                               "Seconds the probes were attached (divide counts by it for rates while traced)",
                               MetricType::Counter);
  add_counter(active, {}, t.active_seconds());
  MetricFamily attached = family("pollscope_probes_attached", "1 while the probes are attached, 0 while paused",
                                 MetricType::Gauge);
  add_gauge(attached, {}, st.probes_attached ? 1 : 0);
  MetricFamily duty = family("pollscope_duty_ratio", "Share of the time the probes are attached (--duty)",
                             MetricType::Gauge);
  add_gauge(duty, {}, st.duty_fraction);
  for (MetricFamily* f : {&events, &drops, &lost, &evicted, &info, &active, &attached, &duty}) out.push_back(std::move(*f));
  if (!h.self_cost) return;
  MetricFamily run = family("pollscope_probe_run_seconds_total", "Run time of each probe program (bpf_stats)",
                            MetricType::Counter);
  MetricFamily runs = family("pollscope_probe_runs_total", "Runs of each probe program (bpf_stats)",
                             MetricType::Counter);
  for (const auto& [name, p] : h.probes) {
    if (!p.attached) continue;
    add_counter(run, {{"tracepoint", p.tracepoint}}, static_cast<double>(p.run_time_ns) / 1e9);
    add_counter(runs, {{"tracepoint", p.tracepoint}}, static_cast<double>(p.run_cnt));
  }
  out.push_back(std::move(run));
  out.push_back(std::move(runs));
}

}  // namespace

std::vector<MetricFamily> metric_families(const ExportTotals& totals, const ExportState& state) {
  std::vector<MetricFamily> out;
  add_port_families(totals, state, out);
  add_thread_families(totals, state, out);
  add_cpu_families(totals, out);
  add_health_families(totals, state, out);
  return out;
}

}  // namespace pollscope
