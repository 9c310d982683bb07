#!/usr/bin/env python3
"""bench/probe-floor's figures.

--parse MODE ROUND FILE: one run's output (pollscope's JSON report, or the
floor loader's "PROGRAM RUNS RUN_TIME_NS" lines) as result lines
"MODE ROUND TRACEPOINT RUNS RUN_TIME_NS", for the tracepoints both measure.
--summary RESULTS: per tracepoint, per family and over all of them, the median
over rounds of each mode's ns per event, and pollscope above the entry floor.
"""
import json
import statistics
import sys

# Floor program name -> the tracepoint pollscope reports it under.
FLOOR_PROGRAMS = {
    "floor_sk_data_ready": "sock:sk_data_ready",
    "floor_sock_recv_length": "sock:sock_recv_length",
    "floor_sock_send_length": "sock:sock_send_length",
    "floor_sched_waking": "sched:sched_waking",
    "floor_sched_switch": "sched:sched_switch",
    "floor_softirq_entry": "irq:softirq_entry",
    "floor_softirq_exit": "irq:softirq_exit",
    "floor_enter_epoll_wait": "syscalls:sys_enter_epoll_wait",
    "floor_exit_epoll_wait": "syscalls:sys_exit_epoll_wait",
}
TRACEPOINTS = list(FLOOR_PROGRAMS.values())
FAMILIES = {"sock": "sock", "sched": "sched", "irq": "softirq", "syscalls": "syscalls"}
MODES = ["empty", "clock", "entry", "pollscope"]


def parse(mode, rnd, path):
    runs = {}
    if mode == "pollscope":
        with open(path) as f:
            doc = json.load(f)
        for p in doc["health"]["probes"]:
            tp = p.get("tracepoint")
            if tp in TRACEPOINTS and p.get("run_cnt") is not None:
                runs[tp] = (p["run_cnt"], p["run_time_ns"])
    else:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[0] in FLOOR_PROGRAMS:
                    runs[FLOOR_PROGRAMS[parts[0]]] = (int(parts[1]), int(parts[2]))
    if not runs:
        return 1
    for tp, (cnt, ns) in runs.items():
        print(mode, rnd, tp, cnt, ns)
    return 0


def ns_per_event(rows):
    cnt = sum(c for c, _ in rows)
    return sum(t for _, t in rows) / cnt if cnt else None


def summary(path):
    # mode -> round -> tracepoint -> (runs, ns)
    data = {}
    with open(path) as f:
        for line in f:
            mode, rnd, tp, cnt, ns = line.split()
            data.setdefault(mode, {}).setdefault(rnd, {})[tp] = (int(cnt), int(ns))

    def median_of(mode, pick):
        vals = []
        for per_tp in data.get(mode, {}).values():
            v = ns_per_event([per_tp[tp] for tp in per_tp if pick(tp)])
            if v is not None:
                vals.append(v)
        return statistics.median(vals) if vals else None

    def events(pick):
        vals = [sum(per_tp[tp][0] for tp in per_tp if pick(tp)) for per_tp in data.get("pollscope", {}).values()]
        return statistics.median(vals) if vals else 0

    def row(name, pick):
        cells = [median_of(m, pick) for m in MODES]
        text = "".join("%10s" % ("-" if c is None else "%.0f" % c) for c in cells)
        above = "-" if cells[2] is None or cells[3] is None else "%+.0f" % (cells[3] - cells[2])
        print("%-32s %10.0f%s %10s" % (name, events(pick), text, above))

    rounds = max((len(v) for v in data.values()), default=0)
    print("ns per event, kernel statistics on, medians of %d rounds (events: pollscope's runs per run)" % rounds)
    print("%-32s %10s%10s%10s%10s%10s %10s" % ("tracepoint", "events", *MODES, "above"))
    for tp in TRACEPOINTS:
        row(tp, lambda t, tp=tp: t == tp)
    for prefix, family in FAMILIES.items():
        row("family " + family, lambda t, prefix=prefix: t.split(":")[0] == prefix)
    row("all", lambda t: True)
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "--parse":
        return parse(argv[2], argv[3], argv[4])
    if len(argv) == 3 and argv[1] == "--summary":
        return summary(argv[2])
    print("usage: floor_table.py --parse MODE ROUND FILE | --summary RESULTS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
