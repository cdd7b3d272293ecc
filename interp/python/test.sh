#!/bin/sh
# test.sh — CPython with its standard library inside: checks.py's transcript
# must be the same with the library embedded (build/python.wasm, no host dir)
# as with the same staged library preopened from the host; an app packed with
# the prebuilt interpreter (make python-app) runs from /src.
set -u
. interp/env.sh
B=$BUILD/python
RUN=tools/wasi-run
pass=0 fail=0
cp interp/python/checks.py "$B/checks-host/" 2>/dev/null || { mkdir -p "$B/checks-host"; cp interp/python/checks.py "$B/checks-host/"; }
mkdir -p "$B/tmp-host"
$RUN --dir /c::"$B/checks-host" "$BUILD/python.wasm" /c/checks.py > "$B/emb.txt" 2>&1
$RUN --dir /c::"$B/checks-host" --dir /usr/local/lib/python3.11::"$B/stdlib/lib/python3.11" \
  --dir /tmp::"$B/tmp-host" "$B/python-nofs.wasm" /c/checks.py > "$B/host.txt" 2>&1
if grep -q "^done$" "$B/emb.txt" && cmp -s "$B/emb.txt" "$B/host.txt"; then
  pass=$((pass + 1)); echo "ok   checks.py: embedded standard library = host preopen ($(head -1 "$B/emb.txt"))"
else
  fail=$((fail + 1)); echo "FAIL checks.py differs"; diff "$B/host.txt" "$B/emb.txt" | head -20
fi
if grep -q "pyc valid: True" "$B/emb.txt"; then pass=$((pass + 1)); echo "ok   the embedded .pyc are valid (no rewrites)"
else fail=$((fail + 1)); echo "FAIL embedded .pyc not valid"; fi
# the standard library's files start out of memory (pack's passive segment):
# -c pass brings in the files its hot list names (stored raw), and nothing
# else: no other file, no compressed frame, no dictionary (passive.js counts
# non-zero bytes: those of the hot files' raw bytes, exactly)
hot=$(sed 's|^wvfs-read: /usr/local/lib/python3.11/|'"$B"'/stdlib/lib/python3.11/|' "$B/stdlib.hot" | xargs cat | tr -d '\000' | wc -c)
set -- $(node tests/wasm/passive.js "$BUILD/python.wasm" -c pass | sed -n 's/^linked \([0-9]*\) bytes before \([0-9]*\) after \([0-9]*\)$/\1 \2 \3/p')
if [ $# -eq 3 ] && [ "$1" -gt 4000000 ] && [ "$2" -lt $(($1 / 50)) ] && [ "$3" -gt "$2" ] && [ $(($3 - $2)) -eq "$hot" ]; then
  pass=$((pass + 1)); echo "ok   the standard library starts out of memory: -c pass brings $(($3 - $2)) of its $1 bytes (its $(wc -l < "$B/stdlib.hot") hot files' raw bytes, exactly)"
else fail=$((fail + 1)); echo "FAIL the standard library in the passive segment: $*"; fi
out=$($RUN "$B/python-app.wasm" /src/main.py 2>&1)
want="hello from /src/main.py on Python 3.11.2
the app's files: ['__pycache__', 'data.json', 'main.py', 'vendor']
its data: ['data.json']
vendored: ['tally']
sum of the data: 10
tally compiled ahead: True"
if [ "$out" = "$want" ]; then pass=$((pass + 1)); echo "ok   an app packed with the prebuilt interpreter runs from /src"
else fail=$((fail + 1)); echo "FAIL python-app: $out"; fi
# slim from a trace of the app's run: the same output, a smaller program, and
# a library module the run never used left out
SLIM='/src/main.py' interp/app.sh python examples/pyapp "$B/python-app-slim.wasm" > "$B/slim.log" 2>&1 ||
  cat "$B/slim.log"
slim=$($RUN "$B/python-app-slim.wasm" /src/main.py 2>&1)
probe="import os; print(os.path.exists('/usr/local/lib/python3.11/email/parser.py'))"
full_size=$(stat -c %s "$B/python-app.wasm"); slim_size=$(stat -c %s "$B/python-app-slim.wasm" 2>/dev/null || echo 0)
if [ "$slim" = "$out" ] && [ "$slim_size" -gt 0 ] && [ "$slim_size" -lt $((full_size * 3 / 4)) ] &&
   [ "$($RUN "$B/python-app.wasm" -c "$probe")" = True ] && [ "$($RUN "$B/python-app-slim.wasm" -c "$probe")" = False ]; then
  pass=$((pass + 1)); echo "ok   slim python-app from a trace: the same output, $full_size -> $slim_size bytes, unused modules left out"
else fail=$((fail + 1)); echo "FAIL slim python-app ($full_size -> $slim_size bytes): $slim"; fi
# the slim program replays its trace: the same paths resolved and listed
if replays "$B/python-app-slim.wasm" "$B/python-app-slim.keep" /src/main.py; then
  pass=$((pass + 1)); echo "ok   the slim app replays the full run's trace ($(wc -l < "$B/python-app-slim.keep.full") paths and listings)"
else fail=$((fail + 1)); echo "FAIL slim replay"; diff "$B/python-app-slim.keep.full" "$B/python-app-slim.keep.replay" | head; fi
echo "python: $pass passed, $fail failed"
[ $fail -eq 0 ]
