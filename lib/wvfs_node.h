/* wvfs_node.h — the node store (wvfs_node.c): each node's view, pristine or
 * overlaid, and the overlay's copy-on-write nodes and file contents. */
#ifndef WVFS_NODE_H
#define WVFS_NODE_H

#include "wvfs_state.h"

/* A node's view: what stat and reads need, pristine or overlaid. */
struct wvfs_view {
    uint8_t type;
    uint32_t nlink, parent;
    uint64_t size, atim, mtim, ctim;
    const char *data;            /* file bytes or symlink target (size bytes) */
};
void wvfs__view(const struct wvfs_state *s, uint32_t n, struct wvfs_view *v);
/* Node n's overlay copy, or NULL while it is as in the image.  Inline, as is
 * wvfs__type: the resolver asks both for every path component. */
static inline struct wvfs_mnode *wvfs__ov(const struct wvfs_state *s, uint32_t n)
{
    return n < s->nov && s->ov ? s->ov[n] : NULL;
}
static inline uint8_t wvfs__type(const struct wvfs_state *s, uint32_t n)
{
    const struct wvfs_mnode *m = wvfs__ov(s, n);
    return m ? m->type : s->img->nodes[n].type;
}
/* Image node n if it is a compressed file not yet decoded into the overlay
 * (its bytes only in the image), else NULL. */
static inline const struct wvfs_node *wvfs__undecoded(const struct wvfs_state *s, uint32_t n)
{
    const struct wvfs_node *in = n < s->img->nnodes ? &s->img->nodes[n] : NULL;
    return in != NULL && in->zsize != 0 && wvfs__ov(s, n) == NULL ? in : NULL;
}
/* Before anything reads image node n's bytes: its first use (see
 * wvfs_state.fetch). */
static inline void wvfs__fetch(const struct wvfs_state *s, uint32_t n)
{
    if (s->fetch != NULL && n < s->img->nnodes && !(s->present[n >> 3] & (1u << (n & 7))))
        s->fetch(s, n);
}
/* The fetch of a passive segment (wvfs_fetch.c): node n's stored bytes, and
 * its dictionary, copied in through copyin. */
void wvfs__fetch_passive(const struct wvfs_state *s, uint32_t n);
void wvfs__stat(const struct wvfs_state *s, uint32_t n, struct wvfs_filestat *st);
/* The overlay node for n, made from the image on first use; NULL: ENOMEM. */
struct wvfs_mnode *wvfs__touch(struct wvfs_state *s, uint32_t n);
/* A new node of `type`; WVFS_NONE: ENOSPC. */
uint32_t wvfs__node_new(struct wvfs_state *s, uint8_t type, uint32_t parent);
/* Drop n if nothing names or opens it any more. */
void wvfs__node_release(struct wvfs_state *s, uint32_t n);
/* File contents: make room for `size` owned bytes (copying the shared ones). */
wvfs_errno_t wvfs__file_reserve(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t size);
wvfs_errno_t wvfs__file_resize(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t size);
/* Make a compressed image file readable (decompress it into the overlay;
 * a seekable one only gets its buffer); a no-op for other nodes.  EIO when it
 * cannot. */
wvfs_errno_t wvfs__file_ready(struct wvfs_state *s, uint32_t n);
/* An fd was opened on n, or closed: a closed decoded file may leave the cache. */
void wvfs__opened(struct wvfs_state *s, uint32_t n);
void wvfs__closed(struct wvfs_state *s, uint32_t n);
uint64_t wvfs__now(const struct wvfs_state *s);
/* Free everything the overlay holds (the state goes back to the pristine image). */
void wvfs__overlay_free(struct wvfs_state *s);
/* The image node n came from: a layer's, or the one image; its first node in
 * the merged node space in *first unless first is NULL. */
const struct wvfs_image *wvfs__part(const struct wvfs_state *s, uint32_t n, uint32_t *first);
/* The index in s->parts of the part node n is of; nparts when there are none. */
uint32_t wvfs__part_index(const struct wvfs_state *s, uint32_t n);

#endif
