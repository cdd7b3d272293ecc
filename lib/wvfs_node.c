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
 * A compressed image file (wasivfs-gen --compress) is decoded into the
 * overlay when first touched (read other than whole, or changed), by
 * wvfs_zfile.c; once closed and unchanged it may be dropped again while the
 * overlay is over its cache budget.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_alloc.h"
#include "wvfs_dir.h"
#include "wvfs_zfile.h"

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
    if (in->type == WVFS_FILETYPE_SYMBOLIC_LINK) /* a target is read wherever a view is */
        wvfs__fetch(s, n);
}

uint32_t wvfs__part_index(const struct wvfs_state *s, uint32_t n)
{
    uint32_t k = 0;
    while (k < s->nparts && n >= s->parts[k].end)
        k++;
    return k;
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

static void free_mnode(struct wvfs_state *s, struct wvfs_mnode *m)
{
    if (m->zoff != NULL)
        wvfs__realloc(s, m->zoff, wvfs__zoff_bytes(m->nframes), 0);
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

const struct wvfs_image *wvfs__part(const struct wvfs_state *s, uint32_t n, uint32_t *first)
{
    uint32_t k = wvfs__part_index(s, n);
    if (first != NULL)
        *first = k < s->nparts && k > 0 ? s->parts[k - 1].end : 0;
    return k < s->nparts ? s->parts[k].img : s->img;
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
    wvfs__fetch(s, n); /* a compressed file is decoded from, a raw one copied on write */
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
        const struct wvfs_image *part = wvfs__part(s, n, NULL);
        if (part->codec == NULL || part->codec->decompress == NULL || in->size > SIZE_MAX / 2 ||
            (m->buf = wvfs__realloc(s, NULL, 0, (size_t)in->size)) == NULL) {
            free_mnode(s, m);
            return NULL;
        }
        m->cap = (size_t)in->size;
        m->zpart = part;
        if (wvfs__zfile_start == NULL || !wvfs__zfile_start(s, m, part, in)) {
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
    if (wvfs__undecoded(s, n) == NULL)
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
