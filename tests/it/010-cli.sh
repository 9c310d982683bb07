# The CLI contract: help, version, usage errors, exit codes.
. "$TESTS_DIR/it/lib.sh"

out=$("$POLLSCOPE" --help); rc=$?
check "--help exits 0" test $rc -eq 0
check "--help lists check" grep -q "check" <<<"$out"
check "--version prints the version" bash -c "'$POLLSCOPE' --version | grep -Eq '^pollscope [0-9]+\.[0-9]+\.[0-9]+'"
check "help check prints check's options" bash -c "'$POLLSCOPE' help check | grep -q -- '--json'"

"$POLLSCOPE" --no-such-flag >"$TMP/o" 2>"$TMP/e"; rc=$?
check "unknown flag exits 2" test $rc -eq 2
check "unknown flag: one line on stderr" test "$(wc -l <"$TMP/e")" -eq 1
check "unknown flag: nothing on stdout" test ! -s "$TMP/o"
check "unknown flag is named" grep -q -- "--no-such-flag" "$TMP/e"

"$POLLSCOPE" check --bogus >"$TMP/o" 2>"$TMP/e"; rc=$?
check "unknown subcommand flag exits 2" test $rc -eq 2
check "unknown subcommand flag: one line" test "$(wc -l <"$TMP/e")" -eq 1

"$POLLSCOPE" frobnicate >"$TMP/o" 2>"$TMP/e"; rc=$?
check "unknown command exits 2" test $rc -eq 2
"$POLLSCOPE" >"$TMP/o" 2>"$TMP/e"; rc=$?
check "no command exits 2" test $rc -eq 2
"$POLLSCOPE" help nosuch >"$TMP/o" 2>"$TMP/e"; rc=$?
check "help of unknown command exits 2" test $rc -eq 2

# Decimal flags: CLI11 reads "nan" and "inf" as numbers, and NaN passes every
# range check; each must be a usage error in one line.
for args in "load -a 127.0.0.1:1 -R nan" "load -a 127.0.0.1:1 --connect-rate inf" "top -d nan" \
            "lab --rate nan" "lab --delay nan" "serve --idle-timeout nan"; do
  # shellcheck disable=SC2086
  timeout 10 "$POLLSCOPE" $args >"$TMP/o" 2>"$TMP/e"; rc=$?
  check "$args: exit 2 in one line" test $rc -eq 2 -a "$(wc -l <"$TMP/e")" -eq 1
done
