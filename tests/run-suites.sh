#!/bin/sh
# run-suites.sh MAKE TARGET... — run each test suite (fastest first), keep
# going after a failure, and close with one line totalling every suite's
# "NAME: N passed, N failed" line.
set -u
make=$1; shift
log=$(mktemp)
status=0
for t in "$@"; do
  echo "== $t"
  # make's own exit status, kept past the pipe through tee (sh has no pipefail)
  { $make --no-print-directory "$t" 2>&1; echo $? > "$log.rc"; } | tee -a "$log"
  # a suite passes when make succeeded and its last line counts 0 failed
  [ "$(cat "$log.rc")" = 0 ] && [ "$(tail -1 "$log" | sed -n 's/.* \([0-9]*\) failed$/\1/p')" = 0 ] || status=1
done
p=$(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, [0-9]* failed$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
f=$(sed -n 's/^[a-z0-9-]*: [0-9]* passed, \([0-9]*\) failed$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
rm -f "$log" "$log.rc"
[ $status -eq 0 ] || [ "$f" -gt 0 ] || f=1   # a suite that died before its count
echo "total: $p passed, $f failed"
[ $status -eq 0 ] && [ "$f" -eq 0 ]
