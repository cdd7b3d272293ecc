/* wvfs_write.c — WASI calls that change a file through an open embedded fd:
 * write, pwrite, set_size, allocate, set_times, sync.
 *
 * The gate first (wvfs__gate: rights, ENOTCAPABLE as a host; a read-only
 * mount, EROFS; the file type), then the arguments, and only then the file's
 * overlay node: its first change copies the image's bytes (copy-on-write),
 * later ones reuse its buffer, so a call refused for its arguments has
 * allocated nothing, under a memory limit too.  Writes past the
 * end fill the gap with zeros; O_APPEND writes go to the end, pwrite included
 * (as Linux does).  A failed allocation leaves the file as it was.
 */
#include <string.h>

#include "wvfs_fdtab.h"
#include "wvfs_node.h"
#include "wvfs_ops.h"
#include "wvfs_zfile.h"

static wvfs_errno_t gate(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t rights)
{
    return wvfs__gate(s, f, rights, 0, WVFS_GATE_WRITE | WVFS_GATE_FILE);
}

/* The file's overlay node, made on its first change. */
static wvfs_errno_t touch(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_mnode **m)
{
    *m = wvfs__touch(s, f->node);
    return *m ? WVFS_ESUCCESS : WVFS_ENOSPC;
}

/* The file's size as it stands, pristine or overlaid. */
static uint64_t size_of(struct wvfs_state *s, const struct wvfs_fd *f)
{
    struct wvfs_view v;
    wvfs__view(s, f->node, &v);
    return v.size;
}

/* n iovecs at off: checked (EFBIG past INT64_MAX, before anything changes),
 * then the file's overlay node made, then the bytes written. */
static wvfs_errno_t write_at(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                             size_t n, uint64_t off, size_t *done)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += iov[i].buf_len;
    if (off > INT64_MAX || total > (uint64_t)INT64_MAX - off)
        return WVFS_EFBIG;
    struct wvfs_mnode *m;
    wvfs_errno_t err = touch(s, f, &m);
    if (err != WVFS_ESUCCESS || total == 0)
        return err;
    uint64_t end = off + total;
    err = end > m->size ? wvfs__file_resize(s, m, end) /* zero-fills any gap */
                        : wvfs__file_reserve(s, m, m->size);
    if (err != WVFS_ESUCCESS)
        return err;
    for (size_t i = 0; i < n; i++) {
        if (iov[i].buf_len == 0)
            continue; /* an empty iovec may have a NULL buf */
        memcpy(m->buf + off, iov[i].buf, iov[i].buf_len);
        off += iov[i].buf_len;
    }
    *done = (size_t)total;
    m->mtim = m->ctim = wvfs__now(s);
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_write(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                           size_t n, size_t *nwritten)
{
    *nwritten = 0;
    wvfs_errno_t err = gate(s, f, WVFS_RIGHT_FD_WRITE);
    if (err != WVFS_ESUCCESS)
        return err;
    uint64_t off = (f->fdflags & WVFS_FDFLAG_APPEND) ? size_of(s, f) : f->offset;
    err = write_at(s, f, iov, n, off, nwritten);
    if (err == WVFS_ESUCCESS && *nwritten > 0) /* an empty write moves nothing, as Linux */
        f->offset = off + *nwritten;
    return err;
}

wvfs_errno_t wvfs__fd_pwrite(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                            size_t n, uint64_t off, size_t *nwritten)
{
    *nwritten = 0;
    wvfs_errno_t err = gate(s, f, WVFS_RIGHT_FD_WRITE | WVFS_RIGHT_FD_SEEK);
    if (err != WVFS_ESUCCESS)
        return err;
    if (off > INT64_MAX)
        return WVFS_EINVAL;
    if (f->fdflags & WVFS_FDFLAG_APPEND)
        off = size_of(s, f);
    return write_at(s, f, iov, n, off, nwritten);
}

wvfs_errno_t wvfs__fd_filestat_set_size(struct wvfs_state *s, struct wvfs_fd *f, uint64_t size)
{
    struct wvfs_mnode *m;
    wvfs_errno_t err = gate(s, f, WVFS_RIGHT_FD_FILESTAT_SET_SIZE);
    if (err == WVFS_ESUCCESS && size > INT64_MAX)
        err = WVFS_EINVAL;
    if (err == WVFS_ESUCCESS)
        err = touch(s, f, &m);
    if (err != WVFS_ESUCCESS)
        return err;
    err = wvfs__file_resize(s, m, size);
    if (err == WVFS_ESUCCESS)
        m->mtim = m->ctim = wvfs__now(s);
    return err;
}

wvfs_errno_t wvfs__fd_allocate(struct wvfs_state *s, struct wvfs_fd *f, uint64_t off, uint64_t len)
{
    struct wvfs_mnode *m;
    wvfs_errno_t err = gate(s, f, WVFS_RIGHT_FD_ALLOCATE);
    if (err == WVFS_ESUCCESS && (off > INT64_MAX || len > INT64_MAX || len == 0))
        err = WVFS_EINVAL;
    if (err == WVFS_ESUCCESS && len > (uint64_t)INT64_MAX - off)
        err = WVFS_EFBIG;
    if (err != WVFS_ESUCCESS || off + len <= size_of(s, f)) /* nothing to grow: nothing to copy */
        return err;
    err = touch(s, f, &m);
    if (err != WVFS_ESUCCESS)
        return err;
    err = wvfs__file_resize(s, m, off + len);
    if (err == WVFS_ESUCCESS)
        m->ctim = wvfs__now(s);
    return err;
}

wvfs_errno_t wvfs__set_times(struct wvfs_state *s, uint32_t node, uint64_t atim, uint64_t mtim,
                            uint16_t fst)
{
    enum { ATIM = WVFS_FSTFLAG_ATIM, ATIM_NOW = WVFS_FSTFLAG_ATIM_NOW };
    enum { MTIM = WVFS_FSTFLAG_MTIM, MTIM_NOW = WVFS_FSTFLAG_MTIM_NOW };
    if ((fst & ~WVFS_FSTFLAGS_ALL) || (fst & (ATIM | ATIM_NOW)) == (ATIM | ATIM_NOW) ||
        (fst & (MTIM | MTIM_NOW)) == (MTIM | MTIM_NOW))
        return WVFS_EINVAL;
    struct wvfs_mnode *m = wvfs__touch(s, node);
    if (m == NULL)
        return WVFS_ENOSPC;
    uint64_t now = wvfs__now(s);
    if (fst & ATIM)
        m->atim = atim;
    if (fst & ATIM_NOW)
        m->atim = now;
    if (fst & MTIM)
        m->mtim = mtim;
    if (fst & MTIM_NOW)
        m->mtim = now;
    m->ctim = now;
    return WVFS_ESUCCESS;
}

wvfs_errno_t wvfs__fd_filestat_set_times(struct wvfs_state *s, struct wvfs_fd *f, uint64_t atim,
                                        uint64_t mtim, uint16_t fst_flags)
{
    wvfs_errno_t err = wvfs__gate(s, f, WVFS_RIGHT_FD_FILESTAT_SET_TIMES, 0, WVFS_GATE_WRITE);
    return err != WVFS_ESUCCESS ? err : wvfs__set_times(s, f->node, atim, mtim, fst_flags);
}

wvfs_errno_t wvfs__fd_sync(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t needed)
{
    /* Memory is the storage: nothing to flush. */
    return wvfs__gate(s, f, needed, 0, 0);
}
