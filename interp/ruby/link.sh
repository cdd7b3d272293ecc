#!/bin/sh
# link.sh APPDIR OUT — pack an app with the prebuilt Ruby: the installed tree at
# /usr, APPDIR at /src, a scratch /tmp; the same link as Ruby's Makefile with
# filesystem.o and -lwasi_vfs added, then asyncify last (the link itself takes
# no -O).  No Ruby rebuild.  APPDIR "-": no image at all (the interpreter the
# tests run on a host preopen).  COMPRESS=0: a raw image; SLIM='ARGS; ...' (and
# KEEP='GLOB ...'): slim from a trace of those runs.  Needs BUILD (interp/env.sh;
# after make ruby).
set -eu
. interp/env.sh
APP=$1 OUT=$2
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
B=$BUILD/ruby
O=$B/obj
SDK=${WASI_SDK_PATH:-$B/wasi-sdk}
[ -f "$O/.installed" ] || { echo "ruby-app: run 'make ruby' first"; exit 1; }
name=$(basename "$OUT" .wasm)
EXTS=$(cd "$O" && sed -n '/^EXTOBJS =/,/[^\\]$/p' exts.mk | sed 's/^EXTOBJS =//; s/\\$//' | tr '\n' ' ')
ENCS="enc/encinit.o enc/libenc.a enc/libtrans.a"
RLIBS="-lruby-static -lcrypt -lm -lwasi-emulated-mman -lwasi-emulated-signal -lwasi-emulated-getpid -lwasi-emulated-process-clocks"
# wasi-libc since 2024 has a real mprotect (in libwasi-emulated-mman) that
# refuses PROT_NONE; it overrides the weak no-op in Ruby 3.3's wasm/missing.c,
# so the fiber pool cannot set its guard pages and every run fails at start
# (Ruby after 3.3.8 stops asking for them).  The link keeps mprotect a no-op:
# --wrap sends Ruby's calls to __wrap_mprotect, which does nothing.
"$SDK/bin/clang" -O2 -c interp/ruby/mprotect.c -o "$B/mprotect.o"

# relink [KEEPFILE]: the image, Ruby's own link with it, asyncify last,
# shipped without names.  The full image is /usr as a layer made once and a
# small image of APP naming it, which keeps its room (--room), so after an
# edit only data changes and asyncify's code of the last link stands
# (tools/wasm-relink); slim (KEEPFILE), one image of what KEEPFILE lists.
LAYER=$B/usr-layer-c$COMPRESS
relink() {
  IMAGE=""
  if [ "$APP" != - ] && [ -z "${1:-}" ]; then
    if [ ! -f "$LAYER.o" ] || [ "$GEN" -nt "$LAYER.o" ]; then
      "$GEN" $PACK --layer usr --mapdir /usr::"$B/usr" -o "$LAYER.o" --report-json "$LAYER.json"
    fi
    room=$(sed -n 's/.*"room": \([0-9]*\),.*/\1/p' "$B/$name-fs.json" 2>/dev/null || true)
    "$GEN" $PACK --base usr --mapdir /src::"$APP" --tmpdir /tmp --room "${room:-64K}" \
      -o "$B/$name-fs.o" --report-json "$B/$name-fs.json"
    IMAGE="$LAYER.o $B/$name-fs.o -L$BUILD/lib -lwasi_vfs $ZDEC"
  elif [ "$APP" != - ]; then
    "$GEN" $PACK --keep "$1" --mapdir /usr::"$B/usr" --mapdir /src::"$APP" --tmpdir /tmp \
      -o "$B/$name-fs.o" --report-json "$B/$name-fs.json"
    IMAGE="$B/$name-fs.o -L$BUILD/lib -lwasi_vfs $ZDEC"
  fi
  L=$B/$name-linked.wasm
  (cd "$O" && "$SDK/bin/clang" -L. -Xlinker --stack-first -Xlinker -z -Xlinker stack-size=16777216 \
     -Wl,--wrap=mprotect "$B/mprotect.o" main.o $EXTS $ENCS $IMAGE $RLIBS -o "$L.new")
  if [ -f "$L" ] && [ -f "$B/$name-opt.wasm" ] && [ -f "$B/$name-opt.from" ] &&
     [ "$(cksum < "$L")" = "$(cat "$B/$name-opt.from")" ] &&
     tools/wasm-relink "$L" "$B/$name-opt.wasm" "$L.new" "$B/$name-opt.wasm"; then
    : # only data changed: asyncify's code of the last link stands
  else
    wasm-opt --asyncify -O2 --pass-arg=asyncify-ignore-imports --strip-debug -o "$B/$name-opt.wasm" "$L.new"
  fi
  mv "$L.new" "$L"
  cksum < "$L" > "$B/$name-opt.from"
  cp "$B/$name-opt.wasm" "$B/$name-ship.wasm"
  WASM_OPT=0 ship "$B/$name-ship.wasm" "$OUT"
}
relink
# SLIM='ARGS; ARGS' (and KEEP='GLOB ...'): trace those runs, then only what they used
if [ -n "${SLIM:-}" ] && [ "$APP" != - ]; then
  trace_runs "$OUT" "$SLIM" "$B/$name.keep"
  relink "$B/$name.keep"
fi
REPORT=$B/$name-fs.json
[ -n "${SLIM:-}" ] || REPORT=$LAYER.json # the app's own image is a few KB
[ "$APP" = - ] || { sizes ruby-app "$OUT" "$REPORT"; echo "ruby-app: run it: tools/wasi-run $OUT /src/<your script>.rb"; }
