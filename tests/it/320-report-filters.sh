# Filters (--pid, --port), --probes, COMMAND mode, privileges and bad flags.
. "$TESTS_DIR/it/lib.sh"
HELPER="$TESTS_DIR/it/helpers/delayed_reader.py"

# Bad values are usage errors (no root needed: they fail before loading).
for args in "--probes bogus" "--sort bogus" "-d xyz" "--port 70000" "--comm averyveryverylongname" "--format yaml" "--interval 1ms"; do
  "$POLLSCOPE" report $args >"$TMP/o" 2>"$TMP/e"; rc=$?
  check "report $args: exit 2 with one line" bash -c "[ $rc -eq 2 ] && [ \$(wc -l <'$TMP/e') -eq 1 ] && [ ! -s '$TMP/o' ]"
done

if [ "$(id -u)" -eq 0 ]; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$POLLSCOPE" report -d 1 >"$TMP/o" 2>"$TMP/e"; rc=$?
  check "report as nobody exits 1" test $rc -eq 1
  check "report as nobody: one clear line" bash -c "[ \$(wc -l <'$TMP/e') -eq 1 ] && grep -q 'needs root' '$TMP/e'"
fi

# -p must name a running process, not a thread of one (the filter matches
# processes and would trace nothing): checked before anything is loaded.
nopid=4194303; while [ -e /proc/$nopid ]; do nopid=$((nopid - 1)); done
for sub in report top; do
  extra=(-d 1); [ $sub = top ] && extra=(-b -n 1)
  "$POLLSCOPE" $sub -p $nopid "${extra[@]}" >"$TMP/o" 2>"$TMP/e"; rc=$?
  check "$sub -p with no such process: exit 1 with one line" \
    bash -c "[ $rc -eq 1 ] && [ \$(wc -l <'$TMP/e') -eq 1 ] && grep -q 'no process with pid $nopid' '$TMP/e' && [ ! -s '$TMP/o' ]"
done
start_bg python3 -c 'import threading, time
t = threading.Thread(target=time.sleep, args=(30,)); t.start(); print(t.native_id, flush=True); t.join()' >"$TMP/tid"
threaded=$BG_PID
for _ in $(seq 1 100); do [ -s "$TMP/tid" ] && break; sleep 0.05; done
tid=$(head -1 "$TMP/tid")
"$POLLSCOPE" report -p "${tid:-0}" -d 1 >"$TMP/o" 2>"$TMP/e"; rc=$?
check "report -p with a thread id: exit 2 naming its process" \
  bash -c "[ $rc -eq 2 ] && grep -q 'is a thread of process $threaded: use -p $threaded' '$TMP/e'"
kill "$threaded" 2>/dev/null

require_root "pid filter excludes other processes" "port filter excludes other ports" \
  "--probes sock alone" "COMMAND mode traces the command" "--self-cost on request only"

# An output file that cannot be written fails before the trace, not after it,
# and a COMMAND never runs untraced because of it.
"$POLLSCOPE" report -d 30 -o "$TMP/no-such-dir/r.txt" -- touch "$TMP/ran" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "report -o into a missing directory: exit 1 before tracing" \
  bash -c "[ $rc -eq 1 ] && grep -q 'cannot write $TMP/no-such-dir/r.txt' '$TMP/e' && ! grep -q 'tracing' '$TMP/e'"
check "report -o into a missing directory: the command did not run" test ! -e "$TMP/ran"
# A run that ends in an error leaves an existing -o file as it was.
echo "an earlier report" >"$TMP/keep.txt"
"$POLLSCOPE" report -o "$TMP/keep.txt" -- /nonexistent/cmd >/dev/null 2>&1
check "report -o: a failed run leaves the file as it was" grep -qx "an earlier report" "$TMP/keep.txt"

# Two unrelated socket pairs in two processes.
rm -f "$TMP/go"
python3 "$HELPER" --go-file "$TMP/go" --count 30 --interval-ms 30 >"$TMP/a.out" & BG_PIDS+=($!); apid=$!
python3 "$HELPER" --go-file "$TMP/go" --count 30 --interval-ms 30 >"$TMP/b.out" & BG_PIDS+=($!); bpid=$!
for _ in $(seq 1 100); do [ -s "$TMP/a.out" ] && [ -s "$TMP/b.out" ] && break; sleep 0.05; done
aport=$(head -1 "$TMP/a.out" | python3 -c "import json,sys;print(json.load(sys.stdin)['server_port'])")
bport=$(head -1 "$TMP/b.out" | python3 -c "import json,sys;print(json.load(sys.stdin)['server_port'])")

start_report "$TMP/pid.json" "$TMP/pid.err" -p "$apid" -d 0 --format json --top 0 || not_ok "pid report attaches"
pid_report=$REPORT_PID
start_report "$TMP/port.json" "$TMP/port.err" --port "$bport" -d 0 --format json --top 0 || not_ok "port report attaches"
port_report=$REPORT_PID
start_report "$TMP/sock.json" "$TMP/sock.err" -p "$apid" --probes sock -d 0 --format json || not_ok "sock-only report attaches"
sock_report=$REPORT_PID
touch "$TMP/go"
wait "$apid" "$bpid"
for p in $pid_report $port_report $sock_report; do kill -INT "$p"; done
for p in $pid_report $port_report $sock_report; do wait "$p"; done

check "pid filter: A's server socket is there" json_check "$TMP/pid.json" \
  "any(s['local'].endswith(':$aport') and s['reads'] > 0 for s in d['sockets'])"
check "pid filter: nothing of process B" json_check "$TMP/pid.json" \
  "all(s['pid'] in (0, $apid) and not s['local'].endswith(':$bport') and not s['remote'].endswith(':$bport') for s in d['sockets'])"
check "pid filter: only A's threads" json_check "$TMP/pid.json" "d['threads'] and all(t['pid'] == $apid for t in d['threads'])"
check "port filter: B's sockets are there" json_check "$TMP/port.json" \
  "any(s['local'].endswith(':$bport') and s['reads'] > 0 for s in d['sockets'])"
check "port filter: every socket has the port" json_check "$TMP/port.json" \
  "d['sockets'] and all(s['local'].endswith(':$bport') or s['remote'].endswith(':$bport') for s in d['sockets'])"
check "--probes sock: sock probes attached" json_check "$TMP/sock.json" \
  "all(p['attached'] for p in d['health']['probes'] if p['family'] == 'sock')"
check "--probes sock: others disabled by request" json_check "$TMP/sock.json" \
  "all((not p['attached']) and p['reason'] in ('disabled by request', 'not needed (no command to follow)') for p in d['health']['probes'] if p['family'] != 'sock')"
check "--probes sock: sockets still measured" json_check "$TMP/sock.json" \
  "any(s['local'].endswith(':$aport') and s['ready_to_read']['count'] > 0 for s in d['sockets'])"
check "--probes sock: no wait calls, wakeups or CPUs" json_check "$TMP/sock.json" \
  "d['cpus'] == [] and all(t['wakeups'] == 0 and t['wait']['epoll']['calls'] == 0 for t in d['threads'])"

# COMMAND mode: trace a command's process tree until it exits.
"$POLLSCOPE" report --format json -o "$TMP/cmd.json" -- python3 "$HELPER" --count 20 --interval-ms 20 >"$TMP/cmd.out" 2>"$TMP/cmd.err"; rc=$?
check "COMMAND mode exits 0 when the command ends" test $rc -eq 0
cport=$(head -1 "$TMP/cmd.out" | python3 -c "import json,sys;print(json.load(sys.stdin)['server_port'])" 2>/dev/null)
cpid=$(head -1 "$TMP/cmd.out" | python3 -c "import json,sys;print(json.load(sys.stdin)['pid'])" 2>/dev/null)
check "COMMAND mode: the command's socket traced" json_check "$TMP/cmd.json" \
  "any(s['local'].endswith(':${cport:-0}') and s['read_bytes'] == 20 and s['reads'] > 0 for s in d['sockets'])"
check "COMMAND mode: filters name the command's pid" json_check "$TMP/cmd.json" "'pid ${cpid:-0}' in d['filters']"
"$POLLSCOPE" report -d 5 -- /nonexistent/cmd >"$TMP/o" 2>"$TMP/e"; rc=$?
check "COMMAND mode: a missing command is reported" grep -q "cannot run /nonexistent/cmd: No such file" "$TMP/e"
check "COMMAND mode: a missing command is exit 1 with no report" bash -c "[ $rc -eq 1 ] && [ ! -s '$TMP/o' ]"
"$POLLSCOPE" report -- sh -c 'exit 3' >"$TMP/o" 2>"$TMP/e"; rc=$?
check "COMMAND mode: a failing command still gets its report" bash -c "[ $rc -eq 0 ] && grep -q '^HEALTH' '$TMP/o'"
check "COMMAND mode: how the command ended is on stderr" grep -q "sh (pid [0-9]*) exited with status 3" "$TMP/e"
# The duration ends first: the command and the processes it started are stopped,
# even ones that ignore SIGTERM (then SIGKILL), and nothing else.
start_bg sleep 300; bystander=$BG_PID
"$POLLSCOPE" report -d 1 -- sh -c "trap '' TERM; sleep 301 & echo \$! >'$TMP/kids'; sleep 302 & echo \$! >>'$TMP/kids'; wait" \
  >/dev/null 2>"$TMP/e"; rc=$?
check "COMMAND mode: exit 0 when the duration ends first" test $rc -eq 0
gone() {  # gone PID...: each is no process, or a zombie nobody reaped
  local p s
  for p in "$@"; do
    s=$(cat /proc/"$p"/stat 2>/dev/null) || continue
    s="${s##*) }"; [ "${s:0:1}" = Z ] || return 1
  done
}
kids=$(cat "$TMP/kids" 2>/dev/null)
check "COMMAND mode: the command started its two children" test "$(echo $kids | wc -w)" -eq 2
kids_gone() { [ -n "$kids" ] && gone $kids; }
check "COMMAND mode: its children are stopped, though they ignore SIGTERM" kids_gone
alive() { ! gone "$1"; }
check "COMMAND mode: an unrelated process is left alone" alive "$bystander"

# Probe self-cost: off by default (bpf_stats cost ~100 ns per event), on with --self-cost,
# and the kernel setting is left as it was.
check "without --self-cost: no run counts" json_check "$TMP/cmd.json" \
  "d['health']['self_cost'] is False and all(p['run_cnt'] == 0 for p in d['health']['probes'])"
stats_before=$(cat /proc/sys/kernel/bpf_stats_enabled)
"$POLLSCOPE" report --self-cost --format json -o "$TMP/self.json" -- python3 "$HELPER" --count 5 --interval-ms 10 \
  >/dev/null 2>"$TMP/self.err"; rc=$?
check "--self-cost: exit 0" test $rc -eq 0
check "--self-cost: run counts and run time of the sock probes" json_check "$TMP/self.json" \
  "d['health']['self_cost'] is True and any(p['family'] == 'sock' and p['run_cnt'] > 0 and p['run_time_ns'] > 0 for p in d['health']['probes'])"
# The programs' own event count against the kernel's count of their runs (an
# independent counter). Softirq's events are counted from its runs, so the
# softirqs that ran between the attaches (or the detaches) of its entry and
# exit programs differ: a few, where leaving the runs out would miss hundreds.
check "--self-cost: health events match the kernel's run counts" json_check "$TMP/self.json" \
  "abs(d['health']['events'] - sum(p['run_cnt'] for p in d['health']['probes'] if p['tracepoint'] != 'sched:sched_process_fork')) <= 50 + 0.02 * d['health']['events'] and d['health']['events'] > 100"
check "--self-cost: kernel.bpf_stats_enabled is back to $stats_before" test "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$stats_before"
