#!/bin/sh
# stdtests.sh — CPython's own test modules, with the standard library and
# Lib/test embedded (build/python/python-test.wasm) and with the same tree
# preopened from the host: each module's result (tests run, skips, outcome)
# must be the same: as many tests run, all passing, and no more skipped
# embedded.  (Both refuse symlinks to absolute targets and make relative ones;
# CPython's helpers probe with an absolute one, so both skip those tests.)
# The modules are those that pass on the host preopen under node:wasi, less two
# that meet WASI limits we document: test_shutil (no chmod, absolute symlink
# targets are refused) and test_io (a file in memory stops at 2 GiB).
# Tests run in /tmp (the scratch mount; on the host a folder).
set -u
. interp/env.sh
B=$BUILD/python
MODULES="test_json test_glob test_tempfile test_zipfile test_csv test_zipimport test_filecmp test_fnmatch"
ST=$B/stdtest/python3.11
if [ ! -f "$ST/.staged" ]; then
  rm -rf "$B/stdtest" && mkdir -p "$B/stdtest"
  cp -a "$B/stdlib/lib/python3.11" "$B/stdtest/"
  cp -a "$BUILD/src/python3.11/Lib/test" "$ST/test"
  # the test suite's deliberately broken files are left as source
  /usr/bin/python3.11 -m compileall -q -j0 -d /usr/local/lib/python3.11/test \
    -x '(^|/)(bad_coding2?|badsyntax_[^/]*|bad_getattr[0-9]?)\.py$|/test_lib2to3/data/' \
    "$ST/test" > "$B/stdtest-compileall.log" 2>&1 ||
    { echo "python-stdtests: compileall failed:"; head -20 "$B/stdtest-compileall.log"; exit 1; }
  touch "$ST/.staged"
fi
if [ ! -f "$B/python-test.wasm" ] || [ "$ST/.staged" -nt "$B/python-test.wasm" ]; then
  $GEN $PACK --mapdir /usr/local/lib/python3.11::"$ST" --tmpdir /tmp -o "$B/stdtest-fs.o"
  WASM_OPT=0 interp/python/link.sh "$B/stdtest-fs.o" "$B/python-test.wasm"
fi
pass=0 fail=0
for t in $MODULES; do
  code="import os, unittest; os.chdir('/tmp'); unittest.main(module=None, argv=['u', 'test.$t'])"
  rm -rf "$B/tmp-t" && mkdir -p "$B/tmp-t"
  h=$(tools/wasi-run --dir /usr/local/lib/python3.11::"$ST" --dir /tmp::"$B/tmp-t" "$B/python-nofs.wasm" -c "$code" 2>&1 | grep -E '^(Ran|OK|FAILED)' | sed 's/ in [0-9.]*s$//' | tr '\n' ' ')
  e=$(tools/wasi-run "$B/python-test.wasm" -c "$code" 2>&1 | grep -E '^(Ran|OK|FAILED)' | sed 's/ in [0-9.]*s$//' | tr '\n' ' ')
  ran() { echo "$1" | sed -n 's/^Ran \([0-9]*\) tests.*/\1/p'; }
  skips() { echo "$1" | sed -n 's/.*skipped=\([0-9]*\).*/\1/p'; }
  case "$h$e" in *FAILED*) same=0 ;; *) same=1 ;; esac
  if [ -n "$h" ] && [ $same = 1 ] && [ "$(ran "$h")" = "$(ran "$e")" ] &&
     [ "${e#*OK}" != "$e" ] && [ "$(skips "$e" || true)0" -le "$(skips "$h" || true)0" ]; then
    pass=$((pass + 1)); echo "ok   $t: embedded: $e/ host: $h"
  else fail=$((fail + 1)); echo "FAIL $t: host: $h / embedded: $e"; fi
done
echo "python-stdtests: $pass passed, $fail failed"
[ $fail -eq 0 ]
