/* wvfs.h — the VFS core's internal interface (lib/), shared by the trampoline
 * and the host unit tests.
 *
 * What: the guest fd table (every guest fd is either a host fd, translated, or
 * an fd on the embedded image) and the WASI operations on embedded fds.
 * Not here: anything that touches the host or guest memory bounds — that is the
 * trampoline's job; lib/ is plain C11 and builds for the host too.
 * Conventions: functions return a WASI errno (0 = success) and write results
 * through out-parameters; names are wvfs_ for the core API, static otherwise.
 * Invariants: fds[i].kind == WVFS_FD_FREE for every i < lowfree is false
 * (lowfree is the lowest free slot, or nfds); a VFS fd's node is a valid index.
 */
#ifndef WVFS_H
#define WVFS_H

#include "wvfs_abi.h"
#include "wasi_vfs.h"

enum { WVFS_FD_FREE = 0, WVFS_FD_HOST = 1, WVFS_FD_VFS = 2 };

/* Symlinks followed in one path resolution before ELOOP; uvwasi's limit, so an
 * embedded tree and a host preopen of it fail at the same depth. */
#define WVFS_SYMLOOP_MAX 32
/* Device number reported for every embedded node ("wvfs" in ASCII). */
#define WVFS_DEV 0x77766673u

struct wvfs_fd {
    uint8_t kind;
    uint16_t fdflags;
    int32_t mount;              /* VFS: index of the mount this fd preopens, else -1 */
    uint32_t host;              /* HOST: the host's fd number */
    uint32_t node;              /* VFS: node index in the image */
    uint64_t offset;            /* VFS files: the file position */
    wvfs_rights_t base, inheriting;
};

struct wvfs_state {
    const struct wvfs_image *img; /* never NULL after init (an empty image instead) */
    struct wvfs_fd *fds;
    uint32_t nfds;                /* slots allocated */
    uint32_t lowfree;             /* lowest free slot (nfds when none) */
};

/* --- image (wvfs_image.c) --- */
/* Find `name` among directory `dir`'s entries; returns the node index or UINT32_MAX. */
uint32_t wvfs_dir_find(const struct wvfs_image *img, uint32_t dir, const char *name, size_t len);
/* Fill a filestat for node `n`. */
void wvfs_node_stat(const struct wvfs_image *img, uint32_t n, struct wvfs_filestat *st);

/* --- path resolution (wvfs_path.c) --- */
/* Resolve `path` relative to directory node `dir`, never climbing above it.
 * follow: follow a symlink in the last component.  On ENOENT *last_missing
 * says whether only the last component was missing (a create could succeed). */
wvfs_errno_t wvfs_resolve(const struct wvfs_image *img, uint32_t dir, const char *path,
                          size_t len, int follow, uint32_t *node, int *last_missing);

/* --- fd table (wvfs_fdtab.c) --- */
void wvfs_state_init(struct wvfs_state *s, const struct wvfs_image *img);
void wvfs_state_free(struct wvfs_state *s);
/* The open fd `fd`, or NULL (EBADF). */
struct wvfs_fd *wvfs_fd_get(struct wvfs_state *s, uint32_t fd);
/* Take the lowest free fd, zeroed; ENOMEM/EMFILE on failure. */
wvfs_errno_t wvfs_fd_alloc(struct wvfs_state *s, uint32_t *fd);
wvfs_errno_t wvfs_fd_add_host(struct wvfs_state *s, uint32_t host, uint32_t *fd);
/* Add one preopened directory fd per mount of the image, in image order. */
wvfs_errno_t wvfs_fd_add_mounts(struct wvfs_state *s);
void wvfs_fd_release(struct wvfs_state *s, uint32_t fd);
/* Move `from` onto `to` (both open); *old receives what `to` held so the
 * caller can close it on the host. */
wvfs_errno_t wvfs_fd_renumber(struct wvfs_state *s, uint32_t from, uint32_t to,
                              struct wvfs_fd *old);

/* --- operations on embedded fds (wvfs_fileops.c, wvfs_pathops.c) --- */
wvfs_errno_t wvfs_fd_read(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                          size_t n, size_t *nread);
wvfs_errno_t wvfs_fd_pread(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                           size_t n, uint64_t off, size_t *nread);
wvfs_errno_t wvfs_fd_seek(struct wvfs_state *s, struct wvfs_fd *f, int64_t delta, uint8_t whence,
                          uint64_t *newoff);
wvfs_errno_t wvfs_fd_tell(struct wvfs_state *s, struct wvfs_fd *f, uint64_t *off);
wvfs_errno_t wvfs_fd_readdir(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf, size_t len,
                             uint64_t cookie, size_t *used);
wvfs_errno_t wvfs_fd_filestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_filestat *st);
wvfs_errno_t wvfs_fd_fdstat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_fdstat *st);
wvfs_errno_t wvfs_fd_fdstat_set_flags(struct wvfs_state *s, struct wvfs_fd *f, uint16_t flags);
wvfs_errno_t wvfs_fd_fdstat_set_rights(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t base,
                                       wvfs_rights_t inheriting);
wvfs_errno_t wvfs_fd_advise(struct wvfs_state *s, struct wvfs_fd *f, uint64_t off, uint64_t len,
                            uint8_t advice);
wvfs_errno_t wvfs_fd_prestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_prestat *ps);
wvfs_errno_t wvfs_fd_prestat_dir_name(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf,
                                      size_t len);
/* The fd-only calls that would change a file or its metadata (fd_write,
 * fd_pwrite, fd_allocate, fd_filestat_set_size/_times, fd_sync, fd_datasync):
 * the errno a read-only filesystem gives after the fd's rights are checked. */
wvfs_errno_t wvfs_fd_mutate(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t needed);

wvfs_errno_t wvfs_path_open(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t dirflags,
                            const char *path, size_t len, uint16_t oflags, wvfs_rights_t base,
                            wvfs_rights_t inheriting, uint16_t fdflags, uint32_t *newfd);
wvfs_errno_t wvfs_path_filestat_get(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t flags,
                                    const char *path, size_t len, struct wvfs_filestat *st);
wvfs_errno_t wvfs_path_readlink(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                size_t len, uint8_t *buf, size_t buflen, size_t *used);
/* Path calls that create, remove or change (create_directory, unlink_file,
 * remove_directory, symlink, filestat_set_times, and each side of link and
 * rename): `creates` says the call makes a new name there, so an existing one
 * answers EEXIST; otherwise a missing one answers ENOENT; else EROFS. */
wvfs_errno_t wvfs_path_mutate(struct wvfs_state *s, struct wvfs_fd *dir, wvfs_rights_t needed,
                              uint32_t lookupflags, const char *path, size_t len, int creates);

#endif
