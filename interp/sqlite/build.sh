#!/bin/sh
# build.sh — make sqlite: the sqlite3 shell from Debian's sqlite3 source (pinned),
# built for wasm32-wasi, with a sample database embedded at /db (writable) in
# build/sqlite.wasm and read-only in build/sqlite/sqlite3-ro.wasm.
# Downloads and objects live in build/ and are reused.  Needs CC, WASM_FLAGS, BUILD.
set -eu
. interp/env.sh
VERSION=3.40.1-2+deb12u2
B=$BUILD/sqlite
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$B"
tools/fetch-source.sh sqlite3 "$VERSION" "$BUILD/src/sqlite3"
if [ ! -f "$B/amal/shell.c" ]; then   # the amalgamation (needs tclsh)
  mkdir -p "$B/amal"
  (cd "$B/amal" && ../../src/sqlite3/configure --disable-tcl > configure.log 2>&1 &&
   make sqlite3.c shell.c > make.log 2>&1) || { tail -20 "$B/amal/make.log"; exit 1; }
fi
# WASI has no locks, processes, signals or user database: the unix-none VFS,
# no system()/popen(), and wasi-libc's emulations for the rest.
F="$WASM_FLAGS -D_GNU_SOURCE -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS
   -D_WASI_EMULATED_GETPID -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL
   -DSQLITE_DEFAULT_UNIX_VFS=\"unix-none\" -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_NOHAVE_SYSTEM
   -DSQLITE_OMIT_POPEN -I$here/include -include $here/wasi_compat.h -w"
for f in sqlite3 shell; do
  [ "$B/$f.o" -nt "$B/amal/$f.c" ] || $CC $F -c "$B/amal/$f.c" -o "$B/$f.o"
done
if [ ! -f "$B/db/sample.db" ]; then
  mkdir -p "$B/db" && sqlite3 "$B/db/sample.db" < "$here/sample.sql"
fi
LIBS="-L$BUILD/lib -lwasi_vfs -lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid"
# The packable interpreter, no image of its own (build/interp/sqlite.wasm);
# build/sqlite.wasm is it with the sample database packed at /db (make
# sqlite-app packs your own: interp/app.sh).
mkdir -p "$BUILD/interp"
$CC $WASM_FLAGS -Wl,--strip-debug "$B/shell.o" "$B/sqlite3.o" $LIBS $ZDEC -o "$B/sqlite.linked.wasm"
ship "$B/sqlite.linked.wasm" "$BUILD/interp/sqlite.wasm"
SLIM= pack_app "$BUILD/interp/sqlite.wasm" "$BUILD/sqlite.wasm" --mapdir /db::"$B/db" --tmpdir /tmp
SLIM= pack_app "$BUILD/interp/sqlite.wasm" "$B/sqlite3-ro.wasm" --mapdir /db::"$B/db" --readonly /db
sizes sqlite "$BUILD/sqlite.wasm" "$BUILD/sqlite.json"
