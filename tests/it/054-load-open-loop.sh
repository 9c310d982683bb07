# pollscope load open loop: the scheduler keeps the asked rate, latency is
# corrected for coordinated omission, --timeout counts stuck requests.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"

start_redis || { not_ok "redis-server starts"; exit 0; }

# -R 5000 -d 5: the number of requests (a count, not a timing) is 25000 within 2%.
"$POLLSCOPE" load "127.0.0.1:$REDIS_PORT" -c 10 -R 5000 -d 5 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
req=$(jget "$TMP/j" "j['requests']")
check "-R 5000 -d 5: exit 0" test $rc -eq 0
check "-R 5000 -d 5: $req requests, 25000 within 2%" test "$(jget "$TMP/j" "abs(j['requests'] - 25000) <= 500")" = True
check "-R 5000 -d 5: achieved rate within 2% of asked" test "$(jget "$TMP/j" "j['mode'] == 'open' and j['rate_asked'] == 5000 and abs(j['rate_achieved'] - 5000) <= 100")" = True

# -n in open loop: exact count.
"$POLLSCOPE" load "127.0.0.1:$REDIS_PORT" -c 4 -R 4000 -n 2000 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "-R 4000 -n 2000: exactly 2000 requests" test $rc -eq 0 -a "$(jget "$TMP/j" "j['requests']")" = 2000

# A stall: the server stops reading for 500 ms once. With 4 connections at
# 2000 req/s about 1000 requests are due during the stall: they wait, and the
# corrected latency shows it at p99, while only 4 requests were actually sent
# before the stall and waited: the uncorrected p99 hardly moves.
start_test_server --proto resp --stall-after 3000 --stall-ms 500
"$POLLSCOPE" load "$TS_ADDR" -c 4 -R 2000 -d 4 --uncorrected --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
c99=$(jget "$TMP/j" "j['latency_us']['p99']"); u99=$(jget "$TMP/j" "j['latency_uncorrected_us']['p99']")
echo "# stall: corrected p99 ${c99}us, uncorrected p99 ${u99}us" >&2
check "stall: exit 0" test $rc -eq 0
check "stall: corrected p99 ($c99 us) >= 200 ms" test "$(jget "$TMP/j" "j['latency_us']['p99'] >= 200000")" = True
check "stall: uncorrected p99 ($u99 us) < corrected p99 / 4" test "$(jget "$TMP/j" "j['latency_uncorrected_us']['p99'] * 4 < j['latency_us']['p99']")" = True
check "stall: uncorrected max still sees the stall (>= 300 ms)" test "$(jget "$TMP/j" "j['latency_uncorrected_us']['max'] >= 300000")" = True

# The same stall in closed loop: latency from the send time, both equal.
start_test_server --proto resp --stall-after 2000 --stall-ms 500
"$POLLSCOPE" load "$TS_ADDR" -c 4 -d 2 --uncorrected --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "closed loop: corrected and uncorrected are the same" test "$(jget "$TMP/j" "j['latency_us'] == j['latency_uncorrected_us']")" = True
check "closed loop stall: max >= 300 ms" test "$(jget "$TMP/j" "j['latency_us']['max'] >= 300000")" = True

# --timeout: a server that never answers.
start_test_server --proto silent
"$POLLSCOPE" load "$TS_ADDR" -c 3 -R 100 -d 3 --timeout 300ms --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "--timeout: exit 1" test $rc -eq 1
check "--timeout: one timeout per connection" test "$(jget "$TMP/j" "j['errors']['timeout']")" = 3
check "--timeout: no requests completed" test "$(jget "$TMP/j" "j['requests']")" = 0
check "--timeout: run ended once every connection failed" test "$(jget "$TMP/j" "j['duration_s'] < 2")" = True
"$POLLSCOPE" load "$TS_ADDR" -c 2 -d 1.2 --timeout 200ms --reconnect --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "--timeout --reconnect: keeps timing out until -d (>= 4 timeouts)" test $rc -eq 1 -a "$(jget "$TMP/j" "j['errors']['timeout'] >= 4")" = True
