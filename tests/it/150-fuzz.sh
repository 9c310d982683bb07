# libFuzzer targets of the protocol parsers (make fuzz): each runs for a bounded
# time (FUZZ_SECONDS, default 25 s each), seeded from tests/fuzz/corpus/<parser>/
# (committed, read-only here); new inputs go to a temporary corpus, crashes to
# $BUILD/fuzz/crashes/<parser>/ (not committed). A crash fails the test.
. "$TESTS_DIR/it/lib.sh"
cd "$TESTS_DIR/.."
seconds="${FUZZ_SECONDS:-25}"

if ! command -v clang++ >/dev/null; then skip "fuzz targets: clang++ not installed"; exit 0; fi
if ! make --no-print-directory -s fuzz BUILD="$BUILD" >"$TMP/make.log" 2>&1; then
  not_ok "make fuzz builds the fuzz targets"; tail -20 "$TMP/make.log" >&2; exit 0
fi
ok "make fuzz builds the fuzz targets"

for src in tests/fuzz/fuzz_*.cpp; do
  parser=$(basename "$src" .cpp); parser=${parser#fuzz_}
  bin="$BUILD/fuzz/fuzz_$parser"
  seeds="tests/fuzz/corpus/$parser"
  crashes="$BUILD/fuzz/crashes/$parser"
  mkdir -p "$crashes" "$TMP/corpus-$parser"
  check "$parser has a seed corpus" test -n "$(ls -A "$seeds" 2>/dev/null)"
  before=$(find "$crashes" -type f | wc -l)
  timeout $((seconds + 60)) "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$TMP/corpus-$parser" "$seeds" >"$TMP/$parser.log" 2>&1
  rc=$?
  after=$(find "$crashes" -type f | wc -l)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$TMP/$parser.log")
  if [ $rc -eq 0 ] && [ "$after" -eq "$before" ] && [ "${runs:-0}" -gt 0 ]; then
    ok "fuzz $parser for ${seconds}s: ${runs} runs, no crash"
  else
    not_ok "fuzz $parser: rc=$rc, new crashes in $crashes: $((after - before))"
    grep -E 'ERROR|SUMMARY|Test unit written' "$TMP/$parser.log" | head -20 >&2
  fi
done
