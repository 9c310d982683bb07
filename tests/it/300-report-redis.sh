# pollscope report against a real redis-server driven by redis-benchmark.
. "$TESTS_DIR/it/lib.sh"
require_root "report traces redis-server"
command -v redis-server >/dev/null || { skip "report vs redis: redis-server not installed"; exit 0; }

start_redis || { not_ok "redis-server starts"; exit 1; }
start_report "$TMP/report.json" "$TMP/report.err" -p "$REDIS_PID" -d 0 --format json --top 0 \
  || { not_ok "report attaches"; cat "$TMP/report.err" >&2; exit 1; }
ids=$(bpf_prog_ids_of "$REPORT_PID")
check "report holds its BPF programs while it runs" test "$(bpf_progs_loaded $ids)" -ge 10
before=$(redis-cli -p "$REDIS_PORT" info stats | awk -F: '/^total_commands_processed/{print $2+0}')
# The kernel's own count of NET_RX runs (/proc/softirqs, summed over CPUs),
# read inside the trace, around the load: the programs' count must hold it.
net_rx_runs() { awk '$1 == "NET_RX:" { n = 0; for (i = 2; i <= NF; i++) n += $i; print n }' /proc/softirqs; }
netrx_before=$(net_rx_runs)
redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c 20 -n 100000 -t ping_mbulk -q >"$TMP/bench.out" 2>&1
netrx_after=$(net_rx_runs)
after=$(redis-cli -p "$REDIS_PORT" info stats | awk -F: '/^total_commands_processed/{print $2+0}')
sleep 1.2
stop_report
check "report exits 0 on SIGINT" test "$REPORT_RC" -eq 0
check "report's programs are gone after exit" test "$(progs_left_after_exit $ids)" -eq 0
check "report JSON is valid" json_check "$TMP/report.json" 'd["pollscope_report"] == 1'

# The benchmark's ~20 client connections, on the server side.
cat > "$TMP/check.py" <<PY
import json, sys
d = json.load(open("$TMP/report.json"))
pid, port = $REDIS_PID, $REDIS_PORT
srv = [s for s in d["sockets"] if s["pid"] == pid and s["local"].endswith(":%d" % port)]
# redis-cli and redis-benchmark's CONFIG connection add a few sockets with a
# handful of reads; the 20 benchmark clients carry ~5000 requests each.
busy = [s for s in srv if s["reads"] > 1000 and s["ready"] > 0 and s["ready_to_read"]["count"] > 0
        and s["ready_per_s"] > 0]
reads = sum(s["reads"] for s in srv)
main = [t for t in d["threads"] if t["tid"] == pid]
netrx = sum(c["softirq"]["NET_RX"]["time_ns"] for c in d["cpus"])
netrx_runs = sum(c["softirq"]["NET_RX"]["count"] for c in d["cpus"])
others = [s for s in d["sockets"] if s["pid"] not in (0, pid)]
print(json.dumps({"server_sockets": len(srv), "busy": len(busy), "reads": reads,
                  "commands": $after - $before,
                  "epoll_calls": main[0]["wait"]["epoll"]["calls"] if main else 0,
                  "events_per_call": main[0]["wait"]["epoll"]["events_per_call"] if main else 0,
                  "netrx_ns": netrx, "netrx_runs": netrx_runs, "drops": d["health"]["total_drops"], "drop_kinds": d["health"]["drops"], "others": len(others)}))
PY
python3 "$TMP/check.py" > "$TMP/facts.json"
cat "$TMP/facts.json" >&2
fact() { python3 -c "import json;print(json.load(open('$TMP/facts.json'))['$1'])"; }
check "20 redis client sockets with ready/s and ready->read" test "$(fact busy)" -eq 20
cmds=$(fact commands); reads=$(fact reads)
check "reads on redis's sockets within 5% of commands ($reads vs $cmds)" \
  python3 -c "import sys; sys.exit(0 if abs($reads-$cmds) <= 0.05*$cmds and $cmds >= 100000 else 1)"
check "redis main thread's epoll_wait calls counted" test "$(fact epoll_calls)" -gt 1000
check "events per epoll call above zero" python3 -c "import sys; sys.exit(0 if $(fact events_per_call) > 0 else 1)"
check "NET_RX softirq time on the CPU table" test "$(fact netrx_ns)" -gt 0
# The trace spans the kernel's window and a few seconds more (redis-cli's
# commands, the wait before the stop, any other traffic of the machine then):
# at least the kernel's count, and well under twice it (a run counted at both
# its entry and its exit would be twice).
kernel_runs=$((netrx_after - netrx_before)); runs=$(fact netrx_runs)
check "NET_RX runs hold /proc/softirqs' count over the load ($runs vs $kernel_runs)" \
  python3 -c "import sys; sys.exit(0 if $kernel_runs > 50000 and $kernel_runs <= $runs <= 1.2 * $kernel_runs + 2000 else 1)"
check "no drops" test "$(fact drops)" -eq 0
check "pid filter: no other process's sockets" test "$(fact others)" -eq 0

# The text report of the same kind of run fits 80 columns.
start_report "$TMP/report.txt" "$TMP/report2.err" -p "$REDIS_PID" -d 0 || not_ok "text report attaches"
redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c 5 -n 5000 -t ping_mbulk -q >/dev/null 2>&1
stop_report
check "text report lists redis-server sockets" grep -q "redis-ser" "$TMP/report.txt"
check "text report fits 80 columns outside health reasons" \
  bash -c "sed '/^HEALTH/,\$d' '$TMP/report.txt' | awk 'length > 80 {bad=1} END {exit bad}'"
check "text report has the four histograms" test "$(grep -c 'nsecs : count' "$TMP/report.txt")" -ge 3
