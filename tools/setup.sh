#!/bin/sh
# setup.sh — install what building and testing need, from Debian's archive only.
# Idempotent: installs nothing when everything is already there.
#   clang-19, lld-19 (wasm-ld), llvm-19 (llvm-ar), wasi-libc, the wasm32 builtins:
#     the wasm toolchain (an official wasi-sdk also works: make WASI_SDK_PATH=...)
#   gcc, make: the host tools and the unit tests (ASan/UBSan); pkgconf: the install test
#   nodejs: the WASI runtime (node:wasi) for tests and the demo
#   libclang-rt-19-dev: libFuzzer and the sanitizers for the fuzz targets
#   sqlite3, tcl: the native oracle for the wasm sqlite3 shell, and tclsh to make
#     SQLite's amalgamation; dpkg-dev: dpkg-source, to unpack Debian sources
#   lua5.4: the native oracle for the wasm Lua
#   ruby, binaryen, autoconf: BASERUBY, wasm-opt (asyncify) and configure for CRuby
#   python3.11: Debian's own, the build python for CPython and its .pyc compiler
#   libzstd-dev: wasivfs-gen --compress (zstd on the host side)
#   zstd, lz4: make bench's per-file comparison of compressors
#   chromium: the browser test (driven by playwright-core from npm; no browser download)
set -eu
PKGS="pkgconf cmake clang-19 lld-19 llvm-19 wasi-libc libclang-rt-19-dev-wasm32 libclang-rt-19-dev gcc libc6-dev make sqlite3 tcl dpkg-dev python3.11 lua5.4 ruby binaryen autoconf libzstd-dev zstd lz4 chromium"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "setup: installing$missing"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
