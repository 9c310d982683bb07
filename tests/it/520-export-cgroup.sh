# --cgroup: export, report and top trace the processes of a cgroup v2 (and
# its descendants) and not the others; a process moved in while tracing is
# picked up at the next interval. The test cgroup lives under the cgroup2
# mount and is removed at exit.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/serve.sh"
. "$TESTS_DIR/it/helpers/export.sh"
require_root "--cgroup filters to a cgroup's processes"

# The fields after " - " are the type and source; the optional fields before
# it vary in number.
root=$(awk '{for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break }}' /proc/self/mountinfo)
[ -n "$root" ] || { skip "--cgroup: no cgroup2 hierarchy mounted"; exit 0; }
name="pollscope-test-$$"
CG="$root/$name"
mkdir "$CG/child" -p || { not_ok "make a test cgroup under $root"; exit 1; }
finish() {
  cleanup_rc=$?
  # Processes first (their cgroup cannot go while they live), then the cgroups.
  local p
  for p in "${BG_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  for p in "${BG_PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
  rmdir "$CG/child" "$CG" 2>/dev/null
  rm -rf "$COMMON_TMP"
  exit $cleanup_rc
}
trap finish EXIT

start_serve --mode epoll || { not_ok "serve inside starts"; exit 1; }
IN_PID=$SERVE_PID IN_ADDR=$SERVE_ADDR IN_PORT=$SERVE_PORT
start_serve --mode epoll || { not_ok "serve outside starts"; exit 1; }
OUT_PID=$SERVE_PID OUT_ADDR=$SERVE_ADDR OUT_PORT=$SERVE_PORT
start_serve --mode epoll || { not_ok "serve moved in later starts"; exit 1; }
LATE_PID=$SERVE_PID LATE_ADDR=$SERVE_ADDR LATE_PORT=$SERVE_PORT
# A descendant cgroup counts as the cgroup.
echo "$IN_PID" >"$CG/child/cgroup.procs" || { not_ok "move the server into the test cgroup"; exit 1; }

load() { "$POLLSCOPE" load "$1" -R 500 -c 4 -d "$2" -q >/dev/null 2>&1; }

start_export --duty 1/1 --cgroup "$name" || { not_ok "export --cgroup (relative) starts"; cat "$EXPORT_ERR" >&2; exit 1; }
load "$IN_ADDR" 2s & l1=$!
load "$OUT_ADDR" 2s & l2=$!
wait $l1 $l2
echo "$LATE_PID" >"$CG/cgroup.procs"
sleep 1.5  # the next interval re-reads the cgroup
load "$LATE_ADDR" 2s
sleep 1.5
scrape "$TMP/m.txt"
stop_export
in_reads=$(metric_sum "$TMP/m.txt" pollscope_socket_reads_total port="$IN_PORT" pid="$IN_PID" cgroup="$CG")
out_reads=$(metric_sum "$TMP/m.txt" pollscope_socket_reads_total port="$OUT_PORT")
late_reads=$(metric_sum "$TMP/m.txt" pollscope_socket_reads_total port="$LATE_PORT" pid="$LATE_PID")
echo "reads: inside $in_reads, outside $out_reads, moved in later $late_reads" >&2
check "export --cgroup: the server in a child cgroup is traced, cgroup label set ($in_reads reads)" \
  python3 -c "import sys; sys.exit(0 if $in_reads >= 900 else 1)"
check "export --cgroup: the server outside is not ($out_reads reads)" python3 -c "import sys; sys.exit(0 if $out_reads == 0 else 1)"
check "export --cgroup: a process moved in while tracing is picked up ($late_reads reads)" \
  python3 -c "import sys; sys.exit(0 if $late_reads >= 500 else 1)"
check "export --cgroup: exit 0 on SIGTERM" test "$EXPORT_RC" -eq 0

# report --cgroup (absolute path): the same filter.
start_report "$TMP/r.json" "$TMP/r.err" -d 0 --format json --top 0 --cgroup "$CG" \
  || { not_ok "report --cgroup attaches"; cat "$TMP/r.err" >&2; exit 1; }
load "$IN_ADDR" 1s & l1=$!
load "$OUT_ADDR" 1s & l2=$!
wait $l1 $l2
sleep 1.2
stop_report
check "report --cgroup: exit 0" test "$REPORT_RC" -eq 0
check "report --cgroup: only the cgroup's processes" json_check "$TMP/r.json" \
  "{s['pid'] for s in d['sockets'] if s['reads'] > 0} <= {$IN_PID, $LATE_PID} and any(s['pid'] == $IN_PID and s['reads'] > 100 for s in d['sockets'])"
check "report --cgroup: the filter is named" json_check "$TMP/r.json" "'cgroup $CG' in d['filters']"

# top --cgroup, live, batch mode.
load "$IN_ADDR" 2s & l1=$!
timeout 20 "$POLLSCOPE" top -b -n 3 -d 0.5 --cgroup "$CG" >"$TMP/top.txt" 2>"$TMP/top.err"
rc=$?
wait $l1
check "top --cgroup: exit 0 ($rc)" test "$rc" -eq 0
check "top --cgroup: shows the cgroup's server" grep -q ":$IN_PORT" "$TMP/top.txt"
check "top --cgroup: not the server outside" bash -c "! grep -q ':$OUT_PORT ' '$TMP/top.txt'"

timeout 20 "$POLLSCOPE" report -d 1 --cgroup "no-such-$$" >/dev/null 2>"$TMP/bad.err"
check "report --cgroup missing: exit 2" test $? -eq 2
