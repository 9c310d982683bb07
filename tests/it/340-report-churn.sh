# Connection churn: one request per connection (nginx keepalive_requests 1) at
# 1,000 connections per second. Every connection is its own row, closed rows
# say CLOSE, and reads are counted within 1% of the load generator's own
# request count, traced by port and by pid; folding keeps the sums exact; every
# readiness read is split into stages that add up to ready->read.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"
require_root "churn: report under connection churn"

NGINX_ACCESS_LOG=off start_nginx 1 || { not_ok "nginx (keepalive_requests 1) starts"; exit 0; }
addr="127.0.0.1:$NGINX_PORT"

# churn_run NAME REPORT-ARGS...: traces while `load` makes 8,000 one-request
# connections at 1,000/s, entirely inside the trace; leaves $TMP/NAME.json
# (report) and $TMP/NAME.load.json (load's summary).
churn_run() {
  local name="$1"; shift
  start_report "$TMP/$name.json" "$TMP/$name.err" -d 0 --format json --top 0 "$@" \
    || { not_ok "$name: report attaches"; cat "$TMP/$name.err" >&2; return 1; }
  "$POLLSCOPE" load "$addr" --proto http -R 1000 -c 20 -d 8s --json -q >"$TMP/$name.load.json" 2>"$TMP/$name.load.err"
  sleep 0.5
  kill -INT "$REPORT_PID"; wait "$REPORT_PID"
}

# check_churn NAME: the checks every traced run must pass (python prints
# one line per failed check and exits 1).
check_churn() {
  local name="$1" mode="$2"
  python3 - "$TMP/$name.json" "$TMP/$name.load.json" "$NGINX_PORT" "$mode" "$NGINX_PID" >"$TMP/$name.check" 2>&1 <<'PY'
import json, sys
rep = json.load(open(sys.argv[1])); load = json.load(open(sys.argv[2]))
port = ":%s" % sys.argv[3]; mode = sys.argv[4]
req = load["requests"]
fails = []
def need(cond, what):
    if not cond: fails.append(what)
server = [r for r in rep["sockets"] if r["local"].endswith(port) and r["origin"] == "accept"]
client = [r for r in rep["sockets"] if r["remote"].endswith(port)]
srv_reads = sum(r["reads"] for r in server)
need(req >= 7000, "load made %d requests, wanted about 8000" % req)  # traffic happened; the checks below compare against req itself
need(abs(srv_reads - req) <= req / 100, "nginx-side reads %d vs %d requests (1%%)" % (srv_reads, req))
# Every request is one readiness that a read with data ended (one ready->read
# sample). A FIN that finds the socket still open is a readiness too (EOF:
# epoll reports it), so the raw count may exceed the requests, by at most one
# per connection.
srv_r2r = sum(r["ready_to_read"]["count"] for r in server)
need(abs(srv_r2r - req) <= req / 100, "nginx-side ready->read samples %d vs %d requests (1%%)" % (srv_r2r, req))
srv_ready = sum(r["ready"] for r in server)
need(req * 0.99 <= srv_ready <= 2 * req, "nginx-side readiness %d for %d requests" % (srv_ready, req))
# The stage split holds under churn: every readiness read on the nginx side
# is split (one split per ready->read sample), and its stages add up to
# ready->read (folded rows too).
srv_split = sum(r["stages"]["split"] for r in server if "stages" in r)
need(abs(srv_split - srv_r2r) <= srv_r2r / 100, "nginx-side stage splits %d vs %d ready->read samples (1%%)" % (srv_split, srv_r2r))
srv_r2r_ns = sum(r["ready_to_read"]["sum_ns"] for r in server)
srv_stage_ns = sum(sum(row) for r in server if "stages" in r for row in r["stages"]["ns_by_class"])
need(srv_r2r_ns > 0 and abs(srv_stage_ns - srv_r2r_ns) <= srv_r2r_ns / 100,
     "nginx-side stages add up to %d ns, ready->read to %d ns (1%%)" % (srv_stage_ns, srv_r2r_ns))
closed = [r for r in rep["sockets"] if r["close_time"] > 0]
bad_state = [r for r in closed if r["state"] != "CLOSE"]
need(not bad_state, "%d closed rows not in CLOSE (e.g. %s)" % (len(bad_state), bad_state[0]["state"] if bad_state else ""))
need(rep["health"]["complete"], "health says incomplete: %s" % rep["health"]["drops"])
if mode == "rows":
    # One row per connection: as many nginx-side rows as requests, none with
    # another connection's read.
    need(abs(len(server) - req) <= req / 100, "%d nginx-side rows for %d connections" % (len(server), req))
    need(max(r["reads"] for r in server) == 1, "an nginx-side row holds %d reads" % max(r["reads"] for r in server))
    # Accepted in softirq, owned by nginx from its first read on.
    strangers = [r for r in server if r["reads"] and r["pid"] != int(sys.argv[5])]
    need(not strangers, "%d nginx-side rows with another owner (e.g. pid %s)" % (len(strangers), strangers[0]["pid"] if strangers else ""))
    if client:
        cli_reads = sum(r["reads"] for r in client)
        need(abs(len(client) - req) <= req / 100, "%d client rows for %d connections" % (len(client), req))
        need(abs(cli_reads - req) <= req / 100, "client reads %d vs %d requests" % (cli_reads, req))
        need(max(r["reads"] for r in client) <= 2, "a client row holds %d reads" % max(r["reads"] for r in client))
if mode == "folded":
    folded = sum(r["folded"] for r in rep["sockets"])
    need(folded > 0, "nothing folded")
    need(len(rep["sockets"]) <= 1100, "%d rows with --max-rows 1000" % len(rep["sockets"]))
for f in fails: print(f)
sys.exit(1 if fails else 0)
PY
}

# checked NAME MODE DESCRIPTION: one test line for check_churn's checks, with
# what failed (if anything) on the test's stderr.
checked() {
  check_churn "$1" "$2"
  sed "s/^/  $1: /" "$TMP/$1.check" >&2
  check "$3" test ! -s "$TMP/$1.check"
}

churn_run port --port "$NGINX_PORT" --max-rows 0
checked port rows "churn --port: one row per connection, reads within 1% of requests, closed rows CLOSE"

churn_run pid -p "$NGINX_PID" --max-rows 0
checked pid rows "churn -p nginx: one row per connection, reads within 1% of requests, closed rows CLOSE"

churn_run fold --port "$NGINX_PORT"
checked fold folded "churn with the default --max-rows: closed connections fold, sums stay exact"

# The raw_tp fallback has no socket local storage: it tells connections apart
# by their TCP birth transitions. Same load, same checks.
POLLSCOPE_FORCE_RAW_TP=1 churn_run rawtp --port "$NGINX_PORT" --max-rows 0
check "churn on the raw_tp fallback: attached through raw_tp" \
  python3 -c 'import json,sys; p=[x for x in json.load(open(sys.argv[1]))["health"]["probes"] if x["tracepoint"]=="sock:inet_sock_set_state"]; sys.exit(0 if p and p[0]["method"]=="raw_tp" else 1)' "$TMP/rawtp.json"
checked rawtp rows "churn on the raw_tp fallback: one row per connection, reads within 1% of requests, closed rows CLOSE"
