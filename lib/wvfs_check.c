/* wvfs_check.c — the overlay's invariant checker, for tests and fuzzers.
 *
 * Walks every directory reachable from the mounts and checks what the rest of
 * lib/ relies on: entries name live nodes and are found again by lookup;
 * counts, parents and link counts agree with the entries; every overlay node
 * is reachable or held open; every overlay node's open count is the number
 * of fds the table has on it; and the byte count in s->stats is exactly what
 * the overlay holds.  O(size of the tree); never called by the library itself.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_dir.h"

struct seen {
    uint32_t *links;  /* entries naming each node */
    uint32_t *subdirs;
    uint32_t *opens;  /* embedded fds on each node, from the fd table */
    uint8_t *reached;
    uint32_t n;
};

static const char *walk(const struct wvfs_state *s, uint32_t dir, struct seen *z, int depth)
{
    if (depth > 4096)
        return "directory cycle";
    z->reached[dir] = 1;
    uint32_t count = 0;
    const char *name;
    uint32_t namelen, node;
    for (uint64_t pos = 0;
         (pos = wvfs__dir_next(s, dir, pos, &name, &namelen, &node)) != UINT64_MAX; pos++) {
        count++;
        if (node >= z->n)
            return "entry names a node out of range";
        if (wvfs__lookup(s, dir, name, namelen) != node)
            return "entry not found again by lookup";
        if (namelen == 0 || namelen > WVFS_NAME_MAX || memchr(name, '/', namelen))
            return "bad entry name";
        z->links[node]++;
        struct wvfs_view v;
        wvfs__view(s, node, &v);
        if (v.type == WVFS_FILETYPE_DIRECTORY) {
            z->subdirs[dir]++;
            if (v.parent != dir)
                return "subdirectory's parent is not its directory";
            if (z->reached[node])
                return "directory reached twice";
            const char *err = walk(s, node, z, depth + 1);
            if (err)
                return err;
        } else if (v.type != WVFS_FILETYPE_REGULAR_FILE && v.type != WVFS_FILETYPE_SYMBOLIC_LINK) {
            return "entry of unknown type";
        }
    }
    if (count != wvfs__dir_count(s, dir))
        return "directory's entry count is wrong";
    return NULL;
}

/* Bytes the overlay should be holding, recomputed from its structures. */
static uint64_t held(const struct wvfs_state *s, uint64_t *nodes)
{
    uint64_t b = (uint64_t)s->capov * sizeof *s->ov + (uint64_t)s->capfree * sizeof *s->freeidx;
    *nodes = 0;
    for (uint32_t i = 0; i < s->nov; i++) {
        const struct wvfs_mnode *m = s->ov ? s->ov[i] : NULL;
        if (m == NULL)
            continue;
        (*nodes)++;
        b += sizeof *m + m->cap + (uint64_t)m->dir.cap * sizeof *m->dir.ents +
             (uint64_t)m->dir.nslots * sizeof *m->dir.slots;
        for (uint32_t k = 0; k < m->dir.n; k++)
            if (m->dir.ents[k].owned)
                b += m->dir.ents[k].namelen ? m->dir.ents[k].namelen : 1;
    }
    return b;
}

const char *wvfs__state_check(const struct wvfs_state *s)
{
    uint32_t n = s->nov > s->img->nnodes ? s->nov : s->img->nnodes;
    struct seen z = {calloc(n + 1, sizeof(uint32_t)), calloc(n + 1, sizeof(uint32_t)),
                     calloc(n + 1, sizeof(uint32_t)), calloc(n + 1, 1), n};
    const char *err = NULL;
    if (!z.links || !z.subdirs || !z.opens || !z.reached)
        err = "out of memory while checking";
    for (uint32_t fd = 0; !err && fd < s->nfds; fd++) {
        const struct wvfs_fd *f = &s->fds[fd];
        if (f->kind == WVFS_FD_VFS && f->node >= n)
            err = "an fd names a node out of range";
        else if (f->kind == WVFS_FD_VFS)
            z.opens[f->node]++;
        else if (f->kind == WVFS_FD_RESERVED)
            err = "an fd slot left reserved after a call";
    }
    for (uint32_t m = 0; !err && m < s->img->nmounts; m++)
        err = walk(s, s->img->mounts[m].root, &z, 0);
    for (uint32_t i = 0; !err && i < n; i++) {
        const struct wvfs_mnode *m = i < s->nov && s->ov ? s->ov[i] : NULL;
        if (m != NULL && m->opens != z.opens[i]) {
            err = "a node's open count differs from the fds open on it";
            break;
        }
        if (!z.reached[i] && z.links[i] == 0) {
            if (m != NULL && m->opens == 0)
                err = "an overlay node is neither reachable nor open";
            continue;
        }
        struct wvfs_view v;
        wvfs__view(s, i, &v);
        if (v.type == WVFS_FILETYPE_DIRECTORY) {
            if (z.reached[i] && v.nlink != 2 + z.subdirs[i])
                err = "directory link count is not 2 + subdirectories";
        } else if (m != NULL && v.nlink != z.links[i]) {
            err = "file link count differs from the entries naming it";
        } else if (m != NULL && m->buf && m->size > m->cap) {
            err = "file larger than its buffer";
        }
    }
    uint64_t nodes, bytes = err ? 0 : held(s, &nodes);
    if (!err && bytes != s->stats.bytes)
        err = "stats.bytes differs from what the overlay holds";
    if (!err && nodes != s->stats.nodes)
        err = "stats.nodes differs from the overlay's nodes";
    free(z.links);
    free(z.subdirs);
    free(z.opens);
    free(z.reached);
    return err;
}
