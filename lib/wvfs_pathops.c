/* wvfs_pathops.c — WASI calls that take a path under an embedded directory fd.
 *
 * Rights are checked first and the same way uvwasi does (so errnos match a
 * node:wasi host), then the path is resolved (wvfs_path.c), then the answer a
 * read-only POSIX filesystem would give: EROFS for anything that would change
 * it, after the errors a host reports before that (ENOENT, EEXIST, ENOTDIR,
 * EISDIR, ELOOP).
 */
#include <string.h>

#include "wvfs.h"

static wvfs_errno_t dir_rights(const struct wvfs_fd *dir, wvfs_rights_t base,
                               wvfs_rights_t inheriting)
{
    if ((dir->base & base) != base || (dir->inheriting & inheriting) != inheriting)
        return WVFS_ENOTCAPABLE;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs_path_open(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t dirflags,
                            const char *path, size_t len, uint16_t oflags, wvfs_rights_t base,
                            wvfs_rights_t inheriting, uint16_t fdflags, uint32_t *newfd)
{
    int write = (base & WVFS_RIGHTS_WRITE) != 0;
    wvfs_rights_t need_base = WVFS_RIGHT_PATH_OPEN, need_inh = base | inheriting;
    if (oflags & WVFS_O_CREAT)
        need_base |= WVFS_RIGHT_PATH_CREATE_FILE;
    if (oflags & WVFS_O_TRUNC)
        need_base |= WVFS_RIGHT_PATH_FILESTAT_SET_SIZE;
    if (fdflags & WVFS_FDFLAG_DSYNC)
        need_inh |= WVFS_RIGHT_FD_DATASYNC;
    if (fdflags & (WVFS_FDFLAG_RSYNC | WVFS_FDFLAG_SYNC))
        need_inh |= WVFS_RIGHT_FD_SYNC;
    if (write && !(fdflags & WVFS_FDFLAG_APPEND) && !(oflags & WVFS_O_TRUNC))
        need_inh |= WVFS_RIGHT_FD_SEEK;
    wvfs_errno_t err = dir_rights(dir, need_base, need_inh);
    if (err != WVFS_ESUCCESS)
        return err;
    if (oflags & ~(WVFS_O_CREAT | WVFS_O_DIRECTORY | WVFS_O_EXCL | WVFS_O_TRUNC))
        return WVFS_EINVAL;

    uint32_t n;
    int last_missing;
    err = wvfs_resolve(s->img, dir->node, path, len, dirflags & WVFS_LOOKUP_SYMLINK_FOLLOW, &n,
                       &last_missing);
    if (err == WVFS_ENOENT && last_missing && (oflags & WVFS_O_CREAT))
        return WVFS_EROFS;
    if (err != WVFS_ESUCCESS)
        return err;

    uint8_t type = s->img->nodes[n].type;
    if ((oflags & (WVFS_O_CREAT | WVFS_O_EXCL)) == (WVFS_O_CREAT | WVFS_O_EXCL))
        return WVFS_EEXIST;
    if ((oflags & WVFS_O_DIRECTORY) && type != WVFS_FILETYPE_DIRECTORY)
        return WVFS_ENOTDIR;
    if (type == WVFS_FILETYPE_SYMBOLIC_LINK)
        return WVFS_ELOOP; /* O_NOFOLLOW on a symlink */
    if (type == WVFS_FILETYPE_DIRECTORY && (write || (oflags & (WVFS_O_CREAT | WVFS_O_TRUNC))))
        return WVFS_EISDIR;
    if (write || (oflags & WVFS_O_TRUNC))
        return WVFS_EROFS;

    uint32_t fd;
    err = wvfs_fd_alloc(s, &fd);
    if (err != WVFS_ESUCCESS)
        return err;
    struct wvfs_fd *f = &s->fds[fd];
    f->kind = WVFS_FD_VFS;
    f->node = n;
    f->fdflags = fdflags;
    if (type == WVFS_FILETYPE_DIRECTORY) {
        f->base = base & WVFS_RIGHTS_DIR_BASE;
        f->inheriting = inheriting & WVFS_RIGHTS_DIR_INHERITING;
    } else {
        f->base = base & WVFS_RIGHTS_FILE_BASE;
        f->inheriting = 0;
    }
    f->base &= ~WVFS_RIGHT_FD_WRITE; /* opened read-only */
    *newfd = fd;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs_path_filestat_get(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t flags,
                                    const char *path, size_t len, struct wvfs_filestat *st)
{
    wvfs_errno_t err = dir_rights(dir, WVFS_RIGHT_PATH_FILESTAT_GET, 0);
    uint32_t n;
    int last_missing;
    if (err == WVFS_ESUCCESS)
        err = wvfs_resolve(s->img, dir->node, path, len, flags & WVFS_LOOKUP_SYMLINK_FOLLOW, &n,
                           &last_missing);
    if (err == WVFS_ESUCCESS)
        wvfs_node_stat(s->img, n, st);
    return err;
}

wvfs_errno_t wvfs_path_readlink(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                size_t len, uint8_t *buf, size_t buflen, size_t *used)
{
    wvfs_errno_t err = dir_rights(dir, WVFS_RIGHT_PATH_READLINK, 0);
    uint32_t n;
    int last_missing;
    if (err == WVFS_ESUCCESS)
        err = wvfs_resolve(s->img, dir->node, path, len, 0, &n, &last_missing);
    if (err != WVFS_ESUCCESS)
        return err;
    const struct wvfs_node *node = &s->img->nodes[n];
    if (node->type != WVFS_FILETYPE_SYMBOLIC_LINK)
        return WVFS_EINVAL;
    /* POSIX readlink: as much of the target as fits, no NUL added. */
    *used = node->size < buflen ? (size_t)node->size : buflen;
    memcpy(buf, node->data, *used);
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs_path_mutate(struct wvfs_state *s, struct wvfs_fd *dir, wvfs_rights_t needed,
                              uint32_t lookupflags, const char *path, size_t len, int creates)
{
    wvfs_errno_t err = dir_rights(dir, needed, 0);
    if (err != WVFS_ESUCCESS)
        return err;
    uint32_t n;
    int last_missing;
    err = wvfs_resolve(s->img, dir->node, path, len,
                       !creates && (lookupflags & WVFS_LOOKUP_SYMLINK_FOLLOW), &n, &last_missing);
    if (err == WVFS_ENOENT && last_missing && creates)
        return WVFS_EROFS;
    if (err != WVFS_ESUCCESS)
        return err;
    return creates ? WVFS_EEXIST : WVFS_EROFS;
}
