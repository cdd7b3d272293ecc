/* walk.c — the differential test program: print a transcript of everything a
 * program can read below ROOT, through libc and through raw WASI calls.
 *
 *   walk.wasm ROOT [--tree-only]
 *
 * tests/wasm/run.sh runs it twice — ROOT embedded (no host dir) and the same
 * tree preopened from the host — and requires identical transcripts.  So it
 * prints only what both should agree on: no inode numbers, no atime/ctime, no
 * directory sizes, and readdir without "." and ".." (node:wasi omits them).
 * Each of those is checked on its own, embedded only, by spec.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "testlib.h"

static char root[PATH_MAX];

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}
#define FNV0 14695981039346656037ull

static const char *type_name(mode_t m)
{
    return S_ISDIR(m) ? "dir" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "link" : "other";
}

/* Read a whole file with fread in chunks of changing size; also fseek/ftell. */
static void show_file(const char *path, long long size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("  fopen: %s\n", strerror(errno));
        return;
    }
    static char buf[70000];
    uint64_t h = FNV0;
    size_t total = 0, chunk = 1;
    for (;;) {
        size_t n = fread(buf, 1, chunk, f);
        h = fnv(h, buf, n);
        total += n;
        if (n < chunk)
            break;
        chunk = chunk * 7 % 65521 + 1;
    }
    printf("  read %zu bytes fnv=%016llx eof=%d\n", total, (unsigned long long)h, feof(f) != 0);
    if (fseek(f, 0, SEEK_END) == 0)
        printf("  seek-end tell=%ld\n", ftell(f));
    if (size > 0 && fseek(f, size / 2, SEEK_SET) == 0) {
        size_t n = fread(buf, 1, 16, f);
        printf("  mid %zu fnv=%016llx tell=%ld\n", n, (unsigned long long)fnv(FNV0, buf, n), ftell(f));
    }
    if (fseek(f, -3, SEEK_END) == 0) {
        int c = fgetc(f);
        printf("  end-3 c=%d\n", c);
    } else {
        printf("  seek end-3: %s\n", strerror(errno));
    }
    fclose(f);
}

static void walk(const char *path, const char *rel)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("%s: lstat %s\n", rel, strerror(errno));
        return;
    }
    printf("%s: %s nlink=%lu mtime=%lld.%09ld", rel, type_name(st.st_mode),
           (unsigned long)st.st_nlink, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (!S_ISDIR(st.st_mode))
        printf(" size=%lld", (long long)st.st_size);
    printf("\n");
    if (S_ISLNK(st.st_mode)) {
        static char t[PATH_MAX];
        ssize_t n = readlink(path, t, sizeof t - 1);
        if (n >= 0) {
            t[n] = 0;
            printf("  -> %s\n", t);
        }
        struct stat fs;
        if (stat(path, &fs) == 0)
            printf("  follows to %s size=%lld\n", type_name(fs.st_mode),
                   S_ISDIR(fs.st_mode) ? 0 : (long long)fs.st_size);
        else
            printf("  follow: %s\n", strerror(errno));
        return;
    }
    if (S_ISREG(st.st_mode)) {
        show_file(path, st.st_size);
        return;
    }
    size_t n;
    char **names = sorted_names(path, &n);
    if (names == NULL) {
        printf("  opendir: %s\n", strerror(errno));
        return;
    }
    printf("  %zu entries\n", n);
    for (size_t i = 0; i < n; i++) {
        /* on the heap: a 300-deep tree would overflow wasm's 64 KiB stack */
        char *p = malloc(PATH_MAX), *r = malloc(PATH_MAX);
        snprintf(p, PATH_MAX, "%s/%s", path, names[i]);
        snprintf(r, PATH_MAX, "%s/%s", rel, names[i]);
        walk(p, r);
        free(p);
        free(r);
        free(names[i]);
    }
    free(names);
}

/* Paths with dots, slashes, links and errors, through stat, open and realpath. */
static void edge_paths(void)
{
    static const char *paths[] = {
        "hello.txt", "hello.txt/", "hello.txt/x", "./hello.txt", "a//b/./c/deep.txt",
        "a/b/../one.txt", "a/b/c/../../one.txt", "link-to-dir/c/deep.txt", "link-to-dir/",
        "link-to-dir", "link-to-file/", "dangling", "dangling/", "link-chain", "missing",
        "a/missing/x", "a/up-link", "a/b/back.txt", "empty-dir/", "with space/file name.txt",
        "ünïcödé/日本.txt", "..", "../x", "a/../..", "a/../../x", ".", "", "many/f1999",
        "many/f2000",
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", root, paths[i]);
        struct stat st;
        printf("path '%s':", paths[i]);
        if (stat(p, &st) == 0)
            printf(" stat %s", type_name(st.st_mode));
        else
            printf(" stat %s", strerror(errno));
        if (lstat(p, &st) == 0)
            printf(", lstat %s", type_name(st.st_mode));
        else
            printf(", lstat %s", strerror(errno));
        /* No O_CREAT (it would change the host copy) and no O_NOFOLLOW (node:wasi
         * follows the link anyway): spec.c checks both on the embedded tree. */
        static const int flags[] = {O_RDONLY, O_RDONLY | O_DIRECTORY};
        for (size_t k = 0; k < sizeof flags / sizeof *flags; k++) {
            int fd = open(p, flags[k], 0644);
            printf(", open%zu %s", k, fd >= 0 ? "ok" : strerror(errno));
            if (fd >= 0)
                close(fd);
        }
        printf("\n");
    }
}

static __wasi_fd_t find_preopen(const char *name)
{
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0)
            return (__wasi_fd_t)-1;
        char buf[PATH_MAX];
        if (ps.u.dir.pr_name_len < sizeof buf &&
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) == 0 &&
            ps.u.dir.pr_name_len == strlen(name) && memcmp(buf, name, strlen(name)) == 0)
            return fd;
    }
}

#define R_READ (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
                __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_ADVISE)

static __wasi_fd_t raw_open(__wasi_fd_t dir, const char *path, __wasi_oflags_t of, __wasi_rights_t base)
{
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, of, base, 0, 0, &fd);
    printf("raw open %s: %d\n", path, e);
    return e ? (__wasi_fd_t)-1 : fd;
}

/* Raw WASI calls: seek whences, pread, readdir cookies and small buffers. */
static void raw_calls(void)
{
    __wasi_fd_t pre = find_preopen(root);
    printf("preopen found: %d\n", pre != (__wasi_fd_t)-1);
    __wasi_fdstat_t fst;
    printf("preopen fdstat: %d", __wasi_fd_fdstat_get(pre, &fst));
    /* node:wasi sets bit 15 (the host's O_LARGEFILE) in fs_flags: keep WASI's bits. */
    printf(" type=%d flags=%d\n", fst.fs_filetype, fst.fs_flags & 0x1f);

    __wasi_fd_t f = raw_open(pre, "big.bin", 0, R_READ);
    __wasi_filesize_t pos;
    static const struct { __wasi_filedelta_t off; int whence; } seeks[] = {
        {10, __WASI_WHENCE_SET}, {5, __WASI_WHENCE_CUR}, {-5, __WASI_WHENCE_END},
        {-100, __WASI_WHENCE_SET}, {-1, __WASI_WHENCE_CUR}, {100, __WASI_WHENCE_END},
        {0, 3}, {0, __WASI_WHENCE_CUR},
    };
    for (size_t i = 0; i < sizeof seeks / sizeof *seeks; i++) {
        pos = 12345;
        __wasi_errno_t e = __wasi_fd_seek(f, seeks[i].off, (__wasi_whence_t)seeks[i].whence, &pos);
        printf("seek %lld/%d: %d pos=%llu\n", (long long)seeks[i].off, seeks[i].whence, e,
               e ? 0ull : (unsigned long long)pos);
    }
    printf("tell: %d", __wasi_fd_tell(f, &pos));
    printf(" %llu\n", (unsigned long long)pos);
    char a[7], b[5], c[9];
    __wasi_iovec_t iov[4] = {{(uint8_t *)a, 7}, {(uint8_t *)b, 0}, {(uint8_t *)b, 5}, {(uint8_t *)c, 9}};
    __wasi_size_t n;
    static const __wasi_filesize_t offs[] = {0, 1000, 5242870, 5242880, 6000000};
    for (size_t i = 0; i < sizeof offs / sizeof *offs; i++) {
        memset(a, 0, 7), memset(b, 0, 5), memset(c, 0, 9);
        __wasi_errno_t e = __wasi_fd_pread(f, iov, 4, offs[i], &n);
        uint64_t h = fnv(fnv(fnv(FNV0, a, 7), b, 5), c, 9);
        printf("pread @%llu: %d n=%lu fnv=%016llx\n", (unsigned long long)offs[i], e, e ? 0ul : (unsigned long)n,
               (unsigned long long)h);
    }
    printf("tell after pread: %d", __wasi_fd_tell(f, &pos));
    printf(" %llu\n", (unsigned long long)pos);
    __wasi_filestat_t fs;
    __wasi_errno_t e = __wasi_fd_filestat_get(f, &fs);
    printf("filestat: %d type=%d size=%llu nlink=%llu mtim=%llu\n", e, fs.filetype,
           (unsigned long long)fs.size, (unsigned long long)fs.nlink, (unsigned long long)fs.mtim);
    printf("fdstat: %d", __wasi_fd_fdstat_get(f, &fst));
    printf(" type=%d flags=%d base=%llx inh=%llx\n", fst.fs_filetype, fst.fs_flags & 0x1f,
           (unsigned long long)fst.fs_rights_base, (unsigned long long)fst.fs_rights_inheriting);
    printf("advise: %d\n", __wasi_fd_advise(f, 0, 100, __WASI_ADVICE_SEQUENTIAL));
    printf("readdir on file: %d\n", __wasi_fd_readdir(f, (uint8_t *)c, sizeof c, 0, &n));
    __wasi_ciovec_t w = {(const uint8_t *)"x", 1};
    printf("write on read-only file: %d\n", __wasi_fd_write(f, &w, 1, &n));

    /* Listing through tiny buffers must give the same names as a big one. */
    __wasi_fd_t d = raw_open(pre, "many", __WASI_OFLAGS_DIRECTORY, R_READ);
    printf("read on dir: %d\n", __wasi_fd_read(d, iov, 1, &n));
    static const size_t sizes[] = {4096, 23, 24, 25, 37, 100};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        static uint8_t buf[4096];
        __wasi_dircookie_t cookie = 0;
        uint64_t h = FNV0;
        size_t count = 0, calls = 0;
        for (;;) {
            __wasi_size_t used;
            if (__wasi_fd_readdir(d, buf, sizes[k], cookie, &used) != 0 || calls++ > 100000)
                break;
            size_t at = 0, progressed = 0;
            while (at + sizeof(__wasi_dirent_t) <= used) {
                __wasi_dirent_t de;
                memcpy(&de, buf + at, sizeof de);
                if (at + sizeof de + de.d_namlen > used)
                    break; /* cut short: ask again from this entry */
                const char *name = (const char *)buf + at + sizeof de;
                if (!(de.d_namlen == 1 && name[0] == '.') &&
                    !(de.d_namlen == 2 && name[0] == '.' && name[1] == '.')) {
                    h += fnv(FNV0, name, de.d_namlen) ^ de.d_type; /* order-free */
                    count++;
                }
                cookie = de.d_next;
                at += sizeof de + de.d_namlen;
                progressed = 1;
            }
            if (used < sizes[k] || (!progressed && sizes[k] >= 100))
                break;
            if (!progressed) /* buffer smaller than one entry: no progress possible */
                break;
        }
        printf("readdir buf=%zu: %zu names set=%016llx\n", sizes[k], count, (unsigned long long)h);
    }
    __wasi_fd_t g = raw_open(pre, "hello.txt", 0, R_READ);
    printf("renumber: %d\n", __wasi_fd_renumber(g, d));
    memset(a, 0, sizeof a);
    printf("read renumbered: %d", __wasi_fd_read(d, iov, 1, &n));
    printf(" '%.*s'\n", (int)n, a);
    printf("close old: %d\n", __wasi_fd_close(g));
    printf("close: %d\n", __wasi_fd_close(d));
    printf("close again: %d\n", __wasi_fd_close(d));
    printf("close file: %d\n", __wasi_fd_close(f));
}

int main(int argc, char **argv)
{
    int tree_only = argc == 3 && strcmp(argv[2], "--tree-only") == 0;
    if (argc != 2 && !tree_only) {
        fprintf(stderr, "usage: walk ROOT [--tree-only]\n");
        return 2;
    }
    snprintf(root, sizeof root, "%s", argv[1]);
    walk(root, ".");
    if (!tree_only) { /* these need tests/make-tree.sh's tree */
        edge_paths();
        raw_calls();
    }
    return 0;
}
