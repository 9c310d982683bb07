# Helpers for the `pollscope export` integration tests. Source after lib.sh.
EXPORT_N=0

# start_export ARGS...: starts `pollscope export --listen 127.0.0.1:<free> ARGS`
# and waits until its probes are attached ("serving" on stderr). Sets
# EXPORT_PID, EXPORT_PORT, EXPORT_URL, EXPORT_ERR. Returns 1 if it did not come up.
start_export() {
  EXPORT_N=$((EXPORT_N + 1))
  EXPORT_PORT=$(free_port)
  EXPORT_URL="http://127.0.0.1:$EXPORT_PORT"
  EXPORT_ERR="$TMP/export.$EXPORT_N.err"
  start_bg "$POLLSCOPE" export --listen "127.0.0.1:$EXPORT_PORT" "$@" >"$TMP/export.$EXPORT_N.out" 2>"$EXPORT_ERR"
  EXPORT_PID=$BG_PID
  wait_for_line "$EXPORT_PID" "$EXPORT_ERR" serving
}

# stop_export: SIGTERM, waits; sets EXPORT_RC.
stop_export() {
  kill -TERM "$EXPORT_PID" 2>/dev/null
  wait "$EXPORT_PID"
  EXPORT_RC=$?
}

# scrape FILE: /metrics into FILE.
scrape() { curl -sf --max-time 5 "$EXPORT_URL/metrics" -o "$1"; }

# metric_sum FILE NAME [LABEL=VALUE...]: the sum of the samples of NAME (exact
# name, so NAME_bucket is another metric) whose labels include every given pair.
metric_sum() {
  python3 - "$@" <<'PY'
import re, sys
path, name, want = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
total = 0.0
for line in open(path):
    if line.startswith("#"):
        continue
    m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)', line)
    if not m or m.group(1) != name:
        continue
    labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
    if all(labels.get(k) == v for k, v in want.items()):
        total += float(m.group(4))
print("%.6f" % total)
PY
}

# close_to A B SHARE: |A-B| <= SHARE*B.
close_to() { python3 -c "import sys; a,b,s=map(float,sys.argv[1:4]); sys.exit(0 if abs(a-b) <= s*b and b > 0 else 1)" "$@"; }
