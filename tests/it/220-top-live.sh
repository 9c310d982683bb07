# pollscope top, live (root): redis-server under redis-benchmark load shows
# its client sockets with nonzero rates; --record writes a replayable
# recording; every probe is gone after batch exit, q, and SIGTERM.
. "$TESTS_DIR/it/lib.sh"
NAMES=("live batch shows redis client sockets" "live: nonzero rates" "live: --record replays"
       "live: probes gone after exit" "live interactive: q quits and unloads")
require_root "${NAMES[@]}"
for tool in redis-server redis-benchmark bpftool; do
  if ! command -v $tool >/dev/null; then for n in "${NAMES[@]}"; do skip "$n: $tool not installed"; done; exit 0; fi
done

# own_progs PID: ids of the BPF programs PID holds (its fds), so programs of
# other processes on a shared machine never count.
own_progs() { cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | sort -nu; }
# progs_gone FILE: none of the program ids in FILE is loaded any more.
progs_gone() {
  [ -s "$1" ] || { echo "no program of pollscope was seen while it ran" >&2; return 1; }
  test "$(progs_left_after_exit $(cat "$1"))" -eq 0
}
# watch_progs PID OUT: the programs PID holds while it runs (the largest set seen).
watch_progs() {
  local pid="$1" out="$2" deadline=$((SECONDS + 20))
  : > "$out"
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
    own_progs "$pid" > "$out.new"; [ "$(wc -l <"$out.new")" -gt "$(wc -l <"$out")" ] && mv "$out.new" "$out"
    sleep 0.2
  done
}

start_redis || { not_ok "redis-server started"; exit 0; }
# Bounded load: 20 clients, at most 60 s, stopped at exit by lib.sh.
start_bg timeout 60 redis-benchmark -p "$REDIS_PORT" -c 20 -n 100000000 -t get,set -q >/dev/null 2>&1
sleep 1

# --- batch ---------------------------------------------------------------
"$POLLSCOPE" top -b -n 3 -d 1 -p "$REDIS_PID" --record "$TMP/rec.jsonl" >"$TMP/out" 2>"$TMP/err" &
top_pid=$!
watch_progs $top_pid "$TMP/during"
wait $top_pid; rc=$?
check "live batch -n 3 -p redis exits 0" test $rc -eq 0
check "live batch prints 3 frames" test "$(grep -c '^pollscope top - ' "$TMP/out")" -eq 3
check "live batch header names the pid filter" grep -q "filters: pid $REDIS_PID" "$TMP/out"
# Rows of redis's client sockets: local port is redis's, READY/s (column 7) > 0.
rows=$(awk -v port=":$REDIS_PORT->" '$2 == "redis-server" && index($4, port) && $6 + 0 > 0' "$TMP/out" | wc -l)
check "live batch shows redis client sockets with nonzero READY/s ($rows rows)" test "$rows" -ge 3
reads=$(awk -v port=":$REDIS_PORT->" '$2 == "redis-server" && index($4, port) && $7 + 0 > 0' "$TMP/out" | wc -l)
check "live: nonzero READS/s on redis client sockets" test "$reads" -ge 3
check "live: the Threads table counts epoll calls" bash -c "'$POLLSCOPE' top -b -n 1 --view threads --replay '$TMP/rec.jsonl' | awk '\$3 == \"redis-server\" && \$4 + 0 > 0' | grep -q ."
check "live: nothing on stderr" test ! -s "$TMP/err"
# The Stages view: redis's loop thread has a stage split that adds up (shares
# of 100%) and names the stage of its tail.
"$POLLSCOPE" top -b -n 1 --view stages --replay "$TMP/rec.jsonl" >"$TMP/stages" 2>&1
check "live: the Stages view has redis's thread with a split and a tail stage" \
  awk '$1 == "thr" && $4 == "redis-server" && $6 + 0 > 0 && $8 ~ /^(wakeup|runq|return|busy|dispatch)$/ { s = $10 + $11 + $12 + $13 + $14; if (s > 99 && s < 101) ok = 1 } END { exit !ok }' "$TMP/stages"
check "live: --record wrote 3 intervals" test "$(wc -l <"$TMP/rec.jsonl")" -eq 3
check "live: every recorded line starts with its format version" \
  test "$(grep -c '^{"pollscope_recording":1,"seq":' "$TMP/rec.jsonl")" -eq 3
check "live: --record replays" bash -c "'$POLLSCOPE' top -b --replay '$TMP/rec.jsonl' | grep -c '^pollscope top - ' | grep -qx 3"
check "live: probes gone after batch exit" progs_gone "$TMP/during"

# --- batch, SIGTERM -------------------------------------------------------
"$POLLSCOPE" top -b -d 0.5 -p "$REDIS_PID" >"$TMP/out2" 2>"$TMP/err2" &
top_pid=$!
deadline=$((SECONDS + 20))
while [ $SECONDS -lt $deadline ] && ! grep -q '^pollscope top - ' "$TMP/out2"; do sleep 0.2; done
own_progs $top_pid > "$TMP/during"
kill -TERM $top_pid; wait $top_pid; rc=$?
check "live batch: SIGTERM stops it with status 0" test $rc -eq 0
check "live: probes gone after SIGTERM" progs_gone "$TMP/during"

# --- interactive under tmux ----------------------------------------------
if command -v tmux >/dev/null; then
  SOCK="pollscope-test-$$"
  trap 'tmux -L "pollscope-test-$$" kill-server 2>/dev/null; tmux -L "pollscope-test-$$-err" kill-server 2>/dev/null; cleanup' EXIT
  tmux -L "$SOCK" new-session -d -s top -x 132 -y 43 \
    "'$POLLSCOPE' top -d 0.5 -p $REDIS_PID; echo \$? > '$TMP/rc'; sleep 30"
  deadline=$((SECONDS + 20)); seen=""
  while [ $SECONDS -lt $deadline ]; do
    tmux -L "$SOCK" capture-pane -p -t top | grep -q "redis-ser.*:$REDIS_PORT->" && { seen=1; break; }
    sleep 0.2
  done
  check "live interactive: redis sockets on screen" test -n "$seen"
  # Key 5: the Stages view; Enter: the selected row's verdict.
  tmux -L "$SOCK" send-keys -t top 5
  deadline=$((SECONDS + 10)); seen=""
  while [ $SECONDS -lt $deadline ]; do
    tmux -L "$SOCK" capture-pane -p -t top | grep -q "^thr .*redis-ser" && { seen=1; break; }
    sleep 0.2
  done
  check "live interactive: key 5 shows the Stages view with redis's thread" test -n "$seen"
  tmux -L "$SOCK" send-keys -t top Enter
  deadline=$((SECONDS + 10)); seen=""
  while [ $SECONDS -lt $deadline ]; do
    tmux -L "$SOCK" capture-pane -p -t top | grep -q "^Verdict for thread .*redis-ser.*p99 ready->read" && { seen=1; break; }
    sleep 0.2
  done
  check "live interactive: the detail pane judges the selected row" test -n "$seen"
  tmux -L "$SOCK" send-keys -t top Escape
  pane=$(tmux -L "$SOCK" list-panes -t top -F '#{pane_pid}' | head -1)
  tpid=$(pgrep -P "$pane" -f 'pollscope' | head -1)
  own_progs "${tpid:-0}" > "$TMP/during"
  tmux -L "$SOCK" send-keys -t top q
  deadline=$((SECONDS + 10)); while [ $SECONDS -lt $deadline ] && [ ! -s "$TMP/rc" ]; do sleep 0.1; done
  check "live interactive: q quits with status 0" test "$(cat "$TMP/rc" 2>/dev/null)" = 0
  check "live interactive: probes gone after q" progs_gone "$TMP/during"
  tmux -L "$SOCK" kill-server 2>/dev/null

  # An error inside the loop (--record to a full device) restores the terminal too.
  SOCK="pollscope-test-$$-err"
  rm -f "$TMP/rc" "$TMP/stty"
  tmux -L "$SOCK" new-session -d -s top -x 80 -y 24 \
    "'$POLLSCOPE' top -d 0.5 -p $REDIS_PID --record /dev/full 2>'$TMP/err3'; echo \$? > '$TMP/rc'; stty -a > '$TMP/stty'; sleep 30"
  deadline=$((SECONDS + 20)); while [ $SECONDS -lt $deadline ] && [ ! -s "$TMP/stty" ]; do sleep 0.1; done
  check "live interactive: a write error exits 1 with one line naming the recording" \
    bash -c "test \"\$(cat '$TMP/rc' 2>/dev/null)\" = 1 && test \$(wc -l <'$TMP/err3') -eq 1 && grep -q '/dev/full' '$TMP/err3'"
  check "live interactive: the terminal is restored after the error" \
    bash -c "grep -q ' icanon' '$TMP/stty' && grep -q ' echo ' '$TMP/stty'"
  tmux -L "$SOCK" kill-server 2>/dev/null
else
  skip "live interactive: q quits and unloads: tmux not installed"
fi

# Not root: one clear line, exit 1 (run as nobody when possible).
if command -v setpriv >/dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$POLLSCOPE" top -b -n 1 >"$TMP/o" 2>"$TMP/e"; rc=$?
  check "not root: exit 1, one line on stderr, nothing on stdout" bash -c "test $rc -eq 1 && test \$(wc -l <'$TMP/e') -eq 1 && test ! -s '$TMP/o'"
fi
