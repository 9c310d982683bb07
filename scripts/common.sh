# Shell helpers shared by tests/it/lib.sh and bench/lib.sh (source it, do not
# run it): a private temporary folder, the background processes we started
# (and only those) stopped at exit, free ports.
# Set COMMON_TMP_PREFIX first to name the folder; it is in $COMMON_TMP.
COMMON_TMP="$(mktemp -d "/tmp/${COMMON_TMP_PREFIX:-pollscope}.XXXXXX")"
BG_PIDS=()

# cleanup: kills and reaps what start_bg started, removes $COMMON_TMP. Runs at
# exit; a script that sets its own EXIT trap calls it from there.
cleanup() {
  local p
  for p in "${BG_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  for p in "${BG_PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
  rm -rf "$COMMON_TMP"
}
trap cleanup EXIT

# start_bg CMD...: runs CMD in the background, remembers its pid in BG_PID.
start_bg() {
  "$@" &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}

# free_port: a TCP port on 127.0.0.1 that is free right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [SECONDS]: waits until something listens on 127.0.0.1:PORT.
wait_port() {
  local port="$1" deadline=$((SECONDS + ${2:-10}))
  while [ $SECONDS -lt $deadline ]; do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
