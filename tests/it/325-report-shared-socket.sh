# Under an owner filter, a socket read by a task outside it has its readiness
# skipped from then on (the traced server's clients, on loopback), unless the
# socket is one of the traced process's own: here a thread with another name
# (outside --comm) reads the server's connection for K requests in the
# middle, and every readiness, during them and after, must still be counted.
. "$TESTS_DIR/it/lib.sh"
require_root "a traced socket read once by a thread outside --comm keeps its readiness counted"
HELPER="$TESTS_DIR/it/helpers/shared_reader.py"
N=400 K=20
rm -f "$TMP/go"
python3 "$HELPER" --comm psshared --other-comm psother --count $N --other-reads $K --go-file "$TMP/go" >"$TMP/srv.out" &
BG_PIDS+=($!)
srv=$!
for _ in $(seq 1 100); do [ -s "$TMP/srv.out" ] && break; sleep 0.05; done
start_report "$TMP/r.json" "$TMP/r.err" --comm psshared -d 0 --format json --top 0 || not_ok "report attaches"
touch "$TMP/go"
for _ in $(seq 1 400); do grep -q requests "$TMP/srv.out" && break; sleep 0.05; done
check "the shared-socket server ran its $N requests" grep -q '"requests"' "$TMP/srv.out"
stop_report
check "report exits 0" test "$REPORT_RC" -eq 0
# The server's connection: read by the kept thread N-K times; every request
# arrival is a readiness of the kept process's socket (and the close one more).
check "the server's connection: N-K reads by the kept thread" json_check "$TMP/r.json" \
  "[r for r in d['sockets'] if r['comm'] == 'psshared' and r['reads'] == $N - $K]"
check "the server's connection: every readiness counted, the other thread's reads too" json_check "$TMP/r.json" \
  "[r for r in d['sockets'] if r['comm'] == 'psshared' and r['reads'] == $N - $K and r['ready'] >= $N]"
kill "$srv" 2>/dev/null || true
