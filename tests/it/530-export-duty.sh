# --duty ACTIVE/PERIOD: the probes come and go, the series keep going, the
# counters never go back, every scrape is answered (during pauses too), and
# reads divided by pollscope_active_seconds_total give the load's real rate.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/serve.sh"
. "$TESTS_DIR/it/helpers/load.sh"
. "$TESTS_DIR/it/helpers/export.sh"
require_root "--duty pauses the probes"

start_serve --mode epoll || { not_ok "serve starts"; exit 1; }
start_export --duty 1s/3s -p "$SERVE_PID" --probes sock,sched || { not_ok "export --duty 1s/3s starts"; cat "$EXPORT_ERR" >&2; exit 1; }
t_start=$(date +%s.%N)
"$POLLSCOPE" load "$SERVE_ADDR" -R 1000 -c 10 -d 10s --json -q >"$TMP/load.json" 2>"$TMP/load.err" &
load_pid=$!
BG_PIDS+=("$load_pid")
# Scrapes kept during the load with how long each took, read after it.
answered=1 n=0
: >"$TMP/took"
while kill -0 "$load_pid" 2>/dev/null; do
  n=$((n + 1))
  curl -sf --max-time 5 -o "$TMP/s.$n.txt" -w '%{time_total}\n' "$EXPORT_URL/metrics" >>"$TMP/took" || answered=0
  sleep 0.2
done
wait "$load_pid"
sleep 3.5  # past the next active part: its reads are in
scrape "$TMP/final.txt"
t_end=$(date +%s.%N)
stop_export
: >"$TMP/series"
for i in $(seq 1 "$n"); do
  echo "$(sed -n "${i}p" "$TMP/took") $(metric_sum "$TMP/s.$i.txt" pollscope_probes_attached) $(metric_sum "$TMP/s.$i.txt" pollscope_socket_reads_total port="$SERVE_PORT" role=server) $(metric_sum "$TMP/s.$i.txt" pollscope_active_seconds_total)" >>"$TMP/series"
done
cat "$TMP/series" >&2
check "every scrape answered ($n), none slower than 1 s" \
  bash -c "[ $answered -eq 1 ] && awk '\$1 > 1 {bad=1} END {exit bad}' '$TMP/series'"
check "the probes were seen attached and paused" \
  bash -c "awk '{s[\$2]=1} END {exit !(s[\"1.000000\"] && s[\"0.000000\"])}' '$TMP/series'"
check "reads never went back across pauses" \
  bash -c "awk 'NR > 1 && (\$3 < r || \$4 < a) {bad=1} {r=\$3; a=\$4} END {exit bad}' '$TMP/series'"
check "reads grew in more than one active part" \
  bash -c "awk '\$3 > r {if (!up) runs++; up=1} \$3 == r {up=0} {r=\$3} END {exit !(runs >= 2)}' '$TMP/series'"
active=$(metric_sum "$TMP/final.txt" pollscope_active_seconds_total)
rate=$(jget "$TMP/load.json" 'j["rate_achieved"]')
# While the load ran: from the first scrape with reads to the last one.
honest=$(awk '$3 > 0 && !r0 {r0=$3; a0=$4} {r=$3; a=$4} END {if (a > a0) printf "%.1f", (r - r0) / (a - a0); else print 0}' "$TMP/series")
echo "duty: $honest reads per active second during the load; load $rate/s; $active active s in all" >&2
share=$(python3 -c "print(round($active / ($t_end - $t_start), 3))")
check "active seconds a third of the time ($active s, $share of it)" python3 -c "import sys; sys.exit(0 if 0.25 <= $share <= 0.42 else 1)"
check "reads / active seconds ($honest/s) within 10% of load's rate ($rate/s)" close_to "$honest" "$rate" 0.10
# Latencies never span a pause (2 s here): a readiness or a waking from before
# it makes no sample after it.
r2r_all=$(metric_sum "$TMP/final.txt" pollscope_ready_to_read_seconds_count port="$SERVE_PORT" role=server)
r2r_fast=$(metric_sum "$TMP/final.txt" pollscope_ready_to_read_seconds_bucket port="$SERVE_PORT" role=server le=0.536870912)
check "no ready->read sample spans a pause ($r2r_fast of $r2r_all under 0.54 s)" \
  python3 -c "import sys; sys.exit(0 if $r2r_all > 0 and $r2r_fast == $r2r_all else 1)"
check "exit 0 on SIGTERM" test "$EXPORT_RC" -eq 0
