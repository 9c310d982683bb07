# Shared helpers for bench/ scripts: the pollscope binary, pollscope serve,
# CPU ticks, medians; tracers in the background (alive, wait_for_text,
# stop_tracer, BG_INT); the temp dir ($BTMP), start_bg (processes we started,
# and only those, killed at exit), free_port and wait_port from scripts/common.sh.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POLLSCOPE="${POLLSCOPE:-$ROOT/${BUILD:-build}/pollscope}"
[ -x "$POLLSCOPE" ] || { echo "bench: build first ($POLLSCOPE missing)" >&2; exit 1; }
COMMON_TMP_PREFIX=pollscope-bench
. "$ROOT/scripts/common.sh"
BTMP="$COMMON_TMP"
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

# alive PID: PID runs (an exited child stays a zombie until waited for).
alive() {
  local s
  s="$(cat /proc/"$1"/stat 2>/dev/null)" || return 1
  s="${s##*) }"
  [ "${s:0:1}" != Z ]
}

# wait_for_text FILE TEXT PID SECONDS: until FILE holds TEXT; fails if PID exits.
wait_for_text() {
  local deadline=$((SECONDS + $4))
  while [ $SECONDS -lt $deadline ]; do
    grep -q "$2" "$1" 2>/dev/null && return 0
    alive "$3" || return 1
    sleep 0.1
  done
  return 1
}

# Background commands of a script ignore SIGINT unless told otherwise; the
# tracers are stopped with SIGINT (they print their results then).
BG_INT=(env --default-signal=INT)

# stop_tracer PID: SIGINT, then at most 20 s for it to exit; returns its status.
stop_tracer() {
  kill -INT "$1" 2>/dev/null
  local deadline=$((SECONDS + 20))
  while alive "$1" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  alive "$1" && { echo "$(basename "$0"): pid $1 ignored SIGINT; terminated" >&2; kill "$1"; }
  wait "$1"
}
