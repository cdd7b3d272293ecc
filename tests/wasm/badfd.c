/* badfd.c — a sweep generated from trampoline/wasi_calls.def: every call that
 * takes an fd is made with an fd that was never open, with one that was just
 * closed (an embedded file's), and — where the call needs a directory — with
 * an embedded file's fd.  Each must answer an errno, never trap or succeed.
 *
 * The rows' argument names become zero-valued locals here, so a new row in
 * the .def file is swept without touching this file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#define WASI_FD(name, params, args) int32_t __imported_wasi_snapshot_preview1_##name params;
#define WASI_OWN WASI_FD
#define WASI_PASS(name, params, args)
#include "../../trampoline/wasi_calls.def"
#undef WASI_FD
#undef WASI_OWN
#undef WASI_PASS

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

/* Call every row with all arguments zero except the fds, which are `bad`. */
static void sweep(int32_t bad, int32_t want)
{
    int64_t fd = bad, old_fd = bad, new_fd = bad, to = bad;
    int64_t iovs = 0, iovs_len = 0, nread = 0, nwritten = 0, offset = 0, len = 0, advice = 0,
            stat = 0, flags = 0, base = 0, inheriting = 0, size = 0, atim = 0, mtim = 0,
            fst_flags = 0, prestat = 0, path = 0, path_len = 0, buf = 0, buf_len = 0,
            cookie = 0, bufused = 0, whence = 0, newoffset = 0, dirflags = 0, oflags = 0,
            fs_rights_base = 0, fs_rights_inheriting = 0, fdflags = 0, opened_fd = 0,
            old_flags = 0, old_path = 0, old_path_len = 0, new_path = 0, new_path_len = 0,
            ri_data = 0, ri_data_len = 0, ri_flags = 0, ro_datalen = 0, ro_flags = 0,
            si_data = 0, si_data_len = 0, si_flags = 0, so_datalen = 0, how = 0, in = 0, out = 0,
            nsubscriptions = 0, nevents = 0;
#define WASI_FD(name, params, args)                                                        \
    expect(#name, bad, __imported_wasi_snapshot_preview1_##name args, want);
#define WASI_OWN(name, params, args)                                                       \
    if (strcmp(#name, "poll_oneoff") != 0) /* takes fds inside its subscriptions */       \
        expect(#name, bad, __imported_wasi_snapshot_preview1_##name args, want);
#define WASI_PASS(name, params, args)
#include "../../trampoline/wasi_calls.def"
#undef WASI_FD
#undef WASI_OWN
#undef WASI_PASS
    (void)fd, (void)old_fd, (void)new_fd, (void)to, (void)iovs, (void)iovs_len, (void)nread,
        (void)nwritten, (void)offset, (void)len, (void)advice, (void)stat, (void)flags,
        (void)base, (void)inheriting, (void)size, (void)atim, (void)mtim, (void)fst_flags,
        (void)prestat, (void)path, (void)path_len, (void)buf, (void)buf_len, (void)cookie,
        (void)bufused, (void)whence, (void)newoffset, (void)dirflags, (void)oflags,
        (void)fs_rights_base, (void)fs_rights_inheriting, (void)fdflags, (void)opened_fd,
        (void)old_flags, (void)old_path, (void)old_path_len, (void)new_path, (void)new_path_len,
        (void)ri_data, (void)ri_data_len, (void)ri_flags, (void)ro_datalen, (void)ro_flags,
        (void)si_data, (void)si_data_len, (void)si_flags, (void)so_datalen, (void)how, (void)in,
        (void)out, (void)nsubscriptions, (void)nevents;
}

int main(void)
{
    sweep(9999, __WASI_ERRNO_BADF);
    sweep(-1, __WASI_ERRNO_BADF);
    int f = open("/t/hello.txt", O_RDONLY);
    close(f);
    sweep(f, __WASI_ERRNO_BADF); /* closed */

    /* An embedded file where a directory is needed: no directory rights. */
    f = open("/t/hello.txt", O_RDONLY);
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
           __WASI_ERRNO_NOTSOCK);
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
