# Replaying a committed recording renders byte-identical reports, without root;
# a truncated last line is skipped with a warning; bad recordings are one line, exit 1.
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
check "replay JSON is byte-identical to its golden file (pins key names and order)" cmp "$TMP/out.json" "$FIX/report-redis.json"
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

# A recording cut mid-line (a crash, a full disk): the complete lines are
# rendered, exactly as a recording that ends before the cut, with one warning.
n=$(wc -l <"$FIX/report-redis.jsonl")
head -$((n - 1)) "$FIX/report-redis.jsonl" >"$TMP/whole.jsonl"
{ cat "$TMP/whole.jsonl"; tail -1 "$FIX/report-redis.jsonl" | head -c 3000; } >"$TMP/cut.jsonl"
"$POLLSCOPE" report -i "$TMP/cut.jsonl" >"$TMP/cut.txt" 2>"$TMP/cut.err"; rc=$?
"$POLLSCOPE" report -i "$TMP/whole.jsonl" >"$TMP/whole.txt" 2>/dev/null
check "truncated last line: exit 0" test $rc -eq 0
check "truncated last line: one warning on stderr naming the line" \
  bash -c "[ \"\$(cat '$TMP/cut.err')\" = 'pollscope report: $TMP/cut.jsonl:$n: last line truncated, skipped' ]"
check "truncated last line: the earlier snapshots are rendered" \
  bash -c "[ -s '$TMP/cut.txt' ] && cmp -s '$TMP/cut.txt' '$TMP/whole.txt'"

# Streaming merge: the report's totals are the sums of the recording's lines.
"$POLLSCOPE" report -i "$TMP/rec.jsonl" --format json >"$TMP/merged.json"
check "merged totals equal the sum of the per-line values" python3 - "$TMP/rec.jsonl" "$TMP/merged.json" <<'PY'
import collections, json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
report = json.load(open(sys.argv[2]))
assert len(lines) > 1
keys = ["ready", "reads", "read_bytes", "eagain", "writes", "write_bytes", "wakeups"]
want = collections.defaultdict(lambda: collections.Counter())
for l in lines:
    for s in l["sockets"]:
        c = want[(s["sk"], s["first_seen_ns"])]
        for k in keys:
            c[k] += s[k]
        c["ready_to_read"] += s["ready_to_read"]["count"]
got = {(s["sk"], s["first_seen_ns"]): s for s in report["sockets"]}
assert set(got) == set(want), "socket sets differ"
assert any(c["ready"] for c in want.values()), "a recording with no traffic proves nothing"
for key, c in want.items():
    for k in keys:
        assert got[key][k] == c[k], (key, k, got[key][k], c[k])
    assert got[key]["ready_to_read"]["count"] == c["ready_to_read"]
calls = collections.Counter()
for l in lines:
    for t in l["threads"]:
        calls[t["tid"]] += t["wait"]["epoll"]["calls"]
assert {t["tid"]: t["wait"]["epoll"]["calls"] for t in report["threads"]} == dict(calls)
assert report["health"]["events"] == sum(l["health"]["events"] for l in lines)
net_rx = collections.Counter()
for l in lines:
    for c in l["cpus"]:
        net_rx[c["cpu"]] += c["softirq"]["NET_RX"]["time_ns"]
assert {c["cpu"]: c["softirq"]["NET_RX"]["time_ns"] for c in report["cpus"]} == dict(net_rx)
assert abs(report["duration_s"] - (lines[-1]["end_time"] - lines[0]["start_time"])) < 1e-6
PY

# More bad recordings, each one line on stderr and exit 1.
bad_input() {  # NAME FILE EXPECTED-TEXT
  "$POLLSCOPE" report -i "$2" >"$TMP/o" 2>"$TMP/e"; local rc=$?
  check "$1: exit 1, one line saying so, nothing on stdout" \
    bash -c "[ $rc -eq 1 ] && [ \$(wc -l <'$TMP/e') -eq 1 ] && grep -qF -- '$3' '$TMP/e' && [ ! -s '$TMP/o' ]"
}
mkdir "$TMP/dir.jsonl"
bad_input "a directory" "$TMP/dir.jsonl" "dir.jsonl is a directory"
truncate -s 2G "$TMP/sparse.jsonl"
bad_input "a 2 GiB sparse file" "$TMP/sparse.jsonl" "sparse.jsonl:1: line longer than 512 MiB"
head -1 "$FIX/report-redis.jsonl" | sed 's/^{/{"pollscope_recording":2,/' >"$TMP/v2.jsonl"
bad_input "a newer recording format" "$TMP/v2.jsonl" "v2.jsonl:1: recording format 2 is newer than this pollscope reads"
head -1 "$FIX/report-redis.jsonl" | sed 's/"start_time":[0-9.]*/"start_time":-1e308/' >"$TMP/neg.jsonl"
bad_input "a negative start time" "$TMP/neg.jsonl" "neg.jsonl:1: impossible snapshot: start_time (-1e+308) is not a time"
head -1 "$FIX/report-redis.jsonl" | sed 's/"seq":1,//' >"$TMP/noseq.jsonl"
bad_input "a missing key" "$TMP/noseq.jsonl" "noseq.jsonl:1: not a pollscope snapshot: missing key seq"

# A filter given to a replay filters it (the kernel filtered only what was
# recorded); a flag that only means something live is refused.
cp "$FIX/top-sample.jsonl" "$TMP/top.jsonl"
"$POLLSCOPE" report -i "$TMP/top.jsonl" --format json >"$TMP/all.json"
"$POLLSCOPE" report -i "$TMP/top.jsonl" --format json -p 4242 >"$TMP/p.json"
"$POLLSCOPE" report -i "$TMP/top.jsonl" --format json --port 6379 >"$TMP/port.json"
"$POLLSCOPE" report -i "$TMP/top.jsonl" --format json --comm nosuchcomm >"$TMP/comm.json"
check "report -i -p: only that process's sockets and threads, fewer than without" python3 -c '
import json, sys
a, p = (json.load(open(f)) for f in sys.argv[1:3])
ok = p["sockets"] and all(s["pid"] == 4242 for s in p["sockets"]) and all(t["pid"] == 4242 for t in p["threads"])
sys.exit(0 if ok and len(p["sockets"]) < len(a["sockets"]) and "pid 4242" in p["filters"] else 1)' "$TMP/all.json" "$TMP/p.json"
check "report -i --port: only sockets with that port" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
sys.exit(0 if p["sockets"] and all(":6379" in s["local"] + s["remote"] for s in p["sockets"]) else 1)' "$TMP/port.json"
check "report -i --comm with no such command: no sockets, no threads" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
sys.exit(0 if not p["sockets"] and not p["threads"] else 1)' "$TMP/comm.json"
for flag in "--self-cost" "--duration 5" "--probes sock" "--max-sockets 128"; do
  "$POLLSCOPE" report -i "$TMP/top.jsonl" $flag >"$TMP/o" 2>"$TMP/e"; rc=$?
  check "report -i with $flag: exit 2, one line naming it" \
    bash -c "[ $rc -eq 2 ] && [ \$(wc -l <'$TMP/e') -eq 1 ] && grep -q -- '${flag%% *} applies to live tracing only' '$TMP/e'"
done
