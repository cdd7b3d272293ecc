/* wvfs_fileops.c — WASI calls that read through an open embedded fd: read,
 * seek, readdir, stat, fdstat, prestat, close.
 *
 * Every call has the same shape as a host's: the gate (wvfs__gate: the fd's
 * rights, ENOTCAPABLE as node:wasi and wasmtime answer, and its type), then
 * its arguments, then the work.  Reads copy straight from the file's bytes
 * (the image's, until a write gave the file its own, or the decompressed
 * copy of a compressed one); a compressed file read whole from its start is
 * decoded straight into the reader's buffer instead.
 * Not here: calls that change a file (wvfs_write.c) or take a path (wvfs_pathops.c).
 */
#include <string.h>

#include "wvfs_dir.h"
#include "wvfs_fdtab.h"
#include "wvfs_ops.h"
#include "wvfs_zfile.h"

/* Copy file bytes from `off` into the iovecs, the count copied in *total
 * (a seekable file's frames decoded first, as far as the iovecs reach). */
static wvfs_errno_t copy_out(struct wvfs_state *s, uint32_t node, const struct wvfs_iovec *iov,
                             size_t niov, uint64_t off, size_t *copied)
{
    uint64_t want = 0;
    for (size_t i = 0; i < niov; i++)
        want += iov[i].buf_len;
    wvfs__fetch(s, node);
    int r = wvfs__zfile_read ? wvfs__zfile_read(s, node, iov, off, want, copied) : -1;
    if (r >= 0)
        return (wvfs_errno_t)r; /* a compressed file's read that needed no overlay copy */
    wvfs_errno_t err = wvfs__file_ready(s, node);
    if (err == WVFS_ESUCCESS)
        err = wvfs__file_range(s, wvfs__ov(s, node), off, want);
    if (err != WVFS_ESUCCESS)
        return err;
    struct wvfs_view v;
    wvfs__view(s, node, &v);
    size_t total = 0;
    for (size_t i = 0; i < niov && off < v.size; i++) {
        uint64_t avail = v.size - off;
        size_t k = iov[i].buf_len < avail ? iov[i].buf_len : (size_t)avail;
        if (k == 0)
            continue; /* an empty iovec may have a NULL buf */
        memcpy(iov[i].buf, v.data + off, k);
        off += k;
        total += k;
    }
    *copied = total;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_read(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                          size_t n, size_t *nread)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_READ, 0, WVFS_GATE_FILE);
    if (err != WVFS_ESUCCESS)
        return err;
    err = copy_out(s, f->node, iov, n, f->offset, nread);
    if (err == WVFS_ESUCCESS)
        f->offset += *nread;
    return err;
}

wvfs_errno_t wvfs__fd_pread(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                           size_t n, uint64_t off, size_t *nread)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_SEEK, 0, WVFS_GATE_FILE);
    if (err != WVFS_ESUCCESS)
        return err;
    if (off > INT64_MAX)
        return WVFS_EINVAL; /* a negative off_t on the host */
    return copy_out(s, f->node, iov, n, off, nread);
}

wvfs_errno_t wvfs__fd_seek(struct wvfs_state *s, struct wvfs_fd *f, int64_t delta, uint8_t whence,
                          uint64_t *newoff)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_SEEK, 0, 0);
    if (err != WVFS_ESUCCESS)
        return err;
    int64_t base;
    struct wvfs_view v;
    switch (whence) {
    case WVFS_WHENCE_SET: base = 0; break;
    case WVFS_WHENCE_CUR: base = (int64_t)f->offset; break;
    case WVFS_WHENCE_END: wvfs__view(s, f->node, &v); base = (int64_t)v.size; break;
    default: return WVFS_EINVAL;
    }
    if ((delta > 0 && base > INT64_MAX - delta) || base + delta < 0)
        return WVFS_EINVAL;
    f->offset = (uint64_t)(base + delta);
    *newoff = f->offset;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_tell(struct wvfs_state *s, struct wvfs_fd *f, uint64_t *off)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_TELL, 0, 0);
    if (err == WVFS_ESUCCESS)
        *off = f->offset;
    return err;
}

/* Write one dirent (header then name) at buf[*used], cut short at the end of
 * the buffer as the spec says; returns 0 once the buffer is full. */
static int put_dirent(uint8_t *buf, size_t len, size_t *used, uint64_t next, uint64_t ino,
                      uint8_t type, const char *name, uint32_t namelen)
{
    struct wvfs_dirent_hdr h;
    memset(&h, 0, sizeof h);
    h.d_next = next;
    h.d_ino = ino;
    h.d_namlen = namelen;
    h.d_type = type;
    size_t room = len - *used;
    size_t k = room < sizeof h ? room : sizeof h;
    memcpy(buf + *used, &h, k);
    *used += k;
    room -= k;
    k = room < namelen ? room : namelen;
    memcpy(buf + *used, name, k);
    *used += k;
    return *used < len;
}

wvfs_errno_t wvfs__fd_readdir(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf, size_t len,
                             uint64_t cookie, size_t *used)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_READDIR, 0, WVFS_GATE_DIR);
    if (err != WVFS_ESUCCESS)
        return err;
    struct wvfs_view d;
    wvfs__view(s, f->node, &d);
    *used = 0;
    if (s->trace_list != NULL)
        s->trace_list(s, f->node);
    /* Positions: 0 is ".", 1 is "..", 2+i is entry position i; a cookie is a
     * position, and an overlay directory never moves an entry's position. */
    for (uint64_t pos = cookie; *used < len; pos++) {
        int more;
        if (pos < 2) {
            uint32_t n = pos == 0 ? f->node : d.parent;
            /* "." is the first byte of "..", so one literal serves both */
            more = put_dirent(buf, len, used, pos + 1, (uint64_t)n + 1, WVFS_FILETYPE_DIRECTORY,
                              "..", (uint32_t)pos + 1);
        } else {
            const char *name;
            uint32_t namelen, node;
            uint64_t at = wvfs__dir_next(s, f->node, pos - 2, &name, &namelen, &node);
            if (at == UINT64_MAX)
                break;
            pos = at + 2;
            more = put_dirent(buf, len, used, pos + 1, (uint64_t)node + 1, wvfs__type(s, node),
                              name, namelen);
        }
        if (!more)
            break;
    }
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_filestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_filestat *st)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_FILESTAT_GET, 0, 0);
    if (err == WVFS_ESUCCESS)
        wvfs__stat(s, f->node, st);
    return err;
}

wvfs_errno_t wvfs__fd_fdstat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_fdstat *st)
{
    memset(st, 0, sizeof *st);
    st->fs_filetype = wvfs__type(s, f->node);
    st->fs_flags = f->fdflags;
    st->fs_rights_base = f->base;
    st->fs_rights_inheriting = f->inheriting;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_fdstat_set_flags(struct wvfs_state *s, struct wvfs_fd *f, uint16_t flags)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_FDSTAT_SET_FLAGS, 0, 0);
    if (err != WVFS_ESUCCESS)
        return err;
    if (flags & ~WVFS_FDFLAGS_ALL)
        return WVFS_EINVAL;
    f->fdflags = flags;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_fdstat_set_rights(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t base,
                                       wvfs_rights_t inheriting)
{
    /* Rights can only be dropped: the new sets must be within the old. */
    wvfs_errno_t err = wvfs__gate(s, f, base, inheriting, 0);
    if (err != WVFS_ESUCCESS)
        return err;
    f->base = base;
    f->inheriting = inheriting;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_advise(struct wvfs_state *s, struct wvfs_fd *f, uint64_t off, uint64_t len,
                            uint8_t advice)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_ADVISE, 0, 0);
    if (err == WVFS_ESUCCESS && wvfs__type(s, f->node) != WVFS_FILETYPE_REGULAR_FILE)
        err = WVFS_EBADF; /* what a Linux host answers for a directory */
    if (err == WVFS_ESUCCESS && (advice > WVFS_ADVICE_MAX || off > INT64_MAX || len > INT64_MAX))
        err = WVFS_EINVAL;
    return err; /* advice is a hint; the bytes are already in memory */
}

wvfs_errno_t wvfs__fd_prestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_prestat *ps)
{
    wvfs_errno_t err = wvfs__gate(s, f, 0, 0, WVFS_GATE_PREOPEN);
    if (err != WVFS_ESUCCESS)
        return err;
    memset(ps, 0, sizeof *ps);
    ps->tag = 0;
    ps->pr_name_len = (uint32_t)strlen(s->img->mounts[f->mount].path);
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_prestat_dir_name(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf,
                                      size_t len)
{
    wvfs_errno_t err = wvfs__gate(s, f, 0, 0, WVFS_GATE_PREOPEN);
    if (err != WVFS_ESUCCESS)
        return err;
    const char *p = s->img->mounts[f->mount].path;
    size_t n = strlen(p);
    if (len < n)
        return WVFS_ENAMETOOLONG; /* wasmtime's answer (node:wasi's is ENOBUFS) */
    memcpy(buf, p, n);
    return WVFS_ESUCCESS;
}

void wvfs__fd_close(struct wvfs_state *s, uint32_t fd)
{
    uint32_t node = s->fds[fd].node;
    wvfs__fd_release(s, fd);
    wvfs__closed(s, node); /* an unlinked file goes with its last fd */
}
