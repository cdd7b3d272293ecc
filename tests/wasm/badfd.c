/* badfd.c — embedded fds of the wrong kind, pointers outside memory, huge
 * lengths and counts: each answers its errno, never a trap.  (Every call on
 * fds of every kind with degenerate arguments, embedded against a host, is
 * sweep.c's job.)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

int32_t __imported_wasi_snapshot_preview1_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len,
                                                  int32_t nread);
int32_t __imported_wasi_snapshot_preview1_fd_readdir(int32_t fd, int32_t buf, int32_t buf_len,
                                                     int64_t cookie, int32_t bufused);
int32_t __imported_wasi_snapshot_preview1_path_open(int32_t fd, int32_t dirflags, int32_t path,
                                                   int32_t path_len, int32_t oflags,
                                                   int64_t base, int64_t inheriting,
                                                   int32_t fdflags, int32_t opened_fd);
int32_t __imported_wasi_snapshot_preview1_path_filestat_get(int32_t fd, int32_t flags,
                                                           int32_t path, int32_t path_len,
                                                           int32_t stat);

#include "testlib.h"

static void expect(const char *call, int fd, int32_t got, int32_t want)
{
    if (got == want) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s(fd %d) = %d, want %d\n", call, fd, got, want);
    }
}

int main(void)
{
    /* An embedded file where a directory is needed: no directory rights. */
    int f = open("/t/hello.txt", O_RDONLY);
    __wasi_fd_t out;
    __wasi_filestat_t st;
    char b[8];
    __wasi_size_t n;
    expect("path_open on a file", f,
           __wasi_path_open((__wasi_fd_t)f, 0, "x", 0, 0, 0, 0, &out), __WASI_ERRNO_NOTCAPABLE);
    expect("path_filestat_get on a file", f,
           __wasi_path_filestat_get((__wasi_fd_t)f, 0, "x", &st), __WASI_ERRNO_NOTCAPABLE);
    expect("path_readlink on a file", f,
           __wasi_path_readlink((__wasi_fd_t)f, "x", (uint8_t *)b, 8, &n), __WASI_ERRNO_NOTCAPABLE);
    expect("path_create_directory on a file", f, __wasi_path_create_directory((__wasi_fd_t)f, "x"),
           __WASI_ERRNO_NOTCAPABLE);
    expect("fd_prestat_get on a file", f, __wasi_fd_prestat_get((__wasi_fd_t)f, (__wasi_prestat_t *)b),
           __WASI_ERRNO_BADF);
    expect("sock_shutdown on a file", f, __wasi_sock_shutdown((__wasi_fd_t)f, __WASI_SDFLAGS_RD),
           __WASI_ERRNO_NOTCAPABLE); /* no socket right, as a host answers */
    expect("sock_send on a file", f, __wasi_sock_send((__wasi_fd_t)f, NULL, 0, 0, &n),
           __WASI_ERRNO_NOTCAPABLE); /* opened read-only: no fd_write right */
    /* A pointer past the end of memory: EFAULT, not a trap. */
    __wasi_iovec_t far = {(uint8_t *)0xfffffff0u, 64};
    expect("fd_read into unmapped memory", f, __wasi_fd_read((__wasi_fd_t)f, &far, 1, &n),
           __WASI_ERRNO_FAULT);
    expect("fd_filestat_get to unmapped memory", f,
           __wasi_fd_filestat_get((__wasi_fd_t)f, (__wasi_filestat_t *)0xfffffff0u), __WASI_ERRNO_FAULT);
    /* Huge lengths and counts: EFAULT, not a trap or a wrap-around. */
    __wasi_iovec_t huge = {(uint8_t *)b, 0xffffffffu};
    expect("fd_read with a 4 GiB iovec", f, __wasi_fd_read((__wasi_fd_t)f, &huge, 1, &n),
           __WASI_ERRNO_FAULT);
    expect("fd_read with 2^29 iovecs", f,
           __imported_wasi_snapshot_preview1_fd_read(f, (int32_t)(uintptr_t)&huge, 0x20000000,
                                                     (int32_t)(uintptr_t)&n),
           __WASI_ERRNO_FAULT);
    expect("fd_read with no iovecs", f, __wasi_fd_read((__wasi_fd_t)f, &huge, 0, &n), 0);
    int d = open("/t", O_RDONLY | O_DIRECTORY);
    expect("fd_readdir into 4 GiB", d,
           __imported_wasi_snapshot_preview1_fd_readdir(d, (int32_t)(uintptr_t)b, -1, 0,
                                                        (int32_t)(uintptr_t)&n),
           __WASI_ERRNO_FAULT);
    expect("path_open with a 4 GiB path", d,
           __imported_wasi_snapshot_preview1_path_open(d, 0, (int32_t)(uintptr_t)"x", -1, 0, 0, 0,
                                                       0, (int32_t)(uintptr_t)&out),
           __WASI_ERRNO_FAULT);
    expect("path_filestat_get with a 4 GiB path", d,
           __imported_wasi_snapshot_preview1_path_filestat_get(d, 0, (int32_t)(uintptr_t)"x", -1,
                                                               (int32_t)(uintptr_t)&st),
           __WASI_ERRNO_FAULT);
    expect("fd_seek with an unknown whence", f, __wasi_fd_seek((__wasi_fd_t)f, 0, 7, &(__wasi_filesize_t){0}),
           __WASI_ERRNO_INVAL);
    close(d);
    close(f);
    return report();
}
