/* pack.c — what makes a finished program packable (`wasivfs-gen pack`).
 *
 * Linked only when asked for (-Wl,-u,wvfs_pack): the slot pack finds and
 * writes (wasi_vfs.h, struct wvfs_pack), the library files a packed image may
 * need (layer merge, path index, compressed files).  sbrk.c keeps the heap
 * off the image.
 *
 * Where the image lives and why the heap never reaches it: pack puts the
 * app image in whole pages from the end of the module's initial memory as
 * linked (lo) and raises the memory's minimum to their end (hi).  wasi-libc's
 * allocator takes its first region from __heap_base up to __heap_end, which
 * wasm-ld fixes at link time to lo (wasi-libc 2023 and later), or, in older
 * ones (Debian 12's), up to sbrk(0): sbrk.c's sbrk answers lo for that
 * question while memory has not grown past hi.  Every later page comes from
 * memory.grow, which only hands out pages above the current size, so past
 * hi.  The stack and static data lie below lo.  The image is never written.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tramp.h"

extern const char wvfs__layers_linked, wvfs__pidx_linked, wvfs__zfile_linked;
extern const struct wvfs_codec wvfs_codec_zstd __attribute__((weak));

/* Not const: pack changes it after the link, so nothing may fold it. */
struct wvfs_pack wvfs_pack = {
    .magic = WVFS_PACK_MAGIC,
    .self = (uint32_t)(uintptr_t)&wvfs_pack,
    .abi = WVFS_IMAGE_ABI,
    .base = (uint32_t)(uintptr_t)&wvfs_image,
    .codec = (uint32_t)(uintptr_t)&wvfs_codec_zstd,
};

/* Whatever a packed image may use, so pack never needs a relink. */
const char *const wvfs__pack_pulls[] = {&wvfs__layers_linked, &wvfs__pidx_linked, &wvfs__zfile_linked};

static uint32_t word(const uint32_t *p)
{
    return *(const volatile uint32_t *)p;
}

const struct wvfs_image *wvfs__packed(void)
{
    return (const struct wvfs_image *)(uintptr_t)word(&wvfs_pack.image);
}

/* The function pack added, through the table entry the slot names:
 * memory.init of the files' segment, copy(at, at - lo, len). */
static void copyin(const char *at, size_t len)
{
    typedef void copy_fn(uint32_t at, uint32_t off, uint32_t len);
    copy_fn *copy = (copy_fn *)(uintptr_t)word(&wvfs_pack.copy);
    uint32_t a = (uint32_t)(uintptr_t)at, blo = word(&wvfs_pack.blo), bhi = word(&wvfs_pack.bhi);
    /* the segment: the linked images' files [blo, bhi), then the packed ones from lo */
    uint32_t off = a >= blo && a < bhi ? a - blo : (bhi - blo) + (a - word(&wvfs_pack.lo));
    copy(a, off, (uint32_t)len);
}

void wvfs__pack_passive(struct wvfs_state *s)
{
    if (word(&wvfs_pack.image) == 0 || word(&wvfs_pack.copy) == 0)
        return;
    uint32_t blo = word(&wvfs_pack.blo);
    s->flo = (const char *)(uintptr_t)(blo < word(&wvfs_pack.bhi) ? blo : word(&wvfs_pack.lo));
    s->fhi = (const char *)(uintptr_t)word(&wvfs_pack.fend);
    s->present = calloc(((size_t)s->img->nnodes + 7) / 8 + (s->nparts ? s->nparts : 1), 1);
    if (s->present == NULL) { /* no room to track them: all of them now */
        uint32_t bhi = word(&wvfs_pack.bhi), lo = word(&wvfs_pack.lo);
        if (blo < bhi)
            copyin((const char *)(uintptr_t)blo, bhi - blo);
        copyin((const char *)(uintptr_t)lo, (size_t)(s->fhi - (const char *)(uintptr_t)lo));
        return;
    }
    s->copyin = copyin;
    s->fetch = wvfs__fetch_passive;
}
