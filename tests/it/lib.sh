# Shared helpers for integration tests. Source it first.
# Each check prints "ok - NAME" or "not ok - NAME"; skips print "skip - NAME: why".
# The temporary folder ($TMP), start_bg (processes killed at exit, only those),
# free_port and wait_port come from scripts/common.sh.
set -uo pipefail
: "${POLLSCOPE:?POLLSCOPE must point at the binary}"
COMMON_TMP_PREFIX=pollscope-test
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
TMP="$COMMON_TMP"

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
skip() { echo "skip - $*"; }

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
  local name="$1"; shift
  if "$@" >>"$TMP/check.log" 2>&1; then ok "$name"; else not_ok "$name"; echo "  failed: $*" >&2; fi
}

# require_root NAME...: prints a skip for each NAME and exits 0 when not root.
require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    local n; for n in "$@"; do skip "$n: needs root"; done
    exit 0
  fi
}

# start_redis: starts a private redis-server on a free port; sets REDIS_PORT, REDIS_PID.
start_redis() {
  REDIS_PORT=$(free_port)
  start_bg redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --dir "$TMP" --logfile "$TMP/redis.log"
  REDIS_PID=$BG_PID
  wait_port "$REDIS_PORT" 10
}

# start_report OUT ERR ARGS...: starts `pollscope report ARGS` in the background
# and waits until its probes are attached; sets REPORT_PID.
start_report() {
  local out="$1" err="$2"; shift 2
  start_bg "$POLLSCOPE" report "$@" >"$out" 2>"$err"
  REPORT_PID=$BG_PID
  wait_for_line "$REPORT_PID" "$err" tracing
}

# wait_for_line PID FILE TEXT: waits up to 30 s until FILE holds TEXT (a
# tracer says it is attached); fails as soon as PID exits.
wait_for_line() {
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    grep -q "$3" "$2" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# stop_report: SIGINT to the report started by start_report, waits for it.
stop_report() {
  kill -INT "$REPORT_PID" 2>/dev/null
  wait "$REPORT_PID"
  REPORT_RC=$?
}

# bpf_prog_ids_of PID: ids of the BPF programs PID holds (from /proc/PID/fdinfo).
bpf_prog_ids_of() {
  grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un
}

# bpf_progs_loaded IDS...: how many of these program ids are still loaded.
bpf_progs_loaded() {
  local loaded n=0 id
  loaded=$(bpftool prog show --json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)))')
  for id in "$@"; do [[ " $loaded " == *" $id "* ]] && n=$((n + 1)); done
  echo $n
}

# progs_left_after_exit IDS...: how many of these program ids are still loaded,
# waiting up to 5 s for the count to reach 0. The kernel frees a raw
# tracepoint link's program only after an RCU grace period following the
# close (6.9+, link dealloc_deferred), so a program can outlive its holder
# by a few milliseconds; one held for longer is a leak.
progs_left_after_exit() {
  local n deadline=$((SECONDS + 5))
  while :; do
    n=$(bpf_progs_loaded "$@")
    [ "$n" -eq 0 ] || [ $SECONDS -ge $deadline ] && break
    sleep 0.05
  done
  echo "$n"
}

# jq-like checks on a JSON file with python: json_check FILE 'python expr over d'
json_check() {
  python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
ok = bool($2)
sys.exit(0 if ok else 1)" "$1"
}
