# pollscope serve --proto http against wrk (epoll and poll modes: zero socket
# errors, no non-2xx), and HTTP/1.1 details: keep-alive, pipelining, Connection:
# close, sized bodies, HEAD, malformed and oversized requests. Also --proto echo.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/serve.sh"

wrk_run() {  # MODE
  local mode="$1"
  if ! start_serve --mode "$mode" --proto http; then not_ok "$mode: http server starts"; return; fi
  timeout 60 wrk -t2 -c50 -d3s "http://127.0.0.1:$SERVE_PORT/" >"$TMP/wrk.$mode" 2>&1
  local rc=$?
  stop_serve TERM
  local total
  total=$(awk '/requests in/ {print $1}' "$TMP/wrk.$mode")
  if [ $rc -eq 0 ] && [ "${total:-0}" -gt 0 ] && ! grep -q -e 'Socket errors' -e 'Non-2xx' "$TMP/wrk.$mode" &&
     [ "$(summary_field errors)" = 0 ] && [ "$(summary_field requests)" -ge "$total" ]; then
    ok "$mode: wrk -t2 -c50 completes $total requests with zero errors"
  else
    not_ok "$mode: wrk -t2 -c50 with zero errors"; cat "$TMP/wrk.$mode" >&2; echo "$SERVE_SUMMARY" >&2
  fi
}
wrk_run epoll
wrk_run poll

client() { python3 "$SERVE_CLIENT" "$@"; }

start_serve --mode epoll --proto http --max-request 4096 || not_ok "http server starts"
p=$SERVE_PORT
check "curl: 200 and the default body" bash -c "curl -sf http://127.0.0.1:$p/ | grep -q '^Hello from'"
check "curl: /bytes/100000 has 100000 bytes" bash -c "test \$(curl -sf http://127.0.0.1:$p/bytes/100000 | wc -c) -eq 100000"
check "curl: HEAD has Content-Length and no body" bash -c "curl -sfI http://127.0.0.1:$p/bytes/7 | grep -qi '^Content-Length: 7'"
check "curl reuses one connection for two requests" bash -c \
  "curl -sv http://127.0.0.1:$p/ http://127.0.0.1:$p/ 2>&1 >/dev/null | grep -q 'Re-using existing connection'"

client exchange "$p" 'GET /bytes/1 HTTP/1.1\r\n\r\nGET /bytes/2 HTTP/1.1\r\n\r\nGET /bytes/3 HTTP/1.1\r\nConnection: close\r\n\r\n' >"$TMP/pipe"
check "pipelined requests answered in order" bash -c "head -1 '$TMP/pipe' | grep -q 'Content-Length: 1.*Content-Length: 2.*Content-Length: 3'"
check "Connection: close honoured (server closes)" grep -qx closed "$TMP/pipe"
client exchange "$p" 'GET / HTTP/1.1\r\n\r\n' >"$TMP/ka"
check "keep-alive: the connection stays open after a reply" grep -qx open "$TMP/ka"
client exchange "$p" 'GET / HTTP/1.0\r\n\r\n' >"$TMP/h10"
check "HTTP/1.0 without keep-alive: closed after the reply" grep -qx closed "$TMP/h10"
client exchange "$p" 'HELLO THERE\r\n\r\n' >"$TMP/bad"
check "malformed request: 400" grep -q '^HTTP/1.1 400 ' "$TMP/bad"
check "malformed request: connection closed" grep -qx closed "$TMP/bad"
client exchange "$p" 'GET / HTTP/1.1\r\nBroken header\r\n\r\n' >"$TMP/bad2"
check "malformed header: 400 and close" bash -c "grep -q '^HTTP/1.1 400 ' '$TMP/bad2' && grep -qx closed '$TMP/bad2'"
client send-big "$p" 'POST / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n' 100000 >"$TMP/big"
check "body above --max-request: 413 and close" bash -c "grep -q '^HTTP/1.1 413 ' '$TMP/big' && grep -qx closed '$TMP/big'"
client send-big "$p" 'GET / HTTP/1.1\r\nX-Long: ' 200000 >"$TMP/bighdr"
check "endless header above --max-request: error and close" bash -c "grep -q '^HTTP/1.1 4' '$TMP/bighdr' && grep -qx closed '$TMP/bighdr'"
stop_serve TERM
check "http server counts the bad requests as errors" test "$(summary_field errors)" -ge 4

start_serve --mode epoll --proto echo || not_ok "echo server starts"
client exchange "$SERVE_PORT" 'hello\x00world\n' >"$TMP/echo"
check "echo: bytes back, binary safe" bash -c "head -1 '$TMP/echo' | grep -qF 'hello\\x00world\\n'"
client send-big "$SERVE_PORT" '' 3000000 >"$TMP/echobig"
check "echo: 3 MB come back" bash -c "test \$(head -1 '$TMP/echobig' | wc -c) -ge 3000000"
stop_serve TERM
