/* bench.c — the in-wasm half of `make bench`: times file operations on ROOT,
 * which tools/bench.sh provides either embedded or preopened from the host,
 * and an in-wasm memcpy baseline.  Prints "name value unit" lines.
 *
 *   bench.wasm ROOT          steady state: each figure the best of five passes
 *   bench.wasm ROOT cold     the first pass of open+read, stat and readdir only
 *
 * ROOT holds (tools/bench.sh makes it): small/ (2,000 files of 1-4 KiB),
 * flat/ (2,000 entries), flat20k/ (20,000 entries), tiny/ (10 entries),
 * huge/ (100,000 entries), deep/a/b/c/d/file, big.bin (6 MB), and for the
 * path cost p1/f, p4/a/b/c/f, p8/a/b/c/d/e/f/g/f (directories of one entry)
 * and q1/ q4/ q8/ the same in directories of 20 entries (hashed).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *root;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A figure whose work failed is no figure: stop the run (make bench fails). */
static void need(int ok, const char *figure, long result)
{
    if (!ok) {
        printf("FAIL %s: the work failed (result %ld)\n", figure, result);
        exit(1);
    }
}

/* Best of `reps` timings of fn(arg), in seconds (less noise than a mean). */
static double best(int reps, long (*fn)(const char *), const char *arg, long *result)
{
    double b = 1e9;
    for (int i = 0; i < reps; i++) {
        double t = now();
        *result = fn(arg);
        t = now() - t;
        if (t < b)
            b = t;
    }
    return b;
}

static char buf[1 << 16];
/* Paths are built before timing, so the loops time file calls, not snprintf. */
static char paths[2000][64];

static void make_paths(const char *fmt, const char *dir, int entries)
{
    for (int i = 0; i < 2000; i++)
        snprintf(paths[i], sizeof paths[i], fmt, root, dir, i % entries);
}

static long open_read(const char *dir)
{
    (void)dir;
    long total = 0;
    for (int i = 0; i < 2000; i++) {
        int fd = open(paths[i], O_RDONLY);
        if (fd < 0)
            return -1;
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            total += n;
        close(fd);
    }
    return total;
}

static long stat_paths(const char *unused)
{
    (void)unused;
    long ok = 0;
    struct stat st;
    for (int i = 0; i < 2000; i++)
        ok += stat(paths[i], &st) == 0;
    return ok;
}

static long list(const char *dir)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, dir);
    DIR *d = opendir(p);
    if (d == NULL)
        return -1;
    long n = 0; /* the entries, not "." and "..", which node:wasi leaves out */
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static long seq_read(const char *file)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, file);
    int fd = open(p, O_RDONLY);
    if (fd < 0)
        return -1;
    long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        total += n;
    close(fd);
    return total;
}

/* The same through raw WASI calls, without libc's path handling around them:
 * what the runtime (ours or the host's) costs on its own. */
static __wasi_fd_t pre;
static char rel[2000][64];

static long raw_stat(const char *unused)
{
    (void)unused;
    long ok = 0;
    __wasi_filestat_t st;
    for (int i = 0; i < 2000; i++)
        ok += __wasi_path_filestat_get(pre, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, rel[i], &st) == 0;
    return ok;
}

static long raw_open_read(const char *unused)
{
    (void)unused;
    long total = 0;
    for (int i = 0; i < 2000; i++) {
        __wasi_fd_t fd;
        if (__wasi_path_open(pre, 0, rel[i], 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) != 0)
            return -1;
        __wasi_iovec_t v = {(uint8_t *)buf, sizeof buf};
        __wasi_size_t n;
        while (__wasi_fd_read(fd, &v, 1, &n) == 0 && n > 0)
            total += n;
        (void)__wasi_fd_close(fd);
    }
    return total;
}

/* Path cost: raw stats of one path, and a bare call into the library. */
static const char *one_path;
static long raw_stat_one(const char *unused)
{
    (void)unused;
    long ok = 0;
    __wasi_filestat_t st;
    for (int i = 0; i < 2000; i++)
        ok += __wasi_path_filestat_get(pre, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, one_path, &st) == 0;
    return ok;
}
static long bare_call(const char *unused)
{
    (void)unused;
    long ok = 0;
    __wasi_fdstat_t st;
    for (int i = 0; i < 2000; i++)
        ok += __wasi_fd_fdstat_get(pre, &st) == 0;
    return ok;
}

static char *src, *dst;
static long memcpy_6mb(const char *unused)
{
    (void)unused;
    for (size_t off = 0; off < 6000000; off += sizeof buf) {
        size_t k = 6000000 - off < sizeof buf ? 6000000 - off : sizeof buf;
        memcpy(dst, src + off, k);
    }
    return dst[100];
}

int main(int argc, char **argv)
{
    if (argc != 2 && !(argc == 3 && strcmp(argv[2], "cold") == 0)) {
        fprintf(stderr, "usage: bench ROOT [cold]\n");
        return 2;
    }
    root = argv[1];
    long r;
    double t;
    if (argc == 3) { /* one pass each, in a fresh process: what a real program's first calls cost */
        make_paths("%s/%s/s%04d", "small", 2000);
        t = best(1, open_read, "", &r);
        need(r > 0, "cold_open_read", r);
        printf("cold_open_read %.3f us/file\n", t / 2000 * 1e6);
        make_paths("%s/%s/e%05d", "flat", 2000);
        t = best(1, stat_paths, "", &r);
        need(r == 2000, "cold_stat", r);
        printf("cold_stat %.3f us/stat\n", t / 2000 * 1e6);
        t = best(1, list, "flat", &r);
        need(r == 2000, "cold_readdir", r);
        printf("cold_readdir %.3f us/listing\n", t * 1e6);
        return 0;
    }
    make_paths("%s/%s/s%04d", "small", 2000);
    t = best(5, open_read, "", &r);
    need(r > 0, "open_read_2000", r);
    printf("open_read_2000 %.3f us/file (%ld bytes)\n", t / 2000 * 1e6, r);
    make_paths("%s/%s/e%05d", "flat", 2000);
    t = best(5, stat_paths, "", &r);
    need(r == 2000, "stat_2000", r);
    printf("stat_2000 %.3f us/stat (%ld found)\n", t / 2000 * 1e6, r);
    make_paths("%s/%s/a/b/c/d/file", "deep", 1);
    t = best(5, stat_paths, "", &r);
    need(r == 2000, "stat_deep", r);
    printf("stat_deep %.3f us/stat (%ld found)\n", t / 2000 * 1e6, r);
    make_paths("%s/%s/e%05d", "tiny", 10);
    t = best(5, stat_paths, "", &r);
    need(r == 2000, "stat_tiny", r);
    printf("stat_tiny %.3f us/stat (%ld found)\n", t / 2000 * 1e6, r);
    make_paths("%s/%s/e%05d", "huge", 2000);
    t = best(5, stat_paths, "", &r);
    need(r == 2000, "stat_huge", r);
    printf("stat_huge %.3f us/stat (%ld found)\n", t / 2000 * 1e6, r);
    /* raw WASI: the root is the last preopen (libc has found it already) */
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0)
            break;
        pre = fd;
    }
    for (int i = 0; i < 2000; i++)
        snprintf(rel[i], sizeof rel[i], "small/s%04d", i);
    t = best(5, raw_open_read, "", &r);
    need(r > 0, "raw_open_read_2000", r);
    printf("raw_open_read_2000 %.3f us/file (%ld bytes)\n", t / 2000 * 1e6, r);
    for (int i = 0; i < 2000; i++)
        snprintf(rel[i], sizeof rel[i], "flat/e%05d", i);
    t = best(5, raw_stat, "", &r);
    need(r == 2000, "raw_stat_2000", r);
    printf("raw_stat_2000 %.3f us/stat (%ld found)\n", t / 2000 * 1e6, r);
    /* path cost: a bare call, the root itself, then 1, 4 and 8 levels in small
     * (binary search) and larger (hashed) directories, in ns per call */
    t = best(5, bare_call, "", &r);
    need(r == 2000, "bare_call", r);
    printf("bare_call %.1f ns\n", t / 2000 * 1e9);
    static const char *const paths_cost[][2] = {
        {"stat_root", "."},
        {"stat_small_1", "p1/f"}, {"stat_small_4", "p4/a/b/c/f"}, {"stat_small_8", "p8/a/b/c/d/e/f/g/f"},
        {"stat_large_1", "q1/f"}, {"stat_large_4", "q4/a/b/c/f"}, {"stat_large_8", "q8/a/b/c/d/e/f/g/f"},
    };
    for (size_t i = 0; i < sizeof paths_cost / sizeof *paths_cost; i++) {
        one_path = paths_cost[i][1];
        t = best(5, raw_stat_one, "", &r);
        need(r == 2000, paths_cost[i][0], r);
        printf("%s %.1f ns\n", paths_cost[i][0], t / 2000 * 1e9);
    }
    t = best(5, list, "flat", &r);
    need(r == 2000, "readdir_2000", r);
    printf("readdir_2000 %.3f us/listing (%ld entries)\n", t * 1e6, r);
    t = best(5, list, "flat20k", &r);
    need(r == 20000, "readdir_20000", r);
    printf("readdir_20000 %.3f us/listing (%ld entries)\n", t * 1e6, r);
    t = best(5, seq_read, "big.bin", &r);
    need(r > 5000000, "seqread_6mb", r);
    printf("seqread_6mb %.3f MB/s (%ld bytes)\n", r / t / 1e6, r);
    src = malloc(6000000);
    dst = malloc(sizeof buf);
    memset(src, 7, 6000000);
    t = best(5, memcpy_6mb, "", &r);
    printf("memcpy_6mb %.3f MB/s\n", 6000000 / t / 1e6);
    return 0;
}
