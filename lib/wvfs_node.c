/* wvfs_node.c — the node store: the image as read, and the overlay over it.
 *
 * A node is read from the image until something changes it; then wvfs__touch()
 * copies its metadata (and, for a directory, its entry list — names still
 * point into the image) into an overlay node.  A file's bytes stay shared
 * with the image until its first write, which copies that one file.  Created
 * nodes take indices after the image's, reusing freed ones.  Everything the
 * overlay holds is counted in s->stats and freed when the last name and the
 * last fd on it are gone, so a create/write/delete loop keeps memory flat.
 * Allocation failure returns ENOSPC/ENOMEM to the caller with the tree unchanged.
 * A compressed image file (wasivfs-gen --compress) is decompressed into the
 * overlay when first touched (opened); a seekable one (large files) gets its
 * buffer then, and each frame is decoded when a read first reaches it; one in
 * a solid block is decoded alone when it comes first in the block, else
 * copied from the block decoded whole, kept in a few slots for the next.  Once
 * closed and unchanged it may be dropped again while the overlay is over its
 * cache budget.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs.h"

void *wvfs__realloc(struct wvfs_state *s, void *p, size_t old, size_t size)
{
    if (size == 0) {
        free(p);
        s->stats.bytes -= old;
        return NULL;
    }
    if (size > old && s->limit && s->stats.bytes + (size - old) > s->limit)
        return NULL; /* over the budget: the caller answers ENOSPC */
    void *q = realloc(p, size);
    if (q != NULL)
        s->stats.bytes += (uint64_t)size - old;
    return q;
}

uint64_t wvfs__now(const struct wvfs_state *s)
{
    return s->now ? s->now() : 0;
}


void wvfs__view(const struct wvfs_state *s, uint32_t n, struct wvfs_view *v)
{
    const struct wvfs_mnode *m = wvfs__ov(s, n);
    if (m != NULL) {
        v->type = m->type;
        v->nlink = m->nlink;
        v->parent = m->parent;
        v->size = m->size;
        v->atim = m->atim;
        v->mtim = m->mtim;
        v->ctim = m->ctim;
        v->data = m->buf ? m->buf : m->ro;
        return;
    }
    const struct wvfs_node *in = &s->img->nodes[n];
    v->type = in->type;
    v->nlink = in->nlink;
    v->parent = in->parent;
    v->size = in->size;
    v->atim = v->mtim = v->ctim = in->mtim;
    v->data = in->data;
}

void wvfs__stat(const struct wvfs_state *s, uint32_t n, struct wvfs_filestat *st)
{
    struct wvfs_view v;
    wvfs__view(s, n, &v);
    memset(st, 0, sizeof *st);
    st->dev = WVFS_DEV;
    st->ino = (uint64_t)n + 1;
    st->filetype = v.type;
    st->nlink = v.nlink;
    /* A directory's size is host-specific; report 0 rather than its entry count. */
    st->size = v.type == WVFS_FILETYPE_DIRECTORY ? 0 : v.size;
    st->atim = v.atim;
    st->mtim = v.mtim;
    st->ctim = v.ctim;
}

/* Make room for index n in the overlay table. */
static int grow_table(struct wvfs_state *s, uint32_t need)
{
    if (need <= s->capov)
        return 1;
    uint32_t cap = s->capov ? s->capov : 16;
    while (cap < need)
        cap = cap > UINT32_MAX / 2 ? UINT32_MAX - 1 : cap * 2;
    struct wvfs_mnode **t =
        wvfs__realloc(s, s->ov, (size_t)s->capov * sizeof *t, (size_t)cap * sizeof *t);
    if (t == NULL)
        return 0;
    memset(t + s->capov, 0, (size_t)(cap - s->capov) * sizeof *t);
    s->ov = t;
    s->capov = cap;
    return 1;
}

static struct wvfs_mnode *new_mnode(struct wvfs_state *s)
{
    struct wvfs_mnode *m = wvfs__realloc(s, NULL, 0, sizeof *m);
    if (m != NULL) {
        memset(m, 0, sizeof *m);
        s->stats.nodes++;
    }
    return m;
}

/* Bytes of a seekable file's frame offsets and missing-bits. */
static size_t zoff_bytes(uint32_t nframes)
{
    return ((size_t)nframes + 1) * sizeof(uint32_t) + ((size_t)nframes + 7) / 8;
}

static void free_mnode(struct wvfs_state *s, struct wvfs_mnode *m)
{
    if (m->zoff != NULL)
        wvfs__realloc(s, m->zoff, zoff_bytes(m->nframes), 0);
    wvfs__realloc(s, m->buf, m->cap, 0);
    wvfs__dir_free(s, &m->dir);
    wvfs__realloc(s, m, sizeof *m, 0);
    s->stats.nodes--;
}

/* How many embedded fds are open on n (counted once, when n is first touched;
 * from then on open and close keep m->opens). */
static uint32_t count_opens(const struct wvfs_state *s, uint32_t n)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->nfds; i++)
        k += s->fds[i].kind == WVFS_FD_VFS && s->fds[i].node == n;
    return k;
}

static uint32_t le32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

int wvfs__seek_table(const char *z, uint32_t zn, uint64_t raw, uint32_t *nframes, uint32_t *frame,
                     uint32_t *zoff)
{
    if (z == NULL || zn < 8 + 8 + 9)
        return 0;
    const char *foot = z + zn - 9; /* frames, descriptor 0 (no checksums), magic */
    uint32_t nf = le32(foot);
    if (le32(foot + 5) != 0x8F92EAB1u || foot[4] != 0 || nf == 0 || nf > (zn - 8 - 9) / 8)
        return 0;
    const char *t = foot - (size_t)nf * 8 - 8; /* the skippable frame holding the table */
    uint32_t stored = (uint32_t)(t - z);
    if (le32(t) != 0x184D2A5Eu || le32(t + 4) != nf * 8 + 9)
        return 0;
    uint32_t size0 = le32(t + 12), at = 0;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t c = le32(t + 8 + (size_t)i * 8), d = le32(t + 12 + (size_t)i * 8);
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
    m->zoff = wvfs__realloc(s, NULL, 0, zoff_bytes(nf));
    if (m->zoff == NULL)
        return 0;
    wvfs__seek_table(in->data, in->zsize, in->size, &nf, &frame, m->zoff);
    memset(m->zoff + nf + 1, 0xff, ((size_t)nf + 7) / 8);
    m->nframes = m->zleft = nf;
    m->zframe = frame;
    m->zsrc = in->data;
    return 1;
}

wvfs_errno_t wvfs__file_range(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t off, uint64_t len)
{
    if (m == NULL || m->zoff == NULL || off >= m->size || len == 0)
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
        wvfs__realloc(s, m->zoff, zoff_bytes(m->nframes), 0);
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

const struct wvfs_image *wvfs__part(const struct wvfs_state *s, uint32_t n)
{
    for (uint32_t i = 0; i < s->nparts; i++)
        if (n < s->parts[i].end)
            return s->parts[i].img;
    return s->img;
}

struct wvfs_mnode *wvfs__touch(struct wvfs_state *s, uint32_t n)
{
    struct wvfs_mnode *m = wvfs__ov(s, n);
    if (m != NULL)
        return m;
    if (!grow_table(s, s->img->nnodes > n + 1 ? s->img->nnodes : n + 1))
        return NULL;
    if (s->nov < s->img->nnodes)
        s->nov = s->img->nnodes;
    m = new_mnode(s);
    if (m == NULL)
        return NULL;
    const struct wvfs_node *in = &s->img->nodes[n];
    m->type = in->type;
    m->nlink = in->nlink;
    m->parent = in->parent;
    m->size = in->size;
    m->atim = m->mtim = m->ctim = in->mtim;
    m->opens = count_opens(s, n);
    if (in->type == WVFS_FILETYPE_DIRECTORY) {
        m->size = 0;
        for (uint64_t i = 0; i < in->size; i++) {
            const struct wvfs_dirent *e = &s->img->ents[in->first + i];
            /* the names stay in the image: no copies */
            if (wvfs__dir_add(s, m, e->name, e->namelen, e->node, 0) != WVFS_ESUCCESS) {
                free_mnode(s, m);
                return NULL;
            }
        }
    } else if (in->zsize != 0) {
        const struct wvfs_image *part = wvfs__part(s, n);
        if (part->codec == NULL || part->codec->decompress == NULL || in->size > SIZE_MAX / 2 ||
            (m->buf = wvfs__realloc(s, NULL, 0, (size_t)in->size)) == NULL) {
            free_mnode(s, m);
            return NULL;
        }
        m->cap = (size_t)in->size;
        m->zpart = part;
        if (in->zform == WVFS_Z_SEEKABLE ? !seekable_start(s, m, in)
            : in->zform == WVFS_Z_BLOCK  ? !block_read(s, part, in, m->buf)
                                         : part->codec->decompress(m->buf, (size_t)in->size, in->data,
                                                                   in->zsize, part->dict, part->dictlen) != 0) {
            free_mnode(s, m);
            return NULL;
        }
        m->cached = 1;
    } else {
        m->ro = in->data;
    }
    s->ov[n] = m;
    return m;
}

wvfs_errno_t wvfs__file_ready(struct wvfs_state *s, uint32_t n)
{
    if (n >= s->img->nnodes || s->img->nodes[n].zsize == 0 || wvfs__ov(s, n) != NULL)
        return WVFS_ESUCCESS;
    return wvfs__touch(s, n) ? WVFS_ESUCCESS : WVFS_EIO;
}

/* A decompressed image file that is closed and exactly as in the image. */
static int evictable(const struct wvfs_state *s, uint32_t n, const struct wvfs_mnode *m)
{
    if (!m->cached || m->opens > 0 || n >= s->img->nnodes)
        return 0;
    const struct wvfs_node *in = &s->img->nodes[n];
    return m->nlink == in->nlink && m->size == in->size && m->mtim == in->mtim &&
           m->atim == in->mtim && m->ctim == in->mtim;
}

uint32_t wvfs__node_new(struct wvfs_state *s, uint8_t type, uint32_t parent)
{
    uint32_t n;
    if (s->nfree > 0) {
        n = s->freeidx[s->nfree - 1];
    } else {
        if (s->nov < s->img->nnodes)
            s->nov = s->img->nnodes;
        if (s->nov >= UINT32_MAX - 1)
            return WVFS_NONE;
        n = s->nov;
        if (!grow_table(s, n + 1))
            return WVFS_NONE;
    }
    struct wvfs_mnode *m = new_mnode(s);
    if (m == NULL)
        return WVFS_NONE;
    if (s->nfree > 0)
        s->nfree--;
    else
        s->nov++;
    m->type = type;
    m->nlink = type == WVFS_FILETYPE_DIRECTORY ? 2 : 1;
    m->parent = parent;
    m->atim = m->mtim = m->ctim = wvfs__now(s);
    s->ov[n] = m;
    return n;
}

void wvfs__node_release(struct wvfs_state *s, uint32_t n)
{
    struct wvfs_mnode *m = wvfs__ov(s, n);
    if (m == NULL || m->opens > 0)
        return;
    if (m->type == WVFS_FILETYPE_DIRECTORY ? m->nlink > 1 : m->nlink > 0)
        return;
    free_mnode(s, m);
    s->ov[n] = NULL;
    if (n < s->img->nnodes)
        return; /* an unreachable image node: nothing names or opens it again */
    if (s->nfree == s->capfree) {
        uint32_t cap = s->capfree ? s->capfree * 2 : 16;
        uint32_t *f = wvfs__realloc(s, s->freeidx, s->capfree * sizeof *f, cap * sizeof *f);
        if (f == NULL)
            return; /* the index is lost, not the memory */
        s->freeidx = f;
        s->capfree = cap;
    }
    s->freeidx[s->nfree++] = n;
}

void wvfs__opened(struct wvfs_state *s, uint32_t n)
{
    struct wvfs_mnode *m = wvfs__ov(s, n);
    if (m != NULL)
        m->opens++;
}

void wvfs__closed(struct wvfs_state *s, uint32_t n)
{
    struct wvfs_mnode *m = wvfs__ov(s, n);
    if (m != NULL && m->opens > 0) {
        m->opens--;
        if (evictable(s, n, m) && s->stats.bytes > s->cache_budget) {
            free_mnode(s, m); /* back to the compressed image bytes */
            s->ov[n] = NULL;
            return;
        }
        wvfs__node_release(s, n);
    }
}

wvfs_errno_t wvfs__file_reserve(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t size)
{
    if (size > SIZE_MAX / 2)
        return WVFS_EFBIG;
    wvfs_errno_t err = wvfs__file_range(s, m, 0, UINT64_MAX); /* a seekable file whole first */
    if (err != WVFS_ESUCCESS)
        return err;
    m->cached = 0; /* about to change: no longer the image's bytes */
    if (m->buf != NULL && size <= m->cap)
        return WVFS_ESUCCESS;
    size_t cap = m->cap ? m->cap : 64;
    while (cap < size)
        cap *= 2;
    char *b = wvfs__realloc(s, m->buf, m->cap, cap);
    if (b == NULL)
        return WVFS_ENOSPC;
    if (m->buf == NULL && m->size > 0) /* copy-on-write: the first change copies */
        memcpy(b, m->ro, (size_t)(m->size < size ? m->size : size));
    m->buf = b;
    m->cap = cap;
    m->ro = NULL;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__file_resize(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t size)
{
    m->cached = 0;
    if (size == 0) { /* truncation frees everything */
        wvfs__realloc(s, m->buf, m->cap, 0);
        m->buf = NULL;
        m->cap = 0;
        m->ro = NULL;
        m->size = 0;
        return WVFS_ESUCCESS;
    }
    wvfs_errno_t err = wvfs__file_reserve(s, m, size);
    if (err != WVFS_ESUCCESS)
        return err;
    if (size > m->size)
        memset(m->buf + m->size, 0, (size_t)(size - m->size));
    else if (size < m->cap / 4) { /* give back what a shrink leaves unused */
        char *b = wvfs__realloc(s, m->buf, m->cap, (size_t)size);
        if (b != NULL) {
            m->buf = b;
            m->cap = (size_t)size;
        }
    }
    m->size = size;
    return WVFS_ESUCCESS;
}

void wvfs__overlay_free(struct wvfs_state *s)
{
    for (uint32_t i = 0; i < s->nov; i++)
        if (s->ov[i] != NULL)
            free_mnode(s, s->ov[i]);
    wvfs__realloc(s, s->ov, (size_t)s->capov * sizeof *s->ov, 0);
    wvfs__realloc(s, s->freeidx, (size_t)s->capfree * sizeof *s->freeidx, 0);
    s->ov = NULL;
    s->freeidx = NULL;
    s->nov = s->capov = s->nfree = s->capfree = 0;
    for (int i = 0; i < WVFS_BLOCK_SLOTS; i++) {
        wvfs__realloc(s, s->blocks[i].buf, s->blocks[i].len, 0);
        s->blocks[i] = (struct wvfs_block){0};
    }
}
