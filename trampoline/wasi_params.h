/* wasi_params.h — what a parameter of a wasi_calls.def row is, and what each
 * kind becomes where a row is expanded.  A row lists its parameters by kind:
 *
 *   FD(n)        the fd the call is routed by (host, embedded, or EBADF)
 *   I32(n) I64(n)  passed as they are, never checked (calls not overridden,
 *                and poll_oneoff, which checks its own)
 *   U8(n) U16(n) an enum or flag set WASI passes as i32: a value past the
 *                type is EINVAL, as wasmtime answers (node:wasi truncates)
 *   U32(n) U64(n) S64(n)  integers of the full width of their i32/i64
 *   BUF(p, len)  guest bytes [p, p + len)
 *   IOVS(p, n)   an iovec array of n entries, and every buffer it names
 *   OUT(p, T)    a T the call writes at p
 *
 * Each kind expands through one of the modes below; WVFS_MAP applies a mode
 * to every parameter of a row, so a call's signature, its checks and its
 * arguments to lib/ all come from the row.  Shared with the tests, which
 * sweep every row.
 */
#ifndef WASI_PARAMS_H
#define WASI_PARAMS_H

/* The kinds as (KIND, args) pairs, taken apart by the modes. */
#define FD(n) (FD, n)
#define I32(n) (I32, n)
#define I64(n) (I64, n)
#define U8(n) (U8, n)
#define U16(n) (U16, n)
#define U32(n) (U32, n)
#define U64(n) (U64, n)
#define S64(n) (S64, n)
#define BUF(p, len) (BUF, p, len)
#define IOVS(p, n) (IOVS, p, n)
#define OUT(p, T) (OUT, p, T)

/* WVFS_MAP(MODE, SEP, params): MODE_KIND(args) for each parameter, SEP()
 * between them (a row has at most 9). */
#define WVFS_CAT(a, b) WVFS_CAT_(a, b)
#define WVFS_CAT_(a, b) a##b
#define WVFS_NARGS(...) WVFS_NARGS_(__VA_ARGS__, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define WVFS_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, n, ...) n
#define WVFS_APPLY(mode, kind, ...) mode##_##kind(__VA_ARGS__)
#define WVFS_MAP(mode, sep, params) WVFS_MAP_(mode, sep, WVFS_UNPAREN params)
#define WVFS_UNPAREN(...) __VA_ARGS__
#define WVFS_MAP_(mode, sep, ...) WVFS_CAT(WVFS_MAP_, WVFS_NARGS(__VA_ARGS__))(mode, sep, __VA_ARGS__)
#define WVFS_APPLY1(mode, p) WVFS_APPLY2(mode, WVFS_UNPAREN p)
#define WVFS_APPLY2(mode, ...) WVFS_APPLY(mode, __VA_ARGS__)
#define WVFS_MAP_1(m, s, a) WVFS_APPLY1(m, a)
#define WVFS_MAP_2(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_1(m, s, __VA_ARGS__)
#define WVFS_MAP_3(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_2(m, s, __VA_ARGS__)
#define WVFS_MAP_4(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_3(m, s, __VA_ARGS__)
#define WVFS_MAP_5(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_4(m, s, __VA_ARGS__)
#define WVFS_MAP_6(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_5(m, s, __VA_ARGS__)
#define WVFS_MAP_7(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_6(m, s, __VA_ARGS__)
#define WVFS_MAP_8(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_7(m, s, __VA_ARGS__)
#define WVFS_MAP_9(m, s, a, ...) WVFS_APPLY1(m, a) s() WVFS_MAP_8(m, s, __VA_ARGS__)
#define WVFS_COMMA() ,
#define WVFS_OR() ||
#define WVFS_PLUS() +

/* DECL: the core-wasm signature, as the import and wasi-libc see it. */
#define DECL_FD(n) int32_t n
#define DECL_I32(n) int32_t n
#define DECL_I64(n) int64_t n
#define DECL_U8(n) int32_t n
#define DECL_U16(n) int32_t n
#define DECL_U32(n) int32_t n
#define DECL_U64(n) int64_t n
#define DECL_S64(n) int64_t n
#define DECL_BUF(p, len) int32_t p, int32_t len
#define DECL_IOVS(p, n) int32_t p, int32_t n
#define DECL_OUT(p, T) int32_t p

/* NAME: the arguments as they came, to pass on. */
#define NAME_FD(n) n
#define NAME_I32(n) n
#define NAME_I64(n) n
#define NAME_U8(n) n
#define NAME_U16(n) n
#define NAME_U32(n) n
#define NAME_U64(n) n
#define NAME_S64(n) n
#define NAME_BUF(p, len) p, len
#define NAME_IOVS(p, n) p, n
#define NAME_OUT(p, T) p

/* USED: each argument named, for rows whose checks read only some of them. */
#define USED_FD(n) (void)(n)
#define USED_I32(n) (void)(n)
#define USED_I64(n) (void)(n)
#define USED_U8(n) (void)(n)
#define USED_U16(n) (void)(n)
#define USED_U32(n) (void)(n)
#define USED_U64(n) (void)(n)
#define USED_S64(n) (void)(n)
#define USED_BUF(p, len) (void)(p), (void)(len)
#define USED_IOVS(p, n) (void)(p), (void)(n)
#define USED_OUT(p, T) (void)(p)

/* NARROW: 1 for an enum or flag parameter (the full-width tests sweep them). */
#define NARROW_FD(n) 0
#define NARROW_I32(n) 0
#define NARROW_I64(n) 0
#define NARROW_U8(n) 1
#define NARROW_U16(n) 1
#define NARROW_U32(n) 0
#define NARROW_U64(n) 0
#define NARROW_S64(n) 0
#define NARROW_BUF(p, len) 0
#define NARROW_IOVS(p, n) 0
#define NARROW_OUT(p, T) 0

#endif
