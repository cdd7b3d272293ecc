/* compress.c — --compress: each file (or solid block, blocks.c) stored
 * zstd-compressed where that saves a tenth, with one compression context for
 * every file and, for a tree big enough to learn from, a dictionary made of
 * some of its files.  Files compressed one by one lose what they share
 * (make bench, 10d); the dictionary gives that back
 * while each file stays its own frame, readable on its own.  The dictionary
 * itself is stored compressed.  Built without zstd (no libzstd-dev), --compress says so.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "wvfs_format.h"

#ifdef WVFS_HAVE_ZSTD
#include <zdict.h>
#include <zstd.h>

#define ZLEVEL 19
#define SMALLEST 256                 /* smaller files are stored raw */
#define DICT_STRIDE 3                /* the dictionary takes every third unit by size, */
#define DICT_SHARE 5                 /* at most a fifth of the samples (and --dict-max) */
#define DICT_TABLES_MAX (64u << 10)  /* room for its entropy tables */
#define SAMPLES_MAX ((size_t)64 << 20) /* training reads at most this much */
#define SEEKABLE_MIN ((size_t)1 << 20) /* files this large are stored seekable ... */
#define SEEK_FRAME ((size_t)256 << 10)  /* ... in frames of this many raw bytes:
                                        * larger frames compress better, smaller
                                        * ones cost less to read untouched (make
                                        * bench, 11e) */

struct zstate {
    ZSTD_CCtx *cctx;
    ZSTD_CDict *cdict;               /* NULL: no dictionary */
    unsigned char *dict;
    size_t dict_len;
    unsigned char *zdict;            /* the dictionary as stored: one zstd frame */
    size_t zdict_len;                /* 0: stored raw */
};

int compress_available(void)
{
    return 1;
}

/* What node n adds to the samples: its bytes, or its block's when it comes
 * first in one; 0 for a block's other files. */
static uint64_t unit_size(const struct gen *g, uint32_t n)
{
    if (g->nodes[n].type != WVFS_FILETYPE_REGULAR_FILE)
        return 0;
    uint32_t b = g->blk_of[n];
    if (b == UINT32_MAX)
        return g->nodes[n].size;
    if (g->blk_nodes[g->blk_start[b]] != n)
        return 0;
    uint64_t t = 0;
    for (uint32_t i = g->blk_start[b]; i < g->blk_start[b + 1]; i++)
        t += g->nodes[g->blk_nodes[i]].size;
    return t;
}

/* Units (files, and blocks by their first file) by size, then node: the
 * order the dictionary's files are chosen in.  Each sorted with its size, as
 * qsort passes no context. */
struct sized {
    uint64_t size;
    uint32_t node;
};
static int by_size(const void *a, const void *b)
{
    const struct sized *x = a, *y = b;
    return x->size != y->size ? (x->size < y->size ? -1 : 1) : (x->node > y->node) - (x->node < y->node);
}

/* The units, sized and copied end to end once (the walk knows every size,
 * and read_file refuses a file that changed since): zstd's samples. */
static unsigned char *samples(const struct gen *g, const uint32_t *units, unsigned n, size_t total,
                              size_t *sizes)
{
    unsigned char *all = xrealloc(NULL, total);
    size_t at = 0;
    for (unsigned k = 0; k < n; k++) {
        size_t size;
        unsigned char *buf = read_unit(g, units[k], &size);
        sizes[k] = size < total - at ? size : total - at;
        memcpy(all + at, buf, sizes[k]);
        at += sizes[k];
        free(buf);
    }
    return all;
}

/* The dictionary is made of the tree's own files: every DICT_STRIDE-th
 * unit by size from the smallest, up to the dictionary's budget, with
 * zstd's entropy tables for the samples in front.  A file in it compresses
 * to one match (a frame of some 20 bytes), so its bytes are stored once, in
 * the dictionary's frame, instead of a trained dictionary's bytes coming on
 * top of every file's own. */
static void make_dict(struct gen *g, struct zstate *z)
{
    size_t total = 0;
    unsigned ns = 0;
    uint32_t *units = xrealloc(NULL, (size_t)g->nnodes * sizeof *units);
    for (uint32_t n = 0; n < g->nnodes && total < SAMPLES_MAX; n++) {
        uint64_t u = unit_size(g, n);
        if (u >= SMALLEST) {
            total += u < SAMPLES_MAX - total ? (size_t)u : SAMPLES_MAX - total;
            units[ns++] = n;
        }
    }
    size_t cap = total / DICT_SHARE < g->dict_max ? total / DICT_SHARE : g->dict_max;
    if (ns < 100 || cap < 4096) { /* below ~100 samples zstd's tables are poor: go without */
        free(units);
        return;
    }
    size_t *sizes = xrealloc(NULL, ns * sizeof *sizes);
    unsigned char *all = samples(g, units, ns, total, sizes);
    struct sized *order = xrealloc(NULL, ns * sizeof *order);
    for (unsigned k = 0; k < ns; k++)
        order[k] = (struct sized){unit_size(g, units[k]), units[k]};
    qsort(order, ns, sizeof *order, by_size);
    for (unsigned k = 0; k < ns; k++)
        units[k] = order[k].node;
    free(order);
    unsigned nd = 0;
    size_t len = 0;
    for (unsigned k = 0; k < ns && unit_size(g, units[k]) <= cap - len; k += DICT_STRIDE) {
        len += (size_t)unit_size(g, units[k]);
        units[nd++] = units[k];
    }
    size_t *dsizes = xrealloc(NULL, (nd + 1) * sizeof *dsizes);
    unsigned char *content = samples(g, units, nd, len, dsizes);
    size_t room = len + DICT_TABLES_MAX;
    z->dict = xrealloc(NULL, room);
    ZDICT_params_t p = {.compressionLevel = ZLEVEL};
    size_t r = ZDICT_finalizeDictionary(z->dict, room, content, len, all, sizes, ns, p);
    if (!ZDICT_isError(r)) {
        z->dict_len = r;
        z->cdict = ZSTD_createCDict(z->dict, r, ZLEVEL);
        if (z->cdict == NULL)
            fail("out of memory");
        /* Stored as a frame of its own, which the codec decodes once. */
        size_t cap2 = ZSTD_compressBound(r);
        z->zdict = xrealloc(NULL, cap2);
        z->zdict_len = ZSTD_compressCCtx(z->cctx, z->zdict, cap2, z->dict, r, ZLEVEL);
        if (ZSTD_isError(z->zdict_len) || z->zdict_len >= r)
            z->zdict_len = 0;
    }
    free(content);
    free(dsizes);
    free(all);
    free(sizes);
    free(units);
}

void compress_start(struct gen *g)
{
    struct zstate *z = xrealloc(NULL, sizeof *z);
    memset(z, 0, sizeof *z);
    z->cctx = ZSTD_createCCtx();
    if (z->cctx == NULL)
        fail("out of memory");
    make_dict(g, z);
    g->z = z; /* the generator's to the end: it exits when done */
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

#ifdef WVFS_HAVE_ZSTD
static size_t one_frame(struct zstate *z, unsigned char *out, size_t cap, const unsigned char *buf, size_t n,
                        int nodict)
{
    return z->cdict && !nodict ? ZSTD_compress_usingCDict(z->cctx, out, cap, buf, n, z->cdict)
                               : ZSTD_compressCCtx(z->cctx, out, cap, buf, n, ZLEVEL);
}

/* A solid block: one frame, where the first file's bytes end a zstd block
 * (a flush), so a decoder reaches the end of that file having decoded
 * nothing after it. */
static size_t split_frame(struct zstate *z, unsigned char *out, size_t cap, const unsigned char *buf, size_t n,
                          size_t first)
{
    ZSTD_CCtx *c = z->cctx;
    size_t r = ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, ZLEVEL);
    if (!ZSTD_isError(r) && z->cdict)
        r = ZSTD_CCtx_refCDict(c, z->cdict);
    if (!ZSTD_isError(r))
        r = ZSTD_CCtx_setPledgedSrcSize(c, n);
    ZSTD_outBuffer o = {out, cap, 0};
    ZSTD_inBuffer a = {buf, first, 0}, b = {buf + first, n - first, 0};
    while (!ZSTD_isError(r) && (a.pos < a.size || r != 0))
        r = ZSTD_compressStream2(c, &o, &a, ZSTD_e_flush);
    do
        r = ZSTD_isError(r) ? r : ZSTD_compressStream2(c, &o, &b, ZSTD_e_end);
    while (!ZSTD_isError(r) && r != 0);
    ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
    return ZSTD_isError(r) ? r : o.pos;
}

static void le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* zstd's seekable format: frames of SEEK_FRAME raw bytes (the last shorter),
 * then the seek table as a skippable frame (zstd -d reads it all as one
 * stream); its size, or 0 when a frame fails. */
static size_t seekable(struct zstate *z, unsigned char *out, size_t cap, const unsigned char *buf, size_t n,
                       int nodict)
{
    size_t nframes = (n + SEEK_FRAME - 1) / SEEK_FRAME, at = 0;
    size_t table = WVFS_SKIP_HEADER + nframes * WVFS_SEEK_ENTRY + WVFS_SEEK_FOOTER;
    uint32_t *csize = xrealloc(NULL, nframes * sizeof *csize);
    for (size_t i = 0; i < nframes; i++) {
        size_t k = n - i * SEEK_FRAME < SEEK_FRAME ? n - i * SEEK_FRAME : SEEK_FRAME;
        size_t r = at + table < cap ? one_frame(z, out + at, cap - at - table, buf + i * SEEK_FRAME, k, nodict)
                                    : (size_t)-1;
        if (ZSTD_isError(r)) {
            free(csize);
            return 0;
        }
        csize[i] = (uint32_t)r;
        at += r;
    }
    unsigned char *t = out + at;
    le32(t, WVFS_SKIPPABLE_MAGIC);             /* a skippable frame ... */
    le32(t + 4, (uint32_t)(table - WVFS_SKIP_HEADER)); /* ... of this many bytes */
    for (size_t i = 0; i < nframes; i++) {
        size_t k = n - i * SEEK_FRAME < SEEK_FRAME ? n - i * SEEK_FRAME : SEEK_FRAME;
        le32(t + 8 + i * 8, csize[i]);
        le32(t + 12 + i * 8, (uint32_t)k);
    }
    le32(t + 8 + nframes * 8, (uint32_t)nframes);
    t[12 + nframes * 8] = 0;                   /* descriptor: no checksums */
    le32(t + 13 + nframes * 8, WVFS_SEEKABLE_MAGIC); /* the seekable format's magic */
    free(csize);
    return at + table;
}
#endif

/* Compress a file's bytes when that saves at least a tenth (and 64 bytes):
 * returns the compressed copy and its size, or NULL to store it raw.  Files
 * of SEEKABLE_MIN bytes or more are stored seekable, so a read decodes only
 * the frames it touches.  hot: a file every start reads (--hot), stored raw
 * below SEEKABLE_MIN, so a start that reads only hot files runs no decoder
 * at all: under node, the decoder's first use in a process costs more time
 * and memory than a few kilobytes of raw bytes carried (docs/performance.md);
 * a larger one is compressed without the dictionary. */
unsigned char *squeeze(struct gen *g, const unsigned char *buf, size_t size, size_t first, int hot,
                       size_t *zsize, uint8_t *zform)
{
#ifdef WVFS_HAVE_ZSTD
    struct zstate *z = g->z;
    int seek = size >= SEEKABLE_MIN && first == 0;
    if (z == NULL || size < SMALLEST || (hot && !seek))
        return NULL;
    size_t cap = ZSTD_compressBound(size) + (seek ? (size / SEEK_FRAME + 1) * (8 + ZSTD_compressBound(0)) + 32 : 64);
    unsigned char *out = xrealloc(NULL, cap);
    size_t r = seek ? seekable(z, out, cap, buf, size, hot)
             : first ? split_frame(z, out, cap, buf, size, first)
                     : one_frame(z, out, cap, buf, size, 0);
    if (r == 0 || ZSTD_isError(r) || r + 64 > size - size / 10 || r > UINT32_MAX) {
        free(out);
        return NULL;
    }
    *zsize = r;
    *zform = seek ? WVFS_Z_SEEKABLE : WVFS_Z_FRAME;
    return out;
#else
    (void)g, (void)buf, (void)size, (void)first, (void)hot, (void)zsize, (void)zform;
    return NULL;
#endif
}

/* The dictionary every file was compressed with, as stored, or NULL (*len 0). */
const unsigned char *compress_dict(const struct gen *g, size_t *len)
{
    *len = 0;
#ifdef WVFS_HAVE_ZSTD
    if (g->z != NULL && g->z->zdict_len > 0) {
        *len = g->z->zdict_len;
        return g->z->zdict;
    }
    if (g->z != NULL && g->z->dict_len > 0) {
        *len = g->z->dict_len;
        return g->z->dict;
    }
#else
    (void)g;
#endif
    return NULL;
}
