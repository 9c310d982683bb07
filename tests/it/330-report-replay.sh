# Replaying a committed recording renders byte-identical reports, without root.
. "$TESTS_DIR/it/lib.sh"
FIX="$TESTS_DIR/fixtures"

run_as_user() {
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi
}
cp "$FIX/report-redis.jsonl" "$TMP/rec.jsonl"; chmod 644 "$TMP/rec.jsonl"; chmod 755 "$TMP"

run_as_user "$POLLSCOPE" report -i "$TMP/rec.jsonl" >"$TMP/out.txt" 2>"$TMP/err"; rc=$?
check "replay works without root" test $rc -eq 0
check "replay text is byte-identical to the golden file" cmp "$TMP/out.txt" "$FIX/report-redis.txt"
run_as_user "$POLLSCOPE" report -i "$TMP/rec.jsonl" --wide --sort ready-read-p99 --top 5 >"$TMP/wide.txt"
check "replay --wide --sort --top is byte-identical to its golden file" cmp "$TMP/wide.txt" "$FIX/report-redis-wide.txt"
run_as_user "$POLLSCOPE" report -i "$TMP/rec.jsonl" --format json >"$TMP/out.json"
check "replay JSON parses and covers the whole recording" json_check "$TMP/out.json" \
  "d['pollscope_report'] == 1 and d['duration_s'] > 5 and len(d['sockets']) >= 20"
check "replay JSON is sorted by the sort key" json_check "$TMP/out.json" \
  "[s['ready'] for s in d['sockets']] == sorted([s['ready'] for s in d['sockets']], reverse=True)"
"$POLLSCOPE" report -i "$TMP/rec.jsonl" -o "$TMP/file.txt" >"$TMP/stdout"
check "-o writes the report to the file, not stdout" bash -c "cmp -s '$TMP/file.txt' '$FIX/report-redis.txt' && [ ! -s '$TMP/stdout' ]"

# Bad recordings: one line naming the file and line, exit 1.
{ head -2 "$FIX/report-redis.jsonl"; echo '{"seq": 3, "oops": true}'; } >"$TMP/bad.jsonl"
"$POLLSCOPE" report -i "$TMP/bad.jsonl" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "malformed recording: exit 1" test $rc -eq 1
check "malformed recording: names file:line" grep -q "bad.jsonl:3: not a pollscope snapshot" "$TMP/e"
echo "not json at all" >"$TMP/garbage.jsonl"
"$POLLSCOPE" report -i "$TMP/garbage.jsonl" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "garbage recording: exit 1, one line" bash -c "[ $rc -eq 1 ] && [ \$(wc -l <'$TMP/e') -eq 1 ] && [ ! -s '$TMP/o' ]"
"$POLLSCOPE" report -i "$TMP/missing.jsonl" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "missing recording: exit 1" test $rc -eq 1
: >"$TMP/empty.jsonl"
"$POLLSCOPE" report -i "$TMP/empty.jsonl" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "empty recording: exit 1" test $rc -eq 1
"$POLLSCOPE" report -i "$TMP/rec.jsonl" -- true >"$TMP/o" 2>"$TMP/e"; rc=$?
check "--input with a COMMAND is a usage error" test $rc -eq 2
