#!/bin/sh
# run.sh TARGET... — replay each fuzz target's committed inputs
# (tests/fuzz/corpus/<target>), then fuzz it for FUZZ_SECONDS from them.
# A crash fails the run; its input is left in build/fuzz/ to commit as a
# regression input once the bug is fixed.
set -u
B=${BUILD:-build}/fuzz
pass=0 fail=0
for t in "$@"; do
  bin=$B/fuzz_$t
  seeds=tests/fuzz/corpus/$t
  work=$B/corpus/$t
  mkdir -p "$work"
  if [ -d "$seeds" ] && ! "$bin" -runs=0 "$seeds" > "$B/$t.replay.log" 2>&1; then
    tail -20 "$B/$t.replay.log"; echo "FAIL $t: a committed input fails"; fail=$((fail + 1)); continue
  fi
  if "$bin" -max_total_time="$FUZZ_SECONDS" -max_len=512 -artifact_prefix="$B/$t-" \
      -print_final_stats=1 "$work" ${seeds:+$( [ -d "$seeds" ] && echo "$seeds")} > "$B/$t.log" 2>&1; then
    echo "ok   $t: $(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$B/$t.log" | grep -o '[0-9]*$') runs in ${FUZZ_SECONDS}s, no crash"
    pass=$((pass + 1))
  else
    tail -30 "$B/$t.log"; echo "FAIL $t: crash, input saved as $B/$t-crash-*"; fail=$((fail + 1))
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
