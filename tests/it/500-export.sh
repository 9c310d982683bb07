# pollscope export: bad input (exit codes and one-line errors), the pages it
# serves, a scrape that promtool accepts, basic auth, a clean SIGTERM with
# every program detached, and counters that never go back across connection
# churn (one request per connection) while matching the load's own count.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"
. "$TESTS_DIR/it/helpers/export.sh"

# expect_exit CODE NAME ARGS...: `pollscope export ARGS` exits CODE with one line on stderr.
expect_exit() {
  local code="$1" name="$2"; shift 2
  timeout 20 "$POLLSCOPE" export "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"
  local rc=$?
  check "$name: exit $code (got $rc: $(head -1 "$TMP/bad.err"))" test "$rc" -eq "$code"
  check "$name: one line on stderr, nothing on stdout" \
    bash -c "[ \$(wc -l <'$TMP/bad.err') -eq 1 ] && [ ! -s '$TMP/bad.out' ]"
}
expect_exit 2 "--duty active > period" --duty 10s/2s
expect_exit 2 "--duty zero" --duty 0/10s
expect_exit 2 "--duty malformed" --duty 2s
expect_exit 2 "--cgroup missing" --cgroup pollscope-no-such-cgroup-$$
expect_exit 2 "--listen bare port" --listen 9464
expect_exit 2 "basic auth without a password" --basic-auth-user prom
if python3 -c 'import ctypes,sys; sys.exit(ctypes.CDLL("libcivetweb.so.1").mg_check_feature(8) != 0)' 2>/dev/null; then
  expect_exit 2 "--listen IPv6 with a civetweb built without IPv6" --listen "[::1]:9464"
fi
# Listening comes before loading the probes: a port in use fails at once.
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(20)' >"$TMP/held" &
holder=$!
BG_PIDS+=("$holder")
for _ in $(seq 1 50); do [ -s "$TMP/held" ] && break; sleep 0.1; done
expect_exit 1 "--listen port in use" --listen "127.0.0.1:$(cat "$TMP/held")"
check "--listen port in use: says so" grep -qi "in use" "$TMP/bad.err"
kill "$holder" 2>/dev/null

require_root "export traces, serves and stops cleanly"

start_export --duty 1/1 --probes sock,sched,softirq --self-cost || { not_ok "export starts"; cat "$EXPORT_ERR" >&2; exit 1; }
check "/-/healthy answers OK" bash -c "curl -sf --max-time 5 '$EXPORT_URL/-/healthy' | grep -qx OK"
check "/ links to /metrics" bash -c "curl -sf --max-time 5 '$EXPORT_URL/' | grep -q 'href=\"/metrics\"'"
check "other paths are 404" bash -c "[ \$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 '$EXPORT_URL/nope') = 404 ]"
check "a scrape asking for OpenMetrics gets the text format" bash -c \
  "curl -sf --max-time 5 -H 'Accept: application/openmetrics-text; version=1.0.0' '$EXPORT_URL/metrics' | grep -q '^# TYPE pollscope_active_seconds_total counter'"
ids=$(bpf_prog_ids_of "$EXPORT_PID")
check "export holds its BPF programs" test "$(bpf_progs_loaded $ids)" -ge 5

# Churn: nginx closes every connection after one request.
NGINX_ACCESS_LOG=off start_nginx 1 || { not_ok "nginx (keepalive_requests 1) starts"; exit 1; }
"$POLLSCOPE" load "127.0.0.1:$NGINX_PORT" --proto http -R 500 -c 10 -d 6s --json -q >"$TMP/load.json" 2>"$TMP/load.err" &
load_pid=$!
BG_PIDS+=("$load_pid")
# Scrapes kept during the load, read after it (a busy machine must not thin them).
n=0 answered=1
while kill -0 "$load_pid" 2>/dev/null; do
  n=$((n + 1))
  scrape "$TMP/s.$n.txt" || answered=0
  sleep 0.3
done
monotonic=$answered prev=0
for i in $(seq 1 "$n"); do
  now=$(metric_sum "$TMP/s.$i.txt" pollscope_socket_reads_total port="$NGINX_PORT" role=server comm=nginx)
  python3 -c "import sys; sys.exit(0 if $now >= $prev else 1)" || monotonic=0
  prev=$now
done
wait "$load_pid"
sleep 2.2  # two intervals: the last connections' final deltas
scrape "$TMP/final.txt"
reads=$(metric_sum "$TMP/final.txt" pollscope_socket_reads_total port="$NGINX_PORT" role=server comm=nginx)
requests=$(jget "$TMP/load.json" 'j["requests"]')
echo "churn: $n scrapes, nginx reads $reads, load requests $requests" >&2
check "churn: counters never went back over $n scrapes" test "$monotonic" -eq 1 -a "$n" -ge 5
check "churn: nginx reads ($reads) within 1% of load's requests ($requests)" close_to "$reads" "$requests" 0.01
grep "^pollscope_socket_reads_total{.*port=\"$NGINX_PORT\"" "$TMP/final.txt" >&2
# nginx (server), load (client), and pid 0 for events before a socket's owner was seen.
check "churn: one series per process, port and role, none per connection" \
  test "$(grep -c "^pollscope_socket_reads_total{.*port=\"$NGINX_PORT\"" "$TMP/final.txt")" -le 4
drops=$(metric_sum "$TMP/final.txt" pollscope_probe_drops_total)
check "churn: drop counters exported and zero ($drops)" \
  bash -c "grep -q '^pollscope_probe_drops_total{map=\"socks\"} 0' '$TMP/final.txt' && [ '$drops' = 0.000000 ]"
check "promtool check metrics accepts a scrape" bash -c "promtool check metrics < '$TMP/final.txt'"
check "--self-cost: the probes' run time is exported" \
  python3 -c "import sys; sys.exit(0 if $(metric_sum "$TMP/final.txt" pollscope_probe_run_seconds_total tracepoint=sock:sk_data_ready) > 0 else 1)"
check "probe info says how each probe is attached" grep -q '^pollscope_probe_info{.*method="tp_btf"' "$TMP/final.txt"

stop_export
check "SIGTERM: exit 0" test "$EXPORT_RC" -eq 0
check "SIGTERM: every program detached and unloaded" test "$(progs_left_after_exit $ids)" -eq 0

# A scrape while the probes load is answered, saying they are not attached yet.
port=$(free_port)
start_bg "$POLLSCOPE" export --listen "127.0.0.1:$port" --duty 1/1 >/dev/null 2>"$TMP/start.err"
pid=$BG_PID
early=0
for _ in $(seq 1 200); do
  grep -q serving "$TMP/start.err" && break
  curl -sf --max-time 1 "http://127.0.0.1:$port/metrics" 2>/dev/null | grep -q '^pollscope_probes_attached 0' && { early=1; break; }
  sleep 0.02
done
if [ "$early" -eq 1 ]; then
  check "a scrape during the start is answered (probes_attached 0)" true
elif grep -q serving "$TMP/start.err"; then
  skip "a scrape during the start is answered: the probes loaded before the first scrape"
else
  not_ok "a scrape during the start is answered (probes_attached 0)"
fi
kill -TERM "$pid"; wait "$pid"
check "SIGTERM during or right after the start: exit 0" test $? -eq 0

# Basic auth on /metrics, password from a file.
printf 'sekrit\n' >"$TMP/pw"
start_export --duty 1/1 --probes sock --basic-auth-user prom --basic-auth-password-file "$TMP/pw" \
  || { not_ok "export with basic auth starts"; cat "$EXPORT_ERR" >&2; exit 1; }
check "basic auth: no credentials is 401" \
  bash -c "[ \$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 '$EXPORT_URL/metrics') = 401 ]"
check "basic auth: a wrong password is 401" \
  bash -c "[ \$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -u prom:nope '$EXPORT_URL/metrics') = 401 ]"
check "basic auth: the right one gets the metrics" \
  bash -c "curl -sf --max-time 5 -u prom:sekrit '$EXPORT_URL/metrics' | grep -q pollscope_probe_events_total"
stop_export
check "basic auth run: exit 0 on SIGTERM" test "$EXPORT_RC" -eq 0
