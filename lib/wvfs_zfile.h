/* wvfs_zfile.h — compressed image files (wvfs_zfile.c).  Linked only into
 * programs whose image has them (the generator writes a reference to
 * wvfs__zfile_linked), so the node store calls in through weak references. */
#ifndef WVFS_ZFILE_H
#define WVFS_ZFILE_H

#include "wvfs_state.h"

/* Decode image file `in` of part into m's buffer (m->buf, m->cap set; a
 * seekable file only gets its frames' offsets); 0: EIO or ENOMEM. */
int wvfs__zfile_start(struct wvfs_state *s, struct wvfs_mnode *m, const struct wvfs_image *part,
                      const struct wvfs_node *in) __attribute__((weak));
/* A read of compressed image file node (iov, the offset, the bytes the
 * iovecs hold) that needs no decoded copy in the overlay: one from its start
 * into an iov[0] that holds it whole (how interpreters read a module),
 * decoded straight there; one at or past its end.  The read's errno, *copied
 * set; -1: not such a read (or node not such a file, or already decoded). */
int wvfs__zfile_read(struct wvfs_state *s, uint32_t node, const struct wvfs_iovec *iov, uint64_t off,
                     uint64_t want, size_t *copied) __attribute__((weak));
/* Decode the frames of a seekable file that [off, off+len) reaches (all of
 * them for len UINT64_MAX); EIO when a frame does not decode. */
wvfs_errno_t wvfs__zfile_range(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t off,
                               uint64_t len) __attribute__((weak));
/* The same for any file: nothing to do unless frames are still undecoded. */
static inline wvfs_errno_t wvfs__file_range(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t off,
                                            uint64_t len)
{
    return m == NULL || m->zoff == NULL ? WVFS_ESUCCESS : wvfs__zfile_range(s, m, off, len);
}
/* Bytes of a seekable file's frame offsets and missing-bits. */
static inline size_t wvfs__zoff_bytes(uint32_t nframes)
{
    return ((size_t)nframes + 1) * sizeof(uint32_t) + ((size_t)nframes + 7) / 8;
}

#endif
