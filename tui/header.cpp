#include "tui/header.hpp"

#include <fmt/format.h>

#include "core/render/completeness.hpp"
#include "core/render/format.hpp"

namespace pollscope::tui {

bool probe_off(const ProbeHealth& p) {
  return !p.attached && (p.reason.rfind("disabled by request", 0) == 0 || p.reason.rfind("not needed", 0) == 0);
}

Totals compute_totals(const Snapshot& s) {
  Totals t;
  uint64_t ready = 0, wakeups = 0;
  for (const auto& r : s.sockets) {
    ready += r.ready;
    wakeups += r.wakeups;
    // A folded row stands for its connections, all closed.
    uint64_t conns = r.folded ? r.folded : 1;
    t.sockets += conns;
    if (r.closed()) t.closed += conns;
  }
  t.ready_per_s = per_second(ready, s);
  t.wakeups_per_s = per_second(wakeups, s);
  for (int k = 0; k < kWaitKinds; k++) {
    uint64_t calls = 0;
    for (const auto& th : s.threads) calls += th.wait[static_cast<size_t>(k)].calls;
    t.calls_per_s[k] = per_second(calls, s);
  }
  double d = s.duration_s();
  uint64_t net_rx = 0;
  for (const auto& c : s.cpus) net_rx += c.time_ns[3];
  if (d > 0 && !s.cpus.empty())
    t.net_rx_pct = 100.0 * static_cast<double>(net_rx) / (d * 1e9 * static_cast<double>(s.cpus.size()));
  t.drops = s.health.total_drops();
  t.incomplete = !s.health.complete();
  uint64_t run_ns = 0, run_cnt = 0;
  for (const auto& p : s.health.probes) {
    if (probe_off(p)) {
      t.off++;
      continue;
    }
    t.probes++;
    if (!p.attached) t.missing++;
    run_ns += p.run_time_ns;
    run_cnt += p.run_cnt;
  }
  t.cost_pct = percent_of_duration(run_ns, s);
  t.cost_ns_per_event = run_cnt ? static_cast<double>(run_ns) / static_cast<double>(run_cnt) : 0.0;
  return t;
}

std::vector<std::string> header_lines(const Snapshot* s, const HeaderInfo& info) {
  std::vector<std::string> out;
  std::string first = "pollscope top";
  if (!s || info.waiting) {
    out.push_back(fmt::format("{} - {}  delay {:.2f}s  collecting the first interval...", first, info.source,
                              info.delay_s));
    out.push_back("");
    out.push_back("");
    out.push_back("");
    return out;
  }
  first += fmt::format(" - {}  interval {:.2f}s  {}", format_clock(s->end_time), s->duration_s(), info.source);
  if (info.end_of_recording) first += " (end of recording)";
  first += "  filters: " + (s->filters.empty() ? std::string("none") : s->filters);
  out.push_back(first);

  Totals t = compute_totals(*s);
  out.push_back(fmt::format("Per second: ready {}  wakeups {}  epoll {}  poll {}  select {}  NET_RX {}%",
                            format_rate(t.ready_per_s), format_rate(t.wakeups_per_s),
                            format_rate(t.calls_per_s[kWaitEpoll]), format_rate(t.calls_per_s[kWaitPoll]),
                            format_rate(t.calls_per_s[kWaitSelect]), format_pct(t.net_rx_pct)));

  // Lost events come first on the line, where a glance finds them.
  std::string health = t.incomplete ? incomplete_headline(s->health) + "  " : "";
  health += fmt::format("Health: drops {}", t.drops);
  if (t.drops) {
    std::string by;
    for (const auto& [k, v] : s->health.drops)
      if (v) by += (by.empty() ? "" : ",") + fmt::format("{} {}", k, v);
    health += " (" + by + ")";
  }
  health += fmt::format("  probes {}/{}", t.probes - t.missing, t.probes);
  if (t.off) health += fmt::format(" ({} off)", t.off);
  if (s->health.self_cost)
    health += fmt::format("  cost {}% cpu {}/ev", format_pct(t.cost_pct), format_latency(t.cost_ns_per_event, true));
  else
    health += "  cost n/a (bpf_stats off)";
  health += fmt::format("  events {}", format_rate(static_cast<double>(s->health.events)));
  if (t.missing) {
    for (const auto& p : s->health.probes)
      if (!p.attached && !probe_off(p)) {
        health += fmt::format("  missing {} ({})", p.tracepoint, p.reason.empty() ? "unknown reason" : p.reason);
        if (t.missing > 1) health += fmt::format(" +{} more", t.missing - 1);
        break;
      }
  }
  out.push_back(health);

  out.push_back(fmt::format("Sockets {} ({} closed)  Threads {}  CPUs {}", t.sockets, t.closed, s->threads.size(),
                            s->cpus.size()));
  return out;
}

}  // namespace pollscope::tui
