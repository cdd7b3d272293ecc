/* wvfs_zfile.c — compressed image files: decoding them into the overlay.
 *
 * A compressed file (wasivfs-gen --compress) is decoded on its first read:
 * whole, straight into the reader's buffer, when the read asks for all of it
 * from the start (wvfs__zfile_read); else into the overlay when first
 * touched.  One zstd frame is decoded whole; a seekable one (large files,
 * zstd's seekable format) gets its buffer then, and each frame is decoded
 * when a read first reaches it; one in a solid block is decoded alone when it
 * comes first in the block, else copied from the block decoded whole, kept in
 * a few slots for the next.  This file is linked only into programs whose
 * image has compressed files: the generator writes a reference to
 * wvfs__zfile_linked into such images, and the node store calls in through
 * a weak reference.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_alloc.h"
#include "wvfs_node.h"
#include "wvfs_zfile.h"

/* What an image with compressed files references so that this file is linked. */
const char wvfs__zfile_linked = 1;

int wvfs__seek_table(const char *z, uint32_t zn, uint64_t raw, uint32_t *nframes, uint32_t *frame,
                     uint32_t *zoff)
{
    if (z == NULL || zn < WVFS_SKIP_HEADER + WVFS_SEEK_ENTRY + WVFS_SEEK_FOOTER)
        return 0;
    const char *foot = z + zn - WVFS_SEEK_FOOTER; /* frames, descriptor 0 (no checksums), magic */
    uint32_t nf = wvfs__le32(foot);
    if (wvfs__le32(foot + 5) != WVFS_SEEKABLE_MAGIC || foot[4] != 0 || nf == 0 ||
        nf > (zn - WVFS_SKIP_HEADER - WVFS_SEEK_FOOTER) / WVFS_SEEK_ENTRY)
        return 0;
    const char *t = foot - (size_t)nf * WVFS_SEEK_ENTRY - WVFS_SKIP_HEADER; /* the table's frame */
    uint32_t stored = (uint32_t)(t - z);
    if (wvfs__le32(t) != WVFS_SKIPPABLE_MAGIC || wvfs__le32(t + 4) != nf * WVFS_SEEK_ENTRY + WVFS_SEEK_FOOTER)
        return 0;
    uint32_t size0 = wvfs__le32(t + 12), at = 0;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t c = wvfs__le32(t + 8 + (size_t)i * 8), d = wvfs__le32(t + 12 + (size_t)i * 8);
        if (c == 0 || c > stored - at || d == 0 || (i + 1 < nf ? d != size0 : d > size0))
            return 0; /* frames of one raw size, the last no larger */
        if (zoff)
            zoff[i] = at;
        at += c;
        total += d;
    }
    if (at != stored || total != raw)
        return 0;
    if (zoff)
        zoff[nf] = at;
    *nframes = nf;
    *frame = size0;
    return 1;
}

/* A seekable file's buffer, and its frames marked undecoded; 0: ENOMEM or a
 * seek table this library does not read. */
static int seekable_start(struct wvfs_state *s, struct wvfs_mnode *m, const struct wvfs_node *in)
{
    uint32_t nf, frame;
    if (!wvfs__seek_table(in->data, in->zsize, in->size, &nf, &frame, NULL))
        return 0;
    m->zoff = wvfs__realloc(s, NULL, 0, wvfs__zoff_bytes(nf));
    if (m->zoff == NULL)
        return 0;
    wvfs__seek_table(in->data, in->zsize, in->size, &nf, &frame, m->zoff);
    memset(m->zoff + nf + 1, 0xff, ((size_t)nf + 7) / 8);
    m->nframes = m->zleft = nf;
    m->zframe = frame;
    m->zsrc = in->data;
    return 1;
}

wvfs_errno_t wvfs__zfile_range(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t off, uint64_t len)
{
    if (off >= m->size || len == 0) /* m has frames to decode: wvfs__file_range asked */
        return WVFS_ESUCCESS;
    uint64_t end = len > m->size - off ? m->size : off + len;
    uint8_t *missing = (uint8_t *)(m->zoff + m->nframes + 1);
    for (uint32_t i = (uint32_t)(off / m->zframe); i < m->nframes && (uint64_t)i * m->zframe < end; i++) {
        if (!(missing[i / 8] & (1u << (i % 8))))
            continue;
        uint64_t at = (uint64_t)i * m->zframe;
        size_t k = m->size - at < m->zframe ? (size_t)(m->size - at) : m->zframe;
        if (m->zpart->codec->decompress(m->buf + at, k, m->zsrc + m->zoff[i], m->zoff[i + 1] - m->zoff[i],
                                        m->zpart->dict, m->zpart->dictlen) != 0)
            return WVFS_EIO;
        missing[i / 8] &= (uint8_t)~(1u << (i % 8));
        m->zleft--;
    }
    if (m->zleft == 0) { /* every frame in buf: an ordinary decompressed file now */
        wvfs__realloc(s, m->zoff, wvfs__zoff_bytes(m->nframes), 0);
        m->zoff = NULL;
    }
    return WVFS_ESUCCESS;
}

/* Node `in`'s bytes, from its solid block, into dst; 0: EIO or ENOMEM.  A
 * block in a slot is copied from; else its first file is a prefix of its
 * content, decoded alone (a module's .pyc, which is what an import reads;
 * the generator ends a zstd block there), and any other is copied from the
 * whole block, which then takes the least recently used slot. */
static int block_read(struct wvfs_state *s, const struct wvfs_image *part, const struct wvfs_node *in,
                      char *dst)
{
    const struct wvfs_codec *c = part->codec;
    struct wvfs_block *b = NULL, *old = &s->blocks[0];
    for (int i = 0; i < WVFS_BLOCK_SLOTS && b == NULL; i++) {
        if (s->blocks[i].src == in->data)
            b = &s->blocks[i];
        else if (s->blocks[i].used < old->used)
            old = &s->blocks[i];
    }
    if (b == NULL && in->zoff == 0)
        return c->decompress(dst, (size_t)in->size, in->data, in->zsize, part->dict, part->dictlen) == 0;
    if (b == NULL) {
        uint64_t len = c->size ? c->size(in->data, in->zsize) : UINT64_MAX;
        if (len == 0 || len > SIZE_MAX / 2)
            return 0;
        b = old;
        wvfs__realloc(s, b->buf, b->len, 0);
        *b = (struct wvfs_block){0};
        if ((b->buf = wvfs__realloc(s, NULL, 0, (size_t)len)) == NULL)
            return 0;
        b->len = (size_t)len;
        if (c->decompress(b->buf, b->len, in->data, in->zsize, part->dict, part->dictlen) != 0) {
            wvfs__realloc(s, b->buf, b->len, 0);
            *b = (struct wvfs_block){0};
            return 0;
        }
        b->src = in->data;
    }
    b->used = ++s->block_clock;
    if (in->zoff > b->len || in->size > b->len - in->zoff)
        return 0;
    memcpy(dst, b->buf + in->zoff, (size_t)in->size);
    return 1;
}

/* Image file `in` of part, not seekable, decoded whole into dst (in->size
 * bytes); 0: EIO or ENOMEM. */
static int whole(struct wvfs_state *s, const struct wvfs_image *part, const struct wvfs_node *in, char *dst)
{
    if (in->zform == WVFS_Z_BLOCK)
        return block_read(s, part, in, dst);
    return in->zform == WVFS_Z_FRAME &&
           part->codec->decompress(dst, (size_t)in->size, in->data, in->zsize, part->dict, part->dictlen) == 0;
}

int wvfs__zfile_start(struct wvfs_state *s, struct wvfs_mnode *m, const struct wvfs_image *part,
                      const struct wvfs_node *in)
{
    return in->zform == WVFS_Z_SEEKABLE ? seekable_start(s, m, in) : whole(s, part, in, m->buf);
}

int wvfs__zfile_read(struct wvfs_state *s, uint32_t node, const struct wvfs_iovec *iov, uint64_t off,
                     uint64_t want, size_t *copied)
{
    const struct wvfs_node *in = wvfs__undecoded(s, node);
    if (in == NULL)
        return -1;
    *copied = 0;
    if (off >= in->size || want == 0)
        return WVFS_ESUCCESS; /* the reader making sure of the end: nothing to decode */
    if (in->zform == WVFS_Z_SEEKABLE || off != 0 || iov[0].buf_len < in->size) /* want > 0: an iov[0] */
        return -1;
    if (!whole(s, wvfs__part(s, node, NULL), in, (char *)iov[0].buf))
        return WVFS_EIO;
    *copied = (size_t)in->size;
    return WVFS_ESUCCESS;
}
