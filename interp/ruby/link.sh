#!/bin/sh
# link.sh KIND OUT — the one CRuby link: Ruby's Makefile's link with the
# library added, packable (wasivfs-gen pack puts apps in later, no relink),
# then asyncify last (the link itself takes no -O).  KIND usr: the installed
# tree embedded at /usr (build/interp/ruby.wasm), what a bare start reads
# kept from the dictionary (found by running KIND -'s); KIND -: no image
# (the interpreter the tests run on a host preopen, and slim apps are
# packed into).
# Needs BUILD (interp/env.sh; after make ruby's build).
set -eu
. interp/env.sh
KIND=$1 OUT=$2
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
B=$BUILD/ruby
O=$B/obj
SDK=${WASI_SDK_PATH:-$B/wasi-sdk}
[ -f "$O/.installed" ] || { echo "ruby: run 'make ruby' first"; exit 1; }
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

IMAGE=""
if [ "$KIND" = usr ]; then
  # what a bare start reads (RubyGems' own files among them): no dictionary
  [ -f "$B/ruby-nofs.wasm" ] || { echo "ruby: link the interpreter with no image first (link.sh -)"; exit 1; }
  HOT=$B/usr.hot
  hot_list "$B/ruby-nofs.wasm" "$HOT" "--mapdir /usr::$B/usr" -e ''
  IMAGE=$B/usr-c$COMPRESS.o
  if [ ! -f "$IMAGE" ] || [ "$GEN" -nt "$IMAGE" ] || [ "$HOT" -nt "$IMAGE" ]; then
    "$GEN" $PACK --hot "$HOT" --mapdir /usr::"$B/usr" -o "$IMAGE" --report-json "${IMAGE%.o}.json" \
      --report-html "${IMAGE%.o}.html"
  fi
fi
L=$B/$name-linked.wasm
STACK=$(cut -d' ' -f4 "$O/.installed") # as Ruby's own link (build.sh)
(cd "$O" && "$SDK/bin/clang" -L. -Xlinker --stack-first -Xlinker -z -Xlinker stack-size="$STACK" \
   -Wl,--wrap=mprotect "$B/mprotect.o" main.o $EXTS $ENCS $IMAGE -L"$BUILD/lib" -lwasi_vfs $ZDEC \
   $RLIBS -o "$L")
wasm-opt --asyncify -O2 --pass-arg=asyncify-ignore-imports --strip-debug -o "$B/$name-opt.wasm" "$L"
WASM_OPT=0 ship "$B/$name-opt.wasm" "$OUT"
