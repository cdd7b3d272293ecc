#!/bin/sh
# build.sh — make python: CPython 3.11 from Debian's python3.11 source (pinned),
# built for wasm32-wasi with zlib (Debian's zlib source, built the same way),
# then linked with its standard library embedded and packable into
# build/interp/python.wasm (what `wasivfs-gen pack` takes), and packed with a
# scratch /tmp into build/python.wasm.
# Objects and downloads live in build/python and build/src and are reused.
# Needs BUILD, CC (interp/env.sh) and Debian's own /usr/bin/python3.11 as the build python.
set -eu
. interp/env.sh
PYVER=3.11.2-6+deb12u8
ZVER=1:1.2.13.dfsg-1
B=$BUILD/python
here=$(cd "$(dirname "$0")" && pwd)
HOSTPY=/usr/bin/python3.11
mkdir -p "$B"
# Upstream CPython as released (Debian's patches adapt it to Debian's layout).
SKIP_PATCHES=1 tools/fetch-source.sh python3.11 "$PYVER" "$BUILD/src/python3.11"
tools/fetch-source.sh zlib "$ZVER" "$BUILD/src/zlib"

# zlib: the plain C files into a static library
Z=$B/zlib
if [ ! -f "$Z/lib/libz.a" ]; then
  mkdir -p "$Z/obj" "$Z/lib" "$Z/include"
  for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil; do
    $CCW -O2 -D_GNU_SOURCE -DZ_HAVE_UNISTD_H -w -c "$BUILD/src/zlib/$f.c" -o "$Z/obj/$f.o"
  done
  $WASM_AR rcs "$Z/lib/libz.a" "$Z"/obj/*.o
  cp "$BUILD/src/zlib/zlib.h" "$BUILD/src/zlib/zconf.h" "$Z/include/"
fi

# CPython: configure with the wasi config.site, no pkg-config (it would find the
# host's libraries), the private sysroot, and without configure's fixed
# --initial-memory (too small once the standard library is inside).  wasi-libc
# since 2024 has stubs that only fail (dlopen in libdl.a; chmod, fchmod,
# fchmodat, statvfs, fstatvfs answer ENOSYS): configure would take them for
# the real thing and os.chmod would raise where CPython's WASI port makes it a
# no-op, and dynload_shlib would need -ldl.  So configure is told they are
# absent, as the 2022 libc has it.
NOSTUBS="ac_cv_func_dlopen=no ac_cv_lib_dl_dlopen=no ac_cv_func_chmod=no ac_cv_func_fchmod=no
         ac_cv_func_fchmodat=no ac_cv_func_statvfs=no ac_cv_func_fstatvfs=no"
O=$B/obj
S=$BUILD/src/python3.11
if [ ! -f "$O/libpython3.11.a" ]; then
  mkdir -p "$O"
  (cd "$O" && CONFIG_SITE=$S/Tools/wasm/config.site-wasm32-wasi PKG_CONFIG=false \
    CC="$CCW" CPP="$CCW -E" AR="$WASM_AR" RANLIB="$WASM_RANLIB" \
    CFLAGS="-O2 -Wno-error=int-conversion -Wno-int-conversion" \
    CPPFLAGS="-I$Z/include" LDFLAGS="-L$Z/lib" \
    "$S/configure" --host=wasm32-unknown-wasi --build=x86_64-pc-linux-gnu \
      --with-build-python=$HOSTPY --disable-ipv6 --without-ensurepip --disable-test-modules $NOSTUBS \
      > configure.log 2>&1) || { tail -30 "$O/configure.log"; exit 1; }
  sed -i 's/ -Wl,--initial-memory=[0-9]*//' "$O/Makefile"
  (cd "$O" && make -j"$(nproc)" > make.log 2>&1) || { tail -30 "$O/make.log"; exit 1; }
fi

# The standard library, staged as the interpreter will see it at
# /usr/local/lib/python3.11: no tests, no bundled wheels, no Tk, plus the
# _sysconfigdata module and an (empty) lib-dynload; .pyc compiled here by
# Debian's python3.11 (same 3.11.2 magic), recording the sources' mtimes,
# which the image keeps to the nanosecond, so the cache is valid inside.
ST=$B/stdlib/lib/python3.11
if [ ! -f "$ST/.staged" ]; then
  rm -rf "$B/stdlib" && mkdir -p "$ST"
  cp -a "$S/Lib/." "$ST/"
  (cd "$ST" && rm -rf test idlelib tkinter turtledemo turtle.py ensurepip/_bundled lib2to3/tests \
     distutils/tests unittest/test ctypes/test sqlite3/test tkinter/test __phello__ site-packages/README.txt)
  cp "$O"/build/lib.wasi-wasm32-3.11/_sysconfigdata_*.py "$ST/"
  mkdir -p "$ST/lib-dynload"
  $HOSTPY -m compileall -q -j0 -d /usr/local/lib/python3.11 "$ST" > "$B/compileall.log" 2>&1 ||
    { echo "python: compileall failed:"; head -20 "$B/compileall.log"; exit 1; }
  touch "$ST/.staged"
fi
# The interpreter with no image: the oracle runs it on a host preopen, a slim
# app is packed into it, and it finds what a bare start reads.
interp/python/link.sh - "$B/python-nofs.wasm"
# The standard library is the interpreter's own image, made once (compressed
# with COMPRESS=1, the default, or raw) and written as an object (-o FILE.o):
# no C compiler sees its bytes.  What `-c pass` reads is stored raw (--hot),
# so a bare start runs no decoder.
# Apps are packed on top (app.sh).
HOT=$B/stdlib.hot
hot_list "$B/python-nofs.wasm" "$HOT" "--mapdir /usr/local/lib/python3.11::$ST" -c pass
IM=$B/stdlib-c$COMPRESS
if [ ! -f "$IM.o" ] || [ "$GEN" -nt "$IM.o" ] || [ "$HOT" -nt "$IM.o" ]; then
  $GEN $PACK --hot "$HOT" --mapdir /usr/local/lib/python3.11::"$ST" -o "$IM.o" \
    --report-json "$IM.json" --report-html "$IM.html"
fi
mkdir -p "$BUILD/interp"
interp/python/link.sh "$IM.o" "$BUILD/interp/python.wasm"
SLIM= pack_app "$BUILD/interp/python.wasm" "$BUILD/python.wasm" --tmpdir /tmp
sizes python "$BUILD/interp/python.wasm" "$IM.json"
