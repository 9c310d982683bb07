# pollscope serve --proto resp against an unmodified redis-benchmark: every test
# the issue names, -c 50, with and without -P 16, in every mode. redis-benchmark
# exits on the first error reply; on top of that the CSV must have every test
# with a rate, the server must count exactly the requests sent, and INCR's
# counter must equal the number of INCR requests.
. "$TESTS_DIR/it/lib.sh"
. "$TESTS_DIR/it/helpers/serve.sh"

TESTS="ping_inline,ping_mbulk,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,mset"
NAMES="PING_INLINE PING_MBULK SET GET INCR LPUSH RPUSH LPOP RPOP SADD HSET SPOP MSET"
NTESTS=13

bench() {  # MODE THREADS PIPELINE N [SERVE ARGS...]
  local mode="$1" threads="$2" pipe="$3" n="$4" label
  shift 4
  label="$mode${pipe:+ -P $pipe}$([ "$threads" -gt 1 ] && echo " --threads $threads")${*:+ $*}"
  if ! start_serve --mode "$mode" --proto resp --threads "$threads" "$@"; then
    not_ok "$label: server starts"; return
  fi
  local out="$TMP/rb.$SERVE_N.csv"
  timeout 120 redis-benchmark -h 127.0.0.1 -p "$SERVE_PORT" -c 50 -n "$n" ${pipe:+-P "$pipe"} \
    -t "$TESTS" --csv >"$out" 2>"$TMP/rb.err"
  local rc=$?
  local counter
  counter=$(redis-cli -p "$SERVE_PORT" get 'counter:__rand_int__' 2>&1)
  stop_serve TERM
  local missing="" name rps
  for name in $NAMES; do
    rps=$(awk -F'","' -v t="$name" '{gsub(/"/,"",$1)} $1==t || $1==t" (10 keys)" {print $2}' "$out")
    awk -v r="${rps:-0}" 'BEGIN{exit !(r > 0)}' || missing="$missing $name"
  done
  # redis-benchmark's CONFIG GET save + appendonly, and our GET of the counter.
  local expected=$((NTESTS * n + 3))
  if [ $rc -eq 0 ] && [ -z "$missing" ] && ! grep -qi error "$out" "$TMP/rb.err" &&
     [ "$counter" = "$n" ] && [ "$(summary_field requests)" = "$expected" ] && [ "$(summary_field errors)" = 0 ]; then
    ok "$label: redis-benchmark runs all $NTESTS tests without an error"
  else
    not_ok "$label: redis-benchmark runs all $NTESTS tests without an error"
    { echo "rc=$rc missing:$missing counter=$counter (want $n) summary: $SERVE_SUMMARY (want requests=$expected)";
      cat "$TMP/rb.err"; tail -5 "$out"; tail -5 "$SERVE_ERR"; } >&2
  fi
}

for mode in epoll epoll-et poll select busy-poll blocking; do
  bench "$mode" 1 "" 10000
  bench "$mode" 1 16 50000
done
bench epoll 2 "" 10000
bench epoll 2 16 50000
# The textbook loop that always sleeps (what lab runs).
bench epoll 1 "" 10000 --spin-us 0
bench epoll-et 1 16 50000 --spin-us 0
