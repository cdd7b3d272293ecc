/* wvfs_fdtab.h — the guest fd table (wvfs_fdtab.c): every guest fd is a host
 * fd, translated, or an fd on an embedded mount; and the one gate of every
 * call on an embedded fd. */
#ifndef WVFS_FDTAB_H
#define WVFS_FDTAB_H

#include "wvfs_state.h"

void wvfs__state_init(struct wvfs_state *s, const struct wvfs_image *img);
void wvfs__state_free(struct wvfs_state *s);
/* The open fd `fd`, or NULL (EBADF). */
static inline struct wvfs_fd *wvfs__fd_get(struct wvfs_state *s, uint32_t fd)
{
    if (fd >= s->nfds || (s->fds[fd].kind != WVFS_FD_HOST && s->fds[fd].kind != WVFS_FD_VFS))
        return NULL;
    return &s->fds[fd];
}
/* The one gate of every call on an embedded fd, as uvwasi's
 * uvwasi_fd_table_get: the rights the call needs (ENOTCAPABLE), then what it
 * needs of the fd (WVFS_GATE_*), in a host's order: EROFS, then the type. */
enum {
    WVFS_GATE_WRITE = 1,   /* changes what the fd names: a read-only mount answers EROFS */
    WVFS_GATE_FILE = 2,    /* a regular file: a directory answers EISDIR, others EINVAL */
    WVFS_GATE_DIR = 4,     /* a directory: ENOTDIR */
    WVFS_GATE_PREOPEN = 8, /* a mount's preopened root: EBADF, as hosts answer */
};
wvfs_errno_t wvfs__gate(const struct wvfs_state *s, const struct wvfs_fd *f, wvfs_rights_t base,
                        wvfs_rights_t inheriting, unsigned need);
/* Is f on a read-only mount?  (Path calls ask once the path has resolved.) */
int wvfs__readonly(const struct wvfs_state *s, const struct wvfs_fd *f);
/* Is `host` the host's number of one of the guest's host fds? */
int wvfs__fd_host_named(const struct wvfs_state *s, uint32_t host);
/* Take the lowest free fd, zeroed and RESERVED; ENOMEM/EMFILE on failure. */
wvfs_errno_t wvfs__fd_alloc(struct wvfs_state *s, uint32_t *fd);
wvfs_errno_t wvfs__fd_add_host(struct wvfs_state *s, uint32_t host, uint32_t *fd);
/* Add one preopened directory fd per mount of the image, in image order. */
wvfs_errno_t wvfs__fd_add_mounts(struct wvfs_state *s);
void wvfs__fd_release(struct wvfs_state *s, uint32_t fd);
/* Move `from` onto `to` (both open); *old receives what `to` held so the
 * caller can close it on the host. */
wvfs_errno_t wvfs__fd_renumber(struct wvfs_state *s, uint32_t from, uint32_t to,
                              struct wvfs_fd *old);

#endif
