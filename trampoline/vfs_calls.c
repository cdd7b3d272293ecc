/* vfs_calls.c — the WASI_FDX rows of wasi_calls.def for embedded fds: what
 * is particular to each, after trampoline.c has routed the call and checked
 * every argument the row declares (pointers in memory, enums and flags in
 * range).  The other routed rows go straight to lib/.
 *
 * Guest structs (iovec, filestat, fdstat, prestat) have the same layout as
 * lib/'s on wasm32 (wvfs_abi.h asserts it), so they are used in place.
 */
#include "tramp.h"

int wvfs__iovs_in_mem(int32_t iovs, int32_t n)
{
    if (!wvfs__in_mem(iovs, (uint64_t)(uint32_t)n * sizeof(struct wvfs_iovec)))
        return 0;
    const struct wvfs_iovec *v = WVFS_PTR(iovs);
    for (uint32_t i = 0; i < (uint32_t)n; i++)
        if (!wvfs__in_mem((int32_t)(uintptr_t)v[i].buf, v[i].buf_len))
            return 0;
    return 1;
}

/* fd_read, fd_pread, fd_write, fd_pwrite: move the bytes, store the count
 * (also after a partial failure). */
enum { READ, PREAD, WRITE, PWRITE };
static int32_t transfer(struct wvfs_state *s, struct wvfs_fd *f, int how,
                        const struct wvfs_iovec *v, uint32_t k, uint64_t off, uint32_t *count)
{
    size_t n = 0;
    int32_t err;
    switch (how) {
    case READ: err = wvfs__fd_read(s, f, v, k, &n); break;
    case PREAD: err = wvfs__fd_pread(s, f, v, k, off, &n); break;
    case WRITE: err = wvfs__fd_write(s, f, v, k, &n); break;
    default: err = wvfs__fd_pwrite(s, f, v, k, off, &n); break;
    }
    *count = (uint32_t)n;
    return err;
}

int32_t wvfs__vfs_fd_read(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iovs,
                          uint32_t iovs_len, uint32_t *nread)
{
    return transfer(s, f, READ, iovs, iovs_len, 0, nread);
}

int32_t wvfs__vfs_fd_pread(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iovs,
                           uint32_t iovs_len, uint64_t offset, uint32_t *nread)
{
    return transfer(s, f, PREAD, iovs, iovs_len, offset, nread);
}

int32_t wvfs__vfs_fd_write(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iovs,
                           uint32_t iovs_len, uint32_t *nwritten)
{
    return transfer(s, f, WRITE, iovs, iovs_len, 0, nwritten);
}

int32_t wvfs__vfs_fd_pwrite(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iovs,
                            uint32_t iovs_len, uint64_t offset, uint32_t *nwritten)
{
    return transfer(s, f, PWRITE, iovs, iovs_len, offset, nwritten);
}

/* One call in lib/, asked for the right each names. */
int32_t wvfs__vfs_fd_datasync(struct wvfs_state *s, struct wvfs_fd *f)
{
    return wvfs__fd_sync(s, f, WVFS_RIGHT_FD_DATASYNC);
}

int32_t wvfs__vfs_fd_sync(struct wvfs_state *s, struct wvfs_fd *f)
{
    return wvfs__fd_sync(s, f, WVFS_RIGHT_FD_SYNC);
}

int32_t wvfs__vfs_fd_readdir(struct wvfs_state *s, struct wvfs_fd *f, void *buf, uint32_t buf_len,
                             uint64_t cookie, uint32_t *bufused)
{
    size_t used = 0;
    int32_t err = wvfs__fd_readdir(s, f, buf, buf_len, cookie, &used);
    *bufused = (uint32_t)used;
    return err;
}

int32_t wvfs__vfs_path_readlink(struct wvfs_state *s, struct wvfs_fd *f, void *path,
                                uint32_t path_len, void *buf, uint32_t buf_len, uint32_t *bufused)
{
    size_t used = 0;
    int32_t err = wvfs__path_readlink(s, f, path, path_len, buf, buf_len, &used);
    if (err == WVFS_ESUCCESS)
        *bufused = (uint32_t)used;
    return err;
}

/* Embedded fds are never sockets: the rights a socket call needs (as uvwasi
 * asks them), then ENOTSOCK. */
static int32_t not_a_socket(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t rights)
{
    int32_t err = wvfs__gate(s, f, rights, 0, 0);
    return err != WVFS_ESUCCESS ? err : WVFS_ENOTSOCK;
}

int32_t wvfs__vfs_sock_recv(struct wvfs_state *s, struct wvfs_fd *f,
                            const struct wvfs_iovec *ri_data, uint32_t ri_data_len,
                            uint16_t ri_flags, uint32_t *ro_datalen, uint16_t *ro_flags)
{
    (void)ri_data, (void)ri_data_len, (void)ri_flags, (void)ro_datalen, (void)ro_flags;
    return not_a_socket(s, f, WVFS_RIGHT_FD_READ);
}

int32_t wvfs__vfs_sock_send(struct wvfs_state *s, struct wvfs_fd *f,
                            const struct wvfs_iovec *si_data, uint32_t si_data_len,
                            uint16_t si_flags, uint32_t *so_datalen)
{
    (void)si_data, (void)si_data_len, (void)si_flags, (void)so_datalen;
    return not_a_socket(s, f, WVFS_RIGHT_FD_WRITE);
}

int32_t wvfs__vfs_sock_shutdown(struct wvfs_state *s, struct wvfs_fd *f, uint8_t how)
{
    (void)how;
    return not_a_socket(s, f, WVFS_RIGHT_SOCK_SHUTDOWN);
}
