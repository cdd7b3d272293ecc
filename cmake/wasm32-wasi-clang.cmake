# wasm32-wasi-clang.cmake — a CMake toolchain file for Debian's clang (or any
# clang with the WebAssembly target) and a wasi-sysroot holding wasi-libc and
# libwasi_vfs (make install-sysroot WASI_SYSROOT_DIR=...):
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi-clang.cmake -DWASI_SYSROOT=/path/to/sysroot ..
#
# WASI_CLANG names the compiler (default clang-19, else clang).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
if(NOT WASI_SYSROOT)
  set(WASI_SYSROOT "$ENV{WASI_SYSROOT}")
endif()
if(NOT WASI_SYSROOT)
  message(FATAL_ERROR "set WASI_SYSROOT to a wasi-sysroot (make install-sysroot makes one)")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES WASI_SYSROOT WASI_CLANG)
if(NOT WASI_CLANG)
  find_program(WASI_CLANG NAMES clang-19 clang REQUIRED)
endif()
set(CMAKE_C_COMPILER "${WASI_CLANG}")
set(CMAKE_CXX_COMPILER "${WASI_CLANG}++")
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)
set(CMAKE_SYSROOT "${WASI_SYSROOT}")
set(CMAKE_EXECUTABLE_SUFFIX_C ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX_CXX ".wasm")
set(CMAKE_FIND_ROOT_PATH "${WASI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
