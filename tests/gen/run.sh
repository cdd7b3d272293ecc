#!/bin/sh
# run.sh GEN — tests of wasivfs-gen: every bad input gets a one-line error
# naming the path, exit 1, and no output file; good output is deterministic,
# honours SOURCE_DATE_EPOCH, and compiles warning-free for host and wasm32.
set -u
GEN=$1
T=${BUILD:-build}/gen-tests
rm -rf "$T" && mkdir -p "$T"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# refuses NAME PATTERN ARGS... — must exit 1, print one line matching PATTERN,
# and leave the existing output file untouched.
refuses() {
  name=$1 pat=$2; shift 2
  echo "previous contents" > "$T/out.c"
  ${RUNAS:-} "$GEN" -o "$T/out.c" "$@" > "$T/stdout" 2> "$T/err"
  rc=$?
  if [ $rc -eq 1 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q -- "$pat" "$T/err" &&
     [ "$(cat "$T/out.c")" = "previous contents" ] && [ -z "$(ls "$T" | grep 'out.c.tmp')" ]; then
    ok "refuses $name: $(cat "$T/err")"
  else
    bad "refuses $name (rc=$rc): $(cat "$T/err")"
  fi
}

mkdir -p "$T/src/sub" "$T/empty"
printf 'x' > "$T/src/sub/f"
refuses "no arguments" "no --mapdir"
refuses "unknown flag" "unknown argument '--frob'" --frob
refuses "missing value" "needs a value" --mapdir
refuses "no ::" "GUEST::HOST" --mapdir /src
refuses "relative guest path" "must be absolute" --mapdir src::"$T/src"
refuses "dots in guest path" "'.' or '..'" --mapdir /a/../b::"$T/src"
refuses "missing host dir" "$T/nope: No such file" --mapdir /src::"$T/nope"
refuses "host path is a file" "not a directory" --mapdir /src::"$T/src/sub/f"
refuses "guest mapped twice" "mapped twice" --mapdir /src::"$T/src" --mapdir /src/::"$T/empty"
refuses "--dict-max without --compress" "goes with --compress" --dict-max 1M --mapdir /src::"$T/src"
refuses "--room in C" "--room goes with an object" --room 64K --mapdir /src::"$T/src"
refuses "--dict-max 4MB" "at most 1G (e.g. 4M, 512K, 0), got '4MB'" --compress --dict-max 4MB --mapdir /src::"$T/src"
refuses "--dict-max -1" "got '-1'" --compress --dict-max -1 --mapdir /src::"$T/src"
refuses "--dict-max 2048M" "got '2048M'" --compress --dict-max 2048M --mapdir /src::"$T/src"
SOURCE_DATE_EPOCH=yesterday refuses "bad SOURCE_DATE_EPOCH" "SOURCE_DATE_EPOCH" --mapdir /src::"$T/src"

mk() { rm -rf "$T/bad" && mkdir -p "$T/bad/d"; }
mk; ln -s ../../etc/passwd "$T/bad/d/esc"
refuses "symlink escaping the mount" "bad/d/esc: symlink target '../../etc/passwd' leaves" --mapdir /b::"$T/bad"
mk; ln -s /etc/passwd "$T/bad/abs"
refuses "absolute symlink outside" "outside the mapped directory" --mapdir /b::"$T/bad"
mk; ln -s ../../nowhere/x "$T/bad/d/dangling-esc"
refuses "dangling symlink escaping" "leaves the mapped directory" --mapdir /b::"$T/bad"
mk; ln -s l2 "$T/bad/l1"; ln -s l1 "$T/bad/l2"
refuses "symlink loop" "symlink loop" --mapdir /b::"$T/bad"
mk; mkfifo "$T/bad/d/fifo"
refuses "FIFO" "is a FIFO" --mapdir /b::"$T/bad"
mk; if mknod "$T/bad/null" c 1 3 2>/dev/null; then
  refuses "character device" "is a character device" --mapdir /b::"$T/bad"
else echo "skip character device (mknod not permitted here)"; fi
mk; if command -v python3 >/dev/null; then
  python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$T/bad/sock"
  refuses "socket" "is a socket" --mapdir /b::"$T/bad"
fi
# Permission errors: root reads everything, so as root the generator runs as
# nobody (setpriv), with a copy of it in a fresh folder under /tmp that nobody
# can reach (the checkout itself may sit below a folder only root can enter).
RUNAS= T0=$T GEN0=$GEN
if [ "$(id -u)" = 0 ]; then
  RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
  T=$(mktemp -d) && chmod 777 "$T" && cp "$GEN0" "$T/wasivfs-gen" && chmod 755 "$T/wasivfs-gen"
  GEN=$T/wasivfs-gen
fi
mk; chmod -R a+rX "$T/bad"; mkdir "$T/bad/locked"; chmod 000 "$T/bad/locked"
refuses "unreadable directory" "bad/locked: cannot read directory" --mapdir /b::"$T/bad"
mk; chmod -R a+rX "$T/bad"; echo secret > "$T/bad/d/locked"; chmod 000 "$T/bad/d/locked"
refuses "unreadable file" "bad/d/locked: cannot read" --mapdir /b::"$T/bad"
[ "$T" = "$T0" ] || rm -rf "$T"
RUNAS= T=$T0 GEN=$GEN0
mkdir -p "$T/nodir"
if "$GEN" --mapdir /src::"$T/src" -o "$T/nodir/missing/x.c" 2> "$T/err"; then bad "output directory missing"
elif grep -q "cannot write" "$T/err" && [ -z "$(ls "$T/nodir")" ]; then ok "refuses output directory missing: $(cat "$T/err")"
else bad "output directory missing: $(cat "$T/err")"; fi

# Good input: the test tree, twice, from two host locations.
tests/make-tree.sh "$T/tree"
cp -a "$T/tree" "$T/tree2"
ln -s "$(cd "$T/tree" && pwd)/a/one.txt" "$T/tree/abs-inside"
ln -s "$(cd "$T/tree2" && pwd)/a/one.txt" "$T/tree2/abs-inside"
for t in "$T/tree" "$T/tree2"; do touch -h -d '2024-01-02 03:04:05.123456789' "$t" "$t/abs-inside"; done
"$GEN" --mapdir /t::"$T/tree" --mapdir /e::"$T/empty" -o "$T/a.c" && ok "generates the test tree" || bad "generates the test tree"
"$GEN" --mapdir /t::"$T/tree2" --mapdir=/e::"$T/empty" > "$T/b.c" && cmp -s "$T/a.c" "$T/b.c" &&
  ok "deterministic: same tree elsewhere gives identical bytes (stdout too)" || bad "deterministic output"
grep -q '"a/one\.txt", 0, 0, 1, 0, 7, 0, 0, 0}' "$T/a.c" && ok "absolute symlink inside the mount made relative" || bad "absolute symlink rewrite"
SOURCE_DATE_EPOCH=1000 "$GEN" --mapdir /t::"$T/tree" -o "$T/c.c" &&
  ! grep -q '1704164645123456789u' "$T/c.c" && grep -q ', 1000000000000u, ' "$T/c.c" &&
  ok "SOURCE_DATE_EPOCH clamps mtimes" || bad "SOURCE_DATE_EPOCH clamps mtimes"
grep -q '1704164645123456789u' "$T/a.c" && ok "mtimes kept to the nanosecond" || bad "mtimes kept"
grep -q 'generated by wasivfs-gen; do not edit' "$T/a.c" && ok "generated-file header" || bad "generated-file header"
mkdir -p "$T/dups/sub" && for f in x y sub/z; do echo same > "$T/dups/$f"; done && echo other > "$T/dups/o"
"$GEN" --mapdir /d::"$T/dups" -o "$T/dups.c" && [ "$(grep -c '^static const char f' "$T/dups.c")" -eq 2 ] &&
  ok "identical files stored once (4 files, 2 contents)" || bad "identical files stored once"

CCW=${CC:-clang-19}
FLAGS="-std=c11 -Wall -Wextra -Werror -c"
${HOST_CC:-gcc} $FLAGS "$T/a.c" -o "$T/a.host.o" && ok "compiles warning-free (host)" || bad "compiles warning-free (host)"
$CCW ${WASM_FLAGS:---target=wasm32-wasi --sysroot=build/sysroot} $FLAGS "$T/a.c" -o "$T/a.wasm.o" &&
  ok "compiles warning-free (wasm32)" || bad "compiles warning-free (wasm32)"
${HOST_CC:-gcc} $FLAGS -include include/wasi_vfs.h "$T/a.c" -o "$T/a.hdr.o" &&
  ok "matches include/wasi_vfs.h's layout" || bad "matches include/wasi_vfs.h's layout"
# The image ABI number follows the layout: tests/gen/layout.sum records the
# layout block's checksum for each number, so a changed layout with the same
# number fails here (the library refuses only other numbers at start).  The
# block's comments are left out: rewording one changes no layout.
abi=$(sed -n 's/^#define WVFS_IMAGE_ABI \([0-9]*\)$/\1/p' include/wasi_vfs.h)
sum=$(sed -n '/^#ifndef WVFS_IMAGE_ABI/,/^#endif/p' include/wasi_vfs.h | ${HOST_CC:-gcc} -fpreprocessed -dD -E -P - |
  sha256sum | cut -c1-16)
rec=$(sed -n "s/^$abi \([0-9a-f]*\)$/\1/p" tests/gen/layout.sum)
[ -n "$abi" ] && [ "$rec" = "$sum" ] && ok "image ABI $abi is the layout it records ($sum)" ||
  bad "the image layout ($sum) is not the one ABI $abi records ($rec): bump WVFS_IMAGE_ABI and add '<abi> <sum>' to tests/gen/layout.sum"

"$GEN" --compress --mapdir /t::"$T/tree" -o "$T/z.c" && grep -q '&wvfs_codec_zstd' "$T/z.c" &&
  [ "$(grep -cE '^    \{[0-9]+u, .*, [1-9][0-9]*, 4, [012], 0, [0-9]+\},$' "$T/z.c")" -gt 0 ] &&
  ${HOST_CC:-gcc} $FLAGS "$T/z.c" -o "$T/z.host.o" &&
  ok "--compress: compressed nodes and the zstd hook, warning-free" || bad "--compress output"
# --compress on a tree big enough for a trained dictionary: still deterministic
mkdir -p "$T/texts"
awk -v d="$T/texts" 'BEGIN { for (i = 0; i < 200; i++) { f = sprintf("%s/t%03d.txt", d, i)
  for (j = 0; j < 20 + i % 30; j++) printf "line %d of text file %d, shared words\n", j, i * j > f; close(f) } }'
touch -d '2024-01-02 03:04:05' "$T/texts" "$T/texts"/*
cp -a "$T/texts" "$T/texts2"
"$GEN" --compress --mapdir /t::"$T/texts" -o "$T/zd1.c" && "$GEN" --compress --mapdir /t::"$T/texts2" -o "$T/zd2.c" &&
  grep -q '^/\* the dictionary every file was compressed with' "$T/zd1.c" && cmp -s "$T/zd1.c" "$T/zd2.c" &&
  ${HOST_CC:-gcc} $FLAGS "$T/zd1.c" -o "$T/zd1.host.o" &&
  ok "--compress: a dictionary, deterministic, warning-free" || bad "--compress with a dictionary"
# the dictionary is made of some of the tree's files: each of those is stored as one
# match into it (a frame of a few dozen bytes); --dict-max 0 makes none
tiny() { awk '/^    \{[0-9]+u, / { gsub(/[{},u]/, ""); if ($1 >= 700 && $7 > 0 && $7 < 40) n++ } END { print n + 0 }' "$1"; }
"$GEN" --compress --dict-max 0 --mapdir /t::"$T/texts" -o "$T/zd0.c" &&
  ! grep -q '^/\* the dictionary every file' "$T/zd0.c" && [ "$(tiny "$T/zd0.c")" -eq 0 ] &&
  [ "$(tiny "$T/zd1.c")" -ge 10 ] && [ "$(tiny "$T/zd1.c")" -le 70 ] &&
  ok "--compress: the dictionary's own files are stored in it (a third of those by size at most), none with --dict-max 0" ||
  bad "--compress: the dictionary's files ($(tiny "$T/zd1.c") tiny frames, $(tiny "$T/zd0.c") without)"
"$GEN" --compress --dict-max 64K --mapdir /t::"$T/texts" -o "$T/zd64.c" && cmp -s "$T/zd1.c" "$T/zd64.c" &&
  ok "--dict-max 64K: the same image as the default on a tree whose fifth is smaller" || bad "--dict-max 64K"
# -o onto something other than a file (a FIFO here; /dev/null alike) writes into it:
# renaming over it would have replaced it with a file
mkfifo "$T/fifo" && { timeout 20 cat "$T/fifo" > "$T/fifo.out" 2>/dev/null & } &&
  "$GEN" --mapdir /t::"$T/tree" -o "$T/fifo" && wait && [ -p "$T/fifo" ] &&
  "$GEN" --mapdir /t::"$T/tree" -o "$T/fifo.ref" && cmp -s "$T/fifo.out" "$T/fifo.ref" &&
  ok "-o onto a FIFO writes into it and leaves it a FIFO" || bad "-o onto a FIFO"
rm -f "$T/fifo"
# --data: file contents in a separate file that the source pulls in by .incbin
"$GEN" --mapdir /t::"$T/tree" --mapdir /e::"$T/empty" -o "$T/d.c" --data "$T/d.bin" &&
  ${HOST_CC:-gcc} $FLAGS "$T/d.c" -o "$T/d.host.o" &&
  $CCW ${WASM_FLAGS:---target=wasm32-wasi --sysroot=build/sysroot} $FLAGS "$T/d.c" -o "$T/d.wasm.o" &&
  objcopy -O binary --only-section=.rodata.wvfs_data "$T/d.host.o" "$T/d.sec" && cmp -s "$T/d.sec" "$T/d.bin" &&
  ! grep -q '^static const char f' "$T/d.c" && [ -s "$T/d.bin" ] &&
  ok "--data: contents in the data file, pulled in whole by .incbin, warning-free (host, wasm32)" ||
  bad "--data output"
"$GEN" --mapdir /d::"$T/dups" -o "$T/dd.c" --data "$T/dd.bin" && [ "$(wc -c < "$T/dd.bin")" -eq 11 ] &&
  ok "--data: identical files stored once" || bad "--data: identical files stored once"
echo "previous contents" > "$T/keep.bin"
"$GEN" --mapdir /t::"$T/nope" -o "$T/out2.c" --data "$T/keep.bin" 2> /dev/null
[ $? -eq 1 ] && [ "$(cat "$T/keep.bin")" = "previous contents" ] && [ ! -e "$T/out2.c" ] &&
  [ -z "$(ls "$T" | grep '\.tmp')" ] && ok "--data: a failed run leaves both files as they were" ||
  bad "--data: failed run"
refuses "--data name with a quote" "may not hold a quote" --mapdir /src::"$T/src" --data "$T/a\"b"
refuses "--data same as -o" "the same file as -o" --mapdir /src::"$T/src" --data "$T/out.c"
refuses "--data twice" "--data given twice" --mapdir /src::"$T/src" --data x --data y
# -o FILE.o: a wasm32 object, deterministic, that wasm-ld links on its own
# (the tree without compressed files names nothing outside itself)
"$GEN" --mapdir /t::"$T/tree" --mapdir /e::"$T/empty" -o "$T/o1.o" &&
  (cd "$T" && "$OLDPWD/$GEN" --mapdir /t::tree --mapdir /e::empty -o o2.o) && cmp -s "$T/o1.o" "$T/o2.o" &&
  [ "$(head -c 4 "$T/o1.o" | od -An -c | tr -d ' ')" = '\0asm' ] &&
  wasm-ld-19 --no-entry --export=wvfs_image "$T/o1.o" -o "$T/o1.wasm" &&
  ok "-o FILE.o: a wasm32 object, deterministic, linked alone by wasm-ld-19" || bad "-o FILE.o"
"$GEN" --compress --mapdir /t::"$T/texts" -o "$T/zo.o" && llvm-objdump-19 -t "$T/zo.o" > "$T/zo.sym" &&
  grep -q '\*UND\*.*wvfs_codec_zstd' "$T/zo.sym" && [ "$(wc -c < "$T/zo.o")" -lt "$(du -sb "$T/texts" | cut -f1)" ] &&
  ok "-o FILE.o --compress: smaller than the tree, names the zstd codec" || bad "-o FILE.o --compress"
"$GEN" --mapdir /src::"$T/src" -o "$T/out.o" --data "$T/x.bin" 2> "$T/err"
[ $? -eq 1 ] && grep -q 'an object (-o .*out.o) holds the file contents itself' "$T/err" && [ ! -e "$T/out.o" ] &&
  [ ! -e "$T/x.bin" ] && ok "refuses --data with an object: $(cat "$T/err")" || bad "refuses --data with an object"
# --report / --report-json: rows add up to the total, the raw bytes are the
# tree's, the output is unchanged, and depth 0 has a row per mount
mkdir -p "$T/rep/a/b" "$T/rep2" && printf 'x%.0s' $(seq 1 3000) > "$T/rep/a/b/f" && echo hi > "$T/rep/g" && echo z > "$T/rep2/h"
"$GEN" --mapdir /r::"$T/rep" --mapdir /q::"$T/rep2" -o "$T/rep.c" --report 2 --report-json "$T/rep.json" 2> "$T/rep.txt" &&
  "$GEN" --mapdir /r::"$T/rep" --mapdir /q::"$T/rep2" -o "$T/rep-plain.c" && cmp -s "$T/rep.c" "$T/rep-plain.c" &&
  python3 -c "
import json, sys
d = json.load(open('$T/rep.json'))
rows = {r['path']: r for r in d['rows']}
assert d['files'] == 3 and d['raw'] == 3005, d
assert sum(r['stored'] for r in d['rows']) == d['stored'], d
assert rows['/r/a/b']['raw'] == 3000 and rows['/r']['files'] == 1 and rows['/q']['raw'] == 2, rows
" && grep -q '^ *[0-9]* *3005 *3 100.0%  total' "$T/rep.txt" &&
  "$GEN" --mapdir /r::"$T/rep" --mapdir /q::"$T/rep2" -o "$T/rep0.c" --report 0 2> "$T/rep0.txt" &&
  [ "$(grep -c '  /[rq]$' "$T/rep0.txt")" -eq 2 ] &&
  ok "--report and --report-json: rows add up, output unchanged, depth 0 per mount" || { cat "$T/rep.txt"; bad "--report"; }
refuses "--report with a bad depth" "--report takes a depth" --mapdir /src::"$T/src" --report x
# The library files only some images need are referenced only by those: the
# path index (a path of two components or more), the decoding of compressed
# files; a one-file image pulls in neither (bench figure 6).
mkdir -p "$T/one" "$T/two/d" && echo x > "$T/one/x" && echo x > "$T/two/d/y"
awk 'BEGIN { for (i = 0; i < 400; i++) print "a line that compresses well", i }' > "$T/two/d/z"
refs() { p=$1; shift; cat "$@" | grep -ac "$p"; } # refs PATTERN FILE...: lines naming it
"$GEN" --mapdir /s::"$T/one" -o "$T/one.c" && "$GEN" --mapdir /s::"$T/one" -o "$T/one.o" &&
  "$GEN" --mapdir /s::"$T/two" -o "$T/two.c" && "$GEN" --mapdir /s::"$T/two" -o "$T/two.o" &&
  "$GEN" --mapdir /s::"$T/two" --compress -o "$T/twoz.c" && "$GEN" --mapdir /s::"$T/two" --compress -o "$T/twoz.o" &&
  [ "$(refs _linked "$T/one.c" "$T/one.o")" -eq 0 ] &&
  [ "$(refs wvfs__pidx_linked "$T/two.c")" -ge 1 ] && [ "$(refs wvfs__pidx_linked "$T/two.o")" -ge 1 ] &&
  [ "$(refs wvfs__zfile_linked "$T/two.c" "$T/two.o")" -eq 0 ] &&
  [ "$(refs wvfs__zfile_linked "$T/twoz.c")" -ge 1 ] && [ "$(refs wvfs__zfile_linked "$T/twoz.o")" -ge 1 ] &&
  ok "the path index and the decoder are referenced only by images that need them" ||
  bad "optional library files: wrong references"
"$GEN" --help > "$T/help" && for f in --dict-max --room --mapdir --tmpdir --readonly --compress --data --report --report-json -o --help SOURCE_DATE_EPOCH; do
  grep -q -- "$f" "$T/help" || { bad "--help mentions $f"; continue; }; ok "--help mentions $f"; done

echo "gen: $pass passed, $fail failed"
[ $fail -eq 0 ]
