/* compress.c — --compress: each file stored zstd-compressed where that saves
 * a tenth, with one compression context for every file and, for a tree big
 * enough to learn from, a dictionary trained on its files.  Files compressed
 * one by one lose what they share (CPython's library: 31% of raw alone); the
 * dictionary gives that back while each file stays its own frame, readable
 * on its own.  Built without zstd (no libzstd-dev), --compress says so.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#ifdef WVFS_HAVE_ZSTD
#include <zdict.h>
#include <zstd.h>

#define ZLEVEL 19
#define SMALLEST 256                 /* smaller files are stored raw */
#define DICT_MAX (512u << 10)        /* measured on CPython's library: 112 KiB (zstd's
                                      * default) 27.4% of raw, 512 KiB 26.3%, 1 MiB 26.8% */
#define SAMPLES_MAX ((size_t)64 << 20) /* training reads at most this much */

struct zstate {
    ZSTD_CCtx *cctx;
    ZSTD_CDict *cdict;               /* NULL: no dictionary */
    unsigned char *dict;
    size_t dict_len;
};

int compress_available(void)
{
    return 1;
}

static void train_dict(struct gen *g, struct zstate *z)
{
    /* The walk knows every size (read_file refuses a file that changed since),
     * so the samples are sized first and allocated once. */
    size_t total = 0;
    unsigned ns = 0;
    for (uint32_t n = 0; n < g->nnodes && total < SAMPLES_MAX; n++)
        if (g->nodes[n].type == WVFS_FILETYPE_REGULAR_FILE && g->nodes[n].size >= SMALLEST) {
            total += g->nodes[n].size < SAMPLES_MAX - total ? (size_t)g->nodes[n].size : SAMPLES_MAX - total;
            ns++;
        }
    unsigned char *all = xrealloc(NULL, total);
    size_t *sizes = xrealloc(NULL, ns * sizeof *sizes), at = 0;
    for (uint32_t n = 0, k = 0; k < ns; n++) {
        if (g->nodes[n].type != WVFS_FILETYPE_REGULAR_FILE || g->nodes[n].size < SMALLEST)
            continue;
        size_t size;
        unsigned char *buf = read_file(g, n, &size);
        sizes[k] = size < total - at ? size : total - at;
        memcpy(all + at, buf, sizes[k]);
        at += sizes[k++];
        free(buf);
    }
    /* Below ~100 samples or 40x the dictionary, zstd trains poorly: go without. */
    size_t cap = total / 40 < DICT_MAX ? total / 40 : DICT_MAX;
    if (ns >= 100 && cap >= 4096) {
        z->dict = xrealloc(NULL, cap);
        size_t r = ZDICT_trainFromBuffer(z->dict, cap, all, sizes, ns);
        if (!ZDICT_isError(r)) {
            z->dict_len = r;
            z->cdict = ZSTD_createCDict(z->dict, r, ZLEVEL);
            if (z->cdict == NULL)
                fail("out of memory");
        }
    }
    free(all);
    free(sizes);
}


void compress_start(struct gen *g)
{
    static struct zstate z;
    z.cctx = ZSTD_createCCtx();
    if (z.cctx == NULL)
        fail("out of memory");
    train_dict(g, &z);
    g->z = &z;
}
#else
int compress_available(void)
{
    return 0;
}

void compress_start(struct gen *g)
{
    (void)g;
}
#endif

/* Compress a file's bytes when that saves at least a tenth (and 64 bytes):
 * returns the compressed copy and its size, or NULL to store it raw. */
unsigned char *squeeze(struct gen *g, const unsigned char *buf, size_t size, size_t *zsize)
{
#ifdef WVFS_HAVE_ZSTD
    struct zstate *z = g->z;
    if (z == NULL || size < SMALLEST)
        return NULL;
    size_t cap = ZSTD_compressBound(size);
    unsigned char *out = xrealloc(NULL, cap);
    size_t r = z->cdict ? ZSTD_compress_usingCDict(z->cctx, out, cap, buf, size, z->cdict)
                      : ZSTD_compressCCtx(z->cctx, out, cap, buf, size, ZLEVEL);
    if (ZSTD_isError(r) || r + 64 > size - size / 10 || r > UINT32_MAX) {
        free(out);
        return NULL;
    }
    *zsize = r;
    return out;
#else
    (void)g, (void)buf, (void)size, (void)zsize;
    return NULL;
#endif
}

/* The dictionary every file was compressed with, or NULL (*len 0). */
const unsigned char *compress_dict(const struct gen *g, size_t *len)
{
    *len = 0;
#ifdef WVFS_HAVE_ZSTD
    if (g->z != NULL && g->z->dict_len > 0) {
        *len = g->z->dict_len;
        return g->z->dict;
    }
#else
    (void)g;
#endif
    return NULL;
}
