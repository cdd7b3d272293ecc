/* blocks.c — which files --compress stores together, in one solid block.
 *
 * A block is one zstd frame holding related files end to end, so each is
 * compressed with what the others say.  Here the relation is a Python
 * module: its compiled files in __pycache__ (X.<tag>.pyc, X.<tag>.opt-N.pyc)
 * and its source X.py, which repeat each other's names and strings.  The
 * shortest .pyc comes first: the library decodes a block's first file alone
 * (a prefix of the frame), and that is the file an import reads.  Files with
 * several links, empty files, hot files (--hot) and blocks of a
 * megabyte or more stay alone.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define BLOCK_MAX ((uint64_t)1 << 20) /* from here files are stored seekable */

static int is_file(const struct gen *g, uint32_t n)
{
    const struct wvfs_node *x = &g->nodes[n];
    return x->type == WVFS_FILETYPE_REGULAR_FILE && x->nlink == 1 && x->size > 0 &&
           x->size < BLOCK_MAX && g->blk_of[n] == UINT32_MAX && !is_hot(g, n);
}

/* The index of the first entry of dir d not below name (bytewise order). */
static uint32_t lower_bound(const struct gen *g, uint32_t d, const char *name, size_t len)
{
    uint32_t lo = g->nodes[d].first, hi = lo + (uint32_t)g->nodes[d].size;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (wvfs__name_cmp(g->ents[mid].name, g->ents[mid].namelen, name, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint32_t find(const struct gen *g, uint32_t d, const char *name)
{
    size_t len = strlen(name);
    uint32_t i = lower_bound(g, d, name, len);
    return i < g->nodes[d].first + g->nodes[d].size && g->ents[i].namelen == len &&
                   memcmp(g->ents[i].name, name, len) == 0
               ? g->ents[i].node
               : UINT32_MAX;
}

static void add_block(struct gen *g, const uint32_t *members, uint32_t k)
{
    g->blk_start = xrealloc(g->blk_start, ((size_t)g->nblocks + 2) * sizeof *g->blk_start);
    g->blk_nodes = xrealloc(g->blk_nodes, ((size_t)g->blk_start[g->nblocks] + k) * sizeof *g->blk_nodes);
    for (uint32_t i = 0; i < k; i++) {
        g->blk_nodes[g->blk_start[g->nblocks] + i] = members[i];
        g->blk_of[members[i]] = g->nblocks;
    }
    g->blk_start[g->nblocks + 1] = g->blk_start[g->nblocks] + k;
    g->nblocks++;
}

/* X.py of directory d and the .pyc files of X in its __pycache__ p. */
static void module_block(struct gen *g, uint32_t p, uint32_t py, const char *name, size_t len)
{
    char *stem = xrealloc(NULL, len - 1);
    memcpy(stem, name, len - 2); /* "X." */
    stem[len - 2] = 0;
    uint32_t members[16], k = 0;
    uint64_t total = g->nodes[py].size;
    uint32_t end = g->nodes[p].first + (uint32_t)g->nodes[p].size;
    for (uint32_t i = lower_bound(g, p, stem, len - 2); i < end && k + 1 < 16; i++) {
        const struct wvfs_dirent *e = &g->ents[i];
        if (e->namelen < len - 2 || memcmp(e->name, stem, len - 2) != 0)
            break;
        if (e->namelen > len + 2 && memcmp(e->name + e->namelen - 4, ".pyc", 4) == 0 &&
            is_file(g, e->node) && total + g->nodes[e->node].size < BLOCK_MAX) {
            uint32_t j = k++; /* shortest name first, so the plain .pyc leads */
            for (; j > 0 && g->ents[members[j - 1]].namelen > e->namelen; j--)
                members[j] = members[j - 1];
            members[j] = i;
            total += g->nodes[e->node].size;
        }
    }
    free(stem);
    if (k == 0)
        return;
    for (uint32_t j = 0; j < k; j++)
        members[j] = g->ents[members[j]].node;
    members[k++] = py;
    add_block(g, members, k);
}

void find_blocks(struct gen *g)
{
    g->blk_of = xrealloc(NULL, (size_t)g->nnodes * sizeof *g->blk_of);
    for (uint32_t n = 0; n < g->nnodes; n++)
        g->blk_of[n] = UINT32_MAX;
    g->blk_start = xrealloc(NULL, sizeof *g->blk_start);
    g->blk_start[0] = 0;
    g->nblocks = 0;
    for (uint32_t d = 0; d < g->nnodes; d++) {
        if (g->nodes[d].type != WVFS_FILETYPE_DIRECTORY)
            continue;
        uint32_t p = find(g, d, "__pycache__");
        if (p == UINT32_MAX || g->nodes[p].type != WVFS_FILETYPE_DIRECTORY)
            continue;
        for (uint32_t i = g->nodes[d].first; i < g->nodes[d].first + g->nodes[d].size; i++) {
            const struct wvfs_dirent *e = &g->ents[i];
            if (e->namelen > 3 && memcmp(e->name + e->namelen - 3, ".py", 3) == 0 && is_file(g, e->node))
                module_block(g, p, e->node, e->name, e->namelen);
        }
    }
}

/* What is compressed as one: file n's bytes, or, for a block's first file,
 * the block's; NULL for a block's other files (they come with the first). */
unsigned char *read_unit(const struct gen *g, uint32_t n, size_t *size)
{
    uint32_t b = g->blk_of ? g->blk_of[n] : UINT32_MAX;
    if (b == UINT32_MAX)
        return read_file(g, n, size);
    const uint32_t *m = g->blk_nodes + g->blk_start[b], k = g->blk_start[b + 1] - g->blk_start[b];
    if (m[0] != n)
        return NULL;
    size_t total = 0;
    for (uint32_t i = 0; i < k; i++)
        total += (size_t)g->nodes[m[i]].size;
    unsigned char *all = xrealloc(NULL, total);
    size_t at = 0;
    for (uint32_t i = 0; i < k; i++) {
        size_t got;
        unsigned char *buf = read_file(g, m[i], &got);
        memcpy(all + at, buf, got); /* read_file checked got is the walk's size */
        at += got;
        free(buf);
    }
    *size = total;
    return all;
}
