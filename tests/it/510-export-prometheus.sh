# pollscope export scraped by a real Prometheus server (run here by hand on a
# free loopback port, its data in $TMP, never as a service) every second while
# `pollscope load` drives `pollscope serve` at a fixed open-loop rate: the
# rate of reads Prometheus computes agrees with load's own rate, the p99 of
# ready->read from histogram_quantile() is within one log2 slot of `pollscope
# report`'s p99 of the same run, and the drop counters are there and zero.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/serve.sh"
. "$TESTS_DIR/it/helpers/load.sh"
. "$TESTS_DIR/it/helpers/export.sh"
require_root "export scraped by Prometheus"
command -v prometheus >/dev/null || { not_ok "prometheus is installed (scripts/install-deps)"; exit 0; }

start_serve --mode epoll || { not_ok "serve starts"; exit 1; }
# Maps read every 200 ms: with 1 s reads and 1 s scrapes, a read landing on
# either side of a scrape moves a 9 s rate() by one read's worth (about 11%).
start_export --duty 1/1 --interval 200ms -p "$SERVE_PID" || { not_ok "export starts"; cat "$EXPORT_ERR" >&2; exit 1; }

PROM_PORT=$(free_port)
cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s  # at most the interval
  evaluation_interval: 1s
scrape_configs:
  - job_name: pollscope
    static_configs:
      - targets: ['127.0.0.1:$EXPORT_PORT']
YML
start_bg prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom-data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn
PROM_PID=$BG_PID
PROM="http://127.0.0.1:$PROM_PORT"
ready=0
for _ in $(seq 1 150); do curl -sf --max-time 2 "$PROM/-/ready" >/dev/null && { ready=1; break; }; sleep 0.2; done
check "prometheus starts" test "$ready" -eq 1

# promql QUERY [TIME]: the first sample's value of an instant query ("" if none).
promql() {
  curl -sf --max-time 5 "$PROM/api/v1/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"} \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}

# Prometheus's first scrape comes up to ~5 s after it is ready (its target
# discovery updates the scrape manager at that pace): load once it scrapes.
scraping=0
for _ in $(seq 1 100); do [ "$(promql 'up{job="pollscope"}')" = 1 ] && { scraping=1; break; }; sleep 0.2; done
check "prometheus scrapes the exporter" test "$scraping" -eq 1

# The same run traced by report too, for its p99.
start_report "$TMP/report.json" "$TMP/report.err" -p "$SERVE_PID" -d 0 --format json --top 0 \
  || { not_ok "report attaches"; cat "$TMP/report.err" >&2; exit 1; }
t0=$(date +%s.%N)
"$POLLSCOPE" load "$SERVE_ADDR" -R 2000 -c 20 -d 12s --json -q >"$TMP/load.json" 2>"$TMP/load.err"
t1=$(date +%s.%N)
stop_report
sleep 3  # the last interval read and scraped

sel="port=\"$SERVE_PORT\",role=\"server\",comm=\"pollscope\""
# A window inside the load: from 2 s after its start to 1 s before its end.
at=$(python3 -c "print(round($t1 - 1, 3))")
win=$(python3 -c "print(int($t1 - $t0 - 3))")
prom_rate=$(promql "sum(rate(pollscope_socket_reads_total{$sel}[${win}s]))" "$at")
load_rate=$(jget "$TMP/load.json" 'j["rate_achieved"]')
echo "rate: prometheus $prom_rate/s, load $load_rate/s (window ${win}s)" >&2
check "Prometheus rate() of reads ($prom_rate/s) within 5% of load's rate ($load_rate/s)" close_to "$prom_rate" "$load_rate" 0.05

# The whole load: from 1 s before it to 2 s after it (read and scraped by then).
end=$(python3 -c "print(round($t1 + 2, 3))")
whole=$(python3 -c "print(int($t1 - $t0 + 3))")
prom_p99=$(promql "histogram_quantile(0.99, sum by (le) (increase(pollscope_ready_to_read_seconds_bucket{$sel}[${whole}s])))" "$end")
report_p99=$(python3 - "$TMP/report.json" "$SERVE_PORT" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); port = ":" + sys.argv[2]
slots = [0] * 32
for s in d["sockets"]:
    if s["local"].endswith(port) and s["origin"] == "accept":
        for k, n in enumerate(s["ready_to_read"]["slots"]):
            slots[k] += n
total = sum(slots); want = 0.99 * total; seen = 0
for k, n in enumerate(slots):
    if seen + n >= want and n:
        lo = 0 if k == 0 else 2 ** k
        print((lo + (2 ** (k + 1) - lo) * (want - seen) / n) / 1e9)
        break
    seen += n
PY
)
echo "p99 ready->read: prometheus $prom_p99 s, report $report_p99 s" >&2
check "histogram_quantile p99 of ready->read is present" test -n "$prom_p99"
# Within one log2 slot: the slots (floor(log2(ns))) that hold the two p99s
# are the same or neighbours.
check "p99 within one log2 slot of report's ($prom_p99 vs $report_p99)" python3 -c "
import math, sys
a, b = float('$prom_p99' or 0) * 1e9, float('$report_p99' or 0) * 1e9
sys.exit(0 if a >= 1 and b >= 1 and abs(math.floor(math.log2(a)) - math.floor(math.log2(b))) <= 1 else 1)"
# Every group of metrics has data for the server: stages, threads, CPUs.
for q in "sum(pollscope_stage_seconds_count{$sel,stage=\"dispatch\"})" \
         "sum(pollscope_wake_to_run_seconds_count{$sel})" \
         "sum(pollscope_thread_wait_calls_total{pid=\"$SERVE_PID\",kind=\"epoll\"})" \
         "sum(pollscope_thread_runqueue_latency_seconds_count{pid=\"$SERVE_PID\"})" \
         "sum(pollscope_softirq_seconds_total{vector=\"NET_RX\"})"; do
  v=$(promql "$q")
  check "$q > 0 ($v)" python3 -c "import sys; sys.exit(0 if float('${v:-0}') > 0 else 1)"
done
drops=$(promql 'sum(pollscope_probe_drops_total)')
nmaps=$(promql 'count(pollscope_probe_drops_total)')
check "drop counters scraped ($nmaps maps) and zero ($drops)" bash -c "[ '$drops' = 0 ] && [ '${nmaps:-0}' -ge 5 ]"
check "scrapes succeeded (up == 1)" test "$(promql 'min_over_time(up[20s])')" = 1

stop_export
check "export exits 0 on SIGTERM" test "$EXPORT_RC" -eq 0
