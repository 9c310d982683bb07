# pollscope load says why it stopped (JSON "stop", the text summary's stop
# line, one line on stderr): duration, count, interrupted, server_closed,
# all_connections_failed; and counts a server's orderly close (FIN) as
# `closed` apart from a reset (RST).
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"

start_redis || { not_ok "redis-server starts"; exit 0; }
addr="127.0.0.1:$REDIS_PORT"

# The ordinary ends: -d, -n, a signal.
"$POLLSCOPE" load "$addr" -c 2 -d 1 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "-d: exit 0, stop reason duration" test $rc -eq 0 -a "$(jget "$TMP/j" "j['stop']['reason']")" = duration
check "-d: stop after_s counts from the start and is at least -d" test "$(jget "$TMP/j" "j['stop']['after_s'] >= 1")" = True
check "-d --quiet: nothing on stderr" test ! -s "$TMP/e"

"$POLLSCOPE" load "$addr" -c 2 -n 300 >"$TMP/o" 2>"$TMP/e"; rc=$?
check "-n: exit 0" test $rc -eq 0
check "-n: text summary's stop line says count" grep -q '^stop  *count after .*: request count reached (300 answered)$' "$TMP/o"
check "-n: stderr says the count was reached" grep -q '^pollscope load: stopped after .* s: request count reached (300 answered)$' "$TMP/e"

"$POLLSCOPE" load "$addr" -c 2 -d 30 --json >"$TMP/j" 2>"$TMP/e" &
lp=$!
sleep 1
kill -INT $lp
wait $lp; rc=$?
check "SIGINT: exit 0, stop reason interrupted" test $rc -eq 0 -a "$(jget "$TMP/j" "j['stop']['reason']")" = interrupted
check "SIGINT: interrupted stays true alongside" test "$(jget "$TMP/j" "j['interrupted']")" = True
check "SIGINT: after_s below -d" test "$(jget "$TMP/j" "0 < j['stop']['after_s'] < 30")" = True
check "SIGINT: stderr says interrupted, of 30 s" grep -q '^pollscope load: stopped after .* s of 30 s: interrupted by a signal$' "$TMP/e"

# The server dies mid-run: every connection is lost to the server hanging up
# (a FIN, or an RST for requests it left unread), none is reconnected.
"$POLLSCOPE" load "$addr" -c 10 -t 2 -d 20 --json -q >"$TMP/j" 2>"$TMP/e" &
lp=$!
sleep 1
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null
wait $lp; rc=$?
check "server killed: exit 1" test $rc -eq 1
check "server killed: stop reason server_closed" test "$(jget "$TMP/j" "j['stop']['reason']")" = server_closed
check "server killed: after_s well below -d 20" test "$(jget "$TMP/j" "0 < j['stop']['after_s'] < 15")" = True
check "server killed: each of 10 connections lost once (closed + reset = 10)" \
  test "$(jget "$TMP/j" "j['errors']['closed'] + j['errors']['reset']")" = 10
check "server killed: interrupted is false" test "$(jget "$TMP/j" "j['interrupted']")" = False
check "server killed: stderr names it, even with --quiet" \
  grep -Eq '^pollscope load: stopped after [0-9.]+ s of 20 s: the server closed every connection \([0-9]+ closed, [0-9]+ reset\)$' "$TMP/e"
check "server killed: stderr still gives the error count" grep -q '^pollscope load: 10 errors against ' "$TMP/e"

# A server that closes in order (FIN) after 5 answers on each connection:
# `closed`, not `reset`; exactly 5 answers per connection were counted.
start_test_server --proto resp --hangup fin --hangup-after 5 || not_ok "test server (fin) starts"
"$POLLSCOPE" load "$TS_ADDR" -c 4 -t 2 -d 10 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "FIN: exit 1" test $rc -eq 1
check "FIN: 4 closed, 0 reset" test "$(jget "$TMP/j" "(j['errors']['closed'], j['errors']['reset'])")" = "(4, 0)"
check "FIN: 20 requests answered before the closes" test "$(jget "$TMP/j" "j['requests']")" = 20
check "FIN: stop reason server_closed, after_s below -d" \
  test "$(jget "$TMP/j" "j['stop']['reason'] == 'server_closed' and j['stop']['after_s'] < 10")" = True
check "FIN: stderr line" grep -q '^pollscope load: stopped after .* s of 10 s: the server closed every connection (4 closed, 0 reset)$' "$TMP/e"
kill "$TS_PID"

# The same with an RST (SO_LINGER 0): `reset`, not `closed`; the text summary too.
start_test_server --proto resp --hangup rst --hangup-after 5 || not_ok "test server (rst) starts"
"$POLLSCOPE" load "$TS_ADDR" -c 4 -d 10 -q >"$TMP/o" 2>"$TMP/e"; rc=$?
check "RST: exit 1" test $rc -eq 1
check "RST: text errors line has closed 0, reset 4" grep -q '^errors  *4 (connect_refused 0, closed 0, reset 4, ' "$TMP/o"
check "RST: text stop line says server_closed" \
  grep -q '^stop  *server_closed after .* s: the server closed every connection (0 closed, 4 reset)$' "$TMP/o"
check "RST: stderr line" grep -q '^pollscope load: stopped after .* s of 10 s: the server closed every connection (0 closed, 4 reset)$' "$TMP/e"
kill "$TS_PID"

# A server that never answers: every connection times out, none left.
start_test_server --proto silent || not_ok "test server (silent) starts"
"$POLLSCOPE" load "$TS_ADDR" -c 3 -d 10 --timeout 300ms --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "every connection times out: exit 1" test $rc -eq 1
check "every connection times out: stop reason all_connections_failed" \
  test "$(jget "$TMP/j" "j['stop']['reason']")" = all_connections_failed
check "every connection times out: after_s below -d" test "$(jget "$TMP/j" "j['stop']['after_s'] < 10")" = True
check "every connection times out: stderr line" \
  grep -q '^pollscope load: stopped after .* s of 10 s: every connection failed (3 timeout)$' "$TMP/e"

# -n: the stderr line measures against the count, not the time.
"$POLLSCOPE" load "$TS_ADDR" -c 3 -n 1000 --timeout 300ms --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "-n with every connection timing out: stderr counts against -n" \
  grep -q '^pollscope load: stopped after .* s (0 of 1000 requests answered): every connection failed (3 timeout)$' "$TMP/e"
