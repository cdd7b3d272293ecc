#!/bin/sh
# test.sh — Lua in wasm with its modules inside, against Debian's native lua5.4
# on the same tree: require of embedded modules and packages, io.lines/io.open
# on embedded data, pcall errors, io.tmpfile in the scratch /tmp.
set -u
. interp/env.sh
here=interp/lua
(cd "$here/lua" && LUA_PATH="./?.lua;./?/init.lua" LUA_ROOT=. lua5.4 test/main.lua) > "$BUILD/lua/native.txt" 2>&1
tools/wasi-run "$BUILD/lua.wasm" /lua/test/main.lua > "$BUILD/lua/wasm.txt" 2>&1
pass=0 fail=0
if [ -s "$BUILD/lua/native.txt" ] && cmp -s "$BUILD/lua/native.txt" "$BUILD/lua/wasm.txt"; then
  pass=$((pass + 1)); echo "ok   test/main.lua: embedded = native lua5.4 ($(wc -l < "$BUILD/lua/wasm.txt") lines)"
else
  fail=$((fail + 1)); diff "$BUILD/lua/native.txt" "$BUILD/lua/wasm.txt" | head -20; echo "FAIL test/main.lua"
fi
# slim from a trace of the same run: the same output from a smaller program
SLIM="/lua/test/main.lua" interp/app.sh lua "$here/lua" "$BUILD/lua/lua-slim.wasm" > "$BUILD/lua/slim.log" 2>&1 ||
  cat "$BUILD/lua/slim.log"
tools/wasi-run "$BUILD/lua/lua-slim.wasm" /lua/test/main.lua > "$BUILD/lua/slim.txt" 2>&1
full_size=$(stat -c %s "$BUILD/lua.wasm"); slim_size=$(stat -c %s "$BUILD/lua/lua-slim.wasm" 2>/dev/null || echo 0)
# (the test script reads nearly every file of the tree, so slim is not smaller here)
if cmp -s "$BUILD/lua/slim.txt" "$BUILD/lua/wasm.txt" && [ "$slim_size" -gt 0 ]; then
  pass=$((pass + 1)); echo "ok   slim lua-app from a trace: the same output, $full_size -> $slim_size bytes"
else fail=$((fail + 1)); echo "FAIL slim lua-app ($full_size -> $slim_size bytes)"; diff "$BUILD/lua/wasm.txt" "$BUILD/lua/slim.txt" | head; fi
if replays "$BUILD/lua/lua-slim.wasm" "$BUILD/lua/lua-slim.keep" /lua/test/main.lua; then
  pass=$((pass + 1)); echo "ok   the slim lua-app replays the full run's trace ($(wc -l < "$BUILD/lua/lua-slim.keep.full") paths)"
else fail=$((fail + 1)); echo "FAIL slim lua replay"; diff "$BUILD/lua/lua-slim.keep.full" "$BUILD/lua/lua-slim.keep.replay" | head; fi
echo "lua: $pass passed, $fail failed"
[ $fail -eq 0 ]
