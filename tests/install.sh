#!/bin/sh
# install.sh — make install into a temporary sysroot (a real copy of the
# private one's libc), then build and run the demo from there alone: the
# installed wasivfs-gen, a plain -lwasi_vfs with no -L, the flags pkg-config
# gives (plain, and staged with DESTDIR + PKG_CONFIG_SYSROOT_DIR), and
# uninstall leaving nothing behind.  Needs MAKE, CC, SYSROOT, BUILD.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
want="Hello from a file embedded in the .wasm!"

cp -rL "$SYSROOT" "$T/sysroot"   # a sysroot of real folders, as a wasi-sdk's
$MAKE --no-print-directory install PREFIX="$T/prefix" WASI_SYSROOT_DIR="$T/sysroot" > "$T/install.log" 2>&1 ||
  { cat "$T/install.log"; bad "make install"; }
for f in "$T/prefix/bin/wasivfs-gen" "$T/sysroot/include/wasi_vfs.h" "$T/sysroot/lib/wasm32-wasi/libwasi_vfs.a" \
         "$T/sysroot/lib/wasm32-wasi/libzstd_dec.a" "$T/sysroot/lib/wasm32-wasi/pkgconfig/wasi-vfs.pc"; do
  [ -f "$f" ] || bad "installed: ${f#$T/}"
done

# the demo from the installed files alone: no -L, no -I, no build/
"$T/prefix/bin/wasivfs-gen" --mapdir /src::examples/hello/src -o "$T/fs.c" &&
  $CC --target=wasm32-wasi --sysroot="$T/sysroot" examples/hello/hello.c "$T/fs.c" -lwasi_vfs -o "$T/hello.wasm" &&
  out=$(tools/wasi-run "$T/hello.wasm" /src/greeting.txt) && [ "$(echo "$out" | head -1)" = "$want" ] &&
  ok "installed: wasivfs-gen + plain -lwasi_vfs, demo runs" || bad "installed demo: ${out:-no output}"

# a wasi-sdk's layout (bin/clang, bin/wasm-ld, share/wasi-sysroot holding the
# install), made from Debian's LLVM 19 since no official tarball can be
# fetched here: a compressed image written as an object, linked by its wasm-ld
SDK=$T/wasi-sdk
mkdir -p "$SDK/bin" "$SDK/share" && ln -s "$T/sysroot" "$SDK/share/wasi-sysroot" &&
  ln -s "$(command -v wasm-ld-19)" "$SDK/bin/wasm-ld" &&
  printf '#!/bin/sh\nd=$(dirname "$0")\nexec %s --sysroot="$d/../share/wasi-sysroot" -fuse-ld="$d/wasm-ld" "$@"\n' \
    "$(command -v clang-19)" > "$SDK/bin/clang" && chmod +x "$SDK/bin/clang"
"$T/prefix/bin/wasivfs-gen" --compress --mapdir /src::examples/hello/src -o "$T/fs-z.o" &&
  "$SDK/bin/clang" --target=wasm32-wasi -v examples/hello/hello.c "$T/fs-z.o" -lwasi_vfs -lzstd_dec -o "$T/hello-sdk.wasm" 2> "$T/sdk.log" &&
  grep -q "^ *\"$SDK/bin/wasm-ld\"" "$T/sdk.log" &&
  out=$(tools/wasi-run "$T/hello-sdk.wasm" /src/greeting.txt) && [ "$(echo "$out" | head -1)" = "$want" ] &&
  ok "a wasi-sdk layout: an object image linked by its bin/wasm-ld, demo runs" || { tail -3 "$T/sdk.log"; bad "wasi-sdk layout: ${out:-no output}"; }

# pkg-config: the installed sysroot's paths, and a staged install through PKG_CONFIG_SYSROOT_DIR
flags=$(PKG_CONFIG_LIBDIR="$T/sysroot/lib/wasm32-wasi/pkgconfig" pkg-config --cflags --libs wasi-vfs | sed "s/ *$//")
[ "$flags" = "-I$T/sysroot/include -L$T/sysroot/lib/wasm32-wasi -lwasi_vfs -lzstd_dec" ] &&
  $CC --target=wasm32-wasi --sysroot="$SYSROOT" $flags examples/hello/hello.c "$T/fs.c" -o "$T/hello-pc.wasm" &&
  [ "$(tools/wasi-run "$T/hello-pc.wasm" /src/greeting.txt | head -1)" = "$want" ] &&
  ok "pkg-config wasi-vfs: $flags" || bad "pkg-config wasi-vfs: $flags"
$MAKE --no-print-directory install DESTDIR="$T/stage" PREFIX=/opt/wv WASI_SYSROOT_DIR=/opt/wv/sysroot > "$T/stage.log" 2>&1
flags=$(PKG_CONFIG_SYSROOT_DIR="$T/stage" PKG_CONFIG_LIBDIR="$T/stage/opt/wv/sysroot/lib/wasm32-wasi/pkgconfig" pkg-config --cflags --libs wasi-vfs | sed "s/ *$//")
[ "$flags" = "-I$T/stage/opt/wv/sysroot/include -L$T/stage/opt/wv/sysroot/lib/wasm32-wasi -lwasi_vfs -lzstd_dec" ] &&
  ok "staged (DESTDIR) install, PKG_CONFIG_SYSROOT_DIR honoured" || bad "PKG_CONFIG_SYSROOT_DIR: $flags"

# CMake: examples/cmake with cmake/wasm32-wasi-clang.cmake on a whole sysroot
# (make install-sysroot: libc and the library, nothing else of this tree),
# wasivfs-gen found beside it; an edited embedded file is packed again
CM=$T/cm
$MAKE --no-print-directory install-sysroot PREFIX="$CM" WASI_SYSROOT_DIR="$CM/share/wasi-sysroot" > "$T/cm.log" 2>&1 &&
  cp -r examples/cmake "$T/cm-src" &&
  cmake -S "$T/cm-src" -B "$T/cm-build" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/wasm32-wasi-clang.cmake" \
    -DWASI_SYSROOT="$CM/share/wasi-sysroot" -DWASI_CLANG="$(command -v "$CC")" >> "$T/cm.log" 2>&1 &&
  cmake --build "$T/cm-build" >> "$T/cm.log" 2>&1 &&
  first=$(tools/wasi-run "$T/cm-build/app.wasm" /src/greeting.txt) &&
  echo "edited after the first build" > "$T/cm-src/src/greeting.txt" && sleep 1 &&
  cmake --build "$T/cm-build" >> "$T/cm.log" 2>&1 &&
  second=$(tools/wasi-run "$T/cm-build/app.wasm" /src/greeting.txt) &&
  [ "$first" = "$(cat examples/cmake/src/greeting.txt)" ] && [ "$second" = "edited after the first build" ] &&
  ok "CMake: examples/cmake builds app.wasm on an installed sysroot, and repacks an edited file" ||
  { tail -15 "$T/cm.log"; bad "CMake example: '${first:-}' then '${second:-}'"; }

# uninstall removes what install put there, and nothing else
$MAKE --no-print-directory uninstall PREFIX="$T/prefix" WASI_SYSROOT_DIR="$T/sysroot" > /dev/null 2>&1
left=$(find "$T/prefix" "$T/sysroot" -name 'wasivfs-gen' -o -name 'wasi_vfs.h' -o -name 'libwasi_vfs.a' -o -name 'libzstd_dec.a' -o -name 'wasi-vfs.pc' | wc -l)
[ "$left" -eq 0 ] && [ -f "$T/sysroot/lib/wasm32-wasi/libc.a" ] && ok "uninstall: our files gone, libc kept" || bad "uninstall: $left files left"

echo "install: $pass passed, $fail failed"
[ $fail -eq 0 ]
