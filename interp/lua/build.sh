#!/bin/sh
# build.sh — make lua: Lua 5.4 from Debian's lua5.4 source (upstream as released,
# pinned), built for wasm32-wasi with real error handling (setjmp/longjmp as
# WebAssembly exceptions: -mllvm -wasm-enable-sjlj, runtime in wasm_sjlj.c),
# with interp/lua/lua embedded at /lua (package.path points there) and a
# scratch /tmp, into build/lua.wasm.  Needs CC, WASM_FLAGS, BUILD.
set -eu
. interp/env.sh
VERSION=5.4.4-3+deb12u1
B=$BUILD/lua
here=interp/lua
SKIP_PATCHES=1 tools/fetch-source.sh lua5.4 "$VERSION" "$BUILD/src/lua5.4"
F="-O2 -D_GNU_SOURCE -mllvm -wasm-enable-sjlj -mexception-handling -I$here/include
   -include $here/wasi_compat.h -DLUA_USE_C89 -D_WASI_EMULATED_SIGNAL
   -D_WASI_EMULATED_PROCESS_CLOCKS -DLUA_PATH_DEFAULT=\"/lua/?.lua;/lua/?/init.lua;./?.lua\""
mkdir -p "$B/obj"
for c in "$BUILD"/src/lua5.4/src/*.c "$here/wasm_sjlj.c" "$here/compat.c"; do
  o=$B/obj/$(basename "$c" .c).o
  case $c in *luac.c) continue ;; esac
  [ "$o" -nt "$c" ] && [ "$o" -nt "$here/wasi_compat.h" ] || $CCW $F -w -c "$c" -o "$o"
done
# The packable interpreter, no image of its own (build/interp/lua.wasm);
# build/lua.wasm is it with interp/lua/lua packed at /lua (make lua-app packs
# your own scripts and modules: interp/app.sh).
mkdir -p "$BUILD/interp"
$CCW -O2 -Wl,--strip-debug "$B"/obj/*.o -L"$BUILD/lib" -lwasi_vfs $ZDEC \
  -lwasi-emulated-signal -lwasi-emulated-process-clocks -o "$B/lua.linked.wasm"
ship "$B/lua.linked.wasm" "$BUILD/interp/lua.wasm"
SLIM= pack_app "$BUILD/interp/lua.wasm" "$BUILD/lua.wasm" --mapdir /lua::"$here/lua" --tmpdir /tmp
sizes lua "$BUILD/lua.wasm" "$BUILD/lua.json"
