#!/bin/sh
# run.sh — the wasm integration tests (called by `make test-wasm`).
#
# Builds the test tree, embeds it at /t, and runs:
#  - walk.wasm: the differential test — the same transcript with /t embedded
#    (no host dir) and with the same tree preopened from the host at /t;
#  - spec.wasm: embedded-only checks of what node:wasi cannot be the oracle for;
#  - mixed.wasm: host preopen and embedded mount side by side;
#  - a program linked with the library but no filesystem.c behaves exactly as
#    the same program without the library.
# Needs: CC, WASM_FLAGS, BUILD, NODE from the Makefile.
set -eu
B=$BUILD/wasm-tests
LIB=$BUILD/lib
GEN=$BUILD/bin/wasivfs-gen
RUN=tools/wasi-run
mkdir -p "$B"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

tests/make-tree.sh "$B/tree"
rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"   # the host copy a program may touch
$GEN --mapdir /t::"$B/tree" --readonly /t -o "$B/fs.c"
$CC $WASM_FLAGS -c "$B/fs.c" -o "$B/fs.o"
# the same two images with every file that shrinks stored zstd-compressed
$GEN --compress --mapdir /t::"$B/tree" --readonly /t -o "$B/fs-z.c"
$GEN --compress --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/fs-rw-z.c"
$CC $WASM_FLAGS -c "$B/fs-z.c" -o "$B/fs-z.o"
$CC $WASM_FLAGS -c "$B/fs-rw-z.c" -o "$B/fs-rw-z.o"
# a tree of 300 related text files, enough for --compress to train a dictionary
rm -rf "$B/texts" && mkdir -p "$B/texts/sub"
awk -v d="$B/texts" 'BEGIN { for (i = 0; i < 300; i++) { f = sprintf("%s/%smod%03d.py", d, i % 3 ? "" : "sub/", i)
  printf "\"\"\"Module %d of the dictionary test.\"\"\"\nimport os\n\n", i > f
  for (j = 0; j < 8 + i % 40; j++) printf "def func_%d_%d(path, mode=%d):\n    return os.path.join(path, \"%x\") * mode\n\n", i, j, j, i * j > f
  close(f) } }'
# and compiled files beside most, as CPython keeps them: X.py and
# __pycache__/X.cpython-311.pyc (some with an .opt-1.pyc) share a solid block;
# Upper.py sorts before __pycache__, so its block is met .py first; gone's
# .pyc has no .py
mkdir -p "$B/texts/__pycache__" "$B/texts/sub/__pycache__"
cp "$B/texts/mod001.py" "$B/texts/Upper.py"
awk -v d="$B/texts" 'BEGIN { for (i = 0; i < 302; i++) { if (i % 5 == 0 && i < 300) continue
  m = i == 300 ? "Upper" : i == 301 ? "gone" : sprintf("mod%03d", i)
  for (o = 0; o < 1 + (i % 7 == 1); o++) {
    f = sprintf("%s/%s__pycache__/%s.cpython-311%s.pyc", d, i % 3 || i >= 300 ? "" : "sub/", m, o ? ".opt-1" : "")
    printf "\247\r\r\n%c%c", 65 + i % 26, o > f
    for (j = 0; j < 8 + i % 40; j++) printf "\343func_%d_%d\332%x\001path\002mode", i, j, i * j > f
    close(f) } } }'
touch -d '2024-01-02 03:04:05' "$B/texts" "$B/texts/sub" "$B/texts"/*.py "$B/texts/sub"/*.py \
  "$B/texts"/__pycache__ "$B/texts"/__pycache__/* "$B/texts/sub"/__pycache__ "$B/texts/sub"/__pycache__/*
$GEN --compress --mapdir /t::"$B/texts" --readonly /t -o "$B/fs-zd.c"
$CC $WASM_FLAGS -c "$B/fs-zd.c" -o "$B/fs-zd.o"
# the same two images with the file contents in a data file (--data, .incbin)
$GEN --mapdir /t::"$B/tree" --readonly /t -o "$B/fs-d.c" --data "$B/fs-d.bin"
$GEN --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/fs-rw-d.c" --data "$B/fs-rw-d.bin"
$CC $WASM_FLAGS -c "$B/fs-d.c" -o "$B/fs-d.o"
$CC $WASM_FLAGS -c "$B/fs-rw-d.c" -o "$B/fs-rw-d.o"
# for mixed.wasm: /t, and a small writable mount nested inside the host's /host
mkdir -p "$B/emb-only" && printf 'only in the image\n' > "$B/emb-only/secret.txt"
$GEN --mapdir /t::"$B/tree" --readonly /t --mapdir /host/emb::"$B/emb-only" -o "$B/fs-mixed.c"
$CC $WASM_FLAGS -c "$B/fs-mixed.c" -o "$B/fs-mixed.o"
# the same tree writable at /w, and an empty scratch /tmp
$GEN --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/fs-rw.c"
$CC $WASM_FLAGS -c "$B/fs-rw.c" -o "$B/fs-rw.o"
# the same images written as wasm32 objects by the generator (-o FILE.o), no C compiler
$GEN --mapdir /t::"$B/tree" --readonly /t -o "$B/obj-fs.o"
$GEN --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/obj-fs-rw.o"
$GEN --compress --mapdir /t::"$B/tree" --readonly /t -o "$B/obj-fs-z.o"
$GEN --compress --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/obj-fs-rw-z.o"
$GEN --compress --mapdir /t::"$B/texts" --readonly /t -o "$B/obj-fs-zd.o"
link() { # out.wasm src.c [objects/flags...]
  out=$1 src=$2; shift 2
  $CC $WASM_FLAGS -D_GNU_SOURCE -Wl,--fatal-warnings "$src" "$@" -o "$out"
}
link "$B/walk-emb.wasm" tests/wasm/walk.c "$B/fs.o" -L"$LIB" -lwasi_vfs
link "$B/walk-host.wasm" tests/wasm/walk.c
link "$B/walk-lib-nofs.wasm" tests/wasm/walk.c -L"$LIB" -lwasi_vfs
link "$B/spec.wasm" tests/wasm/spec.c "$B/fs.o" -L"$LIB" -lwasi_vfs
link "$B/mixed.wasm" tests/wasm/mixed.c "$B/fs-mixed.o" -L"$LIB" -lwasi_vfs
link "$B/badfd.wasm" tests/wasm/badfd.c "$B/fs.o" -L"$LIB" -lwasi_vfs
link "$B/writes-emb.wasm" tests/wasm/writes.c "$B/fs-rw.o" -L"$LIB" -lwasi_vfs
link "$B/writes-host.wasm" tests/wasm/writes.c
link "$B/walk-z.wasm" tests/wasm/walk.c "$B/fs-z.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/writes-z.wasm" tests/wasm/writes.c "$B/fs-rw-z.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/walk-d.wasm" tests/wasm/walk.c "$B/fs-d.o" -L"$LIB" -lwasi_vfs
link "$B/writes-d.wasm" tests/wasm/writes.c "$B/fs-rw-d.o" -L"$LIB" -lwasi_vfs
link "$B/walk-zd.wasm" tests/wasm/walk.c "$B/fs-zd.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/walk-o.wasm" tests/wasm/walk.c "$B/obj-fs.o" -L"$LIB" -lwasi_vfs
link "$B/writes-o.wasm" tests/wasm/writes.c "$B/obj-fs-rw.o" -L"$LIB" -lwasi_vfs
link "$B/walk-oz.wasm" tests/wasm/walk.c "$B/obj-fs-z.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/writes-oz.wasm" tests/wasm/writes.c "$B/obj-fs-rw-z.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/walk-ozd.wasm" tests/wasm/walk.c "$B/obj-fs-zd.o" -L"$LIB" -lwasi_vfs -lzstd_dec
# the same two images packed into finished programs (wasivfs-gen pack, no
# compiler or linker): compressed by default (they link zstd's decoder), raw
# with --no-compress, and over a linked image of the program's own (/base)
PKL="-L$LIB -lwasi_vfs -lzstd_dec -Wl,-u,wvfs_pack -Wl,-u,wvfs_codec_zstd"
$GEN --mapdir /base::"$B/emb-only" -o "$B/obj-base.o"
for p in walk writes heap; do
  link "$B/$p-base.wasm" tests/wasm/$p.c $PKL
  link "$B/$p-basel.wasm" tests/wasm/$p.c "$B/obj-base.o" $PKL
done
for v in pk:base: pkr:base:--no-compress pkl:basel:; do
  IFS=: read -r name base opt <<EOT
$v
EOT
  $GEN pack "$B/walk-$base.wasm" --mapdir /t::"$B/tree" --readonly /t $opt -o "$B/walk-$name.wasm"
  $GEN pack "$B/writes-$base.wasm" --mapdir /w::"$B/tree" --tmpdir /tmp $opt -o "$B/writes-$name.wasm"
done
link "$B/overlay.wasm" tests/wasm/overlay.c "$B/fs-rw.o" -Iinclude -L"$LIB" -lwasi_vfs
link "$B/cache.wasm" tests/wasm/cache.c "$B/fs-rw-z.o" -Iinclude -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/cache-zd.wasm" tests/wasm/cache.c "$B/fs-zd.o" -Iinclude -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/sweep-emb.wasm" tests/wasm/sweep.c "$B/fs-rw.o" -L"$LIB" -lwasi_vfs
link "$B/sweep-host.wasm" tests/wasm/sweep.c
link "$B/sweep-nofs.wasm" tests/wasm/sweep.c -L"$LIB" -lwasi_vfs

# differential WHAT WANT GOT MIN: the transcript GOT (ours) is the reference
# WANT's, and longer than MIN lines (a transcript cut short passes nothing)
differential() {
  if cmp -s "$2" "$3" && [ "$(wc -l < "$3")" -gt "$4" ]; then ok "$1 ($(wc -l < "$3") lines)"
  else diff "$2" "$3" | head -40; bad "$1"; fi
}

# 1. differential: embedded vs host preopen
$RUN "$B/walk-emb.wasm" /t > "$B/walk-emb.txt"
$RUN --dir /t::"$B/tree-host" "$B/walk-host.wasm" /t > "$B/walk-host.txt"
differential "differential: embedded /t == host preopen /t" "$B/walk-host.txt" "$B/walk-emb.txt" 10000

# 1b. the write-side differential: a workload on the writable embedded /w
# and on a host preopen of a fresh copy of the same tree
rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
$RUN "$B/writes-emb.wasm" /w > "$B/writes-emb.txt"
$RUN --dir /w::"$B/tree-host" "$B/writes-host.wasm" /w > "$B/writes-host.txt"
differential "write differential: embedded /w == host preopen /w" "$B/writes-host.txt" "$B/writes-emb.txt" 300

# again VARIANT WHAT CHECK: both differentials on another build of the same two
# images (walk-VARIANT.wasm, writes-VARIANT.wasm); CHECK is non-empty when the
# images really are of that kind
again() {
  $RUN "$B/walk-$1.wasm" /t > "$B/walk-$1.txt"
  rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
  $RUN "$B/writes-$1.wasm" /w > "$B/writes-$1.txt"
  if cmp -s "$B/walk-$1.txt" "$B/walk-host.txt" && cmp -s "$B/writes-$1.txt" "$B/writes-host.txt" && [ -n "$3" ]; then
    ok "$2: both differentials unchanged"
  else
    diff "$B/walk-host.txt" "$B/walk-$1.txt" | head -10; diff "$B/writes-host.txt" "$B/writes-$1.txt" | head -10
    bad "$2: differentials"
  fi
}
# 1c. the files stored compressed
nz=$(grep -cE '^    \{[0-9]+u, .*, [1-9][0-9]*, 4, [012], 0, [0-9]+\},$' "$B/fs-z.c" || true)
again z "--compress ($nz files stored compressed)" "$([ "$nz" -gt 0 ] && echo y)"
# 1d. the contents pulled in by .incbin (--data)
nd=$(wc -c < "$B/fs-d.bin")
again d "--data ($nd bytes by .incbin)" "$([ "$nd" -gt 5000000 ] && echo y)"

# 1f. packed into finished programs: compressed (smaller than raw), raw, and
# over the program's own image
again pk "pack: compressed into a finished program" \
  "$([ "$(wc -c < "$B/walk-pk.wasm")" -lt $(($(wc -c < "$B/walk-pkr.wasm") - 1000000)) ] && echo y)"
again pkr "pack: raw (--no-compress)" y
again pkl "pack: over the program's own linked image" "$($RUN "$B/walk-pkl.wasm" /base > "$B/pkl-base.txt" 2>&1; grep -q secret.txt "$B/pkl-base.txt" && echo y)"
# the heap (64 MiB of it) leaves a packed image alone, over a linked image too
for base in base basel; do
  $GEN pack "$B/heap-$base.wasm" --mapdir /t::"$B/tree" -o "$B/heap-pk-$base.wasm"
  if $RUN "$B/heap-pk-$base.wasm" /t/big.bin /t/hello.txt /t/many/f1999 > "$B/heap-$base.txt" 2>&1 &&
     grep -q '^3 files the same after 64 MiB of heap$' "$B/heap-$base.txt"; then
    ok "pack: a packed image is left alone by 64 MiB of heap ($base)"
  else
    cat "$B/heap-$base.txt" | head -5; bad "pack: the heap and a packed image ($base)"
  fi
done

# the packed files stay out of memory until used: instantiation leaves their
# range zero; a run reading 2 files of the tree (stored raw) copies in theirs,
# and pages no file it read lies in (big.bin's) stay untouched
$GEN pack "$B/heap-base.wasm" --mapdir /t::"$B/tree" --no-compress -o "$B/heap-pkr.wasm"
out=$(node tests/wasm/passive.js "$B/heap-pkr.wasm" /t/hello.txt /t/many/f1999)
set -- $(echo "$out" | sed -n 's/^copy \([0-9]*\) files \([0-9]*\) bytes before \([0-9]*\) after \([0-9]*\) untouched \([0-9]*\) of \([0-9]*\) pages exit \([0-9]*\)$/\1 \2 \3 \4 \5 \6 \7/p')
if [ $# -eq 7 ] && [ "$1" -gt 0 ] && [ "$2" -gt 1000000 ] && [ "$3" -eq 0 ] && [ "$4" -gt 0 ] && [ "$5" -gt 0 ] &&
   [ "$5" -lt "$6" ] && [ "$7" -eq 0 ] && echo "$out" | grep -q '^2 files the same after 64 MiB of heap$'; then
  ok "pack: files in a passive segment, copied in on use ($2 bytes: $4 non-zero after the run, $5 of $6 pages never touched)"
else
  echo "$out" | tail -3; bad "pack: the passive segment"
fi

# the module's own linked image (/base) moves to the passive segment too:
# zero until the run reads it; and a repack gives back the module as linked
$GEN pack "$B/heap-basel.wasm" --mapdir /t::"$B/tree" -o "$B/heap-pk-basel.wasm"
out=$(node tests/wasm/passive.js "$B/heap-pk-basel.wasm" /base/secret.txt /t/hello.txt)
$GEN pack "$B/heap-pk-basel.wasm" --mapdir /t::"$B/tree" -o "$B/heap-pk-basel2.wasm"
if echo "$out" | grep -q '^linked 18 bytes before 0 after 18$' && echo "$out" | grep -q '^2 files the same after 64 MiB of heap$' &&
   cmp -s "$B/heap-pk-basel.wasm" "$B/heap-pk-basel2.wasm"; then
  ok "pack: the linked image's files join the passive segment, copied in on use; a repack restores them"
else
  echo "$out" | tail -3; bad "pack: the linked image's files in the passive segment"
fi

# a module pack cannot give a function of its own (its table is imported)
# gets the files active, and runs the same
link "$B/heap-itab.wasm" tests/wasm/heap.c $PKL -Wl,--import-table
$GEN pack "$B/heap-itab.wasm" --mapdir /t::"$B/tree" -o "$B/heap-itab-pk.wasm"
out=$(TABLE=64 node tests/wasm/passive.js "$B/heap-itab-pk.wasm" /t/hello.txt /t/many/f1999)
if echo "$out" | grep -q '^copy 0 files 0 bytes before 0 after 0 untouched 0 of 0 pages exit 0$' &&
   echo "$out" | grep -q '^2 files the same after 64 MiB of heap$'; then
  ok "pack: a module with an imported table gets its files active, and runs the same"
else
  echo "$out" | tail -3; bad "pack: the active fallback"
fi

# --hot: what a traced run read (WVFS_TRACE's "wvfs-read:" lines: exactly
# the files it read, once each) is stored raw, outside the solid blocks.
# The same run then brings in those files' raw bytes and nothing else (no
# compressed frame, no dictionary): shown on a linked image (its files and
# dictionary move to pack's passive segment), where the run without --hot
# copies the dictionary in
$GEN pack "$B/heap-base.wasm" --mapdir /t::"$B/texts" -o "$B/heap-cold.wasm"
H1=/t/__pycache__/mod002.cpython-311.pyc H2=/t/mod004.py
$RUN --env WVFS_TRACE=1 "$B/heap-cold.wasm" $H1 $H2 > "$B/hot-run.txt" 2> "$B/hot-trace.txt"
printf 'wvfs-read: %s\n' $H1 $H2 > "$B/hot-want.txt"
grep '^wvfs-read: ' "$B/hot-trace.txt" | sort > "$B/hot-reads.txt"
for v in cold hot; do
  $GEN --compress $([ $v = hot ] && echo --hot "$B/hot-trace.txt") --mapdir /t::"$B/texts" -o "$B/texts-$v.o" \
    --report-json "$B/texts-$v.json"
  link "$B/heap-t$v.wasm" tests/wasm/heap.c "$B/texts-$v.o" $PKL
  $GEN pack "$B/heap-t$v.wasm" --mapdir /x::"$B/emb-only" -o "$B/heap-t$v-pk.wasm"
done
linked() { echo "$1" | sed -n 's/^linked [0-9]* bytes before \([0-9]*\) after \([0-9]*\)$/\2 \1/p' | awk '{ print $1 - $2 }'; }
cold=$(node tests/wasm/passive.js "$B/heap-tcold-pk.wasm" $H1 $H2) hot=$(node tests/wasm/passive.js "$B/heap-thot-pk.wasm" $H1 $H2)
dict=$(sed -n 's/.*"(dictionary[^"]*", "files": 0, "raw": 0, "stored": \([0-9]*\).*/\1/p' "$B/texts-cold.json")
raw=$(cat "$B/texts/__pycache__/mod002.cpython-311.pyc" "$B/texts/mod004.py" | tr -d '\000' | wc -c) # non-zero bytes
bc=$(linked "$cold") bh=$(linked "$hot")
if cmp -s "$B/hot-want.txt" "$B/hot-reads.txt" && grep -q '^2 files the same after 64 MiB of heap$' "$B/hot-run.txt" &&
   [ -n "$dict" ] && [ "$dict" -gt 1000 ] && [ -n "$bc" ] && [ -n "$bh" ] && [ "$bh" -eq "$raw" ] &&
   [ "$bc" -ge "$dict" ] && echo "$hot" | grep -q '^2 files the same after 64 MiB of heap$' &&
   echo "$cold" | grep -q '^2 files the same after 64 MiB of heap$'; then
  ok "--hot: the run's 2 reads traced; stored raw, the run brings in their $bh non-zero bytes and nothing else, $bc without --hot (the $dict-byte dictionary)"
else
  cat "$B/hot-reads.txt"; echo "cold: $cold"; echo "hot: $hot"; echo "dict $dict raw $raw"; bad "--hot"
fi
# a packed image's dictionary lies with its files in the passive segment,
# not among the tables every instantiation copies: zero until the first
# file that needs it is read, then in memory whole
out=$(node tests/wasm/passive.js "$B/heap-cold.wasm" $H2)
set -- $(echo "$out" | sed -n 's/^copy [0-9]* files [0-9]* bytes before \([0-9]*\) after \([0-9]*\) .* exit 0$/\1 \2/p')
if [ $# -eq 2 ] && [ "$1" -eq 0 ] && [ -n "$dict" ] && [ "$2" -ge $((dict * 9 / 10)) ] &&
   echo "$out" | grep -q '^1 files the same after 64 MiB of heap$'; then
  ok "pack: the image's dictionary ($dict bytes) is passive: none in memory at instantiation, $2 bytes after one read"
else
  echo "$out" | tail -3; bad "pack: the dictionary in the passive segment"
fi
# and a tree of hot and other files (blocks, dictionary) reads as the host's
printf '%s\n' '/t/sub/*' '/t/__pycache__/mod00*' 'wvfs-read: /t/mod123.py' 'wvfs-trace: /t/mod124.py' > "$B/hot-half.txt"
$GEN pack "$B/walk-base.wasm" --mapdir /t::"$B/texts" --readonly /t --hot "$B/hot-half.txt" -o "$B/walk-hot.wasm"
$RUN "$B/walk-hot.wasm" /t --tree-only > "$B/walk-hot.txt" 2>&1
$RUN --dir /t::"$B/texts" "$B/walk-host.wasm" /t --tree-only > "$B/walk-hot-host.txt" 2>&1
if cmp -s "$B/walk-hot.txt" "$B/walk-hot-host.txt" && [ "$(wc -l < "$B/walk-hot.txt")" -gt 500 ]; then
  ok "--hot: a tree of hot and dictionary-compressed files walks as on the host ($(wc -l < "$B/walk-hot.txt") lines)"
else diff "$B/walk-hot-host.txt" "$B/walk-hot.txt" | head; bad "--hot: mixed tree"; fi
# a directory, a relative path, a missing list: refused, with the reason
printf '/t/sub/\n' > "$B/hot-dir.txt"; printf 't/mod004.py\n' > "$B/hot-rel.txt"
for l in hot-dir hot-rel hot-none; do
  rm -f "$B/hot-bad.wasm"
  if $GEN pack "$B/heap-base.wasm" --mapdir /t::"$B/texts" --hot "$B/$l.txt" -o "$B/hot-bad.wasm" 2> "$B/hot-bad.err"; then
    bad "--hot: $l accepted"
  elif [ ! -e "$B/hot-bad.wasm" ] && grep -q -- "--hot $B/$l.txt: " "$B/hot-bad.err"; then
    ok "--hot: refused: $(cat "$B/hot-bad.err")"
  else cat "$B/hot-bad.err"; bad "--hot: $l"; fi
done

# 1e. a compressed image with a dictionary: the read differential on it
$RUN "$B/walk-zd.wasm" /t --tree-only > "$B/walk-zd.txt"
$RUN --dir /t::"$B/texts" "$B/walk-host.wasm" /t --tree-only > "$B/walk-zd-host.txt"
nz=$(grep -cE '^    \{[0-9]+u, .*, [1-9][0-9]*, 4, [012], 0, [0-9]+\},$' "$B/fs-zd.c" || true)
nb=$(grep -cE '^    \{[0-9]+u, .*, [1-9][0-9]*, 4, 2, 0, [0-9]+\},$' "$B/fs-zd.c" || true)
if grep -q '^/\* the dictionary every file was compressed with' "$B/fs-zd.c" && [ "$nz" -ge 250 ] &&
   [ "$nb" -ge 480 ] && cmp -s "$B/walk-zd.txt" "$B/walk-zd-host.txt" && [ "$(wc -l < "$B/walk-zd.txt")" -gt 600 ]; then
  ok "--compress with a dictionary: embedded == host preopen ($nz files compressed, $nb in solid blocks)"
else
  diff "$B/walk-zd-host.txt" "$B/walk-zd.txt" | head -10
  bad "--compress with a dictionary (compressed files: $nz)"
fi

# 1f. the images written as objects (-o FILE.o): LLVM's own tools read them
# (sections, symbols, relocations), and every differential passes on them
# exactly as on the C-built ones: raw, compressed, with a dictionary
objok=y
for o in obj-fs obj-fs-rw obj-fs-z obj-fs-rw-z obj-fs-zd; do
  llvm-readobj-19 --sections --symbols --relocations "$B/$o.o" > "$B/$o.readobj" 2>&1 || objok=
  llvm-objdump-19 -h -t -r "$B/$o.o" > "$B/$o.objdump" 2>&1 || objok=
  grep -q 'R_WASM_MEMORY_ADDR_I32' "$B/$o.objdump" && grep -q ' g .* wvfs_image$' "$B/$o.objdump" || objok=
done
grep -q '\*UND\*.*wvfs_codec_zstd' "$B/obj-fs-z.objdump" || objok=
if [ -n "$objok" ]; then ok "objects: llvm-readobj and llvm-objdump read all five; image global, codec undefined"
else cat "$B/obj-fs-z.objdump" | head -30; bad "objects: LLVM's tools on them"; fi
again o "objects (-o fs.o)" "$objok"
again oz "compressed objects" "$objok"
$RUN "$B/walk-ozd.wasm" /t --tree-only > "$B/walk-ozd.txt"
differential "an object with a dictionary: embedded == host preopen" "$B/walk-zd-host.txt" "$B/walk-ozd.txt" 300

# 2. linked with the library but no image: same as without the library
rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
$RUN --dir /t::"$B/tree-host" "$B/walk-lib-nofs.wasm" /t > "$B/walk-nofs.txt"
differential "no filesystem.c: every call forwarded" "$B/walk-host.txt" "$B/walk-nofs.txt" 10000

# 3. embedded-only spec checks, 4. host and embedded side by side, 5. bad fds
for t in spec mixed badfd overlay; do
  rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
  if $RUN --dir /host::"$B/tree-host" --env "WVFS_ENV=a=b c" "$B/$t.wasm" /t > "$B/$t.txt"; then ok "$t: $(tail -1 "$B/$t.txt")"
  else cat "$B/$t.txt"; bad "$t"; fi
done

# 7. the cache budget of decompressed files, set by call and by environment
if out=$($RUN "$B/cache.wasm") && out2=$($RUN --env WVFS_CACHE_BYTES=0 "$B/cache.wasm" env-zero); then
  ok "cache budget: $(echo "$out" | tail -1); WVFS_CACHE_BYTES=0: $(echo "$out2" | tail -1)"
else echo "$out" "$out2"; bad "cache budget"; fi
# a whole read decodes straight into the reader's buffer: a lone frame
# (mod005.py: no .pyc), a solid block's first member (a .pyc), later
# members (mod001.py; Upper.py, met before its block's .pyc)
if out=$($RUN "$B/cache-zd.wasm" whole /t/mod005.py /t/__pycache__/mod001.cpython-311.pyc) &&
   out2=$($RUN "$B/cache-zd.wasm" whole-later /t/mod001.py /t/Upper.py); then
  ok "whole reads of compressed files keep nothing: $(echo "$out" | tail -1); later block members: $(echo "$out2" | tail -1)"
else echo "$out" "$out2"; bad "whole reads of compressed files"; fi

# 8. every call on fds of every kind with NULL, empty and out-of-memory
# arguments (sweep.c): embedded /w and /tmp against host preopens of the same
# trees, and a program with the library but no image against one without.
rm -rf "$B/sweep-h" "$B/sweep-tmp" && mkdir -p "$B/sweep-h" "$B/sweep-tmp"
rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
$RUN --dir /h::"$B/sweep-h" "$B/sweep-emb.wasm" > "$B/sweep-emb.txt" || true
rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
$RUN --dir /h::"$B/sweep-h" --dir /w::"$B/tree-host" --dir /tmp::"$B/sweep-tmp" "$B/sweep-host.wasm" > "$B/sweep-host.txt" || true
rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
$RUN --dir /h::"$B/sweep-h" --dir /w::"$B/tree-host" --dir /tmp::"$B/sweep-tmp" "$B/sweep-nofs.wasm" > "$B/sweep-nofs.txt" || true
# Where node:wasi answers otherwise than Linux and wasmtime (the README's
# table): "call-class host-errno ours" pairs allowed on embedded and unknown fds.
unexpected=$(paste -d' ' "$B/sweep-host.txt" "$B/sweep-emb.txt" | awk '
  $1 == "sweep:" { next }
  $1 != $6 || $2 != $7 || $3 != $8 { print "misaligned: " $0; next }
  $5 == $10 { next }
  { c = $1 ~ /^path_/ ? "path" : $1; k = c " " $5 " " $10 }
  $3 == "far" && $5 == 28 && $10 == 21 { next }                 # out-of-memory pointer: EFAULT
  $3 == "wide" && $10 == 28 && $2 ~ /^(root|tmp-root|subdir|file)$/ { next } # past its type: EINVAL
  $2 == "host-root" { print; next }                             # a host fd: always the host
  k == "path 28 44" && $3 != "far" { next }                     # empty path: ENOENT
  k == "sock_recv 28 57" || k == "sock_recv 28 76" || k == "sock_send 28 57" || k == "sock_send 28 76" { next }
  k == "fd_renumber 0 8" || k == "fd_renumber 28 8" { next }    # an unknown fd onto itself
  k == "fd_prestat_get 28 8" { next }                           # not a preopen: EBADF
  k == "fd_prestat_dir_name 42 37" { next }                     # short buffer: ENAMETOOLONG
  k == "fd_allocate 0 28" { next }                              # zero length: EINVAL
  k == "poll_oneoff 76 0" || k == "poll_oneoff 63 0" { next }   # embedded fds are always ready
  { print }')
n=$(grep -c ' = ' "$B/sweep-emb.txt" || true)
if [ -z "$unexpected" ] && [ "$n" -gt 900 ] && tail -1 "$B/sweep-emb.txt" | grep -q '^sweep: '; then
  ok "sweep: $n calls on embedded fds answer as the host's, or as documented"
else
  echo "$unexpected" | head -20; tail -2 "$B/sweep-emb.txt"; bad "sweep: embedded vs host"
fi
# every enum and flag past its type, on every embedded fd: EINVAL, as wasmtime
wide=$(awk '$3 == "wide" && $2 ~ /^(root|tmp-root|subdir|file)$/' "$B/sweep-emb.txt")
if [ -n "$wide" ] && [ -z "$(echo "$wide" | awk '$5 != 28')" ]; then
  ok "sweep: $(echo "$wide" | wc -l) calls with an enum or flag past its type answer EINVAL on embedded fds"
else
  echo "$wide" | awk '$5 != 28' | head; bad "sweep: full-width enums and flags"
fi
differential "sweep: with the library and no image, every answer is the host's" "$B/sweep-host.txt" "$B/sweep-nofs.txt" 800

# 9. a second, independent preview1 runtime (@tybys/wasm-util's WASI): the
# embedded programs print exactly what they print under node:wasi
rm -rf "$B/tree-host" && cp -a "$B/tree" "$B/tree-host"
$RUN "$B/writes-emb.wasm" /w > "$B/writes-emb.txt"
if $RUN --runtime tybys "$B/walk-emb.wasm" /t > "$B/walk-tybys.txt" &&
   $RUN --runtime tybys "$B/writes-emb.wasm" /w > "$B/writes-tybys.txt" &&
   cmp -s "$B/walk-tybys.txt" "$B/walk-emb.txt" && cmp -s "$B/writes-tybys.txt" "$B/writes-emb.txt" &&
   [ "$(wc -l < "$B/walk-tybys.txt")" -gt 10000 ]; then
  ok "second runtime (@tybys/wasm-util): both embedded differentials' programs as under node:wasi"
else
  diff "$B/walk-emb.txt" "$B/walk-tybys.txt" | head -5; diff "$B/writes-emb.txt" "$B/writes-tybys.txt" | head -5
  bad "second runtime (@tybys/wasm-util)"
fi
# and the packed programs (compressed) on it, as linked ones run under node:wasi
if $RUN --runtime tybys "$B/walk-pk.wasm" /t > "$B/walk-pk-tybys.txt" &&
   $RUN --runtime tybys "$B/writes-pk.wasm" /w > "$B/writes-pk-tybys.txt" &&
   cmp -s "$B/walk-pk-tybys.txt" "$B/walk-emb.txt" && cmp -s "$B/writes-pk-tybys.txt" "$B/writes-emb.txt"; then
  ok "second runtime (@tybys/wasm-util): the packed programs print what the linked ones do"
else
  diff "$B/walk-emb.txt" "$B/walk-pk-tybys.txt" | head -5; diff "$B/writes-emb.txt" "$B/writes-pk-tybys.txt" | head -5
  bad "second runtime (@tybys/wasm-util): packed programs"
fi

# 10. a slim image (--keep): exactly a host tree holding only the kept paths —
# a listed file with its directories, a trace line, a glob, and a symlink
# whose target directory comes along (its other entries do not)
printf '%s\n' '# a keep list' /t/a/b/c/deep.txt 'wvfs-trace: /t/hello.txt' '/t/many/f1?' /t/link-to-dir > "$B/keep.txt"
$GEN --keep "$B/keep.txt" --mapdir /t::"$B/tree" --readonly /t -o "$B/fs-keep.c"
$CC $WASM_FLAGS -c "$B/fs-keep.c" -o "$B/fs-keep.o"
link "$B/walk-keep.wasm" tests/wasm/walk.c "$B/fs-keep.o" -L"$LIB" -lwasi_vfs
S=$B/keep-host; rm -rf "$S" && mkdir -p "$S/a/b/c" "$S/many"
cp -a "$B/tree/a/b/c/deep.txt" "$S/a/b/c/" && cp -a "$B/tree/hello.txt" "$B/tree/link-to-dir" "$S/" &&
  cp -a "$B/tree"/many/f1? "$S/many/"
for d in . a a/b a/b/c many; do touch -r "$B/tree/$d" "$S/$d"; done
$RUN "$B/walk-keep.wasm" /t --tree-only > "$B/walk-keep.txt"
$RUN --dir /t::"$S" "$B/walk-host.wasm" /t --tree-only > "$B/walk-keep-host.txt"
if cmp -s "$B/walk-keep.txt" "$B/walk-keep-host.txt" && grep -q '^\./many/f19: file' "$B/walk-keep.txt" &&
   ! grep -q '^\./a/one.txt' "$B/walk-keep.txt"; then
  ok "--keep: the slim image is exactly the host tree of the kept paths ($(wc -l < "$B/walk-keep.txt") lines)"
else
  diff "$B/walk-keep-host.txt" "$B/walk-keep.txt" | head -20; bad "--keep: slim image vs host tree of the kept paths"
fi

# 11. WVFS_TRACE: the paths a run reaches, once each, on the host's stderr;
# the program's own output unchanged
$RUN --env WVFS_TRACE=1 "$B/walk-keep.wasm" /t --tree-only > "$B/walk-traced.txt" 2> "$B/trace.txt"
if cmp -s "$B/walk-traced.txt" "$B/walk-keep.txt" && grep -qx 'wvfs-trace: /t/a/b/c/deep.txt' "$B/trace.txt" &&
   grep -qx 'wvfs-trace: /t/link-to-dir' "$B/trace.txt" && [ -z "$(sort "$B/trace.txt" | uniq -d)" ]; then
  ok "WVFS_TRACE: $(wc -l < "$B/trace.txt") paths, each once, output unchanged"
else head "$B/trace.txt"; bad "WVFS_TRACE"; fi
# and the files it read, each once, by the names the walk resolved them by
sed -n 's/^wvfs-read: //p' "$B/trace.txt" | sort > "$B/trace-reads.txt"
sed -n 's/^wvfs-trace: //p' "$B/trace.txt" | sort > "$B/trace-paths.txt"
if [ -s "$B/trace-reads.txt" ] && [ -z "$(uniq -d "$B/trace-reads.txt")" ] &&
   [ -z "$(comm -23 "$B/trace-reads.txt" "$B/trace-paths.txt")" ] && grep -qx /t/a/b/c/deep.txt "$B/trace-reads.txt"; then
  ok "WVFS_TRACE: $(wc -l < "$B/trace-reads.txt") files read, each once, each a path the run resolved"
else comm -23 "$B/trace-reads.txt" "$B/trace-paths.txt" | head; bad "WVFS_TRACE: the reads"; fi
# a file read after the buffer it was opened by was overwritten is still
# named right (the name is the library's copy, not the caller's buffer)
link "$B/reads.wasm" tests/wasm/reads.c "$B/fs-keep.o" -L"$LIB" -lwasi_vfs
$RUN --env WVFS_TRACE=1 "$B/reads.wasm" /t/hello.txt /t/a/b/c/deep.txt > "$B/reads.txt" 2> "$B/reads-trace.txt"
printf 'wvfs-read: %s\n' /t/hello.txt /t/a/b/c/deep.txt > "$B/reads-want.txt"
if grep '^wvfs-read: ' "$B/reads-trace.txt" | cmp -s - "$B/reads-want.txt" && grep -q '^/t/hello.txt: ' "$B/reads.txt"; then
  ok "WVFS_TRACE: files read after their path buffer was overwritten are named right"
else cat -v "$B/reads-trace.txt" | grep wvfs-read; bad "WVFS_TRACE: a reused path buffer"; fi

# 12. layered images: /t (compressed, contents by .incbin) as a layer made on
# its own, the writable /w and /tmp (compressed, by .incbin too) in the image
# that names it: both differentials as on one image; two images mounting one
# guest path stop the program with a message
$GEN --layer base --compress --mapdir /t::"$B/tree" --readonly /t -o "$B/layer-base.c" --data "$B/layer-base.bin"
$GEN --base base --compress --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/layer-app.c" --data "$B/layer-app.bin"
$GEN --base base --mapdir /t::"$B/emb-only" -o "$B/layer-clash.c"
for f in layer-base layer-app layer-clash; do $CC $WASM_FLAGS -c "$B/$f.c" -o "$B/$f.o"; done
link "$B/walk-layers.wasm" tests/wasm/walk.c "$B/layer-base.o" "$B/layer-app.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/writes-layers.wasm" tests/wasm/writes.c "$B/layer-base.o" "$B/layer-app.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/walk-clash.wasm" tests/wasm/walk.c "$B/layer-base.o" "$B/layer-clash.o" -L"$LIB" -lwasi_vfs -lzstd_dec
again layers "layered images (a compressed /t layer, /w and /tmp naming it)" y
# the same layers as objects, and an object layer under a C-built image
$GEN --layer base --compress --mapdir /t::"$B/tree" --readonly /t -o "$B/obj-layer-base.o"
$GEN --base base --compress --mapdir /w::"$B/tree" --tmpdir /tmp -o "$B/obj-layer-app.o"
link "$B/walk-olayers.wasm" tests/wasm/walk.c "$B/obj-layer-base.o" "$B/obj-layer-app.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/writes-olayers.wasm" tests/wasm/writes.c "$B/obj-layer-base.o" "$B/layer-app.o" -L"$LIB" -lwasi_vfs -lzstd_dec
again olayers "layers as objects (and an object layer under a C image)" y
if ! $RUN "$B/walk-clash.wasm" /t > "$B/clash.txt" 2> "$B/clash.err" &&
   grep -q 'wasi-vfs: two linked images mount the same guest path' "$B/clash.err"; then
  ok "layered images: a guest path mounted twice stops the program: $(grep wasi-vfs "$B/clash.err")"
else cat "$B/clash.err"; bad "layered images: a guest path mounted twice"; fi

# 13. large files stored seekable (--compress, files of 1 MiB or more): reads
# at frame edges, past the end, across frames, sequential; a write and a
# truncate of files whose frames were not decoded yet; embedded == host
rm -rf "$B/seekdir" && mkdir -p "$B/seekdir"
for i in 1 2 3; do
  awk -v f="$i" 'BEGIN { for (r = 0; r < 90000; r++) printf "%07d row of big%d, value %d\n", r, f, r * 31 % 9973 }' > "$B/seekdir/big$i"
done
$GEN --compress --mapdir /w::"$B/seekdir" -o "$B/fs-seek.c"
$CC $WASM_FLAGS -c "$B/fs-seek.c" -o "$B/fs-seek.o"
link "$B/seek-emb.wasm" tests/wasm/seek.c "$B/fs-seek.o" -L"$LIB" -lwasi_vfs -lzstd_dec
link "$B/seek-host.wasm" tests/wasm/seek.c
rm -rf "$B/seek-host" && cp -a "$B/seekdir" "$B/seek-host"
ns=$(grep -cE '^    \{[0-9]+u, .*, [1-9][0-9]*, 4, 1, 0, 0\},$' "$B/fs-seek.c" || true)
$RUN "$B/seek-emb.wasm" /w > "$B/seek-emb.txt" 2>&1 || true
$RUN --dir /w::"$B/seek-host" "$B/seek-host.wasm" /w > "$B/seek-host.txt" 2>&1 || true
if [ "$ns" -eq 3 ] && cmp -s "$B/seek-emb.txt" "$B/seek-host.txt" && grep -q '^seek: done' "$B/seek-emb.txt"; then
  ok "seekable large files: $ns stored seekable, $(wc -l < "$B/seek-emb.txt") reads and writes as on the host"
else
  diff "$B/seek-host.txt" "$B/seek-emb.txt" | head -20; bad "seekable large files (stored seekable: $ns)"
fi
# the same as an object (-o FILE.o): an image with no path index and no
# layers must still pull in the library's decoder of compressed files
$GEN --compress --mapdir /w::"$B/seekdir" -o "$B/obj-seek.o"
link "$B/seek-emb-o.wasm" tests/wasm/seek.c "$B/obj-seek.o" -L"$LIB" -lwasi_vfs -lzstd_dec
rm -rf "$B/seek-host" && cp -a "$B/seekdir" "$B/seek-host"
$RUN "$B/seek-emb-o.wasm" /w > "$B/seek-emb-o.txt" 2>&1 || true
$RUN --dir /w::"$B/seek-host" "$B/seek-host.wasm" /w > "$B/seek-host.txt" 2>&1 || true
if cmp -s "$B/seek-emb-o.txt" "$B/seek-host.txt" && grep -q '^seek: done' "$B/seek-emb-o.txt"; then
  ok "seekable large files in an object image: $(wc -l < "$B/seek-emb-o.txt") reads and writes as on the host"
else
  diff "$B/seek-host.txt" "$B/seek-emb-o.txt" | head -20; bad "seekable large files in an object image"
fi

# 13. --room: an edited image of the same room changes only data, so the
# optimized code of the last link stands (tools/wasm-relink); one that
# outgrew its room moves what follows it, and wasm-relink says so
R=$B/room && rm -rf "$R" && mkdir -p "$R"
cp -r examples/hello/src "$R/src-a" && cp -r examples/hello/src "$R/src-b" && cp -r examples/hello/src "$R/src-c"
echo "An edited greeting, longer than the first one was." > "$R/src-b/greeting.txt"
head -c 100000 /dev/urandom > "$R/src-c/big.bin"
for v in a b c; do
  mkdir -p "$R/$v"
  $GEN --mapdir /src::"$R/src-$v" --room 64K -o "$R/$v.o" --report-json "$R/$v.json"
  link "$R/$v/app.wasm" examples/hello/hello.c "$R/$v.o" -L"$LIB" -lwasi_vfs
done
wasm-opt -O2 --strip-debug --strip-producers "$R/a/app.wasm" -o "$R/a.opt.wasm"
if tools/wasm-relink "$R/a/app.wasm" "$R/a.opt.wasm" "$R/b/app.wasm" "$R/b.relinked.wasm" &&
   $RUN "$R/b.relinked.wasm" /src/greeting.txt > "$R/b.relinked.txt" && $RUN "$R/b/app.wasm" /src/greeting.txt > "$R/b.txt" &&
   cmp -s "$R/b.txt" "$R/b.relinked.txt" && grep -q '^An edited greeting' "$R/b.txt" &&
   grep -q '"room": 65536,' "$R/b.json"; then
  ok "--room: an edited image relinked onto the optimized code prints what its own link prints"
else
  bad "--room: an edited image relinked onto the optimized code"
fi
rc=0; tools/wasm-relink "$R/a/app.wasm" "$R/a.opt.wasm" "$R/c/app.wasm" "$R/c.relinked.wasm" || rc=$?
if [ $rc -eq 1 ] && [ ! -e "$R/c.relinked.wasm" ] && grep -q '"room": 131072,' "$R/c.json"; then
  ok "--room: an image that outgrew its room takes a quarter more in 64 KiB steps, and wasm-relink refuses its link"
else
  bad "--room: an outgrown image (wasm-relink exit $rc, $(grep -o '"room": [0-9]*' "$R/c.json"))"
fi

# 6. exit status and the demo path pass through the runner
if $RUN "$B/walk-emb.wasm" 2>/dev/null; then bad "exit status passed through"
else [ $? -eq 2 ] && ok "exit status passed through" || bad "exit status passed through"; fi

echo "${SUITE:-wasm}: $pass passed, $fail failed"
[ $fail -eq 0 ]
