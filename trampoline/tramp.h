/* tramp.h — shared by the trampoline's files (wasm32 only).
 *
 * The guest's memory is our own linear memory, so guest pointers are plain
 * pointers; they are still checked against the memory's current size so a bad
 * pointer gets EFAULT, as from a host, rather than a trap or a silent write.
 */
#ifndef TRAMP_H
#define TRAMP_H

#include <stdint.h>

#include "wvfs_dir.h"
#include "wvfs_fdtab.h"
#include "wvfs_layers.h"
#include "wvfs_ops.h"

#include "wasi_params.h"

/* Per overridden row of wasi_calls.def: the real host import, and our override
 * of the symbol wasi-libc calls it through. */
#define WASI_IMPORT(name, params)                                                          \
    int32_t wvfs__host_##name(WVFS_MAP(DECL, WVFS_COMMA, params))                          \
        __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)));      \
    int32_t __imported_wasi_snapshot_preview1_##name(WVFS_MAP(DECL, WVFS_COMMA, params));
#define WASI_FD WASI_IMPORT
#define WASI_FDX WASI_IMPORT
#define WASI_OWN WASI_IMPORT
#include "wasi_calls.def"
#undef WASI_IMPORT

/* The library state: fd table and image; initialised on the first call.
 * Inline, as every call asks for it (V8's baseline tier, where a program's
 * first calls run, inlines nothing). */
extern struct wvfs_state wvfs__the_state;
extern int wvfs__ready;
void wvfs__init(void);
static inline struct wvfs_state *wvfs__state(void)
{
    if (!wvfs__ready)
        wvfs__init();
    return &wvfs__the_state;
}
/* The packed app image of a packable program (pack.c), or NULL. */
const struct wvfs_image *wvfs__packed(void);
/* With the packed image's files in a passive segment, the state told how to
 * copy them in (pack.c). */
void wvfs__pack_passive(struct wvfs_state *s);
/* WVFS_TRACE: report every image entry paths reach (trace.c). */
void wvfs__trace_start(struct wvfs_state *s);

/* Is [p, p+n) inside linear memory? */
static inline int wvfs__in_mem(int32_t p, uint64_t n)
{
    uint64_t size = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
    return (uint64_t)(uint32_t)p <= size && n <= size - (uint64_t)(uint32_t)p;
}
#define WVFS_PTR(p) ((void *)(uintptr_t)(uint32_t)(p))
/* An iovec array in memory, and every buffer it names: 1 if so. */
int wvfs__iovs_in_mem(int32_t iovs, int32_t n);
/* WASI passes its u8 and u16 enums and flag sets as i32: a value outside the
 * type is EINVAL, as wasmtime answers (node:wasi truncates it). */
#define WVFS_OUT_OF_U8(v) ((uint32_t)(v) > 0xffu)
#define WVFS_OUT_OF_U16(v) ((uint32_t)(v) > 0xffffu)

/* A row's checks, in this order: every guest pointer (PTR: EFAULT), then every
 * enum and flag at its full width (INT: EINVAL).  Each kind is a condition
 * that is true when the argument is bad. */
#define PTR_FD(n) 0
#define PTR_I32(n) 0
#define PTR_I64(n) 0
#define PTR_U8(n) 0
#define PTR_U16(n) 0
#define PTR_U32(n) 0
#define PTR_U64(n) 0
#define PTR_S64(n) 0
#define PTR_BUF(p, len) !wvfs__in_mem(p, (uint32_t)(len))
#define PTR_IOVS(p, n) !wvfs__iovs_in_mem(p, n)
#define PTR_OUT(p, T) !wvfs__in_mem(p, sizeof(T))
#define INT_FD(n) 0
#define INT_I32(n) 0
#define INT_I64(n) 0
#define INT_U8(n) WVFS_OUT_OF_U8(n)
#define INT_U16(n) WVFS_OUT_OF_U16(n)
#define INT_U32(n) 0
#define INT_U64(n) 0
#define INT_S64(n) 0
#define INT_BUF(p, len) 0
#define INT_IOVS(p, n) 0
#define INT_OUT(p, T) 0
#define WVFS_CHECK(params)                                                                 \
    ((WVFS_MAP(PTR, WVFS_OR, params)) ? WVFS_EFAULT                                        \
     : (WVFS_MAP(INT, WVFS_OR, params)) ? WVFS_EINVAL                                      \
                                        : WVFS_ESUCCESS)

/* An embedded fd's call after its checks: the arguments typed for lib/ (ARG),
 * and the handlers of WASI_FDX rows declared with them (PARAM). */
#define ARG_FD(n) f
#define ARG_I32(n) n
#define ARG_I64(n) n
#define ARG_U8(n) (uint8_t)(n)
#define ARG_U16(n) (uint16_t)(n)
#define ARG_U32(n) (uint32_t)(n)
#define ARG_U64(n) (uint64_t)(n)
#define ARG_S64(n) n
#define ARG_BUF(p, len) WVFS_PTR(p), (uint32_t)(len)
#define ARG_IOVS(p, n) (const struct wvfs_iovec *)WVFS_PTR(p), (uint32_t)(n)
#define ARG_OUT(p, T) (T *)WVFS_PTR(p)
#define PARAM_FD(n) struct wvfs_fd *f
#define PARAM_I32(n) int32_t n
#define PARAM_I64(n) int64_t n
#define PARAM_U8(n) uint8_t n
#define PARAM_U16(n) uint16_t n
#define PARAM_U32(n) uint32_t n
#define PARAM_U64(n) uint64_t n
#define PARAM_S64(n) int64_t n
#define PARAM_BUF(p, len) void *p, uint32_t len
#define PARAM_IOVS(p, n) const struct wvfs_iovec *p, uint32_t n
#define PARAM_OUT(p, T) T *p
#define WASI_FDX(name, params)                                                             \
    int32_t wvfs__vfs_##name(struct wvfs_state *s, WVFS_MAP(PARAM, WVFS_COMMA, params));
#include "wasi_calls.def"

#endif
