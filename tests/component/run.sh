#!/bin/sh
# run.sh — packed programs as WASI 0.2 command components (make test-component).
#
# Each program is turned into a component by tools/wasi-component (jco's `new`
# with the preview1 adapter jco ships) and run by tools/wasi-component-run on
# node through @bytecodealliance/preview2-shim with no preopened directories;
# its output must equal the same module's under node:wasi (tools/wasi-run):
# the demo, the read and write differentials' programs on their embedded
# trees, the random differential (fewer seeds), SQLite and CPython.
# Needs CC, WASM_FLAGS, BUILD (after make sqlite python).
set -eu
B=$BUILD/component
LIB=$BUILD/lib
GEN=$BUILD/bin/wasivfs-gen
RUN=tools/wasi-run
CRUN=tools/wasi-component-run
mkdir -p "$B"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# same NAME MIN MODULE ARGS...: the module under node:wasi and as a component
# print the same (at least MIN lines), with the same success.
same() {
  name=$1 min=$2 mod=$3; shift 3
  if ! tools/wasi-component "$mod" "$B/$name.component.wasm" > "$B/$name.new.log" 2>&1; then
    cat "$B/$name.new.log"; bad "$name: not made into a component"; return
  fi
  set +e
  $RUN "$mod" "$@" > "$B/$name.module.txt" 2>&1; m=$?
  $CRUN "$B/$name.component.wasm" "$@" > "$B/$name.component.txt" 2>&1; c=$?
  set -e
  # the random differential's calls on closed fds are the host's to answer
  # (tests/random/cmp-hosts.sh); everything else must be equal to the byte
  if [ "$name" = random ]; then same_out() { tests/random/cmp-hosts.sh "$@"; }; else same_out() { cmp -s "$@"; }; fi
  lines=$(wc -l < "$B/$name.component.txt")
  if [ $m -eq 0 ] && [ $c -eq 0 ] && same_out "$B/$name.module.txt" "$B/$name.component.txt" && [ "$lines" -ge "$min" ]; then
    ok "$name: component == module ($lines lines)"
  else
    diff "$B/$name.module.txt" "$B/$name.component.txt" | head -10
    bad "$name: component (exit $c, $lines lines) vs module (exit $m)"
  fi
}

link() { # out.wasm src.c [objects/flags...]
  out=$1 src=$2; shift 2
  $CC $WASM_FLAGS -D_GNU_SOURCE -Wno-unused-result -Wl,--fatal-warnings "$src" "$@" -o "$out"
}

# the demo
$GEN --mapdir /src::examples/hello/src -o "$B/hello-fs.c"
link "$B/hello.wasm" examples/hello/hello.c "$B/hello-fs.c" -L"$LIB" -lwasi_vfs
same demo 3 "$B/hello.wasm" /src/greeting.txt

# the read and write differentials' programs, on their embedded trees
tests/make-tree.sh "$B/tree"
$GEN --mapdir /t::"$B/tree" --readonly /t -o "$B/fs.c"
$GEN --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/fs-rw.c"
$CC $WASM_FLAGS -c "$B/fs.c" -o "$B/fs.o"
$CC $WASM_FLAGS -c "$B/fs-rw.c" -o "$B/fs-rw.o"
link "$B/walk.wasm" tests/wasm/walk.c "$B/fs.o" -L"$LIB" -lwasi_vfs
link "$B/writes.wasm" tests/wasm/writes.c "$B/fs-rw.o" -L"$LIB" -lwasi_vfs
same walk 10000 "$B/walk.wasm" /t
same writes 300 "$B/writes.wasm" /w

# the random differential: 40 seeds x 300 ops
SEEDS=40
tests/random/make-base.sh "$B/rbase" "$SEEDS"
$GEN --mapdir /r::"$B/rbase" -o "$B/rfs.c"
$CC $WASM_FLAGS -c "$B/rfs.c" -o "$B/rfs.o"
link "$B/randops.wasm" tests/random/randops.c "$B/rfs.o" -L"$LIB" -lwasi_vfs
same random 5000 "$B/randops.wasm" /r 0 "$SEEDS" 300

# SQLite on its embedded database, CPython with its standard library
same sqlite 8 "$BUILD/sqlite.wasm" -header /db/sample.db \
  "SELECT city, count(*) FROM customers GROUP BY city ORDER BY city"
same python 1 "$BUILD/python.wasm" -c \
  "import json, email.parser, decimal, zoneinfo, pathlib, csv, sys; print(len(sys.modules), json.dumps(sorted(sys.modules)))"

# the environment a component is given (--env), as a module sees its own
out=$($CRUN --env "WVFS_ENV=a=b c" --env LANG=C.UTF-8 "$B/python.component.wasm" -c \
  "import os; print(sorted(os.environ.items()))" 2>&1)
want=$($RUN --env "WVFS_ENV=a=b c" --env LANG=C.UTF-8 "$BUILD/python.wasm" -c "import os; print(sorted(os.environ.items()))" 2>&1)
[ -n "$want" ] && [ "$out" = "$want" ] && ok "--env: the component's environment is the module's ($want)" ||
  bad "--env: $out vs $want"

echo "component: $pass passed, $fail failed"
[ $fail -eq 0 ]
