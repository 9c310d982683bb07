# Known delays and wakeups, from a test-owned socket pair.
. "$TESTS_DIR/it/lib.sh"
require_root "ready->read lands in the 16.8-33.6 ms log2 slot" "blocking epoll reader gets wakeups with wake->run"
HELPER="$TESTS_DIR/it/helpers/delayed_reader.py"

# run_pair NAME ARGS...: runs the helper under a pid-filtered report; leaves
# the report in $TMP/NAME.json and the helper's first line in $TMP/NAME.info.
run_pair() {
  local name="$1"; shift
  rm -f "$TMP/go"
  python3 "$HELPER" --go-file "$TMP/go" "$@" >"$TMP/$name.out" &
  local hp=$!
  BG_PIDS+=("$hp")
  for _ in $(seq 1 100); do [ -s "$TMP/$name.out" ] && break; sleep 0.05; done
  head -1 "$TMP/$name.out" >"$TMP/$name.info"
  local pid; pid=$(python3 -c "import json;print(json.load(open('$TMP/$name.info'))['pid'])")
  start_report "$TMP/$name.json" "$TMP/$name.err" -p "$pid" -d 0 --format json --top 0 || return 1
  touch "$TMP/go"
  wait "$hp"
  stop_report
}

# 1. The reader sleeps 17.5 ms after each wakeup before reading.
run_pair delayed --delay-ms 17.5 --count 25 --interval-ms 60 || not_ok "delayed pair traced"
cat > "$TMP/delayed.py" <<PY
import json
info = json.load(open("$TMP/delayed.info"))
d = json.load(open("$TMP/delayed.json"))
s = [x for x in d["sockets"] if x["local"].endswith(":%d" % info["server_port"])]
h = s[0]["ready_to_read"] if s else {"count": 0, "slots": [], "p50_ns": 0}
slots = h["slots"] + [0] * 32
# 17.5 ms plus wakeup and scheduling lies in [2^24, 2^25) ns = [16.8 ms, 33.6 ms):
# a sleep never ends early, so the delay sits just above the slot's floor and
# leaves 16 ms for a late wakeup on a loaded machine.
in_slot = slots[24]
print(json.dumps({"n": h["count"], "in_slot": in_slot, "p50": h["p50_ns"], "reads": s[0]["reads"] if s else 0}))
PY
python3 "$TMP/delayed.py" >"$TMP/delayed.facts"; cat "$TMP/delayed.facts" >&2
f() { python3 -c "import json;print(json.load(open('$TMP/$1.facts'))['$2'])"; }
check "delayed reader: 25 reads seen" test "$(f delayed reads)" -eq 25
check "delayed reader: ready->read samples for each read" test "$(f delayed n)" -eq 25
check "delayed reader: most samples in the 16.8-33.6 ms slot" test "$(f delayed in_slot)" -ge 20
check "delayed reader: p50 in the 16.8-33.6 ms slot" python3 -c "import sys; p=$(f delayed p50); sys.exit(0 if 2**24 <= p < 2**25 else 1)"

# 2. A reader blocked in epoll_wait: its socket's readiness wakes it.
run_pair blocking --count 40 --interval-ms 25 || not_ok "blocking pair traced"
cat > "$TMP/blocking.py" <<PY
import json
info = json.load(open("$TMP/blocking.info"))
d = json.load(open("$TMP/blocking.json"))
s = [x for x in d["sockets"] if x["local"].endswith(":%d" % info["server_port"])]
t = [x for x in d["threads"] if x["tid"] == info["pid"]]
print(json.dumps({"wakeups": s[0]["wakeups"] if s else 0,
                  "w2r": s[0]["wake_to_run"]["count"] if s else 0,
                  "epoll_calls": t[0]["wait"]["epoll"]["calls"] if t else 0,
                  "sock_wakeups": t[0]["sock_wakeups"] if t else 0}))
PY
python3 "$TMP/blocking.py" >"$TMP/blocking.facts"; cat "$TMP/blocking.facts" >&2
check "blocking reader: wakeups attributed to its socket" test "$(f blocking wakeups)" -ge 30
check "blocking reader: wake->run recorded for them" test "$(f blocking w2r)" -ge 30
check "blocking reader: its thread's epoll_wait calls counted" test "$(f blocking epoll_calls)" -ge 40
check "blocking reader: its thread's socket wakeups counted" test "$(f blocking sock_wakeups)" -ge 30
