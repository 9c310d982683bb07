# pollscope load against a real redis-server: request counts match redis's own
# count, pipelining, unexpected replies, the server dying mid-run, --reconnect.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"

start_redis || { not_ok "redis-server starts"; exit 0; }
addr="127.0.0.1:$REDIS_PORT"

# INFO itself counts as one command; -n N must be exactly N commands.
count_case() {  # NAME N ARGS...
  local name="$1" n="$2"; shift 2
  local before after
  before=$(redis_commands "$REDIS_PORT")
  "$POLLSCOPE" load "$addr" -n "$n" --json -q "$@" >"$TMP/j" 2>"$TMP/e"; local rc=$?
  after=$(redis_commands "$REDIS_PORT")
  check "$name: exit 0" test $rc -eq 0
  check "$name: reports $n requests" test "$(jget "$TMP/j" "j['requests']")" = "$n"
  check "$name: redis processed exactly $n commands (delta $((after - before - 1)))" test $((after - before - 1)) -eq "$n"
}
count_case "closed loop -c 20" 20000 -c 20
count_case "pipeline 16 -c 10 -t 2" 50000 -c 10 -t 2 -P 16
count_case "-n not a multiple of -c" 1003 -c 7 -P 3

# -d: redis's count is the reported count plus at most the requests in flight at stop.
before=$(redis_commands "$REDIS_PORT")
"$POLLSCOPE" load "$addr" -c 20 -P 4 -d 2 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
after=$(redis_commands "$REDIS_PORT")
req=$(jget "$TMP/j" "j['requests']")
extra=$((after - before - 1 - ${req:-0}))
check "-d run: exit 0" test $rc -eq 0
check "-d run: requests > 0" test "${req:-0}" -gt 0
check "-d run: redis delta - requests = $extra, within in-flight 0..80" test "$extra" -ge 0 -a "$extra" -le 80
check "-d run: bytes received = 7 per +PONG" test "$(jget "$TMP/j" "j['bytes_received'] >= 7 * j['requests']")" = True

# --command: a command redis refuses is an unexpected reply, counted, exit 1.
"$POLLSCOPE" load "$addr" -c 2 -n 100 --command "NOSUCHCMD a b" --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "error replies: exit 1" test $rc -eq 1
check "error replies: 100 unexpected_reply" test "$(jget "$TMP/j" "j['errors']['unexpected_reply']")" = 100
check "error replies: summary still on stdout" test "$(jget "$TMP/j" "j['requests']")" = 100
"$POLLSCOPE" load "$addr" -c 2 -n 100 --command "SET k v" --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "--command SET: no errors" test $rc -eq 0 -a "$(redis-cli -p "$REDIS_PORT" get k | tr -d '\r')" = v

# The server dies mid-run: errors counted, summary printed, exit 1.
"$POLLSCOPE" load "$addr" -c 10 -d 20 --json -q >"$TMP/j" 2>"$TMP/e" &
lp=$!
sleep 1
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null
wait $lp; rc=$?
check "server dies mid-run: exit 1" test $rc -eq 1
check "server dies mid-run: summary is JSON on stdout" python3 -c "import json; json.load(open('$TMP/j'))"
check "server dies mid-run: requests before the death counted" test "$(jget "$TMP/j" "j['requests'] > 0")" = True
check "server dies mid-run: every connection's loss counted (closed + reset >= 10)" test "$(jget "$TMP/j" "j['errors']['closed'] + j['errors']['reset'] >= 10")" = True
check "server dies mid-run: ended without waiting for -d" test "$(jget "$TMP/j" "j['duration_s'] < 15")" = True
check "server dies mid-run: two lines on stderr (why it stopped, the errors)" test "$(wc -l <"$TMP/e")" -eq 2

# --reconnect: keeps going across a restart of the server on the same port.
port=$REDIS_PORT
start_redis_on() {
  start_bg redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --dir "$TMP" --logfile "$TMP/redis2.log"
  REDIS_PID=$BG_PID
  wait_port "$1" 10
}
start_redis_on "$port"
"$POLLSCOPE" load "$addr" -c 4 -d 4 --reconnect --json -q >"$TMP/j" 2>"$TMP/e" &
lp=$!
sleep 1
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null
sleep 0.7
start_redis_on "$port"
wait $lp; rc=$?
check "--reconnect: exit 1 (errors happened)" test $rc -eq 1
check "--reconnect: lost connections and refused connects counted" test "$(jget "$TMP/j" "j['errors']['closed'] + j['errors']['reset'] >= 1 and j['errors']['connect_refused'] >= 1")" = True
check "--reconnect: the restarted server got requests" test "$(redis_commands "$port")" -gt 100
check "--reconnect: ran the whole -d" test "$(jget "$TMP/j" "j['duration_s'] > 3.9")" = True
