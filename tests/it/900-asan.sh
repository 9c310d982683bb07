# The sanitizer build (ASan+UBSan) runs the same unit tests and stays green.
. "$TESTS_DIR/it/lib.sh"
cd "$TESTS_DIR/.."
if make --no-print-directory -s asan >"$TMP/asan.log" 2>&1; then
  ok "unit tests pass under ASan+UBSan"
else
  not_ok "unit tests pass under ASan+UBSan"; tail -40 "$TMP/asan.log" >&2
fi
