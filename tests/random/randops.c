/* randops.c — randomized differential testing: a seed drives a long random
 * sequence of raw WASI calls on a small tree, and every result is printed.
 *
 *   randops.wasm ROOT FIRST NSEEDS NOPS
 *
 * Seed s works inside ROOT/sNNN (a copy of tests/random/make-base.sh's tree),
 * through a directory fd opened there.  tests/random/run.sh runs it once with
 * ROOT embedded (writable) and once with the same trees preopened from the
 * host, and requires identical transcripts.  What node:wasi does differently
 * is kept out of the sequence rather than papered over (README,
 * "Where node:wasi differs"): no O_NOFOLLOW opens, readlink buffers always
 * large enough, a directory is never changed between readdir calls of one
 * listing nor moved away from the path it was opened by, a closed fd is never
 * renumbered onto itself, O_CREAT goes with neither O_DIRECTORY nor a trailing
 * slash, and O_EXCL not onto a symlink.  ".." is used only after a component that lstat shows is a real
 * directory, since node:wasi folds "x/.." away without looking at x.
 * Every op prints "<seed> <op#> <call>(<args>) = <errno> [results]"; fds are
 * printed as handle slots, since their numbers depend on the mounts around.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static uint64_t rng;
static uint32_t rnd(uint32_t n) /* xorshift64*, uniform enough for choosing */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 33) % n;
}

static uint64_t fnv(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

enum { NH = 6 };
static __wasi_fd_t dir;             /* the seed's directory */
static __wasi_fd_t h[NH];           /* handle slots; CLOSED when not open */
/* An fd number never open (node:wasi answers EINVAL rather than EBADF for
 * numbers that do not fit an i32, such as -1). */
#define CLOSED ((__wasi_fd_t)1000)
static const char *opened[NH];      /* the path each handle was opened with */
static __wasi_rights_t inherit;     /* what the directory can hand down */
static __wasi_rights_t dirrights;   /* the same without write rights (dirs refuse them) */
static int seed, opno;

static const char *const pool[] = {
    "f1", "f2", "empty", "d1", "d1/g", "d1/d2", "d1/d2/h", "link-f", "link-d", "dangling",
    "hard", "new1", "new2", "nd", "nd/x", "d1/new3", "link-d/g", "./f1", "f1/", "d1/",
    "nope/x", "..", "../x", "d1//g", "link-d/", "nd/",
};
#define NPOOL (sizeof pool / sizeof *pool)

static __wasi_filetype_t ltype(const char *p)
{
    __wasi_filestat_t st;
    if (__wasi_path_filestat_get(dir, 0, p, &st) != 0)
        return 255;
    return st.filetype;
}

/* A path from the pool, sometimes "D/../NAME" where D is now a real directory. */
static const char *path(void)
{
    static char buf[4][64];
    static int k;
    k = (k + 1) % 4;
    if (rnd(8) == 0) {
        const char *d = rnd(2) ? "d1" : "d1/d2";
        if (ltype(d) == __WASI_FILETYPE_DIRECTORY) {
            snprintf(buf[k], sizeof buf[k], "%s/../%s", d, pool[rnd(8)]);
            return buf[k];
        }
    }
    return pool[rnd(NPOOL)];
}

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
    va_list ap;
    printf("%d %d ", seed, opno);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static int slot(void) { return (int)rnd(NH); }

static void op_open(void)
{
    const char *p = path();
    __wasi_oflags_t of = 0;
    if (rnd(3) == 0) of |= __WASI_OFLAGS_CREAT;
    if (rnd(6) == 0) of |= __WASI_OFLAGS_EXCL;
    if (rnd(6) == 0) of |= __WASI_OFLAGS_TRUNC;
    if (rnd(5) == 0) of |= __WASI_OFLAGS_DIRECTORY;
    const __wasi_rights_t W = __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_DATASYNC |
                              __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
    const __wasi_rights_t R = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR;
    __wasi_rights_t base = inherit;
    int mode = (int)rnd(3); /* 0 read, 1 write, 2 both */
    if (mode == 0) base &= ~W;
    if (mode == 1) base &= ~R;
    __wasi_fdflags_t ff = rnd(5) == 0 ? __WASI_FDFLAGS_APPEND : 0;
    /* node:wasi checks the path before the flags, so O_CREAT|O_DIRECTORY and
     * O_CREAT on "x/" answer path errors there where Linux says EINVAL/EISDIR. */
    if ((of & __WASI_OFLAGS_CREAT) && ((of & __WASI_OFLAGS_DIRECTORY) || p[strlen(p) - 1] == '/'))
        of &= (__wasi_oflags_t)~__WASI_OFLAGS_DIRECTORY, p = "new2";
    /* ...and O_CREAT|O_EXCL follows a final symlink there (Linux: EEXIST). */
    if ((of & __WASI_OFLAGS_EXCL) && ltype(p) == __WASI_FILETYPE_SYMBOLIC_LINK)
        of &= (__wasi_oflags_t)~__WASI_OFLAGS_EXCL;
    int s = slot();
    if (h[s] != CLOSED)
        __wasi_fd_close(h[s]);
    h[s] = CLOSED;
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, p, of, base,
                                        inherit, ff, &fd);
    if (e == 0)
        h[s] = fd, opened[s] = p;
    line("open(%s, of=%d, mode=%d, ff=%d) -> h%d = %d", p, of, mode, ff, s, e);
}

static void op_read(int positional)
{
    static char buf[3][5000];
    static const size_t sizes[] = {0, 1, 7, 100, 4096};
    __wasi_iovec_t iov[3];
    size_t n = rnd(4);
    for (size_t i = 0; i < n; i++)
        iov[i] = (__wasi_iovec_t){(uint8_t *)buf[i], sizes[rnd(5)]};
    int s = slot();
    __wasi_size_t got = 0;
    static const __wasi_filesize_t offs[] = {0, 3, 1000, 1 << 20};
    __wasi_filesize_t off = offs[rnd(4)];
    __wasi_errno_t e = positional ? __wasi_fd_pread(h[s], iov, n, off, &got)
                                  : __wasi_fd_read(h[s], iov, n, &got);
    uint64_t x = 0;
    size_t left = e ? 0 : got;
    for (size_t i = 0; i < n && left; i++) {
        size_t k = iov[i].buf_len < left ? iov[i].buf_len : left;
        x ^= fnv(buf[i], k) + i;
        left -= k;
    }
    line("%s(h%d, %zu iovs, off=%llu) = %d n=%lu hash=%016llx", positional ? "pread" : "read", s,
         n, (unsigned long long)(positional ? off : 0), e, e ? 0ul : (unsigned long)got,
         (unsigned long long)x);
}

static void op_write(int positional)
{
    static char data[5000];
    static const size_t lens[] = {0, 1, 10, 5000};
    size_t len = lens[rnd(4)];
    for (size_t i = 0; i < len; i++)
        data[i] = (char)('a' + rnd(26));
    __wasi_ciovec_t iov[2] = {{(const uint8_t *)data, len / 2},
                              {(const uint8_t *)data + len / 2, len - len / 2}};
    int s = slot();
    __wasi_size_t n = 0;
    static const __wasi_filesize_t offs[] = {0, 2, 50, 70000};
    __wasi_filesize_t off = offs[rnd(4)];
    __wasi_errno_t e = positional ? __wasi_fd_pwrite(h[s], iov, 2, off, &n)
                                  : __wasi_fd_write(h[s], iov, 2, &n);
    line("%s(h%d, %zu bytes, off=%llu) = %d n=%lu", positional ? "pwrite" : "write", s, len,
         (unsigned long long)(positional ? off : 0), e, e ? 0ul : (unsigned long)n);
}

static void op_seek(void)
{
    static const __wasi_filedelta_t offs[] = {-10, -1, 0, 5, 100, 1 << 20};
    __wasi_filedelta_t off = offs[rnd(6)];
    int whence = (int)rnd(4);
    int s = slot();
    __wasi_filesize_t pos = 0;
    __wasi_errno_t e = __wasi_fd_seek(h[s], off, (__wasi_whence_t)whence, &pos);
    line("seek(h%d, %lld, %d) = %d pos=%llu", s, (long long)off, whence, e,
         e ? 0ull : (unsigned long long)pos);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A whole listing with a random buffer size (never smaller than one entry). */
static void op_readdir(void)
{
    static const size_t sizes[] = {48, 64, 100, 4096};
    size_t bs = sizes[rnd(4)];
    int s = slot();
    /* node:wasi lists a directory fd by re-opening the path it was opened
     * with: skip unless that path still names the same directory. */
    __wasi_filestat_t a, b;
    if (h[s] != CLOSED && (__wasi_fd_filestat_get(h[s], &a) != 0 ||
                           __wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                                    opened[s], &b) != 0 ||
                           a.ino != b.ino || a.filetype != __WASI_FILETYPE_DIRECTORY)) {
        line("readdir(h%d) skipped", s);
        return;
    }
    static uint8_t buf[4096];
    static char names[64][40];
    char *sorted[64];
    int n = 0;
    __wasi_dircookie_t cookie = 0;
    __wasi_errno_t e = 0;
    for (int calls = 0; calls < 200; calls++) {
        __wasi_size_t used;
        e = __wasi_fd_readdir(h[s], buf, bs, cookie, &used);
        if (e != 0)
            break;
        size_t at = 0;
        while (at + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + at, sizeof d);
            if (at + sizeof d + d.d_namlen > used)
                break;
            const char *nm = (const char *)buf + at + sizeof d;
            int dot = (d.d_namlen == 1 && nm[0] == '.') ||
                      (d.d_namlen == 2 && nm[0] == '.' && nm[1] == '.');
            if (!dot && n < 64 && d.d_namlen < 32) {
                snprintf(names[n], sizeof names[n], "%.*s:%d", (int)d.d_namlen, nm, d.d_type);
                sorted[n] = names[n];
                n++;
            }
            cookie = d.d_next;
            at += sizeof d + d.d_namlen;
        }
        if (used < bs)
            break;
    }
    qsort(sorted, (size_t)n, sizeof *sorted, cmpstr);
    printf("%d %d readdir(h%d, buf=%zu) = %d [", seed, opno, s, bs, e);
    for (int i = 0; i < n; i++)
        printf("%s%s", i ? " " : "", sorted[i]);
    printf("]\n");
}

static void print_stat(const char *what, __wasi_errno_t e, const __wasi_filestat_t *st)
{
    if (e != 0) {
        line("%s = %d", what, e);
        return;
    }
    line("%s = 0 type=%d nlink=%llu size=%lld", what, st->filetype,
         (unsigned long long)st->nlink,
         st->filetype == __WASI_FILETYPE_DIRECTORY ? -1ll : (long long)st->size);
}

static void op_stat(void)
{
    __wasi_filestat_t st;
    char what[96];
    if (rnd(2)) {
        int s = slot();
        snprintf(what, sizeof what, "fstat(h%d)", s);
        print_stat(what, __wasi_fd_filestat_get(h[s], &st), &st);
    } else {
        const char *p = path();
        int follow = (int)rnd(2);
        snprintf(what, sizeof what, "stat(%s, follow=%d)", p, follow);
        print_stat(what, __wasi_path_filestat_get(dir, (__wasi_lookupflags_t)follow, p, &st), &st);
    }
}

static void op_fdstat(void)
{
    int s = slot();
    __wasi_fdstat_t st;
    __wasi_errno_t e = __wasi_fd_fdstat_get(h[s], &st);
    /* fs_flags left out: node:wasi reports the host's raw open(2) flags there */
    line("fdstat(h%d) = %d type=%d base=%llx", s, e, e ? 0 : st.fs_filetype,
         e ? 0ull : (unsigned long long)st.fs_rights_base);
}

static void op_path(void)
{
    const char *a = path(), *b = path();
    __wasi_errno_t e;
    char t[256];
    __wasi_size_t n = 0;
    switch (rnd(8)) {
    case 0: line("mkdir(%s) = %d", a, __wasi_path_create_directory(dir, a)); break;
    case 1: line("rmdir(%s) = %d", a, __wasi_path_remove_directory(dir, a)); break;
    case 2: line("unlink(%s) = %d", a, __wasi_path_unlink_file(dir, a)); break;
    case 3: line("rename(%s, %s) = %d", a, b, __wasi_path_rename(dir, a, dir, b)); break;
    case 4: { /* relative targets inside the seed's directory only */
        static const char *const targets[] = {"f1", "d1", "d1/g", "nope", "new1", "d1/d2/h"};
        const char *tg = targets[rnd(6)];
        line("symlink(%s, %s) = %d", tg, a, __wasi_path_symlink(tg, dir, a));
        break;
    }
    case 5: line("link(%s, %s) = %d", a, b, __wasi_path_link(dir, 0, a, dir, b)); break;
    case 6:
        e = __wasi_path_readlink(dir, a, (uint8_t *)t, sizeof t, &n);
        line("readlink(%s) = %d '%.*s'", a, e, e ? 0 : (int)n, t);
        break;
    default:
        line("utimes(%s) = %d", a,
             __wasi_path_filestat_set_times(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, a, 0, 0,
                                            __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    }
}

static void op_fd_misc(void)
{
    int s = slot(), t = slot();
    static const __wasi_filesize_t sizes[] = {0, 3, 100, 70000};
    __wasi_filesize_t z = sizes[rnd(4)];
    __wasi_filesize_t pos;
    switch (rnd(7)) {
    case 0: line("close(h%d) = %d", s, __wasi_fd_close(h[s])); h[s] = CLOSED; break;
    case 1: {
        if (h[s] == h[t] && h[s] == CLOSED)
            break; /* node:wasi answers 0 for renumbering a closed fd onto itself */
        __wasi_errno_t e = __wasi_fd_renumber(h[s], h[t]);
        if (e == 0 && s != t) {
            h[s] = CLOSED; /* h[t]'s number now names h[s]'s file */
            opened[t] = opened[s];
        }
        line("renumber(h%d, h%d) = %d", s, t, e);
        break;
    }
    case 2: line("set_size(h%d, %llu) = %d", s, (unsigned long long)z, __wasi_fd_filestat_set_size(h[s], z)); break;
    case 3: {
        __wasi_errno_t e = __wasi_fd_tell(h[s], &pos);
        line("tell(h%d) = %d %llu", s, e, e ? 0ull : (unsigned long long)pos);
        break;
    }
    case 4: line("sync(h%d) = %d", s, __wasi_fd_sync(h[s])); break;
    case 5: line("advise(h%d) = %d", s, __wasi_fd_advise(h[s], 0, 10, __WASI_ADVICE_NORMAL)); break;
    default: line("allocate(h%d, %llu) = %d", s, (unsigned long long)z, z ? __wasi_fd_allocate(h[s], 0, z) : 0); break;
    }
}

/* The seed's tree at the end: every name, type, size, links and content hash. */
static void dump(const char *rel, int depth)
{
    __wasi_fd_t d;
    if (depth > 6 || __wasi_path_open(dir, 0, rel, __WASI_OFLAGS_DIRECTORY, dirrights, inherit, 0, &d))
        return;
    static uint8_t buf[4096];
    __wasi_size_t used;
    char names[64][40];
    char *sorted[64];
    int n = 0;
    if (__wasi_fd_readdir(d, buf, sizeof buf, 0, &used) == 0) {
        size_t at = 0;
        while (at + sizeof(__wasi_dirent_t) <= used && n < 64) {
            __wasi_dirent_t e;
            memcpy(&e, buf + at, sizeof e);
            const char *nm = (const char *)buf + at + sizeof e;
            if (!(nm[0] == '.' && (e.d_namlen == 1 || (e.d_namlen == 2 && nm[1] == '.'))) &&
                e.d_namlen < 32) {
                snprintf(names[n], sizeof names[n], "%.*s", (int)e.d_namlen, nm);
                sorted[n] = names[n];
                n++;
            }
            at += sizeof e + e.d_namlen;
        }
    }
    __wasi_fd_close(d);
    qsort(sorted, (size_t)n, sizeof *sorted, cmpstr);
    for (int i = 0; i < n; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s/%s", rel, sorted[i]);
        __wasi_filestat_t st;
        __wasi_path_filestat_get(dir, 0, p, &st);
        printf("%d end %s type=%d nlink=%llu", seed, p, st.filetype, (unsigned long long)st.nlink);
        if (st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK) {
            char t[256];
            __wasi_size_t k = 0;
            __wasi_path_readlink(dir, p, (uint8_t *)t, sizeof t, &k);
            printf(" -> %.*s", (int)k, t);
        } else if (st.filetype == __WASI_FILETYPE_REGULAR_FILE) {
            static char data[1 << 17];
            __wasi_fd_t f;
            __wasi_size_t got = 0;
            if (__wasi_path_open(dir, 0, p, 0, __WASI_RIGHTS_FD_READ, 0, 0, &f) == 0) {
                __wasi_iovec_t v = {(uint8_t *)data, sizeof data};
                __wasi_fd_read(f, &v, 1, &got);
                __wasi_fd_close(f);
            }
            printf(" size=%llu hash=%016llx", (unsigned long long)st.size,
                   (unsigned long long)fnv(data, got));
        }
        printf("\n");
        if (st.filetype == __WASI_FILETYPE_DIRECTORY)
            dump(p, depth + 1);
    }
}

static __wasi_fd_t find_preopen(const char *name)
{
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        char buf[256];
        if (__wasi_fd_prestat_get(fd, &ps) != 0)
            return CLOSED;
        if (ps.u.dir.pr_name_len == strlen(name) && ps.u.dir.pr_name_len < sizeof buf &&
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) == 0 &&
            memcmp(buf, name, strlen(name)) == 0)
            return fd;
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: randops ROOT FIRST NSEEDS NOPS\n");
        return 2;
    }
    __wasi_fd_t root = find_preopen(argv[1]);
    if (root == (__wasi_fd_t)-1) {
        fprintf(stderr, "randops: %s is not a preopened directory\n", argv[1]);
        return 2;
    }
    __wasi_fdstat_t rs;
    __wasi_fd_fdstat_get(root, &rs);
    inherit = rs.fs_rights_inheriting;
    dirrights = inherit & ~(__wasi_rights_t)(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_DATASYNC |
                                            __WASI_RIGHTS_FD_ALLOCATE |
                                            __WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
    int first = atoi(argv[2]), nseeds = atoi(argv[3]), nops = atoi(argv[4]);
    for (seed = first; seed < first + nseeds; seed++) {
        char name[16];
        snprintf(name, sizeof name, "s%03d", seed);
        if (__wasi_path_open(root, 0, name, __WASI_OFLAGS_DIRECTORY, dirrights, inherit, 0,
                             &dir) != 0) {
            fprintf(stderr, "randops: no %s/%s\n", argv[1], name);
            return 2;
        }
        rng = 0x9e3779b97f4a7c15ull * (uint64_t)(seed + 1);
        for (int i = 0; i < NH; i++)
            h[i] = CLOSED;
        for (opno = 0; opno < nops; opno++) {
            switch (rnd(12)) {
            case 0: case 1: op_open(); break;
            case 2: op_read(0); break;
            case 3: op_read(1); break;
            case 4: op_write(0); break;
            case 5: op_write(1); break;
            case 6: op_seek(); break;
            case 7: op_readdir(); break;
            case 8: op_stat(); break;
            case 9: op_fdstat(); break;
            case 10: op_path(); break;
            default: op_fd_misc(); break;
            }
        }
        for (int i = 0; i < NH; i++)
            if (h[i] != CLOSED)
                __wasi_fd_close(h[i]);
        dump(".", 0);
        __wasi_fd_close(dir);
    }
    return 0;
}
