# env.sh — sourced by every interpreter script: the toolchain as the Makefile
# chose it (CC, SYSROOT, WASM_AR; WASI_SDK_PATH selects an official SDK's), an
# absolute BUILD (scripts cd into build folders), and the generator.
ROOT=$(pwd)
case ${BUILD:?} in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
if [ -n "${WASI_SDK_PATH:-}" ]; then
  : "${CC:=$WASI_SDK_PATH/bin/clang}" "${WASM_AR:=$WASI_SDK_PATH/bin/llvm-ar}"
  : "${SYSROOT:=$WASI_SDK_PATH/share/wasi-sysroot}"
else
  : "${CC:=clang-19}" "${WASM_AR:=llvm-ar-19}" "${SYSROOT:=$BUILD/sysroot}"
fi
case $SYSROOT in /*) ;; *) SYSROOT=$ROOT/$SYSROOT ;; esac
WASM_RANLIB=$(echo "$WASM_AR" | sed 's/llvm-ar/llvm-ranlib/')
CCW="$CC --target=wasm32-wasi --sysroot=$SYSROOT"
GEN=$BUILD/bin/wasivfs-gen

# COMPRESS=1 (the default): images stored zstd-compressed where it pays, and
# zstd's decompressor linked (-lzstd_dec); COMPRESS=0: stored raw.
COMPRESS=${COMPRESS:-1}
if [ "$COMPRESS" = 0 ]; then PACK="" PACKOPT=--no-compress; else PACK=--compress PACKOPT=""; fi
# Every interpreter is linked packable (wasivfs-gen pack puts an app into the
# finished module, no relink): the pack slot, and zstd's decoder whatever
# COMPRESS says, so any pack of it may compress.
ZDEC="-Wl,-u,wvfs_pack -Wl,-u,wvfs_codec_zstd -lzstd_dec"
WASM_STRIP=$(echo "$WASM_AR" | sed 's/llvm-ar/llvm-strip/')

# ship LINKED OUT: OUT is LINKED without names, debug or producer sections; the
# symbolized copy stays beside it as OUT's name with .sym.wasm, for profiling.
# With WASM_OPT=1 (the default) binaryen's wasm-opt -O2 runs on the code too:
# measured on CPython, -O2 takes 0.9 MB off its 6.6 MB in 26 s, -Oz 0.05 MB
# more in 44 s, so -O2.  WASM_OPT=0 only strips (test builds, and Ruby,
# whose asyncify pass already ran wasm-opt).  A relink that changed only
# data (an app's image made with --room, edited) keeps the optimized code of
# the last one (tools/wasm-relink): OUT.from records which link that was.
ship() {
  sym=${2%.wasm}.sym.wasm
  if [ "${WASM_OPT:-1}" = 1 ] && [ -f "$sym" ] && [ -f "$2" ] && [ -f "$2.from" ] &&
     [ "$(cksum < "$sym")" = "$(cat "$2.from")" ] && tools/wasm-relink "$sym" "$2" "$1" "$2"; then
    : # only data changed since OUT was optimized from the last link: its code stands
  elif [ "${WASM_OPT:-1}" = 1 ]; then
    wasm-opt -O2 --strip-debug --strip-producers "$1" -o "$2"
  else
    $WASM_STRIP --strip-all "$1" -o "$2"
  fi
  [ "$1" = "$sym" ] || mv "$1" "$sym"
  if [ "${WASM_OPT:-1}" = 1 ]; then cksum < "$sym" > "$2.from"; else rm -f "$2.from"; fi
}

# trace_runs PROGRAM RUNS LIST: run PROGRAM once per ';'-separated argument
# list in RUNS (shell words) with WVFS_TRACE=1, and write the embedded paths
# they used to LIST (wasivfs-gen --keep's input), after the globs in KEEP.
trace_runs() {
  prog=$1 runs=$2 list=$3
  printf '# kept for: %s\n' "$runs" > "$list"
  (set -f; for g in ${KEEP:-}; do printf '%s\n' "$g"; done) >> "$list" # globs stay globs
  rest=$runs
  while [ -n "$rest" ]; do
    run=${rest%%;*}
    case $rest in *\;*) rest=${rest#*;} ;; *) rest= ;; esac
    eval "set -- $run"
    tools/wasi-run --env WVFS_TRACE=1 "$prog" "$@" > /dev/null 2> "$list.err" ||
      echo "slim: '$run' exited non-zero (traced all the same)"
    grep '^wvfs-trace: ' "$list.err" >> "$list" || true
  done
  rm -f "$list.err"
}

# hot_list BASE LIST MOUNTS ARGS...: the files a bare start of an interpreter
# reads, for wasivfs-gen --hot (stored raw: no decoder run at start): MOUNTS
# (its own tree) packed raw into BASE (the interpreter with no image), run
# once traced on ARGS.  LIST is rewritten only when what it says changes, so
# the image made from it is remade only then.
hot_list() {
  base=$1 list=$2 mounts=$3; shift 3
  $GEN pack "$base" --no-compress $mounts -o "$list.wasm"
  tools/wasi-run --env WVFS_TRACE=1 "$list.wasm" "$@" 2>&1 > /dev/null | grep '^wvfs-read: ' > "$list.new" || true
  rm -f "$list.wasm"
  [ -s "$list.new" ] || { echo "hot: a traced start of $base read no file"; exit 1; }
  if cmp -s "$list.new" "$list"; then rm -f "$list.new"; else mv "$list.new" "$list"; fi
}

# replays SLIM KEEP ARGS...: the slim program, traced again on ARGS, resolves
# and lists exactly what the full run did (KEEP's trace lines, as trace_runs
# wrote them): slim answers every call the traced run made as the full image
# does.  Leaves KEEP.full and KEEP.replay (sorted) for a diff.
replays() {
  slim=$1 keep=$2; shift 2
  tools/wasi-run --env WVFS_TRACE=1 "$slim" "$@" 2>&1 > /dev/null | grep '^wvfs-trace: ' | sort > "$keep.replay"
  grep '^wvfs-trace: ' "$keep" | sort > "$keep.full"
  [ -s "$keep.full" ] && cmp -s "$keep.full" "$keep.replay"
}

# pack_app BASE OUT GEN-ARGS...: OUT is the packable interpreter BASE with an
# app image of GEN-ARGS (wasivfs-gen pack: no compiler, no linker, under a
# second).  SLIM='ARGS; ...' (and KEEP='GLOB ...'): OUT's runs of those are
# traced, and OUT is packed again, into SLIM_BASE (the interpreter with no
# image) with only what they used of SLIM_MOUNTS (its own tree) and the app.
pack_app() {
  base=$1 out=$2; shift 2
  $GEN pack "$base" $PACKOPT "$@" -o "$out" --report-json "${out%.wasm}.json" --report-html "${out%.wasm}.html"
  if [ -n "${SLIM:-}" ]; then
    trace_runs "$out" "$SLIM" "${out%.wasm}.keep"
    $GEN pack "$SLIM_BASE" $PACKOPT --keep "${out%.wasm}.keep" $SLIM_MOUNTS "$@" -o "$out" \
      --report-json "${out%.wasm}.json" --report-html "${out%.wasm}.html"
  fi
}

# sizes NAME OUT REPORT.json: OUT's size split into the interpreter and its image
sizes() {
  total=$(stat -c %s "$2")
  image=$(sed -n 's/^{.*, "raw": [0-9]*, "stored": \([0-9]*\), .*/\1/p' "$3")
  awk -v n="$1" -v o="$2" -v t="$total" -v i="$image" 'BEGIN {
    printf "%s: %s %.1f MB = %.1f MB interpreter + %.1f MB image\n", n, o, t / 1e6, (t - i) / 1e6, i / 1e6 }'
}
