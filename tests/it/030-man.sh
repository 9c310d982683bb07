# Man pages: lint clean, every long option of every command documented,
# every command has a page, install/uninstall work and the pages render.
. "$TESTS_DIR/it/lib.sh"
cd "$TESTS_DIR/.."

for page in man/*.8; do
  out=$(mandoc -Tlint -W warning "$page" 2>&1)
  check "mandoc lint clean: $page" test -z "$out"
  [ -n "$out" ] && echo "$out" >&2
done

plain() { sed 's/\\-/-/g' "$1"; }
long_opts() { grep -oE -- '--[a-z][a-z0-9-]+' | sort -u; }

commands=$("$POLLSCOPE" --help | awk '/^Subcommands:/{on=1;next} on && /^  [a-z]/{print $1}' | grep -v '^help$')
check "--help lists at least one command" test -n "$commands"

for opt in $("$POLLSCOPE" --help | long_opts); do
  check "pollscope.8 documents $opt" grep -q -- "$opt" <(plain man/pollscope.8)
done
for cmd in $commands; do
  page="man/pollscope-$cmd.8"
  check "$cmd has a man page" test -f "$page"
  [ -f "$page" ] || continue
  check "pollscope.8 refers to pollscope-$cmd(8)" grep -q "pollscope-$cmd (8)" <(plain man/pollscope.8 | sed 's/^\.BR //')
  missing=""
  for opt in $("$POLLSCOPE" help "$cmd" | long_opts); do
    grep -q -- "$opt" <(plain "$page") || missing="$missing $opt"
  done
  check "every long option of $cmd is in its page${missing:+ (missing:$missing)}" test -z "$missing"
done

# Every subcommand source (cli/<name>.cpp) ships its page.
for src in cli/*.cpp; do
  name=$(basename "$src" .cpp); [ "$name" = main ] && continue
  check "cli/$name.cpp has man/pollscope-$name.8" test -f "man/pollscope-$name.8"
done

dest="$TMP/dest"
check "make install into DESTDIR" make --no-print-directory -s install BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr
check "binary installed" test -x "$dest/usr/sbin/pollscope"
for page in man/*.8; do
  check "installed page renders: $(basename "$page")" bash -c "MANWIDTH=80 man -l '$dest/usr/share/man/man8/$(basename "$page")' 2>&1 | grep -q '^NAME'"
done
check "the systemd unit is installed, running the installed binary" \
  grep -q '^ExecStart=/usr/sbin/pollscope export ' "$dest/usr/lib/systemd/system/pollscope-export.service"
check "make uninstall removes them" bash -c "make --no-print-directory -s uninstall BUILD='$BUILD' DESTDIR='$dest' PREFIX=/usr && ! find '$dest' -type f | grep -q ."
