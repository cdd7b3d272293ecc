#!/bin/sh
# switches.sh — every documented switch works from any prior state, flipped
# both ways, on Lua (the quickest interpreter to build): COMPRESS and WASM_OPT
# rebuild it, SLIM and KEEP shape an app, WASI_LIBC=12 builds in a BUILD of its
# own and back.  Each build must run the test script as native lua5.4 does.
# Needs MAKE, BUILD (after make lua and test-lua's native transcript).
set -u
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
L=$BUILD/lua
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
(cd interp/lua/lua && LUA_PATH="./?.lua;./?/init.lua" LUA_ROOT=. lua5.4 test/main.lua) > "$T/native.txt" 2>&1
runs_as_native() { tools/wasi-run "$1" /lua/test/main.lua > "$T/out.txt" 2>&1 && cmp -s "$T/out.txt" "$T/native.txt"; }
# stored FILE.json: the image's stored bytes and raw bytes
stored() { sed -n 's/^{.*, "raw": \([0-9]*\), "stored": \([0-9]*\), .*/\2 \1/p' "$1"; }

# an app with a file that compresses, and one no run reads
mkdir -p "$T/app" && cp -r interp/lua/lua/. "$T/app/" &&
  awk 'BEGIN { for (i = 0; i < 5000; i++) printf "line %d of a file that compresses well\n", i }' > "$T/app/big.txt" &&
  head -c 200000 /dev/urandom > "$T/app/unused.bin"

for v in 0 1 0 1; do
  $MAKE --no-print-directory lua-app APP="$T/app" OUT="$T/app-c$v.wasm" COMPRESS=$v > "$T/log" 2>&1
  set -- $(stored "$T/app-c$v.json")
  if runs_as_native "$T/app-c$v.wasm" && { { [ $v = 0 ] && [ "$1" -ge "$2" ]; } || { [ $v = 1 ] && [ "$1" -lt "$2" ]; }; }; then
    ok "lua-app COMPRESS=$v: stored $1 of $2 bytes"
  else bad "lua-app COMPRESS=$v: stored ${1:-?} of ${2:-?}"; fi
done
for v in 0 1 0; do
  $MAKE --no-print-directory lua COMPRESS=$v > "$T/log" 2>&1
  grep -q 'interp/lua/build.sh' "$T/log" && runs_as_native "$BUILD/lua.wasm" &&
    [ "$(cat "$BUILD/interp/.switches")" = "COMPRESS=$v WASM_OPT=1" ] &&
    ok "make lua COMPRESS=$v rebuilds after the other" || { tail -3 "$T/log"; bad "make lua COMPRESS=$v"; }
done
for v in 0 1; do
  $MAKE --no-print-directory lua WASM_OPT=$v > "$T/log" 2>&1
  cp "$BUILD/interp/lua.wasm" "$T/opt$v.wasm"
  grep -q 'interp/lua/build.sh' "$T/log" && runs_as_native "$BUILD/lua.wasm" &&
    ok "make lua WASM_OPT=$v rebuilds ($(stat -c %s "$T/opt$v.wasm") bytes)" || { tail -3 "$T/log"; bad "make lua WASM_OPT=$v"; }
done
[ "$(stat -c %s "$T/opt0.wasm")" -gt "$(stat -c %s "$T/opt1.wasm")" ] && ok "WASM_OPT=1 is smaller than 0" ||
  bad "WASM_OPT made no difference"
$MAKE --no-print-directory lua > "$T/log" 2>&1 # the default again

$MAKE --no-print-directory lua-app APP="$T/app" OUT="$T/slim.wasm" SLIM=/lua/test/main.lua > "$T/log" 2>&1
$MAKE --no-print-directory lua-app APP="$T/app" OUT="$T/slim-keep.wasm" SLIM=/lua/test/main.lua KEEP='/lua/unused*' > "$T/log" 2>&1
$MAKE --no-print-directory lua-app APP="$T/app" OUT="$T/full.wasm" > "$T/log" 2>&1
has() { tools/wasi-run "$1" -e "print(io.open('/lua/unused.bin') ~= nil)" 2>&1; }
if runs_as_native "$T/slim.wasm" && runs_as_native "$T/slim-keep.wasm" && runs_as_native "$T/full.wasm" &&
   [ "$(has "$T/slim.wasm")" = false ] && [ "$(has "$T/slim-keep.wasm")" = true ] && [ "$(has "$T/full.wasm")" = true ] &&
   [ "$(stat -c %s "$T/slim.wasm")" -lt "$(stat -c %s "$T/slim-keep.wasm")" ]; then
  ok "SLIM leaves out what the run never used, KEEP brings it back, and without them the app is whole"
else bad "SLIM/KEEP: $(has "$T/slim.wasm") $(has "$T/slim-keep.wasm") $(has "$T/full.wasm")"; fi

# (BUILD comes from the environment here: the default folder of each libc is asked for)
for v in 12 13; do
  env -u BUILD $MAKE --no-print-directory lua WASI_LIBC=$v > "$T/log" 2>&1
  out=$BUILD/lua.wasm; [ $v = 12 ] && out=$BUILD/libc12/lua.wasm
  runs_as_native "$out" && ok "make lua WASI_LIBC=$v ($out)" || { tail -3 "$T/log"; bad "make lua WASI_LIBC=$v"; }
done
echo "switches: $pass passed, $fail failed"
[ $fail -eq 0 ]
