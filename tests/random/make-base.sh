#!/bin/sh
# make-base.sh DIR N — N copies (s000, s001, ...) of the small tree each random
# seed starts from: files (one empty, one of 1,000 bytes), nested directories,
# symlinks to a file, a directory and nowhere, and a hard link.
set -eu
d=$1 n=$2
rm -rf "$d" && mkdir -p "$d/s000/d1/d2"
b=$d/s000
printf 'hello\n' > "$b/f1"
awk 'BEGIN { for (i = 0; i < 100; i++) printf "line %03d.\n", i }' > "$b/f2"
: > "$b/empty"
printf 'gee\n' > "$b/d1/g"
printf 'aitch\n' > "$b/d1/d2/h"
ln -s f1 "$b/link-f"
ln -s d1 "$b/link-d"
ln -s nope "$b/dangling"
ln "$b/f2" "$b/hard"
i=1
while [ $i -lt "$n" ]; do
  cp -a "$b" "$d/$(printf 's%03d' $i)"
  i=$((i + 1))
done
find "$d" -exec touch -h -d '2024-01-02 03:04:05' {} +
