/* spec.c — what the embedded tree must do that the node:wasi oracle cannot
 * show (it omits "." and "..", reports d_ino 0, follows O_NOFOLLOW links,
 * answers ENOBUFS from a short readlink, and is writable).
 *
 *   spec.wasm ROOT      (ROOT embedded from tests/make-tree.sh's tree)
 *
 * Each check prints on failure; the last line is "N passed, N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "testlib.h"

static char root[PATH_MAX];

/* A libc call that must fail with errno E. */
#define FAILS_WITH(call, E)                                                                \
    do {                                                                                   \
        errno = 0;                                                                         \
        long r_ = (long)(call);                                                            \
        CHECK(r_ == -1 && errno == (E), "%s -> %ld errno %d (%s), want %s", #call, r_,     \
              errno, strerror(errno), #E);                                                 \
    } while (0)

static const char *P(const char *rel)
{
    static char buf[4][PATH_MAX];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], PATH_MAX, "%s/%s", root, rel);
    return buf[k];
}

static ino_t ino_of(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? st.st_ino : 0;
}

/* ".", ".." come first; every d_ino equals the inode lstat gives; all unique. */
static void check_readdir_inodes(const char *rel, ino_t parent)
{
    const char *dir = P(rel);
    DIR *d = opendir(dir);
    CHECK(d != NULL, "opendir %s: %s", dir, strerror(errno));
    if (d == NULL)
        return;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", dir);
    struct dirent *e;
    int pos = 0;
    while ((e = readdir(d)) != NULL) {
        if (pos == 0)
            CHECK(strcmp(e->d_name, ".") == 0 && e->d_ino == ino_of(path), "%s: first is %s",
                  rel, e->d_name);
        else if (pos == 1)
            CHECK(strcmp(e->d_name, "..") == 0 && e->d_ino == parent, "%s: second is %s ino %llu",
                  rel, e->d_name, (unsigned long long)e->d_ino);
        else {
            char child[PATH_MAX];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            struct stat st;
            int ok = lstat(child, &st) == 0;
            if (!ok || e->d_ino != st.st_ino)
                CHECK(0, "%s: d_ino %llu vs ino %llu", child, (unsigned long long)e->d_ino,
                      (unsigned long long)st.st_ino);
            unsigned char want = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
            if (e->d_type != want)
                CHECK(0, "%s: d_type %d want %d", child, e->d_type, want);
        }
        pos++;
    }
    closedir(d);
}

static void check_inodes_unique(void)
{
    static const char *paths[] = {"", "a", "a/b", "a/b/c", "hello.txt", "empty.txt", "big.bin",
                                  "many", "many/f0", "many/f1999", "link-to-file", "dangling",
                                  "empty-dir"};
    ino_t seen[sizeof paths / sizeof *paths];
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        seen[i] = ino_of(P(paths[i]));
        CHECK(seen[i] != 0, "no inode for %s", paths[i]);
        for (size_t j = 0; j < i; j++)
            CHECK(seen[i] != seen[j], "%s and %s share inode %llu", paths[i], paths[j],
                  (unsigned long long)seen[i]);
    }
    struct stat a, b;
    CHECK(stat(P("hello.txt"), &a) == 0 && stat(P("hard-link.txt"), &b) == 0 &&
              a.st_ino == b.st_ino && a.st_nlink == 2,
          "hard link: ino %llu/%llu nlink %lu", (unsigned long long)a.st_ino,
          (unsigned long long)b.st_ino, (unsigned long)a.st_nlink);
    CHECK(a.st_mtim.tv_sec == 1704164645 && a.st_mtim.tv_nsec == 123456789, "mtime %lld.%ld",
          (long long)a.st_mtim.tv_sec, a.st_mtim.tv_nsec);
    CHECK(stat(P("a"), &a) == 0 && a.st_nlink == 3, "dir nlink %lu", (unsigned long)a.st_nlink);
}

/* Everything that would change the tree fails as on a read-only filesystem. */
static void check_read_only(void)
{
    FAILS_WITH(open(P("hello.txt"), O_WRONLY), EROFS);
    FAILS_WITH(open(P("hello.txt"), O_RDWR), EROFS);
    FAILS_WITH(open(P("hello.txt"), O_RDONLY | O_TRUNC), EROFS);
    FAILS_WITH(open(P("new.txt"), O_WRONLY | O_CREAT, 0644), EROFS);
    FAILS_WITH(open(P("new.txt"), O_RDONLY | O_CREAT, 0644), EROFS);
    FAILS_WITH(open(P("hello.txt"), O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    FAILS_WITH(open(P("a"), O_WRONLY), EISDIR);
    FAILS_WITH(open(P("a"), O_RDONLY | O_CREAT, 0644), EISDIR);
    FAILS_WITH(open(P("no/such/new.txt"), O_RDONLY | O_CREAT, 0644), ENOENT);
    FAILS_WITH(mkdir(P("newdir"), 0755), EROFS);
    FAILS_WITH(mkdir(P("a"), 0755), EEXIST);
    FAILS_WITH(unlink(P("hello.txt")), EROFS);
    FAILS_WITH(unlink(P("missing")), ENOENT);
    FAILS_WITH(rmdir(P("empty-dir")), EROFS);
    FAILS_WITH(rmdir(P("missing")), ENOENT);
    FAILS_WITH(rename(P("hello.txt"), P("renamed.txt")), EROFS);
    FAILS_WITH(rename(P("missing"), P("renamed.txt")), ENOENT);
    FAILS_WITH(symlink("hello.txt", P("newlink")), EROFS);
    FAILS_WITH(symlink("hello.txt", P("dangling")), EEXIST);
    FAILS_WITH(link(P("hello.txt"), P("newhard")), EROFS);
    FAILS_WITH(link(P("hello.txt"), P("empty.txt")), EEXIST);
    FAILS_WITH(utimes(P("hello.txt"), NULL), EROFS);
    int fd = open(P("hello.txt"), O_RDONLY);
    CHECK(fd >= 0, "open: %s", strerror(errno));
    FAILS_WITH(write(fd, "x", 1), EBADF); /* no FD_WRITE right; libc reports EBADF */
    FAILS_WITH(ftruncate(fd, 0), ENOTCAPABLE);
    FAILS_WITH(futimens(fd, NULL), EROFS);
    CHECK(fsync(fd) == 0, "fsync: %s", strerror(errno)); /* nothing to flush */
    char buf[16];
    CHECK(read(fd, buf, sizeof buf) == 6 && memcmp(buf, "hello\n", 6) == 0, "content changed");
    close(fd);
}

static void check_links(void)
{
    FAILS_WITH(open(P("link-to-file"), O_RDONLY | O_NOFOLLOW), ELOOP);
    FAILS_WITH(open(P("link-to-dir"), O_RDONLY | O_NOFOLLOW | O_DIRECTORY), ENOTDIR);
    int fd = open(P("link-to-dir/"), O_RDONLY | O_NOFOLLOW | O_DIRECTORY); /* slash follows */
    CHECK(fd >= 0, "trailing slash with O_NOFOLLOW: %s", strerror(errno));
    close(fd);
    char buf[64];
    ssize_t n = readlink(P("link-to-file"), buf, 4);
    CHECK(n == 4 && memcmp(buf, "hell", 4) == 0, "short readlink gave %zd", n);
    n = readlink(P("a/b/back.txt"), buf, sizeof buf);
    CHECK(n == 15 && memcmp(buf, "../../a/one.txt", 15) == 0, "readlink gave %zd", n);
    FAILS_WITH(readlink(P("hello.txt"), buf, sizeof buf), EINVAL);
    /* realpath(): wasi-libc does not provide it ("WASI has no absolute paths"). */
}

/* Lowest free fd is reused; the preopen scan ends with EBADF right after the mounts. */
static void check_fds(void)
{
    int a = open(P("hello.txt"), O_RDONLY), b = open(P("empty.txt"), O_RDONLY),
        c = open(P("big.bin"), O_RDONLY);
    CHECK(a >= 0 && b == a + 1 && c == b + 1, "fds %d %d %d", a, b, c);
    close(b);
    int d = open(P("a/one.txt"), O_RDONLY);
    CHECK(d == b, "reused %d, want %d", d, b);
    close(a), close(c), close(d);
    __wasi_fd_t fd = 3;
    __wasi_prestat_t ps;
    while (__wasi_fd_prestat_get(fd, &ps) == 0)
        fd++;
    CHECK(__wasi_fd_prestat_get(fd, &ps) == __WASI_ERRNO_BADF, "scan ended differently");
    CHECK(__wasi_fd_close(12345) == __WASI_ERRNO_BADF, "close of unknown fd");
    CHECK(__wasi_fd_read(12345, NULL, 0, NULL) == __WASI_ERRNO_BADF, "read of unknown fd");
}

static void check_poll(void)
{
    int fd = open(P("hello.txt"), O_RDONLY);
    __wasi_subscription_t sub[2];
    memset(sub, 0, sizeof sub);
    sub[0].userdata = 7;
    sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    sub[0].u.u.fd_read.file_descriptor = (__wasi_fd_t)fd;
    sub[1].userdata = 8;
    sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub[1].u.u.clock.timeout = 10ull * 1000 * 1000 * 1000; /* would block 10 s */
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_poll_oneoff(sub, ev, 2, &n);
    CHECK(e == 0 && n == 1 && ev[0].userdata == 7 && ev[0].error == 0 &&
              ev[0].fd_readwrite.nbytes == 6,
          "poll: e=%d n=%lu nbytes=%llu", e, (unsigned long)n,
          (unsigned long long)ev[0].fd_readwrite.nbytes);
    close(fd);
}

/* The raw imports, as the library overrides them: enums and flags are i32 here
 * (wasi/api.h's prototypes would truncate them before the call). */
int32_t __imported_wasi_snapshot_preview1_fd_seek(int32_t, int64_t, int32_t, int32_t);
int32_t __imported_wasi_snapshot_preview1_fd_advise(int32_t, int64_t, int64_t, int32_t);
int32_t __imported_wasi_snapshot_preview1_fd_fdstat_set_flags(int32_t, int32_t);
int32_t __imported_wasi_snapshot_preview1_path_symlink(int32_t, int32_t, int32_t, int32_t, int32_t);

/* u8/u16 enums and flags outside their type are EINVAL (as wasmtime), not
 * truncated; an empty symlink target is ENOENT even onto a name that exists. */
static void check_full_width(void)
{
    int fd = open(P("hello.txt"), O_RDONLY);
    int dir = open(root, O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0 && dir >= 0, "open: %s", strerror(errno));
    uint64_t off = 7;
    int32_t e = __imported_wasi_snapshot_preview1_fd_seek(fd, 0, 256, (int32_t)(uintptr_t)&off);
    CHECK(e == __WASI_ERRNO_INVAL && off == 7, "seek whence=256: %d", e);
    e = __imported_wasi_snapshot_preview1_fd_seek(fd, 0, 3, (int32_t)(uintptr_t)&off);
    CHECK(e == __WASI_ERRNO_INVAL, "seek whence=3: %d", e);
    e = __imported_wasi_snapshot_preview1_fd_seek(fd, 2, 0x100 | __WASI_WHENCE_SET, (int32_t)(uintptr_t)&off);
    CHECK(e == __WASI_ERRNO_INVAL && off == 7, "seek whence=SET|256: %d", e);
    e = __imported_wasi_snapshot_preview1_fd_advise(fd, 0, 1, 256);
    CHECK(e == __WASI_ERRNO_INVAL, "advise 256: %d", e);
    e = __imported_wasi_snapshot_preview1_fd_fdstat_set_flags(fd, 0x10000);
    CHECK(e == __WASI_ERRNO_INVAL, "set_flags 0x10000: %d", e);
    static const char name[] = "hello.txt";
    e = __imported_wasi_snapshot_preview1_path_symlink((int32_t)(uintptr_t)"", 0, dir, (int32_t)(uintptr_t)name,
                                                       (int32_t)strlen(name));
    CHECK(e == __WASI_ERRNO_NOENT, "symlink '' onto an existing name: %d", e);
    close(fd);
    close(dir);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: spec ROOT\n");
        return 2;
    }
    snprintf(root, sizeof root, "%s", argv[1]);
    const char *env = getenv("WVFS_ENV"); /* set by the runner's --env */
    CHECK(env && strcmp(env, "a=b c") == 0, "WVFS_ENV=%s", env ? env : "(unset)");
    check_readdir_inodes("", ino_of(root));
    check_readdir_inodes("a/b", ino_of(P("a")));
    check_readdir_inodes("many", ino_of(root));
    check_inodes_unique();
    check_read_only();
    check_links();
    check_fds();
    check_poll();
    check_full_width();
    return report();
}
