#!/bin/sh
# gen-wasm.sh OUT — wasivfs-gen built for wasm32-wasi: the same sources as the
# host's generator and all of zstd (it compresses and trains dictionaries),
# from the pinned source the decoder library is built from.  The pack page
# runs it (make web); it gives the host generator's bytes.  Needs CC,
# WASM_FLAGS, STRICT, BUILD.
set -eu
OUT=$1
O=$BUILD/wasm-gen
Z=$BUILD/src/libzstd/lib
[ -d "$Z" ] || { echo "gen-wasm.sh: no zstd source in $Z (make zstd fetches it)"; exit 1; }
mkdir -p "$O/zstd" "$O/gen"
# zstd changes only with its pinned version: its objects are made once
ls "$Z"/common/*.c "$Z"/compress/*.c "$Z"/decompress/*.c "$Z"/dictBuilder/*.c |
  while read -r c; do o=$O/zstd/$(basename "$c" .c).o; [ "$o" -nt "$c" ] || echo "$c $o"; done |
  xargs -r -n 2 -P "$(nproc)" sh -c '$CC $WASM_FLAGS -DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0 \
    -DXXH_NAMESPACE=ZSTD_ -w -c "$0" -o "$1"'
# getpid names the temporary output (WASI has none: wasi-libc's emulation)
ls tools/gen/*.c lib/*.c | while read -r c; do echo "$c $O/gen/$(basename "$c" .c).o"; done |
  xargs -n 2 -P "$(nproc)" sh -c '$CC $WASM_FLAGS $STRICT -D_WASI_EMULATED_GETPID -DWVFS_HAVE_ZSTD \
    -Iinclude -Ilib -Itools/gen -I"$BUILD/host" -I"'"$Z"'" -c "$0" -o "$1"'
$CC $WASM_FLAGS -Wl,--strip-debug "$O"/gen/*.o "$O"/zstd/*.o -lwasi-emulated-getpid -o "$OUT"
