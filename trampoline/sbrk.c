/* sbrk.c — wasi-libc's sbrk, with one answer changed for packed programs.
 *
 * In a packed program (pack.c) the app image lies in pages [lo, hi) at the
 * end of the memory as linked.  Debian 12's wasi-libc takes its first heap
 * region from __heap_base up to sbrk(0), which would be hi; so while memory
 * has not grown past hi, sbrk(0) answers lo.  Every other call is
 * wasi-libc's: whole pages from memory.grow.
 *
 * Its own file, and the slot referenced weakly, so a program that is not
 * packable links this sbrk (it is found before libc's) without pack.o and
 * the layer, index and decoder code pack.o pulls in.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi_vfs.h"

extern struct wvfs_pack wvfs_pack __attribute__((weak));

#define PAGE 65536u

/* The break is where the memory ended as linked, for a packed program
 * whose memory has not grown; otherwise the memory's end. */
static uintptr_t brk_now(void)
{
    uintptr_t end = __builtin_wasm_memory_size(0) * PAGE;
    if (&wvfs_pack == NULL)
        return end;
    const volatile struct wvfs_pack *p = &wvfs_pack; /* pack wrote it after the link */
    uint32_t hi = p->hi;
    return hi != 0 && end == hi ? p->lo : end;
}

void *sbrk(intptr_t increment)
{
    if (increment == 0)
        return (void *)brk_now();
    if (increment < 0 || (uintptr_t)increment % PAGE != 0)
        abort(); /* as wasi-libc's: the allocator asks only for whole pages */
    uintptr_t old = __builtin_wasm_memory_grow(0, (uintptr_t)increment / PAGE);
    if (old == SIZE_MAX) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)(old * PAGE);
}
