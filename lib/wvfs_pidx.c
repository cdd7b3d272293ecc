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

/* Eight bytes a step (paths are tens of bytes; a byte a step would cost as
 * much as the probe), the last step's word overlapping the one before it,
 * each mixed down so the low bits a slot takes depend on all of them.  The
 * bytes are assembled, not loaded as a word, so the generator on any host
 * hashes as wasm32 does. */
static inline uint64_t le64(const char *p)
{
    return (uint64_t)wvfs__le32(p) | (uint64_t)wvfs__le32(p + 4) << 32;
}
static inline uint32_t path_hash(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ (uint64_t)n, w = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ le64(p + i)) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    if (i < n && n >= 8)
        w = le64(p + n - 8);
    else if (n >= 4)
        w = (uint64_t)wvfs__le32(p) | (uint64_t)wvfs__le32(p + n - 4) << 32;
    else
        for (size_t k = 0; k < n; k++)
            w |= (uint64_t)(unsigned char)p[k] << (8 * k);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    return (uint32_t)(h ^ (h >> 32));
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

int wvfs__pidx_build(const struct wvfs_image *img, struct wvfs_pslot *slots, uint32_t cap)
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
        slots[i] = (struct wvfs_pslot){WVFS_NONE, WVFS_NONE, WVFS_NONE, WVFS_NONE};
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
        while (slots[i].ent != WVFS_NONE && tries++ < cap)
            i = (i + 1) & (cap - 1);
        if (slots[i].ent != WVFS_NONE) {
            ok = 0; /* more directories than slots */
            break;
        }
        const struct wvfs_dirent *d = &img->ents[k];
        uint32_t head = 0;
        for (uint32_t b = 0; b < 4 && b < d->namelen; b++)
            head |= (uint32_t)(unsigned char)d->name[b] << (8 * b);
        slots[i] = (struct wvfs_pslot){k, WVFS_NONE, d->namelen, head};
        slot_of[k] = i;
    }
    /* then each slot's link up: its holder's slot, or the root */
    for (uint32_t i = 0; ok && i < cap; i++)
        if (slots[i].ent != WVFS_NONE) {
            uint32_t u = pup[slots[i].ent];
            slots[i].up = u & WVFS_PUP_ROOT ? u : slot_of[u];
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

/* Whether the name of slot x is the n bytes at p: its length and first four
 * bytes from the slot itself, the rest (longer names only) from the entry. */
static inline int same(const struct wvfs_image *img, const struct wvfs_pslot *x, const char *p,
                       size_t n)
{
    if (n < 4) {
        uint32_t w = 0;
        for (size_t b = 0; b < n; b++)
            w |= (uint32_t)(unsigned char)p[b] << (8 * b);
        return w == x->head;
    }
    return wvfs__le32(p) == x->head &&
           wvfs__same_name(p + 4, img->ents[x->ent].name + 4, n - 4);
}

/* The count of path[0..len)'s components if the directory in slot i is
 * path[0..len) from root, through directories that have lost no entry; 0 if
 * not. */
static uint32_t proves(const struct wvfs_state *s, const struct wvfs_image *img,
                       const struct wvfs_pslot *slots, uint32_t nb, uint32_t root, uint32_t i,
                       const char *path, size_t len)
{
    size_t e = len;
    for (uint32_t depth = 1;; depth++) {
        const struct wvfs_pslot *x = &slots[i];
        if (x->namelen > e || !same(img, x, path + e - x->namelen, x->namelen))
            return 0;
        e -= x->namelen;
        uint32_t u = x->up;
        if (u & WVFS_PUP_ROOT)
            return e == 0 && (u & ~WVFS_PUP_ROOT) == root ? depth : 0;
        if (e == 0 || path[--e] != '/' ||
            (s->lost && lost(s, img->ents[slots[u].ent].node + nb)))
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
    const struct wvfs_pslot *slots = (const struct wvfs_pslot *)(img->htab + img->pidx - 1);
    uint32_t mask = img->npidx - 1, depth = 0;
    for (uint32_t i = path_hash(path, e - 1) & mask, tries = 0;; i = (i + 1) & mask) {
        if (tries++ == img->npidx || slots[i].ent == WVFS_NONE)
            return 0;
        if ((depth = proves(s, img, slots, nb, root, i, path, e - 1)) != 0) {
            j->node = img->ents[slots[i].ent].node + nb;
            j->skip = e;
            j->depth = depth;
            return 1;
        }
    }
}
