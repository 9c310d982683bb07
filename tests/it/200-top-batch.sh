# pollscope top, batch mode from a replay: golden output, frames, filters,
# views, and the error contract. No root needed.
. "$TESTS_DIR/it/lib.sh"
FIX="$TESTS_DIR/fixtures/top-sample.jsonl"
GOLDEN="$TESTS_DIR/fixtures/top-batch.golden"
export TZ=UTC

# Golden: byte-identical. Regenerate with
#   TZ=UTC build/pollscope top -b -n 2 --replay tests/fixtures/top-sample.jsonl > tests/fixtures/top-batch.golden
"$POLLSCOPE" top -b -n 2 --replay "$FIX" >"$TMP/out" 2>"$TMP/err"; rc=$?
check "batch -n 2 from a replay exits 0" test $rc -eq 0
check "batch -n 2 output matches the golden file" cmp -s "$TMP/out" "$GOLDEN"
cmp -s "$TMP/out" "$GOLDEN" || diff "$GOLDEN" "$TMP/out" | head -20 >&2
check "batch writes nothing on stderr" test ! -s "$TMP/err"
check "batch output has no escape codes" bash -c "! grep -q $'\x1b' '$TMP/out'"
check "batch -n 2 prints 2 frames" test "$(grep -c '^pollscope top - ' "$TMP/out")" -eq 2
check "each frame starts with the header block" bash -c "head -1 '$TMP/out' | grep -q '^pollscope top - 11:06:41  interval 1.00s  replay 1/4'"

# Replay in batch mode never sleeps: 4 frames at -d 3600 still end at once.
timeout 30 "$POLLSCOPE" top -b -d 3600 --replay "$FIX" >"$TMP/all" 2>&1; rc=$?
check "batch replay does not sleep between frames (-d 3600, 4 frames)" test $rc -eq 0
check "without -n batch replays the whole recording" test "$(grep -c '^pollscope top - ' "$TMP/all")" -eq 4
# A file is read twice (checked, then a line at a time); a pipe, once.
timeout 30 "$POLLSCOPE" top -b -d 3600 --replay /dev/stdin <"$FIX" >"$TMP/all-file-stdin" 2>&1
check "a replay redirected from the file gives the same frames" cmp "$TMP/all-file-stdin" "$TMP/all"
cat "$FIX" | timeout 30 "$POLLSCOPE" top -b -d 3600 --replay /dev/stdin >"$TMP/all-pipe" 2>&1
check "a replay from a pipe gives the same frames" cmp "$TMP/all-pipe" "$TMP/all"
check "interval 3 shows its drops" grep -q 'drops 20 (socks 17,wakes 3)' "$TMP/all"
check "the missing probe is named with its reason" grep -q 'missing syscalls:sys_enter_pselect6 (tracefs event' "$TMP/all"

"$POLLSCOPE" top -b -n 1 --view threads --replay "$FIX" >"$TMP/th"
check "--view threads prints the Threads table" grep -q 'EPOLL/s.*BLOCK%.*W>Rp99' "$TMP/th"
"$POLLSCOPE" top -b -n 1 --view cpus --replay "$FIX" >"$TMP/cpu"
check "--view cpus prints softirq vectors" bash -c "grep -q '^ *0 NET_RX' '$TMP/cpu' && grep -q '^ *1 NET_RX' '$TMP/cpu'"
"$POLLSCOPE" top -b -n 3 --view connections --replay "$FIX" >"$TMP/conn"
check "--view connections lists the 3 opens" test "$(grep -c ' OPEN ' "$TMP/conn")" -ge 3
check "--view connections lists the 2 closes with bytes" bash -c "tail -8 '$TMP/conn' | grep -c ' CLOSE .*K' | grep -qx 2"

"$POLLSCOPE" top -b -n 1 -p 812 --replay "$FIX" >"$TMP/pid"
check "-p keeps only that process's sockets" bash -c "grep -q ' sshd ' '$TMP/pid' && ! grep -q redis-server '$TMP/pid'"
check "-p is shown in the header's filters" grep -q 'filters: pid 812' "$TMP/pid"
"$POLLSCOPE" top -b -n 2 --port 52001 --replay "$FIX" >"$TMP/port"
check "--port keeps sockets with that port" bash -c "tail -3 '$TMP/port' | grep -q '127.0.0.1:52001' && test \$(tail -2 '$TMP/port' | grep -c 6379) -eq 1"
"$POLLSCOPE" top -b -n 1 --comm sshd --replay "$FIX" >"$TMP/comm"
check "--comm keeps that command" bash -c "grep -q 'Sockets 1 (0 closed)' '$TMP/comm'"
"$POLLSCOPE" top -b -n 1 --sort ready-read-p99 --replay "$FIX" >"$TMP/sort"
check "--sort ready-read-p99 sorts by ready->read p99" grep -q 'R>Rp99v' "$TMP/sort"
"$POLLSCOPE" top -b -n 1 --sort pid --replay "$FIX" >"$TMP/sortpid"
check "--sort pid puts the lowest pid first" bash -c "sed -n 8p '$TMP/sortpid' | grep -q '^ *812 sshd' && grep -q 'PIDv' '$TMP/sortpid'"

expect_usage() {  # NAME ARGS...: exit 2, one line on stderr, nothing on stdout
  local name="$1"; shift
  "$POLLSCOPE" top "$@" >"$TMP/o" 2>"$TMP/e"; local rc=$?
  check "$name exits 2" test $rc -eq 2
  check "$name: one line on stderr, nothing on stdout" bash -c "test \$(wc -l <'$TMP/e') -eq 1 && test ! -s '$TMP/o'"
}
expect_usage "-d 0" -b -d 0 --replay "$FIX"
expect_usage "-d abc" -b -d abc --replay "$FIX"
expect_usage "-n 0" -b -n 0 --replay "$FIX"
expect_usage "--port 70000" -b --port 70000 --replay "$FIX"
expect_usage "--sort bogus" -b --sort bogus --replay "$FIX"
expect_usage "--view bogus" -b --view bogus --replay "$FIX"
expect_usage "--probes bogus" -b --probes bogus --replay "$FIX"
expect_usage "--record with --replay" -b --record "$TMP/r.jsonl" --replay "$FIX"

"$POLLSCOPE" top -b --replay "$TMP/none.jsonl" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "missing replay file exits 1 with one line" bash -c "test $rc -eq 1 && test \$(wc -l <'$TMP/e') -eq 1 && grep -q 'none.jsonl' '$TMP/e' && test ! -s '$TMP/o'"
printf '{"seq": 1}\nnot json\n' >"$TMP/bad.jsonl"
"$POLLSCOPE" top -b --replay "$TMP/bad.jsonl" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "malformed replay file exits 1 with one line naming the line" bash -c "test $rc -eq 1 && test \$(wc -l <'$TMP/e') -eq 1 && grep -q 'bad.jsonl:1' '$TMP/e'"

"$POLLSCOPE" top --replay "$FIX" </dev/null >"$TMP/o" 2>"$TMP/e"; rc=$?
check "interactive mode without a terminal exits 1 and suggests -b" bash -c "test $rc -eq 1 && grep -q -- '-b' '$TMP/e'"

# The fixture is generated: the generator must reproduce it.
if command -v python3 >/dev/null; then
  check "make-top-sample.py reproduces top-sample.jsonl" bash -c "python3 '$TESTS_DIR/fixtures/make-top-sample.py' | cmp -s - '$FIX'"
fi

# main's recording fixture (a real redis run) replays too.
REC="$TESTS_DIR/fixtures/report-redis.jsonl"
if [ -f "$REC" ]; then
  "$POLLSCOPE" top -b -n 2 --replay "$REC" >"$TMP/rr" 2>"$TMP/rr.err"; rc=$?
  check "the report's redis recording replays in top (2 frames)" bash -c "test $rc -eq 0 && test \$(grep -c '^pollscope top - ' '$TMP/rr') -eq 2 && test ! -s '$TMP/rr.err'"
  check "the report's redis recording shows redis-server sockets" grep -q ' redis-server ' "$TMP/rr"
fi

# Every column of every view is defined in the man page's FIELDS.
man_plain=$(sed 's/\\-/-/g; s/\\(->/->/g' "$TESTS_DIR/../man/pollscope-top.8")
missing=""
for view in sockets threads cpus connections; do
  header=$("$POLLSCOPE" top -b -n 4 --view "$view" --replay "$FIX" | sed -n 7p)
  for title in $header; do
    title="${title%v}"
    grep -qF -- ".BR $title " <<<"$man_plain" || grep -qF -- "\" $title " <<<"$man_plain" || missing="$missing $view:$title"
  done
done
check "every column title is in FIELDS of pollscope-top.8${missing:+ (missing:$missing)}" test -z "$missing"
