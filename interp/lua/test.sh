#!/bin/sh
# test.sh — Lua in wasm with its modules inside, against Debian's native lua5.4
# on the same tree: require of embedded modules and packages, io.lines/io.open
# on embedded data, pcall errors, io.tmpfile in the scratch /tmp.
set -u
here=interp/lua
(cd "$here/lua" && LUA_PATH="./?.lua;./?/init.lua" LUA_ROOT=. lua5.4 test/main.lua) > "$BUILD/lua/native.txt" 2>&1
tools/wasi-run "$BUILD/lua.wasm" /lua/test/main.lua > "$BUILD/lua/wasm.txt" 2>&1
if [ -s "$BUILD/lua/native.txt" ] && cmp -s "$BUILD/lua/native.txt" "$BUILD/lua/wasm.txt"; then
  echo "ok   test/main.lua: embedded = native lua5.4 ($(wc -l < "$BUILD/lua/wasm.txt") lines)"; echo "lua: 1 passed, 0 failed"
else
  diff "$BUILD/lua/native.txt" "$BUILD/lua/wasm.txt" | head -20; echo "lua: 0 passed, 1 failed"; exit 1
fi
