#!/bin/sh
# dist.sh DIR TARBALL — the release tarball (make dist): wasivfs-gen (zstd
# linked statically: it needs glibc alone), the four packable interpreters,
# make install's tree (header, libwasi_vfs.a, libzstd_dec.a, wasi-vfs.pc), a
# README of the three-line workflow, and the licence texts of everything
# inside the binaries.  Deterministic: sorted names, one mtime, no owners.
# The generator also as WebAssembly, for a machine that only has a WASI runtime.
# Needs MAKE, BUILD, DISTGEN (the static generator), GENWASM, VERSION.
set -eu
DIR=$1 TAR=$2
rm -rf "$DIR" && mkdir -p "$DIR/interpreters" "$DIR/licenses"
$MAKE --no-print-directory install PREFIX="$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")" \
  WASI_SYSROOT_DIR="$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")/share/wasi-sysroot" > /dev/null
# the .pc names the sysroot it sits in, wherever the tarball is unpacked
sed -i 's|^sysroot=.*|sysroot=${pcfiledir}/../../..|' "$DIR/share/wasi-sysroot/lib/wasm32-wasi/pkgconfig/wasi-vfs.pc"
install -m 755 "$DISTGEN" "$DIR/bin/wasivfs-gen"
install -m 644 "$GENWASM" "$DIR/bin/wasivfs-gen.wasm"
for n in python ruby sqlite lua; do
  install -m 644 "$BUILD/interp/$n.wasm" "$DIR/interpreters/$n.wasm"
done
sed "s/@VERSION@/$VERSION/g" docs/dist-README.md > "$DIR/README.md"
S=$BUILD/src
lic() { # NAME FILE...: each FILE that exists, as licenses/NAME.FILE
  n=$1; shift
  for f in "$@"; do [ -f "$f" ] && install -m 644 "$f" "$DIR/licenses/$n.$(basename "$f")"; done
  ls "$DIR/licenses/$n".* > /dev/null 2>&1 || { echo "dist: no licence text for $n"; exit 1; }
}
lic cpython "$S/python3.11/LICENSE" "$S/python3.11/debian/copyright"
lic ruby "$S/ruby3.3/COPYING" "$S/ruby3.3/BSDL" "$S/ruby3.3/debian/copyright"
lic sqlite "$S/sqlite3/LICENSE.md" "$S/sqlite3/debian/copyright"
lic lua "$S/lua5.4/debian/copyright"
lic zstd "$S/libzstd/LICENSE" "$S/libzstd/COPYING" "$S/libzstd/debian/copyright"
lic zlib "$S/zlib/debian/copyright"
# the wasi-libc the sysroot links (Debian 13's fetched, or Debian 12's in /usr)
lic wasi-libc "$(dirname "$(dirname "$(readlink -f "$BUILD/sysroot/include")")")/share/doc/wasi-libc/copyright"
T=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
tar --sort=name --mtime="@$T" --owner=0 --group=0 --numeric-owner -C "$(dirname "$DIR")" \
  -cf - "$(basename "$DIR")" | gzip -n -9 > "$TAR.tmp"
mv "$TAR.tmp" "$TAR"
echo "dist: $TAR ($(( $(stat -c %s "$TAR") / 1048576 )) MiB)"
