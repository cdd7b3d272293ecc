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
 * the index stays small and in cache.  An index of every file would be large,
 * and each lookup in it would miss the cache at the slot, the entry, its name
 * and its parent link, where the final search reads one directory's sorted
 * entries, already near.
 *
 * A hit is proved, not trusted: the index keeps each directory's path, which
 * must be the path's bytes exactly, below the same root; and once the program
 * has removed or renamed any entry of the image, no directory holding one of
 * the path's must have lost an entry (entries only added leave the image's as
 * they were).  Anything else — "." or "..", doubled slashes, a symlink, a
 * directory the overlay made — is not in the index or fails the proof, and
 * the walk starts at the root.  So a deeper path costs only its bytes, hashed
 * and compared, not a step per component.
 *
 * This file is linked only into programs whose image has an index: the
 * generator writes a reference to wvfs__pidx_linked into such images, and
 * the resolver calls wvfs__pidx_jump through a weak reference.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_dir.h"
#include "wvfs_path.h"

/* In the table of each entry's holder (pup) the index builds: set on an
 * entry whose holder is a mount root, which the rest of the word names. */
#define WVFS_PUP_ROOT 0x80000000u

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
    if (i < n && n >= 8) /* the bytes left, in one word */
        w = le64(p + n - 8);
    else if (i < n && n >= 4)
        w = (uint64_t)wvfs__le32(p) | (uint64_t)wvfs__le32(p + n - 4) << 32;
    else
        for (size_t k = i; k < n; k++)
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

/* The components of a path of n bytes. */
static uint32_t depth_of(const char *p, size_t n)
{
    uint32_t d = 1;
    for (size_t i = 0; i < n; i++)
        d += p[i] == '/';
    return d;
}

/* The length of the path of the directory entry k names, up through each
 * entry's holder (pup); 0: it lies below no root (an entry of no directory, a
 * directory no entry names, a cycle). */
static size_t path_len(const struct wvfs_image *img, const uint32_t *pup, uint32_t k)
{
    size_t len = 0;
    for (uint32_t e = k, steps = 0;; e = pup[e]) {
        if (pup[e] == WVFS_NONE || steps++ > img->nnodes)
            return 0;
        len += img->ents[e].namelen;
        if (pup[e] & WVFS_PUP_ROOT)
            return len;
        len++;
    }
}

/* That path, of the len bytes path_len found, into buf from its end back; the
 * node of the root it lies below. */
static uint32_t write_path(const struct wvfs_image *img, const uint32_t *pup, uint32_t k, char *buf,
                           size_t len)
{
    for (uint32_t e = k;; e = pup[e]) {
        len -= img->ents[e].namelen;
        memcpy(buf + len, img->ents[e].name, img->ents[e].namelen);
        if (pup[e] & WVFS_PUP_ROOT)
            return pup[e] & ~WVFS_PUP_ROOT;
        buf[--len] = '/';
    }
}

uint32_t *wvfs__pidx_build(const struct wvfs_image *img, uint32_t cap, uint32_t *nwords)
{
    /* each directory's entry, then each entry's holder: an entry, or a root */
    uint32_t *self = malloc(((size_t)img->nnodes + 1) * sizeof *self);
    uint32_t *pup = malloc(((size_t)img->nents + 1) * sizeof *pup);
    if (self == NULL || pup == NULL) {
        free(self), free(pup);
        return NULL;
    }
    for (uint32_t n = 0; n < img->nnodes; n++)
        self[n] = WVFS_NONE;
    for (uint32_t k = 0; k < img->nents; k++) {
        pup[k] = WVFS_NONE;
        if (names_dir(img, k))
            self[img->ents[k].node] = k;
    }
    for (uint32_t n = 0; n < img->nnodes; n++) {
        const struct wvfs_node *d = &img->nodes[n];
        if (d->type == WVFS_FILETYPE_DIRECTORY)
            for (uint32_t k = d->first; k < d->first + (uint32_t)d->size; k++)
                pup[k] = d->parent == n ? WVFS_PUP_ROOT | n : self[n];
    }
    /* the paths' bytes, so the size is known before anything is written */
    uint64_t bytes = 0;
    int ok = 1;
    for (uint32_t k = 0; ok && k < img->nents; k++)
        if (names_dir(img, k)) {
            size_t len = path_len(img, pup, k);
            ok = len > 0;
            bytes += len;
        }
    uint64_t words = (uint64_t)WVFS_PSLOT_WORDS * cap + (bytes + 3) / 4;
    uint32_t *out = ok && words <= UINT32_MAX ? calloc((size_t)words, sizeof *out) : NULL;
    if (out == NULL) {
        free(self), free(pup);
        return NULL;
    }
    struct wvfs_pslot *slots = (struct wvfs_pslot *)out;
    char *paths = (char *)(out + WVFS_PSLOT_WORDS * (size_t)cap);
    for (uint32_t i = 0; i < cap; i++)
        slots[i] = (struct wvfs_pslot){WVFS_NONE, WVFS_NONE, WVFS_NONE, WVFS_NONE, WVFS_NONE};
    uint32_t off = 0;
    for (uint32_t k = 0; ok && k < img->nents; k++) {
        if (!names_dir(img, k))
            continue;
        uint32_t len = (uint32_t)path_len(img, pup, k); /* not 0: checked above */
        uint32_t root = write_path(img, pup, k, paths + off, len);
        uint32_t i = path_hash(paths + off, len) & (cap - 1), tries = 0;
        while (slots[i].ent != WVFS_NONE && tries++ < cap)
            i = (i + 1) & (cap - 1);
        ok = slots[i].ent == WVFS_NONE; /* else more directories than slots */
        if (ok)
            slots[i] = (struct wvfs_pslot){k, root, len, off, depth_of(paths + off, len)};
        off += len;
    }
    free(self), free(pup);
    if (!ok) {
        free(out);
        return NULL;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    /* The generator writes htab[] as numbers, which wasm32 lays out
     * little-endian: turned here, the paths' bytes land there in order. */
    for (uint32_t *w = (uint32_t *)paths; w < out + words; w++)
        *w = __builtin_bswap32(*w);
#endif
    *nwords = (uint32_t)words;
    return out;
}

/* Whether directory n may no longer hold an entry the image gave it (entries
 * a program only added leave the image's where they were).  Most programs
 * never remove or rename an image's entry: then no directory is asked. */
static inline int lost(const struct wvfs_state *s, uint32_t n)
{
    const struct wvfs_mnode *m = wvfs__ov(s, n);
    return m != NULL && m->lost;
}

int wvfs__pidx_jump(const struct wvfs_state *s, uint32_t dir, const char *path, size_t len,
                    struct wvfs_jump *j)
{
    uint32_t nb; /* the part's first node in the merged node space */
    const struct wvfs_image *img = wvfs__part(s, dir, &nb);
    uint32_t root = dir - nb; /* a created node: past the (merged) image's, which has no index */
    if (img->pidx == 0 || s->trace != NULL || root >= img->nnodes ||
        img->nodes[root].parent != root)
        return 0;
    size_t e = len; /* the directories: the path up to its last slash */
    while (e > 0 && path[e - 1] != '/')
        e--;
    if (e < 2 || e == len)
        return 0; /* one component, a leading slash, or a trailing one: the walk's */
    const struct wvfs_pslot *slots = (const struct wvfs_pslot *)(img->htab + img->pidx - 1), *x;
    const char *paths = (const char *)(slots + img->npidx);
    uint32_t mask = img->npidx - 1, n = (uint32_t)(e - 1);
    for (uint32_t i = path_hash(path, n) & mask, tries = 0;; i = (i + 1) & mask) {
        x = &slots[i];
        if (tries++ == img->npidx || x->ent == WVFS_NONE)
            return 0;
        if (x->len == n && x->root == root && wvfs__same_name(paths + x->off, path, n))
            break;
    }
    /* The image's path: it stands unless the program since removed or renamed
     * an entry of a directory on it (most never do). */
    uint32_t node = img->ents[x->ent].node;
    for (uint32_t m = node; s->lost && m != root;) {
        m = img->nodes[m].parent;
        if (lost(s, m + nb))
            return 0;
    }
    j->node = node + nb;
    j->skip = e;
    j->depth = x->depth;
    return 1;
}
