#!/bin/sh
# link.sh IMAGE OUT — the one CPython link: the prebuilt interpreter (make
# python) with IMAGE (a filesystem object, or - for none: the host-preopen
# oracle) and the library, packable; OUT ships without names (OUT's .sym.wasm
# keeps them).  Needs BUILD, CC (interp/env.sh).
set -eu
. interp/env.sh
IMAGE=$1 OUT=$2
O=$BUILD/python/obj
[ -f "$O/libpython3.11.a" ] || { echo "python: run 'make python' first"; exit 1; }
[ "$IMAGE" = - ] && IMAGE=""
$CCW -z stack-size=524288 -Wl,--stack-first -Wl,--strip-debug "$O/Programs/python.o" \
  "$O/libpython3.11.a" "$O/Modules/_decimal/libmpdec/libmpdec.a" "$O/Modules/expat/libexpat.a" \
  "$BUILD/python/zlib/lib/libz.a" $IMAGE -L"$BUILD/lib" -lwasi_vfs $ZDEC -lwasi-emulated-signal \
  -lwasi-emulated-getpid -lwasi-emulated-process-clocks -lm -o "$OUT.linked"
ship "$OUT.linked" "$OUT"
