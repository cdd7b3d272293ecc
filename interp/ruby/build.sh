#!/bin/sh
# build.sh — make ruby: CRuby 3.3 (Debian 13's ruby3.3 source, pinned, fetched
# through a private source list) built for wasm32-wasi with Debian 12's toolchain,
# Debian's ruby as BASERUBY and binaryen's wasm-opt; then its installed tree is
# embedded at /usr, the interpreter linked packable with -lwasi_vfs and
# asyncified (build/interp/ruby.wasm, link.sh), and the seed's app packed into
# it (build/ruby.wasm, interp/app.sh).  Needs CC, WASM_FLAGS, BUILD.
set -eu
. interp/env.sh
VERSION=3.3.8-2
B=$BUILD/ruby
tools/fetch-source.sh ruby3.3 "$VERSION" "$BUILD/src/ruby3.3" trixie
S=$BUILD/src/ruby3.3
# Debian's patches touch configure.ac: regenerate configure once, as Debian does.
[ "$S/configure" -nt "$S/configure.ac" ] || (cd "$S" && autoconf)
# Ruby's configure wants a WASI SDK: an official one (WASI_SDK_PATH), or a
# folder of wrappers around Debian's tools (CC and WASM_AR name them).
SDK=${WASI_SDK_PATH:-$B/wasi-sdk}
if [ ! -d "$SDK/bin" ]; then
  mkdir -p "$SDK/bin" "$SDK/share"
  ln -sfn "$SYSROOT" "$SDK/share/wasi-sysroot"
  for t in clang clang++; do
    printf '#!/bin/sh\nexec %s --target=wasm32-wasi --sysroot=%s "$@"\n' \
      "$(echo "$CC" | sed "s/clang/$t/")" "$SYSROOT" > "$SDK/bin/$t"
  done
  for t in ar ranlib nm strip objcopy; do
    ln -sfn "$(command -v "$(echo "$WASM_AR" | sed "s/llvm-ar/llvm-$t/")")" "$SDK/bin/llvm-$t"
  done
  ln -sfn "$(command -v "$(echo "$WASM_AR" | sed 's/llvm-ar/wasm-ld/')")" "$SDK/bin/wasm-ld"
  chmod +x "$SDK/bin/clang" "$SDK/bin/clang++"
fi
export WASI_SDK_PATH=$SDK DEBIAN_DISABLE_RUBYGEMS_INTEGRATION=1
O=$B/obj
# Ruby's wasm port unwinds the whole C stack into a fixed buffer for every
# setjmp, fiber switch and GC stack scan (asyncify), 6 KiB by default: about
# 18 levels of mixed VM and C calls, past which a raise traps with
# "unreachable".  The need grows by about 330 bytes a level.  Ruby 3.3 keeps
# the jmp_bufs of its VM tags on the heap (vm_core.h), so a bigger buffer costs
# heap only while a tag is live, not C stack per frame: 128 KiB reaches 380
# levels (ruby.wasm's builds reach 334; interp/ruby/test.sh checks 334), with
# the stack at 64 MiB; the one scan buffer is static and gets 1 MiB.  A changed
# setting rebuilds Ruby.
DEPTH_FLAGS="-DWASM_SETJMP_STACK_BUFFER_SIZE=131072 -DWASM_FIBER_STACK_BUFFER_SIZE=131072 -DWASM_SCAN_STACK_BUFFER_SIZE=1048576"
STACK=67108864
if [ "$(cat "$O/.installed" 2>/dev/null)" != "$DEPTH_FLAGS $STACK" ]; then
  rm -rf "$O" "$B/dest" "$B/usr"
  mkdir -p "$O"
  # the 2024 libc's libdl.a is stubs only: no dlopen, as the 2022 libc has it
  (cd "$O" && "$S/configure" --host=wasm32-unknown-wasi --build=x86_64-pc-linux-gnu \
     ac_cv_func_dlopen=no ac_cv_lib_dl_dlopen=no \
     --with-static-linked-ext --with-ext=ripper,monitor,json,json/generator,json/parser,stringio,strscan,date,digest,digest/md5,digest/sha1,digest/sha2,etc,pathname,cgi/escape \
     --disable-install-doc --prefix=/usr --with-baseruby=/usr/bin/ruby \
     CC="$SDK/bin/clang" LD="$SDK/bin/clang" AR="$SDK/bin/llvm-ar" RANLIB="$SDK/bin/llvm-ranlib" \
     CPPFLAGS="$DEPTH_FLAGS" LDFLAGS="-Xlinker --stack-first -Xlinker -z -Xlinker stack-size=$STACK" \
     optflags="-O2" debugflags="" wasmoptflags="-O2" > configure.log 2>&1) ||
    { tail -30 "$O/configure.log"; exit 1; }
  (cd "$O" && make -j"$(nproc)" > make.log 2>&1 && make install DESTDIR="$B/dest" > install.log 2>&1) ||
    { tail -40 "$O/make.log" "$O/install.log" 2>/dev/null; exit 1; }
  echo "$DEPTH_FLAGS $STACK" > "$O/.installed"
fi


# The image's /usr: the installed Ruby tree less the interpreter itself and the
# docs.  link.sh embeds it with the seed's app at /src and relinks.
U=$B/usr
if [ ! -f "$U/.staged" ]; then
  rm -rf "$U" && mkdir -p "$U"
  cp -a "$B/dest/usr/." "$U/"
  rm -rf "$U/bin/ruby" "$U/share/man" "$U/share/ri"
  # bundled gems whose native extensions a static build does not have: Ruby
  # would warn about each at every start ("Ignoring ... extensions are not built")
  for g in debug racc rbs; do
    rm -rf "$U"/lib/ruby/gems/3.3.0/specifications/$g-*.gemspec "$U"/lib/ruby/gems/3.3.0/gems/$g-*
  done
  touch "$U/.staged"
fi
mkdir -p "$BUILD/interp"
interp/ruby/link.sh - "$B/ruby-nofs.wasm" # no image: the host-preopen oracle, and slim apps' base
interp/ruby/link.sh usr "$BUILD/interp/ruby.wasm"
SLIM= interp/app.sh ruby "$ROOT/interp/ruby/src" "$BUILD/ruby.wasm" > /dev/null
sizes ruby "$BUILD/interp/ruby.wasm" "$B/usr-c$COMPRESS.json"
echo "ruby: $BUILD/ruby.wasm: the seed's app (interp/ruby/src at /src) packed into it"
