#!/bin/sh
# run.sh SEEDS OPS — randomized differential testing (make test-random / soak).
# Every seed's transcript on the embedded writable tree must equal its
# transcript on a host preopen of a fresh copy.  A failing seed is reported with
# its first differing op — the shortest failing prefix — and the command that
# replays just that prefix, to turn it into a regression test.
# Needs CC, WASM_FLAGS, BUILD from the Makefile.
set -eu
SEEDS=${1:-200} OPS=${2:-500}
B=$BUILD/random
GEN=$BUILD/bin/wasivfs-gen
RUN=tools/wasi-run
mkdir -p "$B"
tests/random/make-base.sh "$B/base" "$SEEDS"
rm -rf "$B/host" && cp -a "$B/base" "$B/host"
# the image as the generator's own object (-o FILE.o); the wasm suite runs
# the same differentials on C-built images
$GEN --mapdir /r::"$B/base" -o "$B/fs.o"
$CC $WASM_FLAGS -Wno-unused-result -Wl,--fatal-warnings tests/random/randops.c "$B/fs.o" -L"$BUILD/lib" -lwasi_vfs -o "$B/randops-emb.wasm"
$CC $WASM_FLAGS -Wno-unused-result -Wl,--fatal-warnings tests/random/randops.c -o "$B/randops-host.wasm"
$RUN "$B/randops-emb.wasm" /r 0 "$SEEDS" "$OPS" > "$B/emb.txt"
$RUN --dir /r::"$B/host" "$B/randops-host.wasm" /r 0 "$SEEDS" "$OPS" > "$B/host.txt"
pass=0 fail=0
s=0
while [ $s -lt "$SEEDS" ]; do
  grep "^$s " "$B/emb.txt" > "$B/e.seed" || true
  grep "^$s " "$B/host.txt" > "$B/h.seed" || true
  if [ -s "$B/e.seed" ] && cmp -s "$B/e.seed" "$B/h.seed"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    first=$(diff "$B/h.seed" "$B/e.seed" | sed -n 's/^[<>] [0-9]* \([0-9a-z]*\) .*/\1/p' | head -1)
    echo "FAIL seed $s: first difference at op $first (host <, embedded >):"
    diff "$B/h.seed" "$B/e.seed" | head -6
    echo "  replay: $RUN $B/randops-emb.wasm /r $s 1 $(( ${first:-0} + 1 ))  (and the host build with --dir /r::<fresh copy>)"
  fi
  s=$((s + 1))
done
# the embedded run again on a second, independent preview1 runtime
# (calls on fds the library does not know are the host's to answer: cmp-hosts.sh)
if $RUN --runtime tybys "$B/randops-emb.wasm" /r 0 "$SEEDS" "$OPS" > "$B/tybys.txt" &&
   tests/random/cmp-hosts.sh "$B/emb.txt" "$B/tybys.txt"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL on @tybys/wasm-util: the embedded transcript differs from node:wasi's"
fi
echo "$SEEDS seeds x $OPS ops, $(wc -l < "$B/emb.txt") transcript lines compared (and again on @tybys/wasm-util)"
echo "random: $pass passed, $fail failed"
[ $fail -eq 0 ]
