# pollscope must not change what other tools see. A BPF program on a tracefs
# (perf-event) tracepoint that returns 0 drops the event for every other perf
# listener: perf stat counted 0 syscalls:sys_enter_epoll_wait while pollscope
# ran. A helper makes exactly N epoll_wait calls; perf stat counts them alone,
# then with two pollscope instances and a bpftrace script on the same
# tracepoints, and every one of them sees all N.
. "$TESTS_DIR/it/lib.sh"
require_root "coexistence with perf and bpftrace"
command -v perf >/dev/null || { skip "perf is not installed"; exit 0; }
command -v bpftrace >/dev/null || { skip "bpftrace is not installed"; exit 0; }
N=20000
LOOP="$TESTS_DIR/it/helpers/epoll_loop.py"

# perf reads tracepoint ids from tracefs, not mounted on a fresh machine.
mounted_here=0
if ! grep -q " tracefs " /proc/self/mounts; then
  mount -t tracefs nodev /sys/kernel/tracing && mounted_here=1
fi
cleanup_tracefs() { [ $mounted_here = 1 ] && umount /sys/kernel/tracing 2>/dev/null; }
trap cleanup_tracefs EXIT

# perf_count FILE: the counts of "perf stat -x," as "enter exit".
perf_count() {
  awk -F, '/sys_enter_epoll_wait/ {e = $1} /sys_exit_epoll_wait/ {x = $1} END {print e + 0, x + 0}' "$1"
}
run_counted() {
  perf stat -x, -e syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait -o "$1" \
    -- python3 "$LOOP" "$N" --now >/dev/null 2>&1
}

run_counted "$TMP/alone.perf"
read -r alone_enter alone_exit < <(perf_count "$TMP/alone.perf")
check "perf alone counts the helper's $N epoll_wait calls" test "$alone_enter" -eq "$N" -a "$alone_exit" -eq "$N"

# The helper waits for its go, so every tracer is attached before its calls.
coproc LOOPER { exec python3 "$LOOP" "$N"; }
looper_pid=$LOOPER_PID
read -r hpid <&"${LOOPER[0]}"
start_bg "$POLLSCOPE" report -d 0 --format json -p "$hpid" >"$TMP/a.json" 2>"$TMP/a.err"; A=$BG_PID
start_bg "$POLLSCOPE" report -d 0 --format json >"$TMP/b.json" 2>"$TMP/b.err"; B=$BG_PID
start_bg bpftrace -e 'tracepoint:syscalls:sys_enter_epoll_wait /pid == '"$hpid"'/ { @calls = count(); }' >"$TMP/bt.out" 2>"$TMP/bt.err"; BT=$BG_PID
wait_for_line "$A" "$TMP/a.err" tracing && wait_for_line "$B" "$TMP/b.err" tracing &&
  wait_for_line "$BT" "$TMP/bt.out" Attaching || { not_ok "tracers attach"; cat "$TMP"/*.err >&2; exit 0; }
sleep 0.5
perf stat -x, -e syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait -o "$TMP/with.perf" -p "$hpid" &
perf_pid=$!
# Go once perf has its two counters open on the helper (a fixed second was a
# race on a loaded machine), then a little more.
for _ in $(seq 1 100); do
  [ "$(ls -l /proc/"$perf_pid"/fd 2>/dev/null | grep -c 'perf_event')" -ge 2 ] && break
  sleep 0.1
done
sleep 0.2
echo go >&"${LOOPER[1]}"
wait "$looper_pid" 2>/dev/null
sleep 0.3
kill -INT "$perf_pid"; wait "$perf_pid"
kill -INT "$BT"; wait "$BT"
kill -INT "$A" "$B"; wait "$A"; wait "$B"

read -r with_enter with_exit < <(perf_count "$TMP/with.perf")
echo "# perf alone: $alone_enter/$alone_exit; with two pollscope and bpftrace: $with_enter/$with_exit" >&2
check "perf stat -p counts all $N calls while pollscope runs (enter and exit)" \
  test "$with_enter" -eq "$N" -a "$with_exit" -eq "$N"
check "bpftrace counts all $N calls while pollscope runs" grep -q "@calls: $N\$" "$TMP/bt.out"
pollscope_calls() {
  python3 -c '
import json, sys
rep = json.load(open(sys.argv[1]))
print(sum(t["wait"]["epoll"]["calls"] for t in rep["threads"] if t["pid"] == int(sys.argv[2])))' "$1" "$hpid"
}
check "pollscope -p counts all $N calls alongside the others" test "$(pollscope_calls "$TMP/a.json")" -eq "$N"
check "a second pollscope (no filter) counts all $N calls too" test "$(pollscope_calls "$TMP/b.json")" -eq "$N"
