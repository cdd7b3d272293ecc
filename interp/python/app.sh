#!/bin/sh
# app.sh APP OUT — pack a Python app with the prebuilt interpreter: APP's files
# at /src, the standard library as in build/python.wasm, a scratch /tmp; only
# the image is regenerated and the final link redone (CPython is not rebuilt).
# Run: tools/wasi-run OUT /src/main.py.  COMPRESS=0: a raw image; SLIM='ARGS; ...'
# (and KEEP='GLOB ...'): slim from a trace of those runs.  Needs BUILD, CC
# (interp/env.sh; after make python).
set -eu
. interp/env.sh
APP=$1 OUT=$2
B=$BUILD/python
[ -f "$B/obj/libpython3.11.a" ] || { echo "python-app: run 'make python' first"; exit 1; }
# the app's own image names the standard library's layer (make python made it)
LAYER=$B/stdlib-layer-c$COMPRESS
[ -f "$LAYER.o" ] || { echo "python-app: run 'make python' first (no $LAYER.o)"; exit 1; }
# the image keeps the room it had (it grows by steps when outgrown), so an
# edit changes only data and the link reuses the optimized code (env.sh: ship)
ROOM=$(sed -n 's/.*"room": \([0-9]*\),.*/\1/p' "$B/app-fs.json" 2>/dev/null || true)
$GEN $PACK --base stdlib --mapdir /src::"$APP" --tmpdir /tmp --room "${ROOM:-64K}" -o "$B/app-fs.o" \
  --report-json "$B/app-fs.json"
interp/python/link.sh "$LAYER.o $B/app-fs.o" "$OUT"
REPORT=$LAYER.json
# SLIM='ARGS; ARGS': trace those runs, then pack only what they used (and
# KEEP's globs) in one image of its own, the library's layer left out
if [ -n "${SLIM:-}" ]; then
  trace_runs "$OUT" "$SLIM" "$B/app.keep"
  $GEN $PACK --keep "$B/app.keep" --mapdir /usr/local/lib/python3.11::"$B/stdlib/lib/python3.11" \
    --mapdir /src::"$APP" --tmpdir /tmp -o "$B/app-fs.o" --report-json "$B/app-fs.json"
  interp/python/link.sh "$B/app-fs.o" "$OUT"
  REPORT=$B/app-fs.json
fi
sizes python-app "$OUT" "$REPORT"
echo "python-app: run it: tools/wasi-run $OUT /src/main.py"
