# pollscope load: the CLI contract (usage errors, refused address, progress, output forms).
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"

check "help load prints load's options" bash -c "'$POLLSCOPE' help load | grep -q -- '--connect-rate'"

usage_case() {  # NAME ARGS...: exit 2, one line on stderr, nothing on stdout
  local name="$1"; shift
  "$POLLSCOPE" load "$@" >"$TMP/o" 2>"$TMP/e"; local rc=$?
  check "usage error exits 2: $name" test $rc -eq 2
  check "usage error is one line, stdout empty: $name" test "$(wc -l <"$TMP/e")" -eq 1 -a ! -s "$TMP/o"
}
usage_case "no target"
usage_case "unknown flag" 127.0.0.1:1 --bogus
usage_case "target without port" 127.0.0.1
usage_case "bad port" 127.0.0.1:70000
usage_case "unknown proto" 127.0.0.1:1 --proto ftp
usage_case "-P 0" 127.0.0.1:1 -P 0
usage_case "-c 0" 127.0.0.1:1 -c 0
usage_case "more threads than connections" 127.0.0.1:1 -t 4 -c 2
usage_case "bad duration" 127.0.0.1:1 -d 5x
usage_case "negative rate" 127.0.0.1:1 -R -5
usage_case "bad timeout" 127.0.0.1:1 --timeout soon

# Refused at start: one line naming the address, exit 1, nothing on stdout.
port=$(free_port)
"$POLLSCOPE" load "127.0.0.1:$port" -d 1 >"$TMP/o" 2>"$TMP/e"; rc=$?
check "refused at start exits 1" test $rc -eq 1
check "refused at start: one line on stderr" test "$(wc -l <"$TMP/e")" -eq 1
check "refused at start: the line names the address" grep -q "127.0.0.1:$port" "$TMP/e"
check "refused at start: the line says refused" grep -qi "refused" "$TMP/e"
check "refused at start: stdout empty" test ! -s "$TMP/o"

start_redis || { not_ok "redis-server starts"; exit 0; }
addr="127.0.0.1:$REDIS_PORT"

# Progress: plain lines once a second when stderr is not a terminal.
"$POLLSCOPE" load "$addr" -c 2 -d 2.5 >"$TMP/o" 2>"$TMP/e"; rc=$?
check "a clean run exits 0" test $rc -eq 0
check "progress: at least 2 plain lines on stderr" test "$(grep -c '^load .*req/s' "$TMP/e")" -ge 2
check "progress: no carriage returns when not a terminal" bash -c "! grep -q $'\r' '$TMP/e'"
for field in target connections duration stop requests throughput latency errors bytes; do
  check "text summary has '$field'" grep -q "^$field " "$TMP/o"
done

# On a terminal: one updating line (carriage return + erase), not one line per second.
if command -v script >/dev/null; then
  script -qec "'$POLLSCOPE' load '$addr' -c 2 -d 2.3 >'$TMP/o'" /dev/null >"$TMP/tty" 2>&1
  check "progress on a terminal: redrawn with carriage returns" grep -q $'\r''load .*req/s' "$TMP/tty"
  check "progress on a terminal: at most one newline" test "$(tr -cd '\n' <"$TMP/tty" | wc -c)" -le 1
  check "progress on a terminal: summary still on stdout" grep -q '^requests ' "$TMP/o"
else
  skip "progress on a terminal: script(1) not installed"
fi

"$POLLSCOPE" load "$addr" -c 2 -d 1.2 --quiet >"$TMP/o" 2>"$TMP/e"; rc=$?
check "--quiet: nothing on stderr" test $rc -eq 0 -a ! -s "$TMP/e"

"$POLLSCOPE" load "$addr" -c 2 -n 500 --json --uncorrected >"$TMP/j" 2>"$TMP/e"; rc=$?
check "--json exits 0" test $rc -eq 0
check "--json: stdout is one JSON document" python3 -c "import json,sys; json.load(open('$TMP/j'))"
keys="target proto mode connections threads pipeline rate_asked rate_achieved duration_s warmup_s interrupted stop requests sent throughput_rps latency_us latency_uncorrected_us errors bytes_sent bytes_received"
missing=""
for k in $keys; do [ "$(jget "$TMP/j" "'$k' in j")" = True ] || missing="$missing $k"; done
check "--json has every key${missing:+ (missing:$missing)}" test -z "$missing"
check "--json: -n 500 gives 500 requests" test "$(jget "$TMP/j" "j['requests']")" = 500
check "--json: latency count equals requests" test "$(jget "$TMP/j" "j['latency_us']['count']")" = 500
check "--json: p50 <= p99 <= max" test "$(jget "$TMP/j" "j['latency_us']['p50'] <= j['latency_us']['p99'] <= j['latency_us']['max']")" = True
check "--json: no errors" test "$(jget "$TMP/j" "j['errors']['total']")" = 0

# --warmup: time excluded; -d is the measured time.
"$POLLSCOPE" load "$addr" -c 2 -d 1 --warmup 0.5 --json -q >"$TMP/j" 2>"$TMP/e"
check "--warmup is reported and excluded from duration" test "$(jget "$TMP/j" "j['warmup_s'] == 0.5 and 0.9 < j['duration_s'] <= 1.01")" = True

# --connect-rate: every connection is opened in the end.
"$POLLSCOPE" load "$addr" -c 6 -d 1.5 --connect-rate 10 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "--connect-rate run has no errors" test $rc -eq 0
clients=$(redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | awk -F: '/^total_connections_received:/{print $2}')
check "--connect-rate: connections were all opened (redis saw them)" test "${clients:-0}" -ge 6

# SIGINT: summary still printed, interrupted flagged.
"$POLLSCOPE" load "$addr" -c 2 -d 30 --json -q >"$TMP/j" 2>"$TMP/e" &
lp=$!
sleep 1
kill -INT $lp
wait $lp; rc=$?
check "SIGINT: exits 0 with a summary" test $rc -eq 0
check "SIGINT: interrupted is true" test "$(jget "$TMP/j" "j['interrupted']")" = True
