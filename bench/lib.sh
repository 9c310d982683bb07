# Shared helpers for bench/ scripts: temp dir, processes we started (and only
# those) killed at exit, free ports, the pollscope binary.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POLLSCOPE="${POLLSCOPE:-$ROOT/${BUILD:-build}/pollscope}"
[ -x "$POLLSCOPE" ] || { echo "bench: build first ($POLLSCOPE missing)" >&2; exit 1; }
BTMP="$(mktemp -d /tmp/pollscope-bench.XXXXXX)"
BG_PIDS=()
bench_cleanup() {
  local p
  for p in "${BG_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  for p in "${BG_PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
  rm -rf "$BTMP"
}
trap bench_cleanup EXIT
start_bg() { "$@" & BG_PID=$!; BG_PIDS+=("$BG_PID"); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  local deadline=$((SECONDS + ${2:-10}))
  while [ $SECONDS -lt $deadline ]; do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# start_pollscope ARGS...: sets PS_PID, PS_PORT.
start_pollscope() {
  local out="$BTMP/ps.$RANDOM.out"
  start_bg "$POLLSCOPE" serve --port 0 "$@" >"$out" 2>>"$BTMP/ps.err"
  PS_PID=$BG_PID
  local i; for i in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
  PS_PORT=$(head -1 "$out" | cut -d: -f2)
  [ -n "$PS_PORT" ]
}
stop_pid() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# cpu_ticks PID: user+system clock ticks used so far by PID (all its threads).
cpu_ticks() {
  local s
  s="$(cat /proc/"$1"/stat 2>/dev/null)" || return 1
  s="${s##*) }"  # the command name may hold spaces; fields restart at 3 (state)
  local -a f=($s)
  echo $((f[11] + f[12]))
}
median() { sort -g | awk '{a[NR]=$1} END{if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
