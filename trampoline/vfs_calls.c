/* vfs_calls.c — the WASI_FD rows of wasi_calls.def for embedded fds: turn the
 * guest's i32 pointers into checked pointers, then call lib/.
 *
 * Guest structs (iovec, filestat, fdstat, prestat) have the same layout as
 * lib/'s on wasm32 (wvfs_abi.h asserts it), so they are used in place.
 */
#include "tramp.h"

#define CHECK(p, n)                                                                        \
    do {                                                                                   \
        if (!wvfs__in_mem((p), (n)))                                                       \
            return WVFS_EFAULT;                                                            \
    } while (0)

/* Every call here is made with an fd the table gave, so the state is set up. */
#define S (&wvfs__the_state)

/* The iovec array and every buffer it names must lie in memory. */
static int32_t iovecs(int32_t iovs, int32_t n, const struct wvfs_iovec **out)
{
    CHECK(iovs, (uint64_t)(uint32_t)n * sizeof(struct wvfs_iovec));
    const struct wvfs_iovec *v = WVFS_PTR(iovs);
    for (uint32_t i = 0; i < (uint32_t)n; i++)
        CHECK((int32_t)(uintptr_t)v[i].buf, v[i].buf_len);
    *out = v;
    return WVFS_ESUCCESS;
}

/* fd_read, fd_pread, fd_write, fd_pwrite: check the iovecs and the count's
 * place, move the bytes, store the count (also after a partial failure). */
enum { READ, PREAD, WRITE, PWRITE };
static int32_t transfer(struct wvfs_fd *f, int how, int32_t iovs, int32_t iovs_len, uint64_t off,
                        int32_t count)
{
    const struct wvfs_iovec *v;
    int32_t err = iovecs(iovs, iovs_len, &v);
    if (err != WVFS_ESUCCESS)
        return err;
    CHECK(count, sizeof(uint32_t));
    size_t n = 0, k = (uint32_t)iovs_len;
    switch (how) {
    case READ: err = wvfs__fd_read(S, f, v, k, &n); break;
    case PREAD: err = wvfs__fd_pread(S, f, v, k, off, &n); break;
    case WRITE: err = wvfs__fd_write(S, f, v, k, &n); break;
    default: err = wvfs__fd_pwrite(S, f, v, k, off, &n); break;
    }
    *(uint32_t *)WVFS_PTR(count) = (uint32_t)n;
    return err;
}

int32_t wvfs__vfs_fd_advise(struct wvfs_fd *f, int64_t offset, int64_t len, int32_t advice)
{
    if (WVFS_OUT_OF_U8(advice))
        return WVFS_EINVAL;
    return wvfs__fd_advise(S, f, (uint64_t)offset, (uint64_t)len, (uint8_t)advice);
}

int32_t wvfs__vfs_fd_allocate(struct wvfs_fd *f, int64_t offset, int64_t len)
{
    return wvfs__fd_allocate(S, f, (uint64_t)offset, (uint64_t)len);
}

int32_t wvfs__vfs_fd_datasync(struct wvfs_fd *f)
{
    return wvfs__fd_sync(S, f, WVFS_RIGHT_FD_DATASYNC);
}

int32_t wvfs__vfs_fd_sync(struct wvfs_fd *f)
{
    return wvfs__fd_sync(S, f, WVFS_RIGHT_FD_SYNC);
}

int32_t wvfs__vfs_fd_fdstat_get(struct wvfs_fd *f, int32_t stat)
{
    CHECK(stat, sizeof(struct wvfs_fdstat));
    return wvfs__fd_fdstat_get(S, f, WVFS_PTR(stat));
}

int32_t wvfs__vfs_fd_fdstat_set_flags(struct wvfs_fd *f, int32_t flags)
{
    if (WVFS_OUT_OF_U16(flags))
        return WVFS_EINVAL;
    return wvfs__fd_fdstat_set_flags(S, f, (uint16_t)flags);
}

int32_t wvfs__vfs_fd_fdstat_set_rights(struct wvfs_fd *f, int64_t base, int64_t inheriting)
{
    return wvfs__fd_fdstat_set_rights(S, f, (wvfs_rights_t)base, (wvfs_rights_t)inheriting);
}

int32_t wvfs__vfs_fd_filestat_get(struct wvfs_fd *f, int32_t stat)
{
    CHECK(stat, sizeof(struct wvfs_filestat));
    return wvfs__fd_filestat_get(S, f, WVFS_PTR(stat));
}

int32_t wvfs__vfs_fd_filestat_set_size(struct wvfs_fd *f, int64_t size)
{
    return wvfs__fd_filestat_set_size(S, f, (uint64_t)size);
}

int32_t wvfs__vfs_fd_filestat_set_times(struct wvfs_fd *f, int64_t atim, int64_t mtim,
                                        int32_t fst_flags)
{
    if (WVFS_OUT_OF_U16(fst_flags))
        return WVFS_EINVAL;
    return wvfs__fd_filestat_set_times(S, f, (uint64_t)atim, (uint64_t)mtim, (uint16_t)fst_flags);
}

int32_t wvfs__vfs_fd_pread(struct wvfs_fd *f, int32_t iovs, int32_t iovs_len, int64_t offset,
                           int32_t nread)
{
    return transfer(f, PREAD, iovs, iovs_len, (uint64_t)offset, nread);
}

int32_t wvfs__vfs_fd_prestat_get(struct wvfs_fd *f, int32_t prestat)
{
    CHECK(prestat, sizeof(struct wvfs_prestat));
    return wvfs__fd_prestat_get(S, f, WVFS_PTR(prestat));
}

int32_t wvfs__vfs_fd_prestat_dir_name(struct wvfs_fd *f, int32_t path, int32_t path_len)
{
    CHECK(path, (uint32_t)path_len);
    return wvfs__fd_prestat_dir_name(S, f, WVFS_PTR(path), (uint32_t)path_len);
}

int32_t wvfs__vfs_fd_pwrite(struct wvfs_fd *f, int32_t iovs, int32_t iovs_len, int64_t offset,
                            int32_t nwritten)
{
    return transfer(f, PWRITE, iovs, iovs_len, (uint64_t)offset, nwritten);
}

int32_t wvfs__vfs_fd_read(struct wvfs_fd *f, int32_t iovs, int32_t iovs_len,
                          int32_t nread)
{
    return transfer(f, READ, iovs, iovs_len, 0, nread);
}

int32_t wvfs__vfs_fd_readdir(struct wvfs_fd *f, int32_t buf, int32_t buf_len, int64_t cookie,
                             int32_t bufused)
{
    CHECK(buf, (uint32_t)buf_len);
    CHECK(bufused, sizeof(uint32_t));
    size_t used = 0;
    int32_t err = wvfs__fd_readdir(S, f, WVFS_PTR(buf), (uint32_t)buf_len, (uint64_t)cookie, &used);
    *(uint32_t *)WVFS_PTR(bufused) = (uint32_t)used;
    return err;
}

int32_t wvfs__vfs_fd_seek(struct wvfs_fd *f, int64_t offset, int32_t whence, int32_t newoffset)
{
    CHECK(newoffset, sizeof(uint64_t));
    if (WVFS_OUT_OF_U8(whence))
        return WVFS_EINVAL;
    return wvfs__fd_seek(S, f, offset, (uint8_t)whence, WVFS_PTR(newoffset));
}

int32_t wvfs__vfs_fd_tell(struct wvfs_fd *f, int32_t offset)
{
    CHECK(offset, sizeof(uint64_t));
    return wvfs__fd_tell(S, f, WVFS_PTR(offset));
}

int32_t wvfs__vfs_fd_write(struct wvfs_fd *f, int32_t iovs, int32_t iovs_len,
                           int32_t nwritten)
{
    return transfer(f, WRITE, iovs, iovs_len, 0, nwritten);
}

int32_t wvfs__vfs_path_create_directory(struct wvfs_fd *f, int32_t path, int32_t path_len)
{
    CHECK(path, (uint32_t)path_len);
    return wvfs__path_create_directory(S, f, WVFS_PTR(path), (uint32_t)path_len);
}

int32_t wvfs__vfs_path_filestat_get(struct wvfs_fd *f, int32_t flags, int32_t path,
                                    int32_t path_len, int32_t stat)
{
    CHECK(path, (uint32_t)path_len);
    CHECK(stat, sizeof(struct wvfs_filestat));
    return wvfs__path_filestat_get(S, f, (uint32_t)flags, WVFS_PTR(path), (uint32_t)path_len,
                                  WVFS_PTR(stat));
}

int32_t wvfs__vfs_path_filestat_set_times(struct wvfs_fd *f, int32_t flags, int32_t path,
                                          int32_t path_len, int64_t atim, int64_t mtim,
                                          int32_t fst_flags)
{
    CHECK(path, (uint32_t)path_len);
    return wvfs__path_filestat_set_times(S, f, (uint32_t)flags, WVFS_PTR(path), (uint32_t)path_len,
                                        (uint64_t)atim, (uint64_t)mtim, (uint16_t)fst_flags);
}

int32_t wvfs__vfs_path_readlink(struct wvfs_fd *f, int32_t path, int32_t path_len, int32_t buf,
                                int32_t buf_len, int32_t bufused)
{
    CHECK(path, (uint32_t)path_len);
    CHECK(buf, (uint32_t)buf_len);
    CHECK(bufused, sizeof(uint32_t));
    size_t used = 0;
    int32_t err = wvfs__path_readlink(S, f, WVFS_PTR(path), (uint32_t)path_len, WVFS_PTR(buf),
                                     (uint32_t)buf_len, &used);
    if (err == WVFS_ESUCCESS)
        *(uint32_t *)WVFS_PTR(bufused) = (uint32_t)used;
    return err;
}

int32_t wvfs__vfs_path_remove_directory(struct wvfs_fd *f, int32_t path, int32_t path_len)
{
    CHECK(path, (uint32_t)path_len);
    return wvfs__path_remove_directory(S, f, WVFS_PTR(path), (uint32_t)path_len);
}

int32_t wvfs__vfs_path_unlink_file(struct wvfs_fd *f, int32_t path, int32_t path_len)
{
    CHECK(path, (uint32_t)path_len);
    return wvfs__path_unlink_file(S, f, WVFS_PTR(path), (uint32_t)path_len);
}

/* Embedded fds are never sockets: the rights a socket call needs (as uvwasi
 * asks them), then ENOTSOCK. */
static int32_t not_a_socket(struct wvfs_fd *f, wvfs_rights_t rights)
{
    int32_t err = wvfs__gate(S, f, rights, 0, 0);
    return err != WVFS_ESUCCESS ? err : WVFS_ENOTSOCK;
}

int32_t wvfs__vfs_sock_recv(struct wvfs_fd *f, int32_t ri_data, int32_t ri_data_len,
                            int32_t ri_flags, int32_t ro_datalen, int32_t ro_flags)
{
    (void)ri_data, (void)ri_data_len, (void)ri_flags, (void)ro_datalen, (void)ro_flags;
    return not_a_socket(f, WVFS_RIGHT_FD_READ);
}

int32_t wvfs__vfs_sock_send(struct wvfs_fd *f, int32_t si_data, int32_t si_data_len,
                            int32_t si_flags, int32_t so_datalen)
{
    (void)si_data, (void)si_data_len, (void)si_flags, (void)so_datalen;
    return not_a_socket(f, WVFS_RIGHT_FD_WRITE);
}

int32_t wvfs__vfs_sock_shutdown(struct wvfs_fd *f, int32_t how)
{
    (void)how;
    return not_a_socket(f, WVFS_RIGHT_SOCK_SHUTDOWN);
}
