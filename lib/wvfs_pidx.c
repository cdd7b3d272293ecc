/* wvfs_pidx.c — the path index: a path's directories in one probe.
 *
 * Looking a path up a component at a time costs a directory search per
 * component; most paths a program names (CPython's imports, a script's data)
 * are plain paths from a mount root.  The generator indexes every directory
 * by its whole path below its mount's root (wasi_vfs.h has the layout), so
 * the directories of such a path ("lib/json" of "lib/json/decoder.py") are
 * one hash and one probe, and the walk starts at the last one: only the final
 * name is searched, in its own directory, as the walk would.
 *
 * Only directories, because their entries are few and found again and again:
 * the index stays small and in cache.  An index of every file measured twice
 * as slow on a first pass over many files (each lookup then missed the cache
 * at the slot, the entry, its name and its parent link), where the final
 * search reads one directory's sorted entries.
 *
 * A hit is proved, not trusted: walking up from the directory found, each name
 * must be the path's next component back, each directory holding one must
 * have lost no entry (nothing renamed, replaced or removed there; entries only
 * added leave the image's as they were), and the walk must end at the starting
 * root exactly at the path's first byte.  Anything else — "." or "..",
 * doubled slashes, a symlink, a directory the overlay made — is not in the
 * index or fails the proof, and the walk starts at the root.
 *
 * This file is linked only into programs whose image has an index: the
 * generator writes a reference to wvfs__pidx_linked into such images, and
 * the resolver calls wvfs__pidx_jump through a weak reference.
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

static int names_dir(const struct wvfs_image *img, uint32_t k)
{
    return img->nodes[img->ents[k].node].type == WVFS_FILETYPE_DIRECTORY;
}

uint32_t wvfs__pidx_count(const struct wvfs_image *img)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < img->nents; k++)
        n += (uint32_t)names_dir(img, k);
    return n;
}

int wvfs__pidx_build(const struct wvfs_image *img, uint32_t *slots, uint32_t cap, uint32_t *up)
{
    /* each directory's entry, each entry's holder (an entry, or a root) */
    uint32_t *self = malloc(((size_t)img->nnodes + 1) * sizeof *self);
    uint32_t *pup = malloc(((size_t)img->nents + 1) * sizeof *pup);
    uint32_t *slot_of = malloc(((size_t)img->nents + 1) * sizeof *slot_of);
    size_t bufcap = 256;
    char *buf = malloc(bufcap);
    int ok = self != NULL && pup != NULL && slot_of != NULL && buf != NULL;
    for (uint32_t n = 0; ok && n < img->nnodes; n++)
        self[n] = WVFS_NONE;
    for (uint32_t k = 0; ok && k < img->nents; k++) {
        pup[k] = slot_of[k] = WVFS_NONE;
        if (names_dir(img, k))
            self[img->ents[k].node] = k;
    }
    for (uint32_t n = 0; ok && n < img->nnodes; n++) {
        const struct wvfs_node *d = &img->nodes[n];
        if (d->type != WVFS_FILETYPE_DIRECTORY)
            continue;
        for (uint32_t k = d->first; k < d->first + (uint32_t)d->size; k++)
            pup[k] = d->parent == n ? WVFS_PUP_ROOT | n : self[n];
    }
    for (uint32_t i = 0; ok && i < cap; i++)
        slots[i] = up[i] = WVFS_NONE;
    /* each directory's entry by the hash of its path */
    for (uint32_t k = 0; ok && k < img->nents; k++) {
        if (!names_dir(img, k))
            continue;
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
        uint32_t i = path_hash(buf, len) & (cap - 1), tries = 0;
        while (slots[i] != WVFS_NONE && tries++ < cap)
            i = (i + 1) & (cap - 1);
        if (slots[i] != WVFS_NONE) {
            ok = 0; /* more directories than slots */
            break;
        }
        slots[i] = k;
        slot_of[k] = i;
    }
    /* then each slot's link up: its holder's slot, or the root */
    for (uint32_t i = 0; ok && i < cap; i++)
        if (slots[i] != WVFS_NONE) {
            uint32_t u = pup[slots[i]];
            up[i] = u & WVFS_PUP_ROOT ? u : slot_of[u];
        }
    free(self), free(pup), free(slot_of), free(buf);
    return ok;
}

/* Whether directory n may no longer hold an entry the image gave it (entries
 * a program only added leave the image's where they were).  Most programs
 * never remove or rename an image's entry: then no directory is asked. */
static inline int lost(const struct wvfs_state *s, uint32_t n)
{
    const struct wvfs_mnode *m = wvfs__ov(s, n);
    return m != NULL && m->lost;
}

/* The count of path[0..len)'s components if the directory in slot i is
 * path[0..len) from root, through directories that have lost no entry; 0 if
 * not. */
static uint32_t proves(const struct wvfs_state *s, const struct wvfs_image *img,
                       const uint32_t *slots, const uint32_t *up, uint32_t nb, uint32_t root,
                       uint32_t i, const char *path, size_t len)
{
    size_t e = len;
    for (uint32_t depth = 1;; depth++) {
        const struct wvfs_dirent *d = &img->ents[slots[i]];
        if (d->namelen > e || !wvfs__same_name(path + e - d->namelen, d->name, d->namelen))
            return 0;
        e -= d->namelen;
        uint32_t u = up[i];
        if (u & WVFS_PUP_ROOT)
            return e == 0 && (u & ~WVFS_PUP_ROOT) == root ? depth : 0;
        if (e == 0 || path[--e] != '/' || (s->lost && lost(s, img->ents[slots[u]].node + nb)))
            return 0;
        i = u;
    }
}

int wvfs__pidx_jump(const struct wvfs_state *s, uint32_t dir, const char *path, size_t len,
                    struct wvfs_jump *j)
{
    uint32_t nb; /* the part's first node in the merged node space */
    const struct wvfs_image *img = wvfs__part(s, dir, &nb);
    uint32_t root = dir - nb; /* a created node: past the (merged) image's, which has no index */
    if (img->pidx == 0 || s->trace != NULL || root >= img->nnodes ||
        img->nodes[root].parent != root || (s->lost && lost(s, dir)))
        return 0;
    size_t e = len; /* the directories: the path up to its last slash */
    while (e > 0 && path[e - 1] != '/')
        e--;
    if (e < 2 || e == len)
        return 0; /* one component, a leading slash, or a trailing one: the walk's */
    const uint32_t *slots = img->htab + img->pidx - 1, *up = slots + img->npidx;
    uint32_t mask = img->npidx - 1, depth = 0;
    for (uint32_t i = path_hash(path, e - 1) & mask, tries = 0;; i = (i + 1) & mask) {
        if (tries++ == img->npidx || slots[i] == WVFS_NONE)
            return 0;
        if ((depth = proves(s, img, slots, up, nb, root, i, path, e - 1)) != 0) {
            j->node = img->ents[slots[i]].node + nb;
            j->skip = e;
            j->depth = depth;
            return 1;
        }
    }
}
