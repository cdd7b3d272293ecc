/* wvfs_fdtab.c — the guest's fd table: one number space for host and embedded fds.
 *
 * Every guest fd is a slot here.  A HOST slot forwards to the host's fd number
 * (identity for the fds the host gave at start, translated for later ones); a
 * VFS slot is an open file or directory of the image.  New fds take the lowest
 * free number, as a POSIX host does, so host and embedded opens interleave
 * without ever colliding.  WASI has no dup(): one slot is one open file.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_fdtab.h"
#include "wvfs_node.h"

/* An image with no mounts, used when the program links no filesystem.c. */
static const struct wvfs_image empty_image = {.abi = WVFS_IMAGE_ABI};

/* Guest fds are i32 in the ABI and wasi-libc treats negative ones as errors. */
#define FD_LIMIT 0x7fffffffu

/* Closed decompressed files stay cached while the overlay holds less. */
#define CACHE_BUDGET_DEFAULT (64u << 20)

void wvfs__state_init(struct wvfs_state *s, const struct wvfs_image *img)
{
    memset(s, 0, sizeof *s);
    s->img = img ? img : &empty_image;
    s->cache_budget = CACHE_BUDGET_DEFAULT;
}

void wvfs__state_free(struct wvfs_state *s)
{
    wvfs__overlay_free(s);
    free(s->fds);
    uint64_t (*now)(void) = s->now;
    uint64_t budget = s->cache_budget;
    const struct wvfs_part *parts = s->parts;
    uint32_t nparts = s->nparts;
    wvfs__state_init(s, s->img);
    s->now = now;
    s->cache_budget = budget;
    s->parts = parts;
    s->nparts = nparts;
}

int wvfs__fd_host_named(const struct wvfs_state *s, uint32_t host)
{
    for (uint32_t i = 0; i < s->nfds; i++)
        if (s->fds[i].kind == WVFS_FD_HOST && s->fds[i].host == host)
            return 1;
    return 0;
}

int wvfs__readonly(const struct wvfs_state *s, const struct wvfs_fd *f)
{
    return (s->img->mounts[f->mount].flags & WVFS_MOUNT_READONLY) != 0;
}

wvfs_errno_t wvfs__gate(const struct wvfs_state *s, const struct wvfs_fd *f, wvfs_rights_t base,
                        wvfs_rights_t inheriting, unsigned need)
{
    if ((f->base & base) != base || (f->inheriting & inheriting) != inheriting)
        return WVFS_ENOTCAPABLE;
    if ((need & WVFS_GATE_PREOPEN) && !f->preopen)
        return WVFS_EBADF;
    if ((need & WVFS_GATE_WRITE) && wvfs__readonly(s, f))
        return WVFS_EROFS;
    if (need & (WVFS_GATE_FILE | WVFS_GATE_DIR)) {
        uint8_t type = wvfs__type(s, f->node);
        if ((need & WVFS_GATE_DIR) && type != WVFS_FILETYPE_DIRECTORY)
            return WVFS_ENOTDIR;
        if ((need & WVFS_GATE_FILE) && type == WVFS_FILETYPE_DIRECTORY)
            return WVFS_EISDIR;
        if ((need & WVFS_GATE_FILE) && type != WVFS_FILETYPE_REGULAR_FILE)
            return WVFS_EINVAL;
    }
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_alloc(struct wvfs_state *s, uint32_t *fd)
{
    uint32_t i = s->lowfree;
    while (i < s->nfds && s->fds[i].kind != WVFS_FD_FREE)
        i++;
    if (i == s->nfds) {
        if (s->nfds >= FD_LIMIT / 2)
            return WVFS_EMFILE;
        uint32_t n = s->nfds ? s->nfds * 2 : 16;
        struct wvfs_fd *grown = realloc(s->fds, n * sizeof *grown);
        if (grown == NULL)
            return WVFS_ENOMEM;
        memset(grown + s->nfds, 0, (n - s->nfds) * sizeof *grown);
        s->fds = grown;
        s->nfds = n;
    }
    memset(&s->fds[i], 0, sizeof s->fds[i]);
    s->fds[i].kind = WVFS_FD_RESERVED; /* the caller fills it in or releases it */
    s->lowfree = i + 1;
    *fd = i;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_add_host(struct wvfs_state *s, uint32_t host, uint32_t *fd)
{
    wvfs_errno_t err = wvfs__fd_alloc(s, fd);
    if (err == WVFS_ESUCCESS) {
        s->fds[*fd].kind = WVFS_FD_HOST;
        s->fds[*fd].host = host;
    }
    return err;
}

wvfs_errno_t wvfs__fd_add_mounts(struct wvfs_state *s)
{
    for (uint32_t m = 0; m < s->img->nmounts; m++) {
        uint32_t fd;
        wvfs_errno_t err = wvfs__fd_alloc(s, &fd);
        if (err != WVFS_ESUCCESS)
            return err;
        struct wvfs_fd *f = &s->fds[fd];
        f->kind = WVFS_FD_VFS;
        f->mount = m;
        f->preopen = 1;
        f->node = s->img->mounts[m].root;
        /* What a host gives a preopened directory: all directory rights, and
         * everything a file or directory below it may hold. */
        f->base = WVFS_RIGHTS_DIR_BASE;
        f->inheriting = WVFS_RIGHTS_DIR_INHERITING;
    }
    return WVFS_ESUCCESS;
}

void wvfs__fd_release(struct wvfs_state *s, uint32_t fd)
{
    memset(&s->fds[fd], 0, sizeof s->fds[fd]);
    if (fd < s->lowfree)
        s->lowfree = fd;
}

wvfs_errno_t wvfs__fd_renumber(struct wvfs_state *s, uint32_t from, uint32_t to,
                              struct wvfs_fd *old)
{
    if (wvfs__fd_get(s, from) == NULL || wvfs__fd_get(s, to) == NULL)
        return WVFS_EBADF;
    if (from == to) {
        memset(old, 0, sizeof *old); /* nothing to close */
        return WVFS_ESUCCESS;
    }
    *old = s->fds[to];
    s->fds[to] = s->fds[from];
    wvfs__fd_release(s, from);
    if (old->kind == WVFS_FD_VFS)
        wvfs__closed(s, old->node); /* the caller closes a host fd */
    return WVFS_ESUCCESS;
}
