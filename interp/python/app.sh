#!/bin/sh
# app.sh APP OUT — pack a Python app with the prebuilt interpreter: APP's files
# at /src, the standard library as in build/python.wasm, a scratch /tmp; only
# the image is regenerated and the final link redone (CPython is not rebuilt).
# Run: tools/wasi-run OUT /src/main.py.  Needs BUILD, CC (interp/env.sh; after make python).
set -eu
. interp/env.sh
APP=$1 OUT=$2
B=$BUILD/python
[ -f "$B/obj/libpython3.11.a" ] || { echo "python-app: run 'make python' first"; exit 1; }
$GEN --mapdir /usr/local/lib/python3.11::"$B/stdlib/lib/python3.11" \
  --mapdir /src::"$APP" --tmpdir /tmp -o "$B/app-fs.c"
$CCW -O2 -c "$B/app-fs.c" -o "$B/app-fs.o"
interp/python/link.sh "$B/app-fs.o" "$OUT"
echo "python-app: $OUT ($(( $(stat -c %s "$OUT") / 1048576 )) MiB): tools/wasi-run $OUT /src/main.py"
