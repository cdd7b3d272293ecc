#!/bin/sh
# app.sh APP OUT — pack a Python app with the prebuilt interpreter: APP's files
# at /src, the standard library as in build/python.wasm, a scratch /tmp; only
# the image is regenerated and the final link redone (CPython is not rebuilt).
# Run: tools/wasi-run OUT /src/main.py.  Needs CC, BUILD (after make python).
set -eu
APP=$1 OUT=$2
B=$BUILD/python
O=$B/obj
[ -f "$O/libpython3.11.a" ] || { echo "python-app: run 'make python' first"; exit 1; }
CCW="clang-19 --target=wasm32-wasi --sysroot=$(pwd)/$BUILD/sysroot"
$BUILD/bin/wasivfs-gen --mapdir /usr/local/lib/python3.11::"$B/stdlib/lib/python3.11" \
  --mapdir /src::"$APP" --tmpdir /tmp -o "$B/app-fs.c"
$CCW -O2 -c "$B/app-fs.c" -o "$B/app-fs.o"
$CCW -z stack-size=524288 -Wl,--stack-first -Wl,--strip-debug "$O/Programs/python.o" \
  "$O/libpython3.11.a" "$O/Modules/_decimal/libmpdec/libmpdec.a" "$O/Modules/expat/libexpat.a" \
  "$B/zlib/lib/libz.a" "$B/app-fs.o" -L"$BUILD/lib" -lwasi_vfs -lwasi-emulated-signal \
  -lwasi-emulated-getpid -lwasi-emulated-process-clocks -lm -o "$OUT"
echo "python-app: $OUT ($(( $(stat -c %s "$OUT") / 1048576 )) MiB): tools/wasi-run $OUT /src/main.py"
