# pollscope load --proto http against a private nginx, next to wrk.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/load.sh"

start_nginx 1000000 || { not_ok "nginx starts"; cat "$NGINX_DIR/error.log" >&2; exit 0; }
addr="127.0.0.1:$NGINX_PORT"
log="$NGINX_DIR/access.log"

# A wrk-comparable run: -t 2 -c 50, zero errors, nginx logged what we counted.
: >"$log"
"$POLLSCOPE" load "$addr" --proto http -t 2 -c 50 -d 2 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
sleep 0.3
req=$(jget "$TMP/j" "j['requests']")
lines=$(wc -l <"$log")
check "http -t2 -c50: exit 0, zero errors" test $rc -eq 0 -a "$(jget "$TMP/j" "j['errors']['total']")" = 0
check "http -t2 -c50: requests > 0" test "${req:-0}" -gt 0
check "http -t2 -c50: nginx logged requests..requests+50 ($req vs $lines)" test "$lines" -ge "${req:-0}" -a "$lines" -le $((${req:-0} + 50))
check "http: every logged request is a GET / answered 200" test "$(grep -vc '"GET / HTTP/1.1" 200 ' "$log")" -eq 0

if command -v wrk >/dev/null; then
  wrk -t2 -c50 -d2s "http://$addr/" >"$TMP/wrk" 2>&1
  check "wrk against the same nginx: no socket errors either" bash -c "! grep -q 'Socket errors' '$TMP/wrk' && ! grep -q 'Non-2xx' '$TMP/wrk'"
else
  skip "wrk against the same nginx: wrk not installed"
fi

# Pipelined, exact count.
: >"$log"
"$POLLSCOPE" load "$addr" --proto http -c 8 -P 8 -n 20000 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
sleep 0.3
check "http -P 8 -n 20000: exit 0" test $rc -eq 0
check "http -P 8 -n 20000: nginx logged exactly 20000" test "$(wc -l <"$log")" -eq 20000

# A 404 is an unexpected reply.
"$POLLSCOPE" load "$addr" --proto http --path /missing -c 1 -n 10 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
check "http 404: exit 1" test $rc -eq 1
check "http 404: 10 unexpected_reply" test "$(jget "$TMP/j" "j['errors']['unexpected_reply']")" = 10

# nginx closing connections (keepalive_requests 100): reconnects, no errors, exact count.
start_nginx 100 || { not_ok "nginx (keepalive_requests 100) starts"; exit 0; }
addr="127.0.0.1:$NGINX_PORT"
log="$NGINX_DIR/access.log"
"$POLLSCOPE" load "$addr" --proto http -c 5 -P 4 -n 5000 --json -q >"$TMP/j" 2>"$TMP/e"; rc=$?
sleep 0.3
check "Connection: close every 100: exit 0, no errors" test $rc -eq 0
check "Connection: close every 100: 5000 requests" test "$(jget "$TMP/j" "j['requests']")" = 5000
check "Connection: close every 100: nginx logged exactly 5000" test "$(wc -l <"$log")" -eq 5000
