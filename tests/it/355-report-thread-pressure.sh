# A thread map smaller than the threads that wait: waves of 80 short-lived
# threads, each making exactly 20 epoll_wait calls, traced with room for 64
# thread entries (the smallest --max-threads). The threads without an entry are counted (each of their
# calls once, as a thread drop), and the slots of exited threads are given to
# the next waves: every call is either in a row or in the drop count, against
# the workload's own count. With the default map, every thread has its row,
# and its sleeps: each call sleeps until its timeout, so a worker is woken and
# switched out at least once per call; on the raw_tp fallback too, whose sched
# programs find a thread's entry through a copy of its slot by tid.
. "$TESTS_DIR/it/lib.sh"
require_root "thread map pressure: drops counted, slots of exited threads reused"

WAVES=4 PER_WAVE=80 CALLS=20
# run_waves NAME REPORT-ARGS...: the workload under `report -p`, JSON in $TMP/NAME.json.
run_waves() {
  local name="$1"; shift
  rm -f "$TMP/go.$name"
  start_bg python3 "$TESTS_DIR/it/helpers/thread_waves.py" "$TMP/go.$name" "$TMP/$name.tids" \
    "$WAVES" "$PER_WAVE" "$CALLS" 1.5
  local wl=$BG_PID
  start_report "$TMP/$name.json" "$TMP/$name.err" -d 0 --interval 250ms -p "$wl" --format json "$@" ||
    { cat "$TMP/$name.err" >&2; return 1; }
  touch "$TMP/go.$name"
  wait "$wl" || return 1
  sleep 0.6
  stop_report
}

# verdict NAME MIN-ROWS WANT-DROPS: rows and thread drops account for every
# call; at least MIN-ROWS rows; drops present or not as WANT-DROPS (1/0).
# Without drops every worker row has all its calls; with them a row may have
# fewer (a worker that found no free slot tries again at each call, and a slot
# freed while its wave still runs, on a slow machine, can come to it late).
verdict() {
  python3 -c '
import json, sys
rep = json.load(open(sys.argv[1])); tids = set(json.load(open(sys.argv[2])))
calls, min_rows, want_drops = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
rows = [t for t in rep["threads"] if t["tid"] in tids]
got = sum(t["wait"]["epoll"]["calls"] for t in rows)
drops = rep["health"]["drops"].get("threads", 0)
print("rows", len(rows), "calls in rows", got, "thread drops", drops, "of", len(tids) * calls, file=sys.stderr)
ok = len(tids) == int(sys.argv[6]) and len(rows) >= min_rows and len({t["tid"] for t in rows}) == len(rows)
ok = ok and all(t["wait"]["epoll"]["calls"] == t["wait"]["epoll"]["zero"] for t in rows)
ok = ok and all(0 < t["wait"]["epoll"]["calls"] <= calls if want_drops else t["wait"]["epoll"]["calls"] == calls for t in rows)
ok = ok and got + drops == len(tids) * calls and (drops > 0) == want_drops
sys.exit(0 if ok else 1)' "$TMP/$1.json" "$TMP/$1.tids" "$CALLS" "$2" "$3" $((WAVES * PER_WAVE))
}

# slept NAME: every worker row counts a wakeup and a voluntary switch per call.
slept() {
  python3 -c '
import json, sys
rep = json.load(open(sys.argv[1])); tids = set(json.load(open(sys.argv[2]))); calls = int(sys.argv[3])
rows = [t for t in rep["threads"] if t["tid"] in tids]
low = [t for t in rows if t["wakeups"] < calls or t["vol_switches"] < calls]
print("rows", len(rows), "with fewer wakeups or switches than calls", len(low), file=sys.stderr)
sys.exit(0 if len(rows) == len(tids) and not low else 1)' "$TMP/$1.json" "$TMP/$1.tids" "$CALLS"
}

if run_waves small --max-threads 64; then
  # 64 slots: a wave of 80 leaves 16 without an entry; the later waves get
  # rows only if the slots of the threads that exited come back.
  check "--max-threads 64: every call in a row or a thread drop; exited threads' slots reused (>= 192 rows)" \
    verdict small 192 1
else
  not_ok "--max-threads 64: the workload and the report run"
fi
if run_waves default; then
  check "default thread map: all 320 threads have a row with their 20 calls, nothing dropped" verdict default 320 0
  check "default thread map: every thread woken and switched out at least once per call" slept default
else
  not_ok "default thread map: the workload and the report run"
fi
if POLLSCOPE_FORCE_RAW_TP=1 run_waves rawtp; then
  check "raw_tp fallback: sched_waking attached through raw_tp" \
    python3 -c 'import json,sys; p=[x for x in json.load(open(sys.argv[1]))["health"]["probes"] if x["tracepoint"]=="sched:sched_waking"]; sys.exit(0 if p and p[0]["method"]=="raw_tp" else 1)' "$TMP/rawtp.json"
  check "raw_tp fallback: all 320 threads have a row with their 20 calls, nothing dropped" verdict rawtp 320 0
  check "raw_tp fallback: every thread woken and switched out at least once per call" slept rawtp
else
  not_ok "raw_tp fallback: the workload and the report run"
fi
