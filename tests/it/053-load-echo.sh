# pollscope load --proto echo: payloads come back and are verified byte by byte.
# Uses `pollscope serve --proto echo` when this build has it, else the test server.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"

if "$POLLSCOPE" help serve >/dev/null 2>&1; then
  server="pollscope serve"
  out="$TMP/serve.out"
  start_bg "$POLLSCOPE" serve --port 0 --proto echo >"$out" 2>"$TMP/serve.err"
  addr=""
  for _ in $(seq 1 100); do addr=$(head -1 "$out" 2>/dev/null); [ -n "$addr" ] && break; sleep 0.05; done
else
  server="test server"
  start_test_server --proto echo
  addr=$TS_ADDR
fi
[ -n "$addr" ] || { not_ok "echo server ($server) starts"; exit 0; }

for size in 1 100 5000 100000; do
  "$POLLSCOPE" load "$addr" --proto echo --size $size -c 4 -P 2 -d 1.5 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
  check "echo --size $size against $server: exit 0, zero errors" test $rc -eq 0 -a "$(jget "$TMP/j" "j['errors']['total']")" = 0
  check "echo --size $size: requests > 0 and every byte came back" \
    test "$(jget "$TMP/j" "j['requests'] > 0 and j['bytes_received'] >= j['requests'] * $size")" = True
done

"$POLLSCOPE" load "$addr" --proto echo --size 64 -c 3 -n 3000 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "echo -n 3000: exactly 3000 verified replies, 192000 bytes each way" \
  test $rc -eq 0 -a "$(jget "$TMP/j" "(j['requests'], j['bytes_sent'], j['bytes_received'])")" = "(3000, 192000, 192000)"

# A server that corrupts bytes: the verification notices.
start_test_server --proto echo --corrupt
"$POLLSCOPE" load "$TS_ADDR" --proto echo --size 64 -c 2 -n 200 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "corrupted echo: exit 1" test $rc -eq 1
check "corrupted echo: unexpected_reply counted" test "$(jget "$TMP/j" "j['errors']['unexpected_reply'] > 0")" = True
