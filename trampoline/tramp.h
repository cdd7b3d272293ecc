/* tramp.h — shared by the trampoline's files (wasm32 only).
 *
 * The guest's memory is our own linear memory, so guest pointers are plain
 * pointers; they are still checked against the memory's current size so a bad
 * pointer gets EFAULT, as from a host, rather than a trap or a silent write.
 */
#ifndef TRAMP_H
#define TRAMP_H

#include <stdint.h>

#include "wvfs.h"

/* Per overridden row of wasi_calls.def: the real host import, and our override
 * of the symbol wasi-libc calls it through. */
#define WASI_IMPORT(name, params, args)                                                    \
    int32_t wvfs__host_##name params                                                       \
        __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)));      \
    int32_t __imported_wasi_snapshot_preview1_##name params;
#define WASI_FD WASI_IMPORT
#define WASI_OWN WASI_IMPORT
#define WASI_PASS(name, params, args)
#include "wasi_calls.def"
#undef WASI_FD
#undef WASI_OWN
#undef WASI_PASS
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
/* WVFS_TRACE: report every image entry paths reach (trace.c). */
void wvfs__trace_start(struct wvfs_state *s);

/* Is [p, p+n) inside linear memory? */
static inline int wvfs__in_mem(int32_t p, uint64_t n)
{
    uint64_t size = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
    return (uint64_t)(uint32_t)p <= size && n <= size - (uint64_t)(uint32_t)p;
}
#define WVFS_PTR(p) ((void *)(uintptr_t)(uint32_t)(p))
/* WASI passes its u8 and u16 enums and flag sets as i32: a value outside the
 * type is EINVAL, as wasmtime answers (node:wasi truncates it). */
#define WVFS_OUT_OF_U8(v) ((uint32_t)(v) > 0xffu)
#define WVFS_OUT_OF_U16(v) ((uint32_t)(v) > 0xffffu)

/* Handlers for embedded fds, named vfs_<call> after the WASI_FD rows. */
#define WVFS_REST(fd, ...) , ##__VA_ARGS__ /* a row's params without its fd */
#define WASI_FD(name, params, args) int32_t wvfs__vfs_##name(struct wvfs_fd *f WVFS_REST params);
#define WASI_OWN(name, params, args)
#define WASI_PASS(name, params, args)
#include "wasi_calls.def"
#undef WASI_FD
#undef WASI_OWN
#undef WASI_PASS

#endif
