/* mixed.c — host preopens and embedded mounts side by side in one fd space.
 *
 *   mixed.wasm      with the test tree embedded at /t and preopened at /host
 *
 * Interleaves opens and closes of host and embedded files, renumbers in both
 * directions, and checks after every step that each fd still reads the file
 * it was opened on.  Then the sandbox promises: with an embedded mount nested
 * inside the host's preopen (/host/emb), no path relative to an embedded fd
 * reaches the host and no path relative to a host fd is answered from the
 * image; "..", absolute and relative symlinks cannot leave a mount.
 * Last line: "N passed, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#include "testlib.h"

/* Does fd read `want` from the start? */
static void reads(int fd, const char *want, const char *what)
{
    char buf[64] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    CHECK(n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0,
          "%s (fd %d): read %zd '%s'", what, fd, n, buf);
}

static __wasi_fd_t preopen(const char *name)
{
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        char buf[64];
        if (__wasi_fd_prestat_get(fd, &ps) != 0)
            return (__wasi_fd_t)-1;
        if (ps.u.dir.pr_name_len == strlen(name) &&
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) == 0 &&
            memcmp(buf, name, strlen(name)) == 0)
            return fd;
    }
}

static __wasi_errno_t raw_open(__wasi_fd_t dir, const char *path)
{
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0,
                                        __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (e == 0 && __wasi_fd_close(fd) != 0)
        return __WASI_ERRNO_IO;
    return e;
}

static void sandbox(void)
{
    __wasi_fd_t host = preopen("/host"), emb = preopen("/host/emb"), t = preopen("/t");
    CHECK(host != (__wasi_fd_t)-1 && emb != (__wasi_fd_t)-1 && t != (__wasi_fd_t)-1,
          "preopens %d %d %d", host, emb, t);
    /* libc picks the longest prefix: the nested embedded mount */
    int fd = open("/host/emb/secret.txt", O_RDONLY);
    reads(fd, "only in the image\n", "/host/emb/secret.txt");
    close(fd);
    /* a host fd is never answered from the image, even under the mount's path */
    CHECK(raw_open(host, "emb/secret.txt") == __WASI_ERRNO_NOENT, "host fd reached the image");
    CHECK(raw_open(host, "hello.txt") == 0, "host fd lost its own file");
    /* an embedded fd never reaches the host: not by "..", nor by a symlink */
    CHECK(raw_open(emb, "../hello.txt") == __WASI_ERRNO_NOTCAPABLE, "emb .. escaped");
    CHECK(raw_open(t, "../host/hello.txt") == __WASI_ERRNO_NOTCAPABLE, "/t .. escaped");
    CHECK(raw_open(t, "a/../../t/hello.txt") == __WASI_ERRNO_NOTCAPABLE, "/t a/../.. escaped");
    CHECK(symlink("../hello.txt", "/host/emb/up") == 0, "symlink: %s", strerror(errno));
    /* an absolute target is refused outright, as node:wasi and wasmtime refuse it */
    errno = 0;
    CHECK(symlink("/host/hello.txt", "/host/emb/abs") == -1 && errno == EPERM,
          "absolute symlink: %s", strerror(errno));
    CHECK(raw_open(emb, "abs") == __WASI_ERRNO_NOENT, "absolute symlink was made");
    CHECK(symlink("sub/../../hello.txt", "/host/emb/sneaky") == 0, "symlink: %s", strerror(errno));
    CHECK(raw_open(emb, "up") == __WASI_ERRNO_NOTCAPABLE, "relative symlink escaped");
    CHECK(raw_open(emb, "sneaky") != 0, "symlink via .. escaped");
    errno = 0;
    CHECK(open("/host/emb/up", O_RDONLY) == -1 && errno == ENOTCAPABLE, "libc: %s", strerror(errno));
    /* and the host's own sandbox stays the host's: its ".." answer is its own */
    CHECK(raw_open(host, "../t/hello.txt") == __WASI_ERRNO_NOTCAPABLE, "host .. escaped");
    /* what was written in the embedded mount is not on the host */
    CHECK(access("/host/up", F_OK) != 0, "embedded symlink appeared on the host");
}

int main(void)
{
    enum { N = 8 };
    int fds[N];
    const char *want[N];
    static const char *files[][2] = {
        {"/host/hello.txt", "hello\n"}, {"/t/a/one.txt", "in a\n"},
        {"/host/a/b/c/deep.txt", "deep file\n"}, {"/t/hello.txt", "hello\n"},
        {"/t/a/b/c/deep.txt", "deep file\n"}, {"/host/a/one.txt", "in a\n"},
        {"/t/with space/file name.txt", "spaced out\n"}, {"/host/ünïcödé/日本.txt", "grüße, 世界\n"},
    };
    for (int i = 0; i < N; i++) {
        fds[i] = open(files[i][0], O_RDONLY);
        want[i] = files[i][1];
        CHECK(fds[i] >= 0, "open %s: %s", files[i][0], strerror(errno));
        for (int j = 0; j < i; j++)
            CHECK(fds[i] != fds[j], "fd %d handed out twice", fds[i]);
    }
    for (int i = 0; i < N; i++)
        reads(fds[i], want[i], files[i][0]);

    /* Close a host and an embedded fd; the lowest comes back first, either kind. */
    int lo = fds[1] < fds[2] ? 1 : 2, hi = 3 - lo;
    close(fds[1]);
    close(fds[2]);
    int x = open("/host/empty.txt", O_RDONLY), y = open("/t/ünïcödé/日本.txt", O_RDONLY);
    CHECK(x == fds[lo] && y == fds[hi], "reuse: got %d %d want %d %d", x, y, fds[lo], fds[hi]);
    fds[lo] = x, want[lo] = "";
    fds[hi] = y, want[hi] = "grüße, 世界\n";
    for (int i = 0; i < N; i++)
        reads(fds[i], want[i], "after reuse");

    /* Renumber host onto embedded and embedded onto host. */
    CHECK(__wasi_fd_renumber((__wasi_fd_t)fds[0], (__wasi_fd_t)fds[3]) == 0, "renumber h->e");
    want[3] = want[0];
    CHECK(__wasi_fd_renumber((__wasi_fd_t)fds[4], (__wasi_fd_t)fds[5]) == 0, "renumber e->h");
    want[5] = want[4];
    CHECK(__wasi_fd_renumber((__wasi_fd_t)fds[0], (__wasi_fd_t)fds[6]) == __WASI_ERRNO_BADF,
          "renumber from a moved fd");
    for (int i = 1; i < N; i++)
        if (i != 4)
            reads(fds[i], want[i], "after renumber");
    int z = open("/t/hello.txt", O_RDONLY);
    CHECK(z == (fds[0] < fds[4] ? fds[0] : fds[4]), "after renumber the freed %d/%d reused: %d",
          fds[0], fds[4], z);
    close(z);

    /* Host writes still work beside embedded reads. */
    int w = open("/host/written.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(w >= 0 && write(w, "ok\n", 3) == 3, "host write: %s", strerror(errno));
    close(w);
    w = open("/host/written.txt", O_RDONLY);
    reads(w, "ok\n", "host file written");
    close(w);
    unlink("/host/written.txt");
    CHECK(access("/t/written.txt", F_OK) != 0 && errno == ENOENT, "embedded tree saw host write");

    /* Cross-mount calls: EXDEV, as between two host filesystems. */
    CHECK(rename("/t/hello.txt", "/host/moved.txt") == -1 && errno == EXDEV, "rename errno %d", errno);
    CHECK(link("/host/hello.txt", "/t/linked.txt") == -1 && errno == EXDEV, "link errno %d", errno);
    for (int i = 1; i < N; i++)
        if (i != 4)
            CHECK(close(fds[i]) == 0, "close %d", fds[i]);
    sandbox();
    return report();
}
