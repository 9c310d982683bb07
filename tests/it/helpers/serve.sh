# Helpers for the `pollscope serve` integration tests. Source after lib.sh.
SERVE_CLIENT="$TESTS_DIR/it/helpers/serve_client.py"
SERVE_N=0

# start_serve [--ulimit N] ARGS...: starts `pollscope serve ARGS` on a free port
# (--port 0), reads the address from its first stdout line. Sets SERVE_PID,
# SERVE_PORT, SERVE_ADDR, SERVE_OUT, SERVE_ERR. Returns 1 if no address came.
start_serve() {
  local limit=""
  if [ "${1:-}" = --ulimit ]; then limit="$2"; shift 2; fi
  SERVE_N=$((SERVE_N + 1))
  SERVE_OUT="$TMP/serve.$SERVE_N.out" SERVE_ERR="$TMP/serve.$SERVE_N.err"
  if [ -n "$limit" ]; then
    start_bg bash -c 'ulimit -n "$0" && exec "$@"' "$limit" "$POLLSCOPE" serve --port 0 "$@" >"$SERVE_OUT" 2>"$SERVE_ERR"
  else
    start_bg "$POLLSCOPE" serve --port 0 "$@" >"$SERVE_OUT" 2>"$SERVE_ERR"
  fi
  SERVE_PID=$BG_PID
  local i
  for i in $(seq 1 100); do
    [ -s "$SERVE_OUT" ] && break
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.05
  done
  SERVE_ADDR=$(head -1 "$SERVE_OUT" 2>/dev/null)
  SERVE_PORT=${SERVE_ADDR##*:}
  [[ "$SERVE_ADDR" =~ ^127\.0\.0\.1:[0-9]+$ ]]
}

# stop_serve [SIGNAL]: stops the server (TERM by default), waits for it, sets
# SERVE_RC and SERVE_SUMMARY (the summary line from stderr).
stop_serve() {
  kill -"${1:-TERM}" "$SERVE_PID" 2>/dev/null
  local i
  for i in $(seq 1 100); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.05; done
  wait "$SERVE_PID" 2>/dev/null
  SERVE_RC=$?
  SERVE_SUMMARY=$(grep 'stopped:' "$SERVE_ERR" | tail -1)
}

# summary_field NAME: the value of NAME=... in SERVE_SUMMARY.
summary_field() { grep -oE "(^| )$1=[0-9a-z-]+" <<<"$SERVE_SUMMARY" | cut -d= -f2; }
