/* wvfs_ops.h — the WASI operations on embedded fds: reads and listings
 * (wvfs_fileops.c), writes (wvfs_write.c), path calls (wvfs_pathops.c).
 * Each starts at the work: the trampoline has routed the fd, checked the
 * guest's pointers and the integers' widths, and the call gates the fd. */
#ifndef WVFS_OPS_H
#define WVFS_OPS_H

#include "wvfs_state.h"

wvfs_errno_t wvfs__fd_read(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                          size_t n, size_t *nread);
wvfs_errno_t wvfs__fd_pread(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                           size_t n, uint64_t off, size_t *nread);
wvfs_errno_t wvfs__fd_seek(struct wvfs_state *s, struct wvfs_fd *f, int64_t delta, uint8_t whence,
                          uint64_t *newoff);
wvfs_errno_t wvfs__fd_tell(struct wvfs_state *s, struct wvfs_fd *f, uint64_t *off);
wvfs_errno_t wvfs__fd_readdir(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf, size_t len,
                             uint64_t cookie, size_t *used);
wvfs_errno_t wvfs__fd_filestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_filestat *st);
wvfs_errno_t wvfs__fd_fdstat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_fdstat *st);
wvfs_errno_t wvfs__fd_fdstat_set_flags(struct wvfs_state *s, struct wvfs_fd *f, uint16_t flags);
wvfs_errno_t wvfs__fd_fdstat_set_rights(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t base,
                                       wvfs_rights_t inheriting);
wvfs_errno_t wvfs__fd_advise(struct wvfs_state *s, struct wvfs_fd *f, uint64_t off, uint64_t len,
                            uint8_t advice);
wvfs_errno_t wvfs__fd_prestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_prestat *ps);
wvfs_errno_t wvfs__fd_prestat_dir_name(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf,
                                      size_t len);
/* Close an embedded fd (the trampoline closes host fds itself). */
void wvfs__fd_close(struct wvfs_state *s, uint32_t fd);

wvfs_errno_t wvfs__fd_write(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                           size_t n, size_t *nwritten);
wvfs_errno_t wvfs__fd_pwrite(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                            size_t n, uint64_t off, size_t *nwritten);
wvfs_errno_t wvfs__fd_filestat_set_size(struct wvfs_state *s, struct wvfs_fd *f, uint64_t size);
wvfs_errno_t wvfs__fd_allocate(struct wvfs_state *s, struct wvfs_fd *f, uint64_t off, uint64_t len);
wvfs_errno_t wvfs__fd_filestat_set_times(struct wvfs_state *s, struct wvfs_fd *f, uint64_t atim,
                                        uint64_t mtim, uint16_t fst_flags);
/* Set node times per WASI fstflags (shared by the fd_ and path_ calls). */
wvfs_errno_t wvfs__set_times(struct wvfs_state *s, uint32_t node, uint64_t atim, uint64_t mtim,
                            uint16_t fst);
/* fd_sync and fd_datasync: `needed` is the right each checks. */
wvfs_errno_t wvfs__fd_sync(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t needed);

wvfs_errno_t wvfs__path_open(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t dirflags,
                            const char *path, size_t len, uint16_t oflags, wvfs_rights_t base,
                            wvfs_rights_t inheriting, uint16_t fdflags, uint32_t *newfd);
wvfs_errno_t wvfs__path_filestat_get(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t flags,
                                    const char *path, size_t len, struct wvfs_filestat *st);
wvfs_errno_t wvfs__path_filestat_set_times(struct wvfs_state *s, struct wvfs_fd *dir,
                                          uint32_t flags, const char *path, size_t len,
                                          uint64_t atim, uint64_t mtim, uint16_t fst_flags);
wvfs_errno_t wvfs__path_readlink(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                size_t len, uint8_t *buf, size_t buflen, size_t *used);
wvfs_errno_t wvfs__path_create_directory(struct wvfs_state *s, struct wvfs_fd *dir,
                                        const char *path, size_t len);
wvfs_errno_t wvfs__path_remove_directory(struct wvfs_state *s, struct wvfs_fd *dir,
                                        const char *path, size_t len);
wvfs_errno_t wvfs__path_unlink_file(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                   size_t len);
wvfs_errno_t wvfs__path_symlink(struct wvfs_state *s, const char *target, size_t tlen,
                               struct wvfs_fd *dir, const char *path, size_t len);
wvfs_errno_t wvfs__path_link(struct wvfs_state *s, struct wvfs_fd *odir, uint32_t oflags,
                            const char *opath, size_t olen, struct wvfs_fd *ndir,
                            const char *npath, size_t nlen);
wvfs_errno_t wvfs__path_rename(struct wvfs_state *s, struct wvfs_fd *odir, const char *opath,
                              size_t olen, struct wvfs_fd *ndir, const char *npath, size_t nlen);

#endif
