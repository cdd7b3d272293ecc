#!/bin/sh
# test.sh — CPython with its standard library inside: checks.py's transcript
# must be the same with the library embedded (build/python.wasm, no host dir)
# as with the same staged library preopened from the host; an app packed with
# the prebuilt interpreter (make python-app) runs from /src.
set -u
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
out=$($RUN "$B/python-app.wasm" /src/main.py 2>&1)
want="hello from /src/main.py on Python 3.11.2
the app's files: ['data.json', 'main.py']
sum of the data: 10"
if [ "$out" = "$want" ]; then pass=$((pass + 1)); echo "ok   an app packed with the prebuilt interpreter runs from /src"
else fail=$((fail + 1)); echo "FAIL python-app: $out"; fi
echo "python: $pass passed, $fail failed"
[ $fail -eq 0 ]
