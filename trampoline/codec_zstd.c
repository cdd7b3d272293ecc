/* codec_zstd.c — wvfs_codec_zstd, the decoder of wasivfs-gen --compress.
 *
 * An image with compressed files references wvfs_codec_zstd, so this file,
 * and with it zstd's decompressor (-lzstd_dec), is linked only into programs
 * that need it.  One decompression context serves every image; each image's
 * dictionary is digested once, on its first file, and kept.  The generator
 * stores a dictionary as a zstd frame of its own (a fourth of its size on
 * CPython's library), decoded here into the buffer the digest refers to.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wasi_vfs.h"
#include "wvfs_format.h"

/* zstd's stable API (zstd.h), declared here so the library builds without
 * zstd's headers; only programs with compressed images link its code. */
typedef struct ZSTD_DCtx_s ZSTD_DCtx;
typedef struct ZSTD_DDict_s ZSTD_DDict;
typedef struct { const void *src; size_t size, pos; } ZSTD_inBuffer;
typedef struct { void *dst; size_t size, pos; } ZSTD_outBuffer;
typedef enum { ZSTD_reset_session_only = 1 } ZSTD_ResetDirective;
ZSTD_DCtx *ZSTD_createDCtx(void);
ZSTD_DDict *ZSTD_createDDict_byReference(const void *dict, size_t len); /* zstd's static API */
size_t ZSTD_decompressDCtx(ZSTD_DCtx *dctx, void *dst, size_t dstlen, const void *src, size_t srclen);
size_t ZSTD_DCtx_reset(ZSTD_DCtx *dctx, ZSTD_ResetDirective reset);
size_t ZSTD_DCtx_refDDict(ZSTD_DCtx *dctx, const ZSTD_DDict *ddict);
size_t ZSTD_decompressStream(ZSTD_DCtx *dctx, ZSTD_outBuffer *out, ZSTD_inBuffer *in);
unsigned long long ZSTD_getFrameContentSize(const void *src, size_t srclen);
unsigned ZSTD_isError(size_t code);

static ZSTD_DCtx *dctx;

static uint64_t zsize(const void *src, size_t n)
{
    unsigned long long r = ZSTD_getFrameContentSize(src, n);
    return r >= (unsigned long long)-2 ? UINT64_MAX : (uint64_t)r; /* unknown, or not a frame */
}

/* A dictionary stored as a frame starts with the frame magic (one stored
 * raw starts with zstd's dictionary magic instead). */
static ZSTD_DDict *digest(const unsigned char *dict, size_t len)
{
    uint32_t magic = len < 4 ? 0 : (uint32_t)dict[0] | (uint32_t)dict[1] << 8 | (uint32_t)dict[2] << 16 | (uint32_t)dict[3] << 24;
    if (magic != WVFS_ZSTD_MAGIC)
        return ZSTD_createDDict_byReference(dict, len); /* the image's bytes live as long */
    uint64_t raw = zsize(dict, len);
    void *buf = raw != UINT64_MAX && raw > 0 && raw <= SIZE_MAX ? malloc((size_t)raw) : NULL;
    ZSTD_DDict *d = NULL;
    if (buf != NULL && ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only) == 0 &&
        ZSTD_decompressDCtx(dctx, buf, (size_t)raw, dict, len) == raw)
        d = ZSTD_createDDict_byReference(buf, (size_t)raw); /* buf lives as long as d: no copy */
    if (d == NULL)
        free(buf);
    return d;
}

/* The dictionaries seen so far: one per linked image that has one. */
enum { MAX_DICTS = 16 };
static struct {
    const void *dict;
    ZSTD_DDict *ddict;
} dicts[MAX_DICTS];

static const ZSTD_DDict *digested(const void *dict, size_t len, int *err)
{
    *err = 0;
    if (dict == NULL || len == 0)
        return NULL;
    for (size_t i = 0; i < MAX_DICTS; i++) {
        if (dicts[i].dict == dict)
            return dicts[i].ddict;
        if (dicts[i].dict == NULL) {
            if ((dicts[i].ddict = digest(dict, len)) == NULL)
                break;
            dicts[i].dict = dict;
            return dicts[i].ddict;
        }
    }
    *err = 1; /* out of memory, a bad dictionary, or more dictionaries than slots */
    return NULL;
}

/* The first n bytes of src's content.  Streamed, so a prefix costs only
 * itself; zstd decodes straight into dst when the whole frame fits. */
static int unzstd(void *dst, size_t n, const void *src, size_t zn, const void *dict, size_t dictlen)
{
    int err = 0;
    if (dctx == NULL && (dctx = ZSTD_createDCtx()) == NULL)
        return 1;
    /* a frame stored without the dictionary (--hot) is decoded, and the
     * dictionary digested, without it */
    const ZSTD_DDict *ddict = wvfs__zstd_names_dict(src, zn) ? digested(dict, dictlen, &err) : NULL;
    if (err || ZSTD_isError(ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)) ||
        ZSTD_isError(ZSTD_DCtx_refDDict(dctx, ddict)))
        return 1;
    ZSTD_outBuffer out = {dst, n, 0};
    ZSTD_inBuffer in = {src, zn, 0};
    while (out.pos < n) {
        size_t ip = in.pos, op = out.pos, r = ZSTD_decompressStream(dctx, &out, &in);
        if (ZSTD_isError(r) || (in.pos == ip && out.pos == op))
            return 1; /* corrupt, or cut short */
        if (r == 0)
            break;    /* the frame ended */
    }
    return out.pos != n;
}

const struct wvfs_codec wvfs_codec_zstd = {unzstd, zsize};
