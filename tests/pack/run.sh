#!/bin/sh
# run.sh TARBALL — test-pack: the release tarball alone, unpacked into a
# temporary folder, packs an app into each of its interpreters with nothing
# on PATH but its generator; each packed app prints what the native
# interpreter (or, for CPython's app, the python-app target) prints on the same
# files.  Then: a repack replaces the app whole, packing is deterministic and
# works in place, and every refusal says why, exits 1 and leaves no file.
# Needs BUILD, CC, SYSROOT (for the refusals' two small modules).
set -u
TAR=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
RUN=tools/wasi-run

tar -xzf "$TAR" -C "$T"
D=$(echo "$T"/wasi-vfs-*)
I=$D/interpreters
# the generator alone: PATH holds nothing else, and it needs nothing but glibc
gen() { env -i PATH="$D/bin" wasivfs-gen "$@"; }
extra=$(ldd "$D/bin/wasivfs-gen" | grep -vE 'linux-vdso|/libc\.so|ld-linux|libm\.so' || true)
[ -z "$extra" ] && ok "the tarball's wasivfs-gen needs glibc alone" || bad "wasivfs-gen links more: $extra"

# 1. an app into each interpreter, against the native interpreter's output
mkdir -p "$T/cmp"
gen pack "$I/ruby.wasm" --mapdir /src::interp/ruby/src --tmpdir /tmp -o "$T/ruby-app.wasm"
ruby interp/ruby/src/my_app.rb > "$T/cmp/ruby.native" 2>&1
$RUN "$T/ruby-app.wasm" /src/my_app.rb > "$T/cmp/ruby.wasm" 2>&1
[ -s "$T/cmp/ruby.native" ] && cmp -s "$T/cmp/ruby.native" "$T/cmp/ruby.wasm" &&
  ok "ruby.wasm: the seed's app packed, as native ruby prints it" || bad "ruby.wasm: $(head -3 "$T/cmp/ruby.wasm")"

# the README's way to ship an app's modules compiled: compileall on a copy, then pack
cp -a examples/pyapp "$T/pyapp" && python3.11 -m compileall -q -d /src "$T/pyapp" > /dev/null
gen pack "$I/python.wasm" --mapdir /src::"$T/pyapp" --tmpdir /tmp -o "$T/python-app.wasm"
printf "hello from /src/main.py on Python 3.11.2\nthe app's files: ['__pycache__', 'data.json', 'main.py', 'vendor']\nits data: ['data.json']\nvendored: ['tally']\nsum of the data: 10\ntally compiled ahead: True\n" \
  > "$T/cmp/python.want"
$RUN "$T/python-app.wasm" /src/main.py > "$T/cmp/python.wasm" 2>&1
cmp -s "$T/cmp/python.want" "$T/cmp/python.wasm" && ok "python.wasm: examples/pyapp packed, as python-app prints it" ||
  bad "python.wasm: $(head -3 "$T/cmp/python.wasm")"

mkdir -p "$T/db" && cp "$BUILD/sqlite/db/sample.db" "$T/db/" && cp "$T/db/sample.db" "$T/copy.db"
gen pack "$I/sqlite.wasm" --mapdir /db::"$T/db" --tmpdir /tmp -o "$T/sqlite-app.wasm"
sqlite3 "$T/copy.db" < interp/sqlite/queries.sql > "$T/cmp/sqlite.native" 2>&1
$RUN --env HOME=/nonexistent "$T/sqlite-app.wasm" /db/sample.db < interp/sqlite/queries.sql > "$T/cmp/sqlite.wasm" 2>&1
[ -s "$T/cmp/sqlite.native" ] && cmp -s "$T/cmp/sqlite.native" "$T/cmp/sqlite.wasm" &&
  ok "sqlite.wasm: a database packed, queries as native sqlite3 answers them" || bad "sqlite.wasm: $(head -3 "$T/cmp/sqlite.wasm")"

gen pack "$I/lua.wasm" --mapdir /lua::interp/lua/lua --tmpdir /tmp -o "$T/lua-app.wasm"
(cd interp/lua/lua && LUA_PATH="./?.lua;./?/init.lua" LUA_ROOT=. lua5.4 test/main.lua) > "$T/cmp/lua.native" 2>&1
$RUN "$T/lua-app.wasm" /lua/test/main.lua > "$T/cmp/lua.wasm" 2>&1
[ -s "$T/cmp/lua.native" ] && cmp -s "$T/cmp/lua.native" "$T/cmp/lua.wasm" &&
  ok "lua.wasm: scripts packed, as native lua5.4 runs them" || bad "lua.wasm: $(head -3 "$T/cmp/lua.wasm")"

# 2. a repack replaces the app whole; deterministic; in place
mkdir -p "$T/app2" && echo 'puts "second app: #{File.exist?("/src/my_app.rb")}"' > "$T/app2/two.rb"
gen pack "$T/ruby-app.wasm" --mapdir /src::"$T/app2" -o "$T/ruby-app2.wasm"
out=$($RUN "$T/ruby-app2.wasm" /src/two.rb 2>&1)
[ "$out" = "second app: false" ] && ok "a repack replaces the app whole (the first app's file is gone)" ||
  bad "repack: $out"
gen pack "$I/ruby.wasm" --mapdir /src::"$T/app2" -o "$T/ruby-app2b.wasm"
cmp -s "$T/ruby-app2.wasm" "$T/ruby-app2b.wasm" &&
  ok "packing a packed file gives the bytes of packing the interpreter itself" || bad "repack bytes differ"
gen pack "$I/ruby.wasm" --mapdir /src::interp/ruby/src --tmpdir /tmp -o "$T/ruby-again.wasm"
cmp -s "$T/ruby-app.wasm" "$T/ruby-again.wasm" && ok "packing twice gives identical bytes" || bad "packing is not deterministic"
cp "$I/lua.wasm" "$T/inplace.wasm"
gen pack "$T/inplace.wasm" --mapdir /lua::interp/lua/lua --tmpdir /tmp -o "$T/inplace.wasm" &&
  cmp -s "$T/inplace.wasm" "$T/lua-app.wasm" && ok "an output that is also the input is packed in place" ||
  bad "packing in place"
# the generator as WebAssembly, on a WASI runtime, writes the native one's bytes
mkdir -p "$T/w" && cp "$I/ruby.wasm" "$T/w/" && cp -a interp/ruby/src "$T/w/src"
$RUN --dir /w::"$T/w" "$D/bin/wasivfs-gen.wasm" pack /w/ruby.wasm --mapdir /src::/w/src --tmpdir /tmp -o /w/out.wasm
gen pack "$T/w/ruby.wasm" --mapdir /src::"$T/w/src" --tmpdir /tmp -o "$T/w/native.wasm"
[ -s "$T/w/out.wasm" ] && cmp -s "$T/w/out.wasm" "$T/w/native.wasm" &&
  ok "bin/wasivfs-gen.wasm under node:wasi packs the native generator's bytes" || bad "wasivfs-gen.wasm differs"
size_in=$(stat -c %s "$I/ruby.wasm") size_out=$(stat -c %s "$T/ruby-app.wasm")
[ "$size_out" -gt "$size_in" ] && [ "$size_out" -lt $((size_in + size_in / 100 + 65536)) ] &&
  ok "the packed file is the interpreter plus its image ($size_in -> $size_out bytes)" || bad "size $size_in -> $size_out"

# 3. refusals: the message, exit 1, and no output (nor a temporary file) left
mkdir -p "$T/r" "$T/app" && echo x > "$T/app/x.txt"
refuse() { # what IN expected-message [more arguments]
  what=$1 in=$2 msg=$3; shift 3
  rm -f "$T/r/out.wasm"
  gen pack "$in" --mapdir /app::"$T/app" "$@" -o "$T/r/out.wasm" > "$T/r/msg" 2>&1
  rc=$?
  if [ $rc -eq 1 ] && grep -qF -- "$msg" "$T/r/msg" && [ -z "$(ls -A "$T/r" | grep -v '^msg$')" ]; then
    ok "refused: $what ($(cat "$T/r/msg"))"
  else
    bad "refusal of $what: exit $rc, $(cat "$T/r/msg"), left: $(ls "$T/r")"
  fi
}
echo "not a module" > "$T/text.wasm"
refuse "a file that is not wasm" "$T/text.wasm" "not a WebAssembly module"
head -c 100000 "$I/ruby.wasm" > "$T/trunc.wasm"
refuse "a truncated module" "$T/trunc.wasm" "truncated"
printf '\000asm\001\000\000\000\005\003\001\000\001' > "$T/bare.wasm"  # one memory, nothing else
refuse "a module without the library" "$T/bare.wasm" "has no wasi-vfs pack slot"
$CC --target=wasm32-wasi --sysroot="$SYSROOT" -O2 examples/hello/hello.c -o "$T/nolib.wasm"
refuse "a program without the library" "$T/nolib.wasm" "link it with -lwasi_vfs -Wl,-u,wvfs_pack"
$CC --target=wasm32-wasi --sysroot="$SYSROOT" -O2 examples/hello/hello.c -L"$D/share/wasi-sysroot/lib/wasm32-wasi" \
  -lwasi_vfs -Wl,-u,wvfs_pack -o "$T/nozstd.wasm"
refuse "--compress into a module without the decoder" "$T/nozstd.wasm" "links no zstd decoder" --compress
gen pack "$T/nozstd.wasm" --mapdir /app::"$T/app" -o "$T/nozstd-raw.wasm" &&
  [ "$($RUN "$T/nozstd-raw.wasm" /app/x.txt 2> /dev/null | head -1)" = "x" ] &&
  ok "a module without the decoder is packed raw by default" || bad "packing a module without the decoder"
cp "$I/lua.wasm" "$T/abi.wasm"
at=$(LC_ALL=C grep -obUaP 'wasi-vfs:pack\x01\x7f\x7f' "$T/abi.wasm" | head -1 | cut -d: -f1)
printf '\143' | dd of="$T/abi.wasm" bs=1 seek=$((at + 20)) conv=notrunc 2> /dev/null
refuse "a library of another image ABI" "$T/abi.wasm" "reads image ABI 99"
refuse "a guest path the interpreter mounts" "$I/python.wasm" "already mounts /usr/local/lib/python3.11" \
  --mapdir /usr/local/lib/python3.11::"$T/app"
echo "pack: $pass passed, $fail failed"
[ $fail -eq 0 ]
