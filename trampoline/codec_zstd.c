/* codec_zstd.c — wvfs_codec_zstd, the decoder of wasivfs-gen --compress.
 *
 * An image with compressed files references wvfs_codec_zstd, so this file,
 * and with it zstd's decompressor (-lzstd_dec), is linked only into programs
 * that need it.  One decompression context serves every image; each image's
 * dictionary is digested once, on its first file, and kept.
 */
#include <stddef.h>

#include "wasi_vfs.h"

/* zstd's stable API (zstd.h), declared here so the library builds without
 * zstd's headers; only programs with compressed images link its code. */
typedef struct ZSTD_DCtx_s ZSTD_DCtx;
typedef struct ZSTD_DDict_s ZSTD_DDict;
ZSTD_DCtx *ZSTD_createDCtx(void);
ZSTD_DDict *ZSTD_createDDict(const void *dict, size_t len);
size_t ZSTD_decompress_usingDDict(ZSTD_DCtx *dctx, void *dst, size_t dstlen, const void *src,
                                  size_t srclen, const ZSTD_DDict *ddict);
unsigned ZSTD_isError(size_t code);

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
            if ((dicts[i].ddict = ZSTD_createDDict(dict, len)) == NULL)
                break;
            dicts[i].dict = dict;
            return dicts[i].ddict;
        }
    }
    *err = 1; /* out of memory, or more dictionaries than slots */
    return NULL;
}

static int unzstd(void *dst, size_t n, const void *src, size_t zn, const void *dict, size_t dictlen)
{
    static ZSTD_DCtx *dctx;
    int err;
    const ZSTD_DDict *ddict = digested(dict, dictlen, &err);
    if (err || (dctx == NULL && (dctx = ZSTD_createDCtx()) == NULL))
        return 1;
    size_t r = ZSTD_decompress_usingDDict(dctx, dst, n, src, zn, ddict);
    return ZSTD_isError(r) || r != n;
}

const struct wvfs_codec wvfs_codec_zstd = {unzstd};
