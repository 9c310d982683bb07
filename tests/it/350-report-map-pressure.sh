# Map pressure: 1,000 connections into a socket map of 64. The figures cannot
# be complete; the report must say so first, by how much, in text, JSON and on
# stderr, and suggest a --max-sockets that would fit. With a map that fits,
# the same traffic is complete and counted within 1% of the load's own count.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"
require_root "map pressure: incomplete figures are said"

start_bg "$POLLSCOPE" serve --mode epoll >"$TMP/serve.out" 2>"$TMP/serve.err"
SERVE_PID=$BG_PID
for _ in $(seq 1 100); do [ -s "$TMP/serve.out" ] && break; sleep 0.05; done
addr=$(head -1 "$TMP/serve.out")
[ -n "$addr" ] || { not_ok "serve starts"; exit 0; }

# pressure_run NAME REPORT-ARGS...: 1,000 connections, 5,000 requests/s for
# 6 s, all inside the trace.
pressure_run() {
  local name="$1"; shift
  start_report "$TMP/$name.out" "$TMP/$name.err" -d 0 -p "$SERVE_PID" "$@" \
    || { not_ok "$name: report attaches"; cat "$TMP/$name.err" >&2; return 1; }
  "$POLLSCOPE" load "$addr" -c 1000 -t 2 -R 5000 -d 6s --json -q >"$TMP/$name.load.json" 2>"$TMP/$name.load.err"
  sleep 0.3
  kill -INT "$REPORT_PID"; wait "$REPORT_PID"
}

pressure_run small --max-sockets 64 --format json
j="$TMP/small.out"
check "--max-sockets 64: JSON says complete: false" \
  python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["health"]["complete"] is False else 1)' "$j"
check "--max-sockets 64: most socket events counted as lost (> 50%)" \
  python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["health"]; sys.exit(0 if h["sock_events_lost_pct"] > 50 else 1)' "$j"
check "--max-sockets 64: about 1,000 connections turned away" \
  python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["health"]; sys.exit(0 if 900 <= h["drops"]["socks"] <= 1100 else 1)' "$j"
check "--max-sockets 64: suggests a size that fits 1,000 connections" \
  python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["health"]; sys.exit(0 if h["suggested_max_sockets"] >= 1000 else 1)' "$j"
check "--max-sockets 64: a warning on stderr names --max-sockets" \
  grep -q "warning: figures are incomplete: socket map full (--max-sockets 64).*would have fit" "$TMP/small.err"

# The text report says it in its first lines, before any figure.
pressure_run text --max-sockets 64
check "--max-sockets 64: the text report's 4th line says INCOMPLETE" \
  bash -c "sed -n 4p '$TMP/text.out' | grep -q '^INCOMPLETE: socket map full'"
check "--max-sockets 64: exit 0 (a report was made), stdout carries no warning" \
  bash -c "! grep -q 'warning' '$TMP/text.out'"

# A map that fits: complete, and every request read once by the server.
pressure_run fits --format json
check "default map: complete, nothing lost" \
  python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["health"]; sys.exit(0 if h["complete"] and h["sock_events_lost"] == 0 else 1)' "$TMP/fits.out"
check "default map: server reads within 1% of load's requests" \
  python3 -c '
import json, sys
rep = json.load(open(sys.argv[1])); req = json.load(open(sys.argv[2]))["requests"]
port = ":" + sys.argv[3].rsplit(":", 1)[1]
reads = sum(r["reads"] for r in rep["sockets"] if r["local"].endswith(port))
print(reads, req)
sys.exit(0 if req > 20000 and abs(reads - req) <= req / 100 else 1)' "$TMP/fits.out" "$TMP/fits.load.json" "$addr"
