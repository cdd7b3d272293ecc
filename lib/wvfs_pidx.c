/* wvfs_pidx.c — the path index: a whole path below a mount root in one probe.
 *
 * Looking a path up a component at a time costs a directory search per
 * component; most paths a program names (CPython's imports, a script's data)
 * are plain paths from a mount root.  The generator indexes every entry by its
 * whole path (wasi_vfs.h has the layout), so such a lookup is one hash of the
 * path and one probe.  A hit is then proved, not trusted: walking up from the
 * entry found, each name must be the path's next component back, each
 * directory holding one must have lost no entry (nothing renamed, replaced or
 * removed there; entries only added leave the image's as they were), and the
 * walk must end at the starting root exactly at the
 * path's first byte.  Anything else — "." or "..", doubled or trailing
 * slashes, a symlink to follow, a name the overlay made — is not in the index
 * or fails the proof, and the resolver does the general walk.
 *
 * This file is linked only into programs whose image has an index: the
 * generator writes a reference to wvfs__pidx_linked into such images, and
 * the resolver calls wvfs__pidx_find through a weak reference.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs.h"

/* What an image with a path index references so that this file is linked. */
const char wvfs__pidx_linked = 1;

/* Four bytes a step (paths are tens of bytes; a byte a step would cost as
 * much as the probe), each mixed down so the low bits a slot takes depend on
 * all of them. */
static inline uint32_t path_hash(const char *p, size_t n)
{
    uint32_t h = 0x9e3779b9u ^ (uint32_t)n;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        h = (h ^ wvfs__le32(p + i)) * 0x9e3779b1u;
        h ^= h >> 15;
    }
    uint32_t w = 0;
    if (i < n && n >= 4) /* the last word, overlapping, its new bytes kept */
        w = wvfs__le32(p + n - 4) >> (8 * (4 - (n - i)));
    else
        for (size_t k = 0; i + k < n; k++)
            w |= (uint32_t)(unsigned char)p[i + k] << (8 * k);
    h = (h ^ w) * 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    return h ^ (h >> 16);
}

int wvfs__pidx_wanted(const struct wvfs_image *img)
{
    for (uint32_t n = 0; n < img->nnodes; n++)
        if (img->nodes[n].type == WVFS_FILETYPE_DIRECTORY && img->nodes[n].parent != n &&
            img->nodes[n].size > 0)
            return 1;
    return 0;
}

int wvfs__pidx_build(const struct wvfs_image *img, uint32_t *slots, uint32_t cap, uint32_t *pup)
{
    uint32_t *self = malloc(((size_t)img->nnodes + 1) * sizeof *self);
    size_t bufcap = 256;
    char *buf = malloc(bufcap);
    if (self == NULL || buf == NULL) {
        free(self), free(buf);
        return 0;
    }
    /* the entry naming each directory, then each entry's holder */
    for (uint32_t n = 0; n < img->nnodes; n++)
        self[n] = WVFS_NONE;
    for (uint32_t k = 0; k < img->nents; k++)
        if (img->nodes[img->ents[k].node].type == WVFS_FILETYPE_DIRECTORY)
            self[img->ents[k].node] = k;
    for (uint32_t k = 0; k < img->nents; k++)
        pup[k] = WVFS_NONE;
    for (uint32_t n = 0; n < img->nnodes; n++) {
        const struct wvfs_node *d = &img->nodes[n];
        if (d->type != WVFS_FILETYPE_DIRECTORY)
            continue;
        for (uint32_t k = d->first; k < d->first + (uint32_t)d->size; k++)
            pup[k] = d->parent == n ? WVFS_PUP_ROOT | n : self[n];
    }
    for (uint32_t i = 0; i < cap; i++)
        slots[i] = WVFS_NONE;
    int ok = 1;
    for (uint32_t k = 0; k < img->nents && ok; k++) {
        size_t len = 0; /* the path's length, then the path, written from its end */
        uint32_t steps = 0;
        for (uint32_t e = k;; e = pup[e]) {
            /* an entry of no directory, a directory no entry names, a cycle */
            if (pup[e] == WVFS_NONE || steps++ > img->nnodes) {
                ok = 0;
                break;
            }
            len += img->ents[e].namelen;
            if (pup[e] & WVFS_PUP_ROOT)
                break;
            len++;
        }
        if (!ok)
            break;
        if (len > bufcap) {
            char *b = realloc(buf, len);
            if (b == NULL) {
                ok = 0;
                break;
            }
            buf = b, bufcap = len;
        }
        size_t at = len;
        for (uint32_t e = k;; e = pup[e]) {
            at -= img->ents[e].namelen;
            memcpy(buf + at, img->ents[e].name, img->ents[e].namelen);
            if (pup[e] & WVFS_PUP_ROOT)
                break;
            buf[--at] = '/';
        }
        uint32_t i = path_hash(buf, len) & (cap - 1);
        while (slots[i] != WVFS_NONE)
            i = (i + 1) & (cap - 1);
        slots[i] = k;
    }
    free(self), free(buf);
    return ok;
}

/* Whether directory n may no longer hold an entry the image gave it (entries
 * a program only added leave the image's where they were). */
static inline int lost(const struct wvfs_state *s, uint32_t n)
{
    const struct wvfs_mnode *m = wvfs__ov(s, n);
    return m != NULL && m->lost;
}

/* Whether entry k of part img (its nodes from nb) is path[0..len) from root,
 * through directories that have lost no entry. */
static int proves(const struct wvfs_state *s, const struct wvfs_image *img, const uint32_t *pup,
                  uint32_t nb, uint32_t root, uint32_t k, const char *path, size_t len)
{
    size_t e = len;
    for (;;) {
        const struct wvfs_dirent *d = &img->ents[k];
        if (d->namelen > e || !wvfs__same_name(path + e - d->namelen, d->name, d->namelen))
            return 0;
        e -= d->namelen;
        uint32_t u = pup[k];
        if (u & WVFS_PUP_ROOT)
            return e == 0 && (u & ~WVFS_PUP_ROOT) == root;
        if (e == 0 || path[--e] != '/' || lost(s, img->ents[u].node + nb))
            return 0;
        k = u;
    }
}

int wvfs__pidx_find(const struct wvfs_state *s, uint32_t dir, const char *path, size_t len,
                    int follow, struct wvfs_where *w)
{
    uint32_t nb; /* the part's first node in the merged node space */
    const struct wvfs_image *img = wvfs__part(s, dir, &nb);
    uint32_t root = dir - nb; /* a created node: past the (merged) image's, which has no index */
    if (img->pidx == 0 || s->trace != NULL || (len == 1 && path[0] == '.') || root >= img->nnodes ||
        img->nodes[root].parent != root || lost(s, dir))
        return 0;
    const uint32_t *slots = img->htab + img->pidx - 1, *pup = slots + img->npidx;
    uint32_t mask = img->npidx - 1, k = WVFS_NONE;
    for (uint32_t i = path_hash(path, len) & mask, tries = 0;; i = (i + 1) & mask) {
        if (tries++ == img->npidx || (k = slots[i]) == WVFS_NONE)
            return 0;
        if (proves(s, img, pup, nb, root, k, path, len))
            break;
    }
    uint32_t node = img->ents[k].node + nb;
    if (follow == WVFS_FOLLOW && wvfs__type(s, node) == WVFS_FILETYPE_SYMBOLIC_LINK)
        return 0; /* the general walk follows it */
    w->node = node; /* the rest as the resolver cleared it */
    w->dir = pup[k] & WVFS_PUP_ROOT ? dir : img->ents[pup[k]].node + nb;
    w->namelen = img->ents[k].namelen;
    w->name = path + len - w->namelen;
    w->last = WVFS_LAST_NAME;
    return 1;
}
