/* sweep.c — every call of trampoline/wasi_calls.def on fds of every kind with
 * degenerate arguments, printing each errno: run once with /w and /tmp
 * embedded and once with the same trees preopened from the host, the two
 * transcripts must be equal (tests/wasm/run.sh; a short list of documented
 * node:wasi differences is mapped first).
 *
 * Fds: a host preopen (/h, in both runs), the mount roots /w and /tmp, a
 * subdirectory, a regular file, and fds the table does not know (never open,
 * just closed, negative, 2^31 - 1).  Arguments, per set:
 *   zero   every pointer NULL and every length 0 (NULL is address 0, which is
 *          inside linear memory and unused by the program),
 *   empty  pointers to a real scratch buffer, lengths 0: empty paths and
 *          empty iovec arrays,
 *   far    pointers at the last 16 bytes below 4 GiB and lengths of 16: out of
 *          memory, so EFAULT (node:wasi: EOVERFLOW), never a trap,
 *   wide   as empty, but every enum and flag one past its type (256 for a u8,
 *          65536 for a u16): EINVAL on an embedded fd, as wasmtime answers
 *          (node:wasi truncates), for each row that has one.
 * The rows' argument names become locals, so a new row is swept unchanged.
 * poll_oneoff takes its fds inside its subscriptions: it is swept with no
 * subscriptions and with one read subscription on each fd; fd_close comes
 * last, once per fd.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#include "../../trampoline/wasi_params.h"

/* Declared as libc declares them, so the program links with the library (which
 * defines them) and without it (the host's imports). */
#define WASI_FD(name, params)                                                              \
    int32_t __imported_wasi_snapshot_preview1_##name(WVFS_MAP(DECL, WVFS_COMMA, params))   \
        __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)));
#define WASI_FDX WASI_FD
#define WASI_OWN WASI_FD
#include "../../trampoline/wasi_calls.def"

/* The wide set's arguments: an enum or flag one past its type, the rest as
 * the empty set has them. */
#define WIDE_FD NAME_FD
#define WIDE_I32 NAME_I32
#define WIDE_I64 NAME_I64
#define WIDE_U8(n) 0x100
#define WIDE_U16(n) 0x10000
#define WIDE_U32 NAME_U32
#define WIDE_U64 NAME_U64
#define WIDE_S64 NAME_S64
#define WIDE_BUF NAME_BUF
#define WIDE_IOVS NAME_IOVS
#define WIDE_OUT NAME_OUT

static uint8_t scratch[256];
static int lines;

enum { ZERO, EMPTY, FAR, WIDE };
static const char *const set_name[] = {"zero", "empty", "far", "wide"};

static void sweep(const char *kind, int32_t the_fd, int set)
{
    int64_t ptr = set == ZERO ? 0 : set == FAR ? (int64_t)0xfffffff0u : (int64_t)(uintptr_t)scratch;
    int64_t len = set == FAR ? 16 : 0;
    /* every right asked: fd_fdstat_set_rights may then only fail, and leaves
     * the fd as it was for the calls after it */
    int64_t rights = -1;
    int64_t fd = the_fd, old_fd = the_fd, new_fd = the_fd, to = the_fd;
    int64_t iovs = ptr, iovs_len = len, nread = ptr, nwritten = ptr, offset = 0, advice = 0,
            stat = ptr, flags = 0, base = rights, inheriting = rights, size = 0, atim = 0,
            mtim = 0, fst_flags = 0, prestat = ptr, path = ptr, path_len = len, buf = ptr,
            buf_len = len, cookie = 0, bufused = ptr, whence = 0, newoffset = ptr, dirflags = 0,
            oflags = 0, fs_rights_base = rights, fs_rights_inheriting = rights, fdflags = 0,
            opened_fd = ptr, old_flags = 0, old_path = ptr, old_path_len = len, new_path = ptr,
            new_path_len = len, ri_data = ptr, ri_data_len = len, ri_flags = 0, ro_datalen = ptr,
            ro_flags = ptr, si_data = ptr, si_data_len = len, si_flags = 0, so_datalen = ptr,
            how = 0, in = ptr, out = ptr, nsubscriptions = 0, nevents = ptr;
    if (set == EMPTY) { /* one subscription: a read on this fd */
        static __wasi_subscription_t sub;
        memset(&sub, 0, sizeof sub);
        sub.u.tag = __WASI_EVENTTYPE_FD_READ;
        sub.u.u.fd_read.file_descriptor = (__wasi_fd_t)the_fd;
        in = (int64_t)(uintptr_t)&sub;
        out = (int64_t)(uintptr_t)(scratch + 64);
        nsubscriptions = 1;
    }
#define ROW(name, params)                                                                  \
    if (strcmp(#name, "fd_close") != 0 && (set != WIDE || WVFS_MAP(NARROW, WVFS_PLUS, params))) { \
        memset(scratch, 0, sizeof scratch);                                                \
        printf("%s %s %s = %d\n", #name, kind, set_name[set],                             \
               set == WIDE ? __imported_wasi_snapshot_preview1_##name(WVFS_MAP(WIDE, WVFS_COMMA, params)) \
                           : __imported_wasi_snapshot_preview1_##name(WVFS_MAP(NAME, WVFS_COMMA, params))); \
        lines++;                                                                           \
    }
#define WASI_FD(name, params) ROW(name, params)
#define WASI_FDX(name, params) ROW(name, params)
#define WASI_OWN(name, params) ROW(name, params)
#include "../../trampoline/wasi_calls.def"
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

/* The preopen whose name is `name`, found as libc finds them. */
static int preopen(const char *name)
{
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        char buf[64] = {0};
        if (__wasi_fd_prestat_get(fd, &ps) != 0)
            return -1;
        if (ps.u.dir.pr_name_len < sizeof buf &&
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) == 0 &&
            strcmp(buf, name) == 0)
            return (int)fd;
    }
}

int main(void)
{
    int subdir = open("/w/a/b", O_RDONLY | O_DIRECTORY), file = open("/w/hello.txt", O_RDWR);
    int closed = open("/w/hello.txt", O_RDONLY); /* a number no other fd here has */
    close(closed);
    struct {
        const char *kind;
        int32_t fd;
    } fds[] = {
        {"host-root", preopen("/h")},
        {"root", preopen("/w")},
        {"tmp-root", preopen("/tmp")},
        {"subdir", subdir},
        {"file", file},
        {"never-open", 9999},
        {"closed", closed},
        {"negative", -1},
        {"int-max", 0x7fffffff},
    };
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++) {
        if (fds[i].fd == -1 && strcmp(fds[i].kind, "negative") != 0) {
            printf("FAIL: no fd for %s\n", fds[i].kind);
            return 1;
        }
        for (int set = ZERO; set <= WIDE; set++)
            sweep(fds[i].kind, fds[i].fd, set);
    }
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++) {
        printf("fd_close %s first = %d\n", fds[i].kind, __imported_wasi_snapshot_preview1_fd_close(fds[i].fd));
        printf("fd_close %s again = %d\n", fds[i].kind,
               __imported_wasi_snapshot_preview1_fd_close(fds[i].fd));
        lines += 2;
    }
    printf("sweep: %d calls\n", lines);
    return 0;
}
