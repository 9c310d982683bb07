# report reads each connection's numbers once, for its whole life (at its
# close, or at the end for one still open), where top, export and --record
# take them interval by interval. The two must add up to the same report: two
# reports of one run, one of each kind (--record makes the second take
# intervals), over traffic that starts after both are attached and is over
# before both stop: churn (a connection per request, more than the row limit,
# so closed ones fold), long connections that close, and idle connections
# still open at the end. Counts must be equal; times only close, as each
# report's programs take their own clock readings (and attribute a wakeup
# each on its own).
. "$TESTS_DIR/it/lib.sh"
require_root "report: lifetime rows equal the sum of interval rows"
command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null ||
  { skip "report: lifetime rows equal the sum of interval rows: redis is not installed"; exit 0; }
start_redis || { not_ok "redis starts"; exit 0; }

start_bg "$POLLSCOPE" report -d 0 --interval 200ms --format json --top 0 -p "$REDIS_PID" \
  >"$TMP/life.json" 2>"$TMP/life.err"
LIFE=$BG_PID
start_bg "$POLLSCOPE" report -d 0 --interval 200ms --format json --top 0 -p "$REDIS_PID" --record "$TMP/steps.rec" \
  >"$TMP/steps.json" 2>"$TMP/steps.err"
STEPS=$BG_PID
wait_for_line "$LIFE" "$TMP/life.err" tracing && wait_for_line "$STEPS" "$TMP/steps.err" tracing ||
  { not_ok "both reports attach"; cat "$TMP"/*.err >&2; exit 0; }
sleep 0.5

# Idle connections: one PING each, then open and quiet past the end.
python3 - "$REDIS_PORT" >"$TMP/idle.out" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
for c in conns:
    c.sendall(b"PING\r\n")
for c in conns:
    c.recv(64)
print("idle", flush=True)
time.sleep(30)
PY
IDLE=$!
redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -n 3000 -c 10 -k 0 -t ping_inline -q >"$TMP/churn.out" 2>&1
"$POLLSCOPE" load "127.0.0.1:$REDIS_PORT" -c 20 -n 20000 -q >"$TMP/load.out" 2>&1
for _ in $(seq 100); do grep -q idle "$TMP/idle.out" && break; sleep 0.1; done
# Every close read by both (an interval is 200 ms).
sleep 1.5
kill -INT "$LIFE" "$STEPS"; wait "$LIFE"; life_rc=$?; wait "$STEPS"; steps_rc=$?
kill "$IDLE" 2>/dev/null; wait "$IDLE" 2>/dev/null
check "both reports exit 0" test "$life_rc/$steps_rc" = 0/0

python3 - "$TMP/life.json" "$TMP/steps.json" >"$TMP/compare.out" 2>&1 <<'PY'
import json, sys
life, steps = (json.load(open(p)) for p in sys.argv[1:3])
fields = ["ready", "reads", "read_bytes", "writes", "write_bytes", "eagain"]
def sums(d):
    s = {f: sum(r[f] for r in d["sockets"]) for f in fields}
    s["connections"] = sum(max(r["folded"], 1) for r in d["sockets"])
    s["ready_to_read"] = sum(r["ready_to_read"]["count"] for r in d["sockets"])
    s["ready_to_read_ns"] = sum(r["ready_to_read"]["sum_ns"] for r in d["sockets"])
    s["split"] = sum(r["stages"]["split"] for r in d["sockets"] if "stages" in r)
    s["folded"] = sum(r["folded"] for r in d["sockets"])
    return s
a, b = sums(life), sums(steps)
print("lifetime:", a)
print("intervals:", b)
# The open ones, row by row (never folded): by their client port.
def open_rows(d):
    return {r["remote"]: r for r in d["sockets"] if not r["folded"] and r["close_time"] == 0 and r["reads"] > 0}
oa, ob = open_rows(life), open_rows(steps)
print("open rows:", len(oa), len(ob))
same_open = oa.keys() == ob.keys() and all(
    all(oa[k][f] == ob[k][f] for f in fields) and oa[k]["ready_to_read"]["count"] == ob[k]["ready_to_read"]["count"]
    and oa[k]["state"] == ob[k]["state"] and oa[k]["fd"] == ob[k]["fd"] for k in oa)
print("open rows equal:", same_open)
close = lambda x, y: abs(x - y) <= max(x, y) / 50
times = a.pop("ready_to_read_ns"), b.pop("ready_to_read_ns")
wakeups = sum(r["wakeups"] for r in life["sockets"]), sum(r["wakeups"] for r in steps["sockets"])
ok = (a == b and close(*times) and close(*wakeups) and a["reads"] >= 23000 and a["folded"] > 0
      and len(oa) >= 40 and same_open)
sys.exit(0 if ok else 1)
PY
rc=$?
sed 's/^/# /' "$TMP/compare.out" >&2
check "lifetime rows and interval rows: the same counts (reads, bytes, connections, ready->read, stages; open ones row by row), times within 2%" test $rc -eq 0
check "lifetime report: the run's 23,000+ requests are there (redis-benchmark + load)" \
  json_check "$TMP/life.json" 'sum(r["reads"] for r in d["sockets"]) >= 23000'
