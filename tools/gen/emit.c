/* emit.c — the pass every output format shares: each file read once, checked
 * against what the walk saw, stored once when identical to an earlier one,
 * compressed where that pays (related files together, in solid blocks), and handed to the writer (emit_c.c: C source;
 * emit_obj.c: a wasm32 object), which then writes the tables.  Nothing
 * host-specific is written but the files' mtimes.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* Identical files are stored once: an open-addressing table of the files
 * emitted so far, by content hash. */
struct seen {
    struct {
        uint64_t hash;
        uint32_t node;
    } *slots;
    size_t nslots;
};

/* Eight bytes a step (a byte-wise hash is slow on large trees); the hash only
 * picks a slot, so it never changes the output. */
static uint64_t content_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* The earlier node with exactly these bytes, or n itself. */
static uint32_t dedupe(struct gen *g, struct seen *sn, uint32_t n, const unsigned char *buf, size_t size)
{
    uint64_t h = content_hash(buf, size);
    size_t mask = sn->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (sn->slots[i].node == UINT32_MAX) {
            sn->slots[i].hash = h;
            sn->slots[i].node = n;
            return n;
        }
        uint32_t m = sn->slots[i].node;
        if (sn->slots[i].hash == h && g->nodes[m].size == size && is_hot(g, m) == is_hot(g, n)) {
            size_t msize;
            unsigned char *other = read_file(g, m, &msize); /* compare, never trust a hash */
            int equal = msize == size && memcmp(other, buf, size) == 0;
            free(other);
            if (equal)
                return m;
        }
    }
}

static void emit_file(struct gen *g, struct seen *sn, uint32_t n)
{
    size_t size;
    unsigned char *buf = read_file(g, n, &size);
    uint32_t d = size > 0 ? dedupe(g, sn, n, buf, size) : n;
    g->same[n] = g->same[d]; /* a block's file: the block's first */
    if (size > 0 && d == n) {
        size_t zsize = 0;
        uint8_t zform = WVFS_Z_FRAME;
        unsigned char *z = squeeze(g, buf, size, 0, is_hot(g, n), &zsize, &zform);
        g->writer->file(g, n, z ? z : buf, z ? zsize : size);
        g->nodes[n].zsize = (uint32_t)zsize;
        g->nodes[n].zform = zform;
        g->any_compressed |= z != NULL;
        free(z);
    }
    if (d != n) {
        g->nodes[n].zsize = g->nodes[d].zsize;
        g->nodes[n].zform = g->nodes[d].zform;
        g->nodes[n].zoff = g->nodes[d].zoff;
    }
    free(buf);
}

/* The files of block b as one frame, each pointing into it; or, when that
 * does not pay, each on its own. */
static void emit_block(struct gen *g, struct seen *sn, uint32_t b)
{
    const uint32_t *m = g->blk_nodes + g->blk_start[b], k = g->blk_start[b + 1] - g->blk_start[b];
    size_t size, zsize = 0;
    uint8_t zform = WVFS_Z_FRAME;
    unsigned char *buf = read_unit(g, m[0], &size);
    unsigned char *z = squeeze(g, buf, size, (size_t)g->nodes[m[0]].size, 0, &zsize, &zform);
    if (z == NULL) {
        for (uint32_t i = 0; i < k; i++) {
            g->blk_of[m[i]] = UINT32_MAX;
            emit_file(g, sn, m[i]);
        }
        free(buf);
        return;
    }
    g->writer->file(g, m[0], z, zsize);
    g->any_compressed = 1;
    uint32_t off = 0;
    for (uint32_t i = 0; i < k; i++) {
        struct wvfs_node *x = &g->nodes[m[i]];
        g->same[m[i]] = m[0];
        x->zsize = (uint32_t)zsize;
        x->zform = WVFS_Z_BLOCK;
        x->zoff = off;
        dedupe(g, sn, m[i], buf + off, (size_t)x->size); /* later copies point here */
        off += (uint32_t)x->size;
    }
    free(z);
    free(buf);
}

void data_symbol(const struct gen *g, char *buf, size_t cap)
{
    snprintf(buf, cap, "wvfs__data%s%s", g->layer ? "_" : "", g->layer ? g->layer : "");
}

void emit(struct gen *g)
{
    g->writer->begin(g);
    g->same = xrealloc(NULL, (size_t)g->nnodes * sizeof *g->same);
    g->data_off = xrealloc(NULL, (size_t)g->nnodes * sizeof *g->data_off);
    struct seen sn;
    for (sn.nslots = 16; sn.nslots < (size_t)g->nnodes * 2; sn.nslots *= 2)
        ;
    sn.slots = xrealloc(NULL, sn.nslots * sizeof *sn.slots);
    for (size_t i = 0; i < sn.nslots; i++)
        sn.slots[i].node = UINT32_MAX;
    if (g->compress) {
        find_blocks(g);
        compress_start(g);
    }
    for (uint32_t n = 0; n < g->nnodes; n++)
        g->same[n] = n;
    for (uint32_t n = 0; n < g->nnodes; n++) {
        uint32_t b = g->blk_of ? g->blk_of[n] : UINT32_MAX;
        if (b != UINT32_MAX && g->blk_nodes[g->blk_start[b]] == n)
            emit_block(g, &sn, b);
        else if (b == UINT32_MAX && g->nodes[n].type == WVFS_FILETYPE_REGULAR_FILE)
            emit_file(g, &sn, n); /* empty ones too: they must still be empty */
    }
    free(sn.slots);

    /* What the tables take on wasm32 (struct wvfs_dirent 12 bytes, wvfs_node 48),
     * names and symlink targets, for the size report. */
    g->table_bytes = (uint64_t)g->nents * 12 + (uint64_t)g->nnodes * 48 + (uint64_t)g->nhtab * 4;
    for (uint32_t i = 0; i < g->nents; i++)
        g->table_bytes += g->ents[i].namelen + 1u;
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (g->nodes[n].type == WVFS_FILETYPE_SYMBOLIC_LINK)
            g->table_bytes += g->nodes[n].size + 1;
    g->writer->end(g);
}
