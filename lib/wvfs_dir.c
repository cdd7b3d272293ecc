/* wvfs_dir.c — directory entries: image directories and overlay directories.
 *
 * An image directory is a sorted run of entries: a large one is found through
 * its hash table in the image (one probe, mostly), a small one by bisection.  An
 * overlay directory keeps its entries in readdir order in an array and finds
 * them through an open-addressing hash of indices, so lookup, add and remove
 * are O(1).  A removed entry leaves a hole (name NULL) rather than shifting the
 * rest: readdir cookies are array positions, so they stay valid while a program
 * deletes what it is listing (rm -r does) — no entry is skipped or seen twice.
 * A new entry fills a hole first, so the array never outgrows the most entries
 * the directory has held at once (a create/delete loop does not grow it).
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_alloc.h"
#include "wvfs_dir.h"

int wvfs__name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return (alen > blen) - (alen < blen);
}

uint32_t wvfs__name_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

/* The smallest power of two >= 2n, at least 16 (on every lookup: no loop). */
uint32_t wvfs__htab_size(uint64_t n)
{
    if (n <= 8)
        return 16;
    if (n >= 0x40000000u)
        return 0x80000000u;
    return 1u << (32 - __builtin_clz((uint32_t)(2 * n - 1)));
}

void wvfs__htab_fill(uint32_t *slots, uint32_t cap, const struct wvfs_dirent *ents, uint32_t n)
{
    for (uint32_t i = 0; i < cap; i++)
        slots[i] = WVFS_NONE;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = wvfs__name_hash(ents[k].name, ents[k].namelen) & (cap - 1);
        while (slots[i] != WVFS_NONE)
            i = (i + 1) & (cap - 1);
        slots[i] = k;
    }
}

uint32_t wvfs__image_find(const struct wvfs_image *img, uint32_t dir, const char *name, size_t len)
{
    const struct wvfs_node *d = &img->nodes[dir];
    const struct wvfs_dirent *ents = img->ents + d->first;
    if (d->size <= 8) { /* most directories: the lengths alone rule out most entries */
        for (uint32_t k = 0; k < (uint32_t)d->size; k++)
            if (ents[k].namelen == len && wvfs__same_name(ents[k].name, name, len))
                return ents[k].node;
        return WVFS_NONE;
    }
    if (d->htab != 0) { /* one probe, mostly: flat in directory size */
        const uint32_t *t = img->htab + d->htab - 1;
        uint32_t cap = wvfs__htab_size(d->size), mask = cap - 1;
        for (uint32_t i = wvfs__name_hash(name, len) & mask, tries = 0; tries < cap;
             i = (i + 1) & mask, tries++) {
            uint32_t k = t[i];
            if (k == WVFS_NONE)
                break;
            if (ents[k].namelen == len && wvfs__same_name(ents[k].name, name, len))
                return ents[k].node;
        }
        return WVFS_NONE;
    }
    size_t lo = 0, hi = (size_t)d->size;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = wvfs__name_cmp(name, len, ents[mid].name, ents[mid].namelen);
        if (c == 0)
            return ents[mid].node;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return WVFS_NONE;
}

/* The slot holding `name`, or the empty slot where it would go. */
static uint32_t *slot_of(const struct wvfs_mdir *d, const char *name, size_t len)
{
    uint32_t mask = d->nslots - 1;
    for (uint32_t i = wvfs__name_hash(name, len) & mask;; i = (i + 1) & mask) {
        uint32_t k = d->slots[i];
        if (k == WVFS_NONE)
            return &d->slots[i];
        const struct wvfs_ment *e = &d->ents[k];
        if (e->namelen == len && memcmp(e->name, name, len) == 0)
            return &d->slots[i];
    }
}

/* Rebuild the hash with `nslots` slots. */
static int rehash(struct wvfs_state *s, struct wvfs_mdir *d, uint32_t nslots)
{
    uint32_t *slots = wvfs__realloc(s, NULL, 0, (size_t)nslots * sizeof *slots);
    if (slots == NULL)
        return 0;
    wvfs__realloc(s, d->slots, (size_t)d->nslots * sizeof *slots, 0);
    d->slots = slots;
    d->nslots = nslots;
    memset(slots, 0xff, (size_t)nslots * sizeof *slots);
    for (uint32_t i = 0; i < d->n; i++)
        if (d->ents[i].name != NULL)
            *slot_of(d, d->ents[i].name, d->ents[i].namelen) = i;
    return 1;
}

uint32_t wvfs__mdir_find(const struct wvfs_mdir *d, const char *name, size_t len)
{
    if (d->live == 0)
        return WVFS_NONE;
    uint32_t k = *slot_of(d, name, len);
    return k == WVFS_NONE ? WVFS_NONE : d->ents[k].node;
}

uint32_t wvfs__dir_count(const struct wvfs_state *s, uint32_t dir)
{
    const struct wvfs_mnode *m = wvfs__ov(s, dir);
    return m ? m->dir.live : (uint32_t)s->img->nodes[dir].size;
}

uint64_t wvfs__dir_next(const struct wvfs_state *s, uint32_t dir, uint64_t pos, const char **name,
                       uint32_t *namelen, uint32_t *node)
{
    const struct wvfs_mnode *m = wvfs__ov(s, dir);
    if (m == NULL) {
        const struct wvfs_node *d = &s->img->nodes[dir];
        if (pos >= d->size)
            return UINT64_MAX;
        const struct wvfs_dirent *e = &s->img->ents[d->first + pos];
        *name = e->name, *namelen = e->namelen, *node = e->node;
        return pos;
    }
    for (; pos < m->dir.n; pos++) {
        const struct wvfs_ment *e = &m->dir.ents[pos];
        if (e->name != NULL) {
            *name = e->name, *namelen = e->namelen, *node = e->node;
            return pos;
        }
    }
    return UINT64_MAX;
}

wvfs_errno_t wvfs__dir_add(struct wvfs_state *s, struct wvfs_mnode *dm, const char *name,
                          size_t len, uint32_t node, int copy)
{
    struct wvfs_mdir *d = &dm->dir;
    if (d->live == UINT32_MAX / 2)
        return WVFS_ENOSPC;
    if ((uint64_t)(d->live + 1) * 2 > d->nslots && !rehash(s, d, d->nslots ? d->nslots * 2 : 16))
        return WVFS_ENOSPC;
    if (d->holes == 0 && d->n == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 8;
        struct wvfs_ment *e = wvfs__realloc(s, d->ents, (size_t)d->cap * sizeof *e,
                                           (size_t)cap * sizeof *e);
        if (e == NULL)
            return WVFS_ENOSPC;
        d->ents = e;
        d->cap = cap;
    }
    const char *stored = name;
    if (copy) {
        char *c = wvfs__realloc(s, NULL, 0, len ? len : 1);
        if (c == NULL)
            return WVFS_ENOSPC;
        memcpy(c, name, len);
        stored = c;
    }
    uint32_t k;
    if (d->holes != 0) {
        k = d->holes - 1;
        d->holes = d->ents[k].node;
    } else {
        k = d->n++;
    }
    d->ents[k] = (struct wvfs_ment){stored, (uint32_t)len, node, (uint8_t)(copy != 0)};
    *slot_of(d, stored, len) = k;
    d->live++;
    return WVFS_ESUCCESS;
}

void wvfs__dir_remove(struct wvfs_state *s, struct wvfs_mnode *dm, const char *name, size_t len)
{
    struct wvfs_mdir *d = &dm->dir;
    if (d->live == 0)
        return;
    uint32_t *slot = slot_of(d, name, len);
    uint32_t k = *slot;
    if (k == WVFS_NONE)
        return;
    dm->lost = s->lost = 1;
    /* Linear probing's deletion: shift later members of the probe run back
     * into the hole, so no tombstones are needed in the hash. */
    uint32_t mask = d->nslots - 1, i = (uint32_t)(slot - d->slots);
    for (uint32_t j = (i + 1) & mask; d->slots[j] != WVFS_NONE; j = (j + 1) & mask) {
        const struct wvfs_ment *o = &d->ents[d->slots[j]];
        uint32_t home = wvfs__name_hash(o->name, o->namelen) & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) { /* home not in (i, j] */
            d->slots[i] = d->slots[j];
            i = j;
        }
    }
    d->slots[i] = WVFS_NONE;
    struct wvfs_ment *e = &d->ents[k];
    if (e->owned)
        wvfs__realloc(s, (char *)e->name, e->namelen ? e->namelen : 1, 0);
    e->name = NULL;
    e->owned = 0;
    e->node = d->holes; /* chain the hole for reuse */
    d->holes = k + 1;
    d->live--;
}

void wvfs__dir_replace(struct wvfs_state *s, struct wvfs_mnode *dm, const char *name, size_t len,
                       uint32_t node)
{
    if (dm->dir.live == 0)
        return;
    uint32_t k = *slot_of(&dm->dir, name, len);
    if (k != WVFS_NONE) {
        dm->dir.ents[k].node = node;
        dm->lost = s->lost = 1;
    }
}

void wvfs__dir_free(struct wvfs_state *s, struct wvfs_mdir *d)
{
    for (uint32_t i = 0; i < d->n; i++)
        if (d->ents[i].owned)
            wvfs__realloc(s, (char *)d->ents[i].name, d->ents[i].namelen ? d->ents[i].namelen : 1, 0);
    wvfs__realloc(s, d->ents, (size_t)d->cap * sizeof *d->ents, 0);
    wvfs__realloc(s, d->slots, (size_t)d->nslots * sizeof *d->slots, 0);
    memset(d, 0, sizeof *d);
}
