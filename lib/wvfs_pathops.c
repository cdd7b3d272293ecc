/* wvfs_pathops.c — WASI calls that take a path under an embedded directory fd.
 *
 * Each call: the gate on the directory fd (wvfs__gate: rights, checked the way
 * uvwasi does, so errnos match a node:wasi host); then its arguments, before
 * anything is looked up or taken; then path resolution (wvfs_path.c); then the
 * errors a POSIX host reports in its order (ENOENT, EEXIST, ENOTDIR, EISDIR,
 * ENOTEMPTY, EXDEV, EINVAL...); a read-only mount answers EROFS where a change
 * would start; otherwise the change goes to the overlay.  Every allocation a
 * change needs is made before the tree is touched, so ENOSPC leaves it as it was.
 */
#include <string.h>

#include "wvfs_dir.h"
#include "wvfs_fdtab.h"
#include "wvfs_ops.h"
#include "wvfs_path.h"

/* Record a change to directory d's entries. */
static void dir_changed(struct wvfs_state *s, struct wvfs_mnode *d)
{
    d->mtim = d->ctim = wvfs__now(s);
}

/* Create a node of `type` named by w (a missing last component). */
static wvfs_errno_t create(struct wvfs_state *s, const struct wvfs_where *w, uint8_t type,
                           uint32_t *node)
{
    struct wvfs_mnode *parent = wvfs__touch(s, w->dir);
    if (parent == NULL)
        return WVFS_ENOSPC;
    uint32_t n = wvfs__node_new(s, type, w->dir);
    if (n == WVFS_NONE)
        return WVFS_ENOSPC;
    wvfs_errno_t err = wvfs__dir_add(s, parent, w->name, w->namelen, n, 1);
    if (err != WVFS_ESUCCESS) {
        s->ov[n]->nlink = 0;
        wvfs__node_release(s, n);
        return err;
    }
    if (type == WVFS_FILETYPE_DIRECTORY)
        parent->nlink++;
    dir_changed(s, parent);
    *node = n;
    return WVFS_ESUCCESS;
}

/* path_open's gate: the directory's rights for what the open does, and
 * the rights the new fd asks that the directory may hand on. */
static wvfs_errno_t open_gate(struct wvfs_state *s, struct wvfs_fd *dir, uint16_t oflags,
                              wvfs_rights_t base, wvfs_rights_t inheriting, uint16_t fdflags)
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
    return wvfs__gate(s, dir, need_base, need_inh, WVFS_GATE_DIR);
}

/* path_open's node: the one the path names, checked against the open's
 * flags (and truncated for O_TRUNC), or a file created for O_CREAT. */
static wvfs_errno_t open_node(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t dirflags,
                              const char *path, size_t len, uint16_t oflags, int write, uint32_t *np)
{
    struct wvfs_where w;
    /* As Linux: O_CREAT|O_EXCL never follows a final symlink (a dangling one
     * is EEXIST), and O_CREAT on a path ending in '/' is EISDIR whatever is
     * there, once the directories before it resolve. */
    int creat = (oflags & WVFS_O_CREAT) != 0, slash = path[len - 1] == '/';
    int follow = (creat && ((oflags & WVFS_O_EXCL) || slash)) ? WVFS_NOFOLLOW_ENTRY
                                                                 : wvfs__follow(dirflags);
    wvfs_errno_t err = wvfs__resolve(s, dir->node, path, len, follow, &w);
    if (creat && slash && (err == WVFS_ESUCCESS || (err == WVFS_ENOENT && w.missing)))
        return WVFS_EISDIR;
    if (err == WVFS_ENOENT && w.missing && creat)
        return wvfs__readonly(s, dir) ? WVFS_EROFS : create(s, &w, WVFS_FILETYPE_REGULAR_FILE, np);
    if (err != WVFS_ESUCCESS)
        return err;
    uint32_t n = *np = w.node;
    uint8_t type = wvfs__type(s, n);
    if ((oflags & (WVFS_O_CREAT | WVFS_O_EXCL)) == (WVFS_O_CREAT | WVFS_O_EXCL))
        return WVFS_EEXIST;
    if ((oflags & WVFS_O_DIRECTORY) && type != WVFS_FILETYPE_DIRECTORY)
        return WVFS_ENOTDIR;
    if (type == WVFS_FILETYPE_SYMBOLIC_LINK)
        return WVFS_ELOOP; /* O_NOFOLLOW on a symlink */
    if (type == WVFS_FILETYPE_DIRECTORY && (write || (oflags & (WVFS_O_CREAT | WVFS_O_TRUNC))))
        return WVFS_EISDIR;
    if ((write || (oflags & WVFS_O_TRUNC)) && wvfs__readonly(s, dir))
        return WVFS_EROFS;
    if (oflags & WVFS_O_TRUNC) {
        struct wvfs_mnode *m = wvfs__touch(s, n);
        if (m == NULL)
            return WVFS_ENOSPC;
        if (m->size > 0) {
            wvfs__file_resize(s, m, 0);
            m->mtim = m->ctim = wvfs__now(s);
        }
    }
    return WVFS_ESUCCESS;
}

/* path_open's fd: node n under dir's mount, with the rights asked that its
 * type can have, less reading or writing where the open did not ask for it. */
static void open_fd(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_fd *dir, uint32_t n,
                    wvfs_rights_t base, wvfs_rights_t inheriting, uint16_t fdflags)
{
    int write = (base & WVFS_RIGHTS_WRITE) != 0;
    int read = (base & (WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_READDIR)) != 0;
    f->kind = WVFS_FD_VFS;
    f->node = n;
    f->mount = dir->mount;
    f->fdflags = fdflags;
    if (wvfs__type(s, n) == WVFS_FILETYPE_DIRECTORY) {
        f->base = base & WVFS_RIGHTS_DIR_BASE;
        f->inheriting = inheriting & WVFS_RIGHTS_DIR_INHERITING;
    } else {
        f->base = base & WVFS_RIGHTS_FILE_BASE;
        f->inheriting = 0;
    }
    if (!write)
        f->base &= ~WVFS_RIGHT_FD_WRITE; /* opened O_RDONLY, as uvwasi */
    else if (!read)
        f->base &= ~WVFS_RIGHT_FD_READ; /* opened O_WRONLY */
    wvfs__opened(s, n);
}

wvfs_errno_t wvfs__path_open(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t dirflags,
                            const char *path, size_t len, uint16_t oflags, wvfs_rights_t base,
                            wvfs_rights_t inheriting, uint16_t fdflags, uint32_t *newfd)
{
    wvfs_errno_t err = open_gate(s, dir, oflags, base, inheriting, fdflags);
    if (err != WVFS_ESUCCESS)
        return err;
    if (oflags & ~WVFS_O_ALL)
        return WVFS_EINVAL;
    if ((oflags & (WVFS_O_CREAT | WVFS_O_DIRECTORY)) == (WVFS_O_CREAT | WVFS_O_DIRECTORY))
        return WVFS_EINVAL; /* as Linux (6.4+): O_CREAT makes files, never directories */
    if (fdflags & ~WVFS_FDFLAGS_ALL)
        return WVFS_EINVAL;
    if (len == 0)
        return WVFS_ENOENT; /* an empty path names nothing, as openat("") */

    /* Take the fd first: once a file is created, nothing may fail. */
    uint32_t fd, n;
    err = wvfs__fd_alloc(s, &fd);
    if (err != WVFS_ESUCCESS)
        return err;
    err = open_node(s, dir, dirflags, path, len, oflags, (base & WVFS_RIGHTS_WRITE) != 0, &n);
    if (err != WVFS_ESUCCESS) {
        wvfs__fd_release(s, fd);
        return err;
    }
    open_fd(s, &s->fds[fd], dir, n, base, inheriting, fdflags);
    *newfd = fd;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__path_filestat_get(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t flags,
                                    const char *path, size_t len, struct wvfs_filestat *st)
{
    wvfs_errno_t err = wvfs__gate(s, dir, WVFS_RIGHT_PATH_FILESTAT_GET, 0, WVFS_GATE_DIR);
    struct wvfs_where w;
    if (err == WVFS_ESUCCESS)
        err = wvfs__resolve(s, dir->node, path, len, wvfs__follow(flags), &w);
    if (err == WVFS_ESUCCESS)
        wvfs__stat(s, w.node, st);
    return err;
}

wvfs_errno_t wvfs__path_filestat_set_times(struct wvfs_state *s, struct wvfs_fd *dir,
                                          uint32_t flags, const char *path, size_t len,
                                          uint64_t atim, uint64_t mtim, uint16_t fst_flags)
{
    wvfs_errno_t err = wvfs__gate(s, dir, WVFS_RIGHT_PATH_FILESTAT_SET_TIMES, 0, WVFS_GATE_DIR);
    struct wvfs_where w;
    if (err == WVFS_ESUCCESS)
        err = wvfs__resolve(s, dir->node, path, len, wvfs__follow(flags), &w);
    if (err == WVFS_ESUCCESS && wvfs__readonly(s, dir))
        err = WVFS_EROFS;
    if (err == WVFS_ESUCCESS)
        err = wvfs__set_times(s, w.node, atim, mtim, fst_flags);
    return err;
}

wvfs_errno_t wvfs__path_readlink(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                size_t len, uint8_t *buf, size_t buflen, size_t *used)
{
    wvfs_errno_t err = wvfs__gate(s, dir, WVFS_RIGHT_PATH_READLINK, 0, WVFS_GATE_DIR);
    struct wvfs_where w;
    if (err == WVFS_ESUCCESS)
        err = wvfs__resolve(s, dir->node, path, len, WVFS_NOFOLLOW, &w);
    if (err != WVFS_ESUCCESS)
        return err;
    struct wvfs_view v;
    wvfs__view(s, w.node, &v);
    if (v.type != WVFS_FILETYPE_SYMBOLIC_LINK)
        return WVFS_EINVAL;
    /* POSIX readlink: as much of the target as fits, no NUL added. */
    *used = v.size < buflen ? (size_t)v.size : buflen;
    if (*used > 0) /* buf may be NULL when buflen is 0 */
        memcpy(buf, v.data, *used);
    return WVFS_ESUCCESS;
}

/* Resolve a path that names a new entry: EEXIST if it exists, else the place.
 * Only a directory may be created through a trailing slash (Linux: ENOENT). */
static wvfs_errno_t new_name(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                             size_t len, struct wvfs_where *w, int mkdir)
{
    wvfs_errno_t err = wvfs__resolve(s, dir->node, path, len, WVFS_NOFOLLOW_ENTRY, w);
    if (err == WVFS_ESUCCESS)
        return WVFS_EEXIST;
    if (err == WVFS_ENOENT && w->missing && w->slash && !mkdir)
        return WVFS_ENOENT;
    if (err == WVFS_ENOENT && w->missing)
        return wvfs__readonly(s, dir) ? WVFS_EROFS : WVFS_ESUCCESS;
    return err;
}

wvfs_errno_t wvfs__path_create_directory(struct wvfs_state *s, struct wvfs_fd *dir,
                                        const char *path, size_t len)
{
    wvfs_errno_t err = wvfs__gate(s, dir, WVFS_RIGHT_PATH_CREATE_DIRECTORY, 0, WVFS_GATE_DIR);
    struct wvfs_where w;
    uint32_t n;
    if (err == WVFS_ESUCCESS)
        err = new_name(s, dir, path, len, &w, 1);
    if (err == WVFS_ESUCCESS)
        err = create(s, &w, WVFS_FILETYPE_DIRECTORY, &n);
    return err;
}

wvfs_errno_t wvfs__path_symlink(struct wvfs_state *s, const char *target, size_t tlen,
                               struct wvfs_fd *dir, const char *path, size_t len)
{
    wvfs_errno_t err = wvfs__gate(s, dir, WVFS_RIGHT_PATH_SYMLINK, 0, WVFS_GATE_DIR);
    struct wvfs_where w;
    uint32_t n;
    /* WASI resolves only relative links, so a link to an absolute target could
     * never be followed: refused, as node:wasi (EPERM) and wasmtime refuse it. */
    if (err == WVFS_ESUCCESS && tlen > 0 && target[0] == '/')
        err = WVFS_EPERM;
    /* As Linux: an empty target is refused before the name is looked at, so
     * ENOENT even onto a name that exists. */
    if (err == WVFS_ESUCCESS && tlen == 0)
        err = WVFS_ENOENT;
    if (err == WVFS_ESUCCESS)
        err = new_name(s, dir, path, len, &w, 0);
    if (err != WVFS_ESUCCESS)
        return err;
    struct wvfs_mnode tmp = {0};
    if (wvfs__file_reserve(s, &tmp, tlen) != WVFS_ESUCCESS)
        return WVFS_ENOSPC;
    memcpy(tmp.buf, target, tlen);
    err = create(s, &w, WVFS_FILETYPE_SYMBOLIC_LINK, &n);
    if (err != WVFS_ESUCCESS) {
        wvfs__file_resize(s, &tmp, 0);
        return err;
    }
    struct wvfs_mnode *m = s->ov[n];
    m->buf = tmp.buf;
    m->cap = tmp.cap;
    m->size = tlen;
    return WVFS_ESUCCESS;
}

/* Node m loses the entry that named it in directory `parent` (unlink, rmdir,
 * or a rename over it): the one place a link count goes down. */
static void drop_link(struct wvfs_state *s, struct wvfs_mnode *parent, struct wvfs_mnode *m)
{
    if (m->type == WVFS_FILETYPE_DIRECTORY) {
        m->nlink = 0;
        parent->nlink--;
    } else {
        m->nlink--;
    }
    m->ctim = wvfs__now(s);
}

/* Remove the entry w names from its directory and drop one link of its node. */
static void unlink_entry(struct wvfs_state *s, struct wvfs_mnode *parent,
                         const struct wvfs_where *w, struct wvfs_mnode *m)
{
    wvfs__dir_remove(s, parent, w->name, w->namelen);
    drop_link(s, parent, m);
    dir_changed(s, parent);
}

/* Resolve an existing entry (its last component never followed). */
static wvfs_errno_t existing(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                             size_t len, struct wvfs_where *w)
{
    return wvfs__resolve(s, dir->node, path, len, WVFS_NOFOLLOW_ENTRY, w);
}

wvfs_errno_t wvfs__path_remove_directory(struct wvfs_state *s, struct wvfs_fd *dir,
                                        const char *path, size_t len)
{
    wvfs_errno_t err = wvfs__gate(s, dir, WVFS_RIGHT_PATH_REMOVE_DIRECTORY, 0, WVFS_GATE_DIR);
    struct wvfs_where w;
    if (err == WVFS_ESUCCESS)
        err = existing(s, dir, path, len, &w);
    if (err != WVFS_ESUCCESS)
        return err;
    if (w.last == WVFS_LAST_DOT)
        return WVFS_EINVAL;
    if (w.last == WVFS_LAST_DOTDOT)
        return WVFS_ENOTEMPTY;
    if (wvfs__readonly(s, dir))
        return WVFS_EROFS;
    if (wvfs__type(s, w.node) != WVFS_FILETYPE_DIRECTORY)
        return WVFS_ENOTDIR;
    if (wvfs__dir_count(s, w.node) > 0)
        return WVFS_ENOTEMPTY;
    struct wvfs_mnode *parent = wvfs__touch(s, w.dir), *m = wvfs__touch(s, w.node);
    if (parent == NULL || m == NULL)
        return WVFS_ENOSPC;
    unlink_entry(s, parent, &w, m);
    wvfs__node_release(s, w.node);
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__path_unlink_file(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                   size_t len)
{
    wvfs_errno_t err = wvfs__gate(s, dir, WVFS_RIGHT_PATH_UNLINK_FILE, 0, WVFS_GATE_DIR);
    struct wvfs_where w;
    if (err == WVFS_ESUCCESS)
        err = existing(s, dir, path, len, &w);
    if (err != WVFS_ESUCCESS)
        return err;
    if (w.last != WVFS_LAST_NAME || wvfs__type(s, w.node) == WVFS_FILETYPE_DIRECTORY)
        return WVFS_EISDIR;
    if (w.slash)
        return WVFS_ENOTDIR;
    if (wvfs__readonly(s, dir))
        return WVFS_EROFS;
    struct wvfs_mnode *parent = wvfs__touch(s, w.dir), *m = wvfs__touch(s, w.node);
    if (parent == NULL || m == NULL)
        return WVFS_ENOSPC;
    unlink_entry(s, parent, &w, m);
    wvfs__node_release(s, w.node); /* an open file lives on until its last close */
    return WVFS_ESUCCESS;
}

/* The errno of a call naming two paths, in a host's order: a path that leaves
 * its directory (ENOTCAPABLE) first, as both are checked against the sandbox
 * before anything is looked up; then, for rename (parents_first), errors in
 * the directories leading to either last component, as Linux resolves both
 * parents before either last component; then the first path's error, then
 * the second's (link resolves its source completely first). */
static wvfs_errno_t two_paths(wvfs_errno_t first, wvfs_errno_t second,
                              const struct wvfs_where *a, const struct wvfs_where *b,
                              int parents_first)
{
    if (first == WVFS_ENOTCAPABLE || second == WVFS_ENOTCAPABLE)
        return WVFS_ENOTCAPABLE;
    int a_last = first == WVFS_ESUCCESS || (first == WVFS_ENOENT && a->missing);
    int b_last = second == WVFS_ESUCCESS || (second == WVFS_ENOENT && b->missing) ||
                 second == WVFS_EEXIST || second == WVFS_EROFS;
    if (parents_first && a_last && !b_last)
        return second;
    return first != WVFS_ESUCCESS ? first : second;
}

wvfs_errno_t wvfs__path_link(struct wvfs_state *s, struct wvfs_fd *odir, uint32_t oflags,
                            const char *opath, size_t olen, struct wvfs_fd *ndir,
                            const char *npath, size_t nlen)
{
    wvfs_errno_t err = wvfs__gate(s, odir, WVFS_RIGHT_PATH_LINK_SOURCE, 0, WVFS_GATE_DIR);
    if (err == WVFS_ESUCCESS)
        err = wvfs__gate(s, ndir, WVFS_RIGHT_PATH_LINK_TARGET, 0, WVFS_GATE_DIR);
    struct wvfs_where o, w;
    if (err != WVFS_ESUCCESS)
        return err;
    err = two_paths(wvfs__resolve(s, odir->node, opath, olen, wvfs__follow(oflags), &o),
                    new_name(s, ndir, npath, nlen, &w, 0), &o, &w, 0);
    if (err == WVFS_ESUCCESS && odir->mount != ndir->mount)
        err = WVFS_EXDEV;
    if (err == WVFS_ESUCCESS && wvfs__type(s, o.node) == WVFS_FILETYPE_DIRECTORY)
        err = WVFS_EPERM; /* no hard links to directories */
    if (err != WVFS_ESUCCESS)
        return err;
    struct wvfs_mnode *parent = wvfs__touch(s, w.dir), *m = wvfs__touch(s, o.node);
    if (parent == NULL || m == NULL)
        return WVFS_ENOSPC;
    err = wvfs__dir_add(s, parent, w.name, w.namelen, o.node, 1);
    if (err != WVFS_ESUCCESS)
        return err;
    m->nlink++;
    m->ctim = wvfs__now(s);
    dir_changed(s, parent);
    return WVFS_ESUCCESS;
}

/* Is directory `d` the same as, or below, directory `top`? */
static int inside(const struct wvfs_state *s, uint32_t d, uint32_t top)
{
    for (;;) {
        if (d == top)
            return 1;
        struct wvfs_view v;
        wvfs__view(s, d, &v);
        if (v.parent == d)
            return 0; /* reached a mount root */
        d = v.parent;
    }
}

wvfs_errno_t wvfs__path_rename(struct wvfs_state *s, struct wvfs_fd *odir, const char *opath,
                              size_t olen, struct wvfs_fd *ndir, const char *npath, size_t nlen)
{
    wvfs_errno_t err = wvfs__gate(s, odir, WVFS_RIGHT_PATH_RENAME_SOURCE, 0, WVFS_GATE_DIR);
    if (err == WVFS_ESUCCESS)
        err = wvfs__gate(s, ndir, WVFS_RIGHT_PATH_RENAME_TARGET, 0, WVFS_GATE_DIR);
    struct wvfs_where o, w;
    if (err != WVFS_ESUCCESS)
        return err;
    wvfs_errno_t to = wvfs__resolve(s, ndir->node, npath, nlen, WVFS_NOFOLLOW_ENTRY, &w);
    int replace = to == WVFS_ESUCCESS;
    err = two_paths(existing(s, odir, opath, olen, &o),
                    to == WVFS_ENOENT && w.missing ? WVFS_ESUCCESS : to, &o, &w, 1);
    if (err != WVFS_ESUCCESS)
        return err;
    if (odir->mount != ndir->mount)
        return WVFS_EXDEV;
    if (o.last != WVFS_LAST_NAME || w.last != WVFS_LAST_NAME)
        return WVFS_EBUSY; /* ".", ".." or the directory itself */
    int isdir = wvfs__type(s, o.node) == WVFS_FILETYPE_DIRECTORY;
    if (!isdir && (o.slash || w.slash))
        return WVFS_ENOTDIR;
    if (replace && w.node == o.node)
        return WVFS_ESUCCESS; /* two names of one file: POSIX does nothing */
    if (isdir && inside(s, w.dir, o.node))
        return WVFS_EINVAL; /* a directory into itself; Linux checks this first */
    if (replace && inside(s, o.dir, w.node))
        return WVFS_ENOTEMPTY; /* over a directory above the source: Linux's answer */
    if (replace) {
        int tdir = wvfs__type(s, w.node) == WVFS_FILETYPE_DIRECTORY;
        if (isdir && !tdir)
            return WVFS_ENOTDIR;
        if (!isdir && tdir)
            return WVFS_EISDIR;
        if (tdir && wvfs__dir_count(s, w.node) > 0)
            return WVFS_ENOTEMPTY;
    }
    if (wvfs__readonly(s, odir))
        return WVFS_EROFS;

    struct wvfs_mnode *op = wvfs__touch(s, o.dir), *np = wvfs__touch(s, w.dir);
    struct wvfs_mnode *m = wvfs__touch(s, o.node);
    struct wvfs_mnode *t = replace ? wvfs__touch(s, w.node) : NULL;
    if (op == NULL || np == NULL || m == NULL || (replace && t == NULL))
        return WVFS_ENOSPC;
    if (replace) {
        wvfs__dir_replace(s, np, w.name, w.namelen, o.node);
        drop_link(s, np, t);
    } else {
        err = wvfs__dir_add(s, np, w.name, w.namelen, o.node, 1);
        if (err != WVFS_ESUCCESS)
            return err;
    }
    wvfs__dir_remove(s, op, o.name, o.namelen);
    if (isdir && op != np) {
        op->nlink--;
        np->nlink++;
        m->parent = w.dir;
    }
    m->ctim = wvfs__now(s);
    dir_changed(s, op);
    dir_changed(s, np);
    if (replace)
        wvfs__node_release(s, w.node);
    return WVFS_ESUCCESS;
}
