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
