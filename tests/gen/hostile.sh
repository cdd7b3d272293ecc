#!/bin/sh
# hostile.sh — wasivfs-gen on hostile trees: deep nesting, 255-byte names,
# names that are not UTF-8 or that C would misread (quotes, backslashes,
# trigraphs, newlines), 100,000 files, and files that change while being read.
# (walk.wasm gets a 1 MiB stack: it recurses once per level of the deep tree.)
# Each tree must be embedded exactly as it is — the same program prints the
# same transcript with the tree embedded as with it preopened from the host —
# or refused with a clear error.  Needs CC, WASM_FLAGS, BUILD.
set -u
B=${BUILD:-build}/gen-hostile
GEN=${BUILD:-build}/bin/wasivfs-gen
RUN=tools/wasi-run
rm -rf "$B" && mkdir -p "$B"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# A tree, embedded vs preopened: walk.c's transcript must be identical, and
# at least MIN lines long (a walk that saw nothing proves nothing).
same() { # name dir min
  name=$1 dir=$2 min=$3
  if ! "$GEN" --mapdir /t::"$dir" -o "$B/$name.c" 2> "$B/$name.err"; then
    bad "$name: generator refused: $(cat "$B/$name.err")"; return
  fi
  $CC $WASM_FLAGS -Wno-unused-result -c "$B/$name.c" -o "$B/$name.o" &&
  $CC $WASM_FLAGS -D_GNU_SOURCE -Wno-unused-result -Wl,-z,stack-size=1048576 tests/wasm/walk.c "$B/$name.o" -L"${BUILD:-build}/lib" -lwasi_vfs -o "$B/$name-emb.wasm" ||
    { bad "$name: does not compile"; return; }
  $RUN "$B/$name-emb.wasm" /t --tree-only > "$B/$name-emb.txt" 2>&1
  $RUN --dir /t::"$dir" "$B/walk-host.wasm" /t --tree-only > "$B/$name-host.txt" 2>&1
  if cmp -s "$B/$name-emb.txt" "$B/$name-host.txt" && [ "$(wc -l < "$B/$name-emb.txt")" -ge "$min" ]; then
    ok "$name: embedded exactly ($(wc -l < "$B/$name-emb.txt") transcript lines)"
  else
    diff "$B/$name-host.txt" "$B/$name-emb.txt" | head -10
    bad "$name: embedded tree differs, or fewer than $min lines ($(wc -l < "$B/$name-emb.txt"))"
  fi
}
$CC $WASM_FLAGS -D_GNU_SOURCE -Wno-unused-result -Wl,-z,stack-size=1048576 tests/wasm/walk.c -o "$B/walk-host.wasm"

# deep: 300 nested directories, a file at the bottom
d=$B/deep; p=$d; i=0
while [ $i -lt 300 ]; do p=$p/d; i=$((i + 1)); done
mkdir -p "$p" && echo bottom > "$p/file"
same deep "$d" 300

# names: 255 bytes, not UTF-8, and characters C string literals must escape
n=$B/names; mkdir -p "$n"
long=$(printf '%0255d' 0 | tr 0 x)
echo long > "$n/$long"; mkdir "$n/d$(printf '%0254d' 0 | tr 0 y)"; echo in > "$n/d$(printf '%0254d' 0 | tr 0 y)/f"
for name in "$(printf 'bad\377\376utf8')" "$(printf '\200lead')" 'quote"s' 'back\slash' 'tri??=graph' \
            "$(printf 'new\nline')" "$(printf 'tab\there')" ' ' '...' '-dash' '%d%s' 'é'; do
  printf '%s\n' "$name" > "$n/$name"
done
ln -s "$(printf 'bad\377\376utf8')" "$n/link-to-bad"
same names "$n" 16

# many: 100,000 files in 100 directories
m=$B/many; mkdir -p "$m"
i=0; while [ $i -lt 100 ]; do mkdir "$m/$(printf 'd%02d' $i)"; i=$((i + 1)); done
awk -v root="$m" 'BEGIN { for (i = 0; i < 100000; i++) { f = sprintf("%s/d%02d/f%05d", root, i % 100, i); print "file " i > f; close(f) } }'
same many "$m" 100000

# files that change while being read: /proc's report size 0 but have content
if "$GEN" --mapdir /p::/proc/sys/kernel/random -o "$B/proc.c" 2> "$B/proc.err"; then
  bad "changing files: embedded without complaint"
elif grep -q "changed while being packed" "$B/proc.err" && [ ! -e "$B/proc.c" ]; then
  ok "changing files refused: $(cat "$B/proc.err")"
else
  bad "changing files: $(cat "$B/proc.err")"
fi

echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
