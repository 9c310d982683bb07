# pollscope top, interactive: replay the fixture inside tmux at 80x24 and
# 132x43, send keys, read the screen back. No root needed.
. "$TESTS_DIR/it/lib.sh"
FIX="$TESTS_DIR/fixtures/top-sample.jsonl"
if ! command -v tmux >/dev/null; then skip "top TUI tests: tmux is not installed"; exit 0; fi
# One private tmux server per session started (no race with a dying one).
BASE="pollscope-test-$$"
SOCK="$BASE-0"
SOCKS=()
exec 3>&2  # check() swallows stderr; screens of failed waits go to the real one
T() { tmux -L "$SOCK" "$@"; }
stop_tmux() { T kill-server 2>/dev/null; }
stop_all() { local s; for s in "${SOCKS[@]:-}"; do [ -n "$s" ] && tmux -L "$s" kill-server 2>/dev/null; done; }
trap 'stop_all; cleanup' EXIT

screen() { T capture-pane -p -t top 2>/dev/null; }
# wait_for PATTERN [SECONDS]: polls the screen until grep -E finds PATTERN.
wait_for() {
  local pat="$1" deadline=$((SECONDS + ${2:-10}))
  while [ $SECONDS -lt $deadline ]; do
    screen | grep -Eq -- "$pat" && return 0
    sleep 0.1
  done
  { echo "--- screen while waiting for: $pat"; screen; } >&3
  return 1
}
wait_gone() {
  local pat="$1" deadline=$((SECONDS + ${2:-10}))
  while [ $SECONDS -lt $deadline ]; do
    screen | grep -Eq -- "$pat" || return 0
    sleep 0.1
  done
  return 1
}
keys() { T send-keys -t top "$@"; }

# start W H EXTRA-ARGS...: a fresh session running top; records its exit in $TMP/rc.
start() {
  local w="$1" h="$2"; shift 2
  stop_tmux
  SOCK="$BASE-${#SOCKS[@]}"
  SOCKS+=("$SOCK")
  rm -f "$TMP/rc" "$TMP/stty"
  T new-session -d -s top -x "$w" -y "$h" \
    "TZ=UTC '$POLLSCOPE' top --replay '$FIX' $*; echo \$? > '$TMP/rc'; stty -a > '$TMP/stty'; sleep 30"
  T set-option -t top remain-on-exit on >/dev/null 2>&1
}
exited() {  # waits for the program to exit, then checks its status
  local deadline=$((SECONDS + 10))
  while [ $SECONDS -lt $deadline ]; do [ -s "$TMP/rc" ] && break; sleep 0.1; done
  [ -s "$TMP/rc" ] && [ "$(cat "$TMP/rc")" = 0 ]
}

# --- 80x24 ----------------------------------------------------------------
start 80 24 -d 0.2
check "80x24: Sockets view with header and rows" wait_for '^\[1 Sockets\].*sort READY/s'
check "80x24: header totals line" wait_for '^Per second: ready [0-9.k]+ +wakeups'
check "80x24: redis sockets listed with the remote address, the cut name marked" wait_for 'redis-ser\+.*:6379->127\.0\.0\.1:51000'
check "80x24: the end of the recording is said in the header" wait_for 'replay 4/4 \(end of recording\)'
check "80x24: no line is wider than 80" bash -c "! tmux -L '$SOCK' capture-pane -p -t top | awk 'length > 80' | grep -q ."
check "80x24: key hints on the last line" bash -c "tmux -L '$SOCK' capture-pane -p -t top | sed -n 24p | grep -q '^q quit'"

keys 2
check "key 2: Threads view" wait_for '^ +PID +TID COMM +EPOLL/sv'
keys Tab
check "Tab: CPUs view" wait_for '^ +CPU VECTOR +TIME%v'
keys 4
check "key 4: Connections view lists closes" wait_for 'CLOSE +4242 redis-ser'
keys 1
check "key 1: back to Sockets" wait_for 'READY/sv'
keys '>'
check "> moves the sort indicator right" wait_for 'READS/sv'
keys '<' '<'
check "< < moves it two columns left" wait_for ' STATEv '
keys '>'
check "> back to READY/s" wait_for 'READY/sv'
keys R
check "R reverses the order" wait_for 'READY/s\^'
check "R: the selected busiest socket is followed to the bottom" wait_for ':51000 +4[0-9]{3} '
keys Home
check "Home: the quietest socket (sshd) on top" wait_for '^ +812 sshd'
check "Home: sshd is the first row" bash -c "tmux -L '$SOCK' capture-pane -p -t top | sed -n 7p | grep -q sshd"
keys R

keys '\'
keys s s h d
check "\\ filter as you type" wait_for '^Filter: sshd_'
keys Enter
check "filter keeps matching rows only" wait_for '1 rows, filter "sshd"'
check "filter hides the others" bash -c "! tmux -L '$SOCK' capture-pane -p -t top | grep -q redis-ser"
keys Escape
check "Esc clears the filter" wait_for 'redis-ser'

keys / 5 1 0 7 0
keys Enter
check "/ search selects the matching row" wait_for ':51070'

keys Enter
check "Enter opens the detail pane (a recording from before the stages says it has no split)" wait_for '^No stage split for this socket'
check "the detail pane draws histogram bars" wait_for '\|#+ *\| +[0-9]+$'
check "detail names the selected socket" wait_for '^tcp 127\.0\.0\.1:6379 -> 127\.0\.0\.1:51070  ESTABLISHED'
keys BSpace
check "Backspace returns to the table" wait_for 'READY/sv'
check "the selection is still on the searched row after Backspace" bash -c "tmux -L '$SOCK' capture-pane -p -t top -e | grep ':51070' | grep -q $'\x1b\\['"

keys h
check "h shows the help" wait_for 'pollscope top - keys'
check "the whole help fits in 80x24" wait_for 'Sorted column: v natural order'
keys x
check "any key leaves the help" wait_gone 'pollscope top - keys'

keys C-l
check "Ctrl-L redraws" wait_for 'READY/sv'

keys q
check "q quits with status 0" exited
check "q restores the terminal (echo and canonical mode back on)" bash -c "grep -q ' icanon' '$TMP/stty' && grep -q ' echo ' '$TMP/stty'"
check "q leaves the alternate screen (top's screen is gone)" wait_gone '^\[1 Sockets\]'

# --- pause: the screen freezes while the replay goes on -------------------
start 80 24 -d 1
check "pause test: first interval shown" wait_for 'replay 1/4'
keys Z
check "Z shows PAUSED" wait_for 'PAUSED'
sleep 2.5
check "paused: still the first interval after more than two delays" wait_for 'replay 1/4' 1
keys Z
check "Z again shows the latest interval (data kept coming)" wait_for 'replay [34]/4'
keys d
check "d asks for the delay" wait_for 'Change delay from 1.00 to:'
keys 0 . 2 Enter
check "d 0.2 applied: the recording ends soon" wait_for 'end of recording'
keys d x y z Enter
check "d refuses a bad delay" wait_for 'invalid delay "xyz"'
keys C-c
check "Ctrl-C (SIGINT) quits with status 0" exited
check "SIGINT restores the terminal" bash -c "grep -q ' icanon' '$TMP/stty' && grep -q ' echo ' '$TMP/stty'"

# --- -n: stops by itself ------------------------------------------------------
start 80 24 -d 0.2 -n 2
check "-n 2: quits by itself after 2 updates, status 0" exited

# --- a tiny terminal does not break it -----------------------------------------
start 80 24 -d 0.2
check "tiny terminal: starts" wait_for 'READY/sv'
T resize-window -t top -x 20 -y 5
sleep 0.5
check "tiny terminal (20x5): still running" bash -c "test ! -s '$TMP/rc'"
T resize-window -t top -x 80 -y 24
check "tiny terminal: back to 80x24 redraws the table" wait_for 'READY/sv'
keys q
check "tiny terminal: q quits with status 0" exited

# --- SIGTERM ----------------------------------------------------------------
start 80 24 -d 0.2 -C
check "-C: no colour still draws" wait_for 'READY/sv'
pid=$(T list-panes -t top -F '#{pane_pid}' | head -1)
topid=$(pgrep -P "$pid" -f 'pollscope top' | head -1)
[ -n "$topid" ] && kill -TERM "$topid"
check "SIGTERM quits with status 0" exited
check "SIGTERM restores the terminal" bash -c "grep -q ' icanon' '$TMP/stty' && grep -q ' echo ' '$TMP/stty'"

# --- 132x43 and resize -------------------------------------------------------
start 132 43 -d 0.2
check "132x43: every Sockets column fits" wait_for 'PID COMM +FD LOCAL->REMOTE +STATE +READY/sv +READS/s +EAGAIN/s +R>Rp50 +R>Rp99 +WAKE/s +W>Rp99 +IN/s +OUT/s'
check "132x43: full local and remote addresses" wait_for '127\.0\.0\.1:6379->127\.0\.0\.1:51000'
check "132x43: all 32 sockets of the last interval fit" wait_for '^Sockets 32 '
check "132x43: the Health line is complete" wait_for 'Health: drops 0  probes 22/23  cost .* missing syscalls:sys_enter_pselect6'
T resize-window -t top -x 80 -y 24
check "resize to 80x24: columns refit (no EAGAIN/s)" wait_gone 'EAGAIN/s'
check "resize to 80x24: still the Sockets table" wait_for 'READY/sv'
check "resize to 80x24: nothing wider than 80" bash -c "! tmux -L '$SOCK' capture-pane -p -t top | awk 'length > 80' | grep -q ."
T resize-window -t top -x 132 -y 43
check "resize back to 132x43: columns come back" wait_for 'EAGAIN/s'
keys 2 Enter
check "132x43: thread detail shows the run-queue histogram" wait_for 'run queue latency'
keys Escape q
check "132x43: q quits with status 0" exited
