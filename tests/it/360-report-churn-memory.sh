# Bounded memory under churn: 2 minutes at 1,000 new connections per second
# (nginx, one request each). report keeps at most --max-rows connection rows
# (closed ones fold), so its memory stays flat; each recorded interval holds
# at most --max-rows rows, so the recording grows by a bounded amount per
# interval; and the folded totals still count every request.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"
require_root "churn memory: report RSS bounded"
SECS=${CHURN_SECS:-120}
RSS_LIMIT_KB=$((64 * 1024))

NGINX_ACCESS_LOG=off start_nginx 1 || { not_ok "nginx (keepalive_requests 1) starts"; exit 0; }
addr="127.0.0.1:$NGINX_PORT"
start_report "$TMP/r.json" "$TMP/r.err" -d 0 --format json --port "$NGINX_PORT" --record "$TMP/rec.jsonl" \
  || { not_ok "report attaches"; exit 0; }
"$POLLSCOPE" load "$addr" --proto http -R 1000 -c 20 -d "${SECS}s" --json -q >"$TMP/load.json" 2>"$TMP/load.err" &
load_pid=$!
# RSS samples every 10 s: the peak and the first sample after warm-up.
: >"$TMP/rss"
while kill -0 "$load_pid" 2>/dev/null; do
  awk '/^VmRSS:/{print $2}' "/proc/$REPORT_PID/status" >>"$TMP/rss" 2>/dev/null
  sleep 10
done
wait "$load_pid"
hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$REPORT_PID/status")
sleep 0.5
kill -INT "$REPORT_PID"; wait "$REPORT_PID"
echo "  report RSS samples (kB): $(tr '\n' ' ' <"$TMP/rss") peak $hwm" >&2

check "report's peak RSS ${hwm:-?} kB < $RSS_LIMIT_KB kB after ${SECS}s of churn" test "${hwm:-999999999}" -lt "$RSS_LIMIT_KB"
check "report's RSS flat: the last sample within 8 MB of the one at 20 s" \
  bash -c "[ \$(tail -1 '$TMP/rss') -lt \$((\$(sed -n 3p '$TMP/rss') + 8192)) ]"
python3 - "$TMP/rec.jsonl" >"$TMP/rec.check" <<'PY'
import json, sys
sizes, rows = [], []
for line in open(sys.argv[1]):
    sizes.append(len(line)); rows.append(len(json.loads(line)["sockets"]))
steady = sizes[2:-1]
print("intervals %d, bytes per interval max %d, rows per interval max %d" % (len(sizes), max(steady), max(rows)))
# --max-rows 1000 bounds each interval's rows (plus a few folded groups);
# the steady intervals' sizes do not grow with time.
ok = max(rows) <= 1100 and max(steady[-10:]) <= 1.5 * max(steady[:10])
sys.exit(0 if ok else 1)
PY
rc=$?
sed 's/^/  /' "$TMP/rec.check" >&2
check "recording: at most --max-rows rows per interval, interval size not growing" test $rc -eq 0
check "folded totals: server reads within 1% of load's requests" python3 -c '
import json, sys
rep = json.load(open(sys.argv[1])); req = json.load(open(sys.argv[2]))["requests"]
port = ":" + sys.argv[3]
reads = sum(r["reads"] for r in rep["sockets"] if r["local"].endswith(port))
print(reads, req, file=sys.stderr)
sys.exit(0 if req > 0 and abs(reads - req) <= req / 100 else 1)' "$TMP/r.json" "$TMP/load.json" "$NGINX_PORT"
