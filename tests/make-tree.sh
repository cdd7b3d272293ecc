#!/bin/sh
# make-tree.sh DIR — build the test tree the wasm tests embed and preopen.
# Deterministic content and mtimes, so an embedded copy and the host copy
# can be compared byte for byte.  Covers: nested and empty directories, empty
# files, a 5 MB file, all 256 byte values, relative symlinks (to files, dirs,
# chains, dangling), a directory of 2,000 entries, names with spaces and UTF-8,
# and a hard link.
set -eu
d=$1
rm -rf "$d"
mkdir -p "$d/a/b/c" "$d/empty-dir" "$d/many" "$d/with space" "$d/ünïcödé"
printf 'hello\n' > "$d/hello.txt"
: > "$d/empty.txt"
printf 'deep file\n' > "$d/a/b/c/deep.txt"
printf 'in a\n' > "$d/a/one.txt"
printf 'spaced out\n' > "$d/with space/file name.txt"
printf 'grüße, 世界\n' > "$d/ünïcödé/日本.txt"
# 5 MB of varied text: 5 * 1048576 bytes.
awk 'BEGIN { for (i = 0; i < 400000; i++) printf "%07d line of the big file\n", i }' | head -c 5242880 > "$d/big.bin"
# every byte value once
awk 'BEGIN { for (i = 0; i < 256; i++) printf "%c", i }' > "$d/bytes.bin"
i=0
while [ $i -lt 2000 ]; do
  printf 'entry %d\n' $i > "$d/many/f$i"
  i=$((i + 1))
done
ln -s hello.txt "$d/link-to-file"
ln -s a/b "$d/link-to-dir"
ln -s link-to-file "$d/link-chain"
ln -s ../hello.txt "$d/a/up-link"
ln -s missing "$d/dangling"
ln -s ../../a/one.txt "$d/a/b/back.txt"
ln "$d/hello.txt" "$d/hard-link.txt"
cp "$d/a/one.txt" "$d/copy-of-one.txt"   # identical bytes, another file: stored once
# A chain of 32 links (chain00 -> chain01 -> ... -> chain31 -> hello.txt): one
# past what both we and node:wasi follow, so chain00 is ELOOP and chain01 opens.
mkdir "$d/chain"
i=0
while [ $i -lt 31 ]; do
  ln -s "$(printf 'chain%02d' $((i + 1)))" "$d/chain/$(printf 'chain%02d' $i)"
  i=$((i + 1))
done
ln -s ../hello.txt "$d/chain/chain31"
# Fixed mtimes (files and dirs) so both copies agree and output is reproducible.
find "$d" -exec touch -h -d '2024-01-02 03:04:05.123456789' {} +
