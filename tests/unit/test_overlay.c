/* test_overlay.c — the writable overlay: copy-on-write, creates, renames,
 * unlinked-but-open files, stable readdir cookies, flat memory, ENOSPC. */
#include <stdlib.h>

#include "unit.h"

static struct wvfs_state s;
static uint64_t clock_ns;
static uint64_t fake_now(void) { return clock_ns += 1000; }

#define R (WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_SEEK | WVFS_RIGHT_FD_TELL | WVFS_RIGHT_FD_FILESTAT_GET)
#define W (WVFS_RIGHT_FD_WRITE | WVFS_RIGHT_FD_SEEK | WVFS_RIGHT_FD_FILESTAT_SET_SIZE | \
           WVFS_RIGHT_FD_ALLOCATE | WVFS_RIGHT_FD_FILESTAT_SET_TIMES | WVFS_RIGHT_FD_FDSTAT_SET_FLAGS)

static struct wvfs_fd *root(void) { return wvfs__fd_get(&s, 0); }

static uint32_t open_fd(const char *path, uint16_t oflags, wvfs_rights_t base, uint16_t fdflags,
                        wvfs_errno_t want)
{
    uint32_t fd = UINT32_MAX;
    wvfs_errno_t e = wvfs__path_open(&s, root(), WVFS_LOOKUP_SYMLINK_FOLLOW, path, strlen(path),
                                    oflags, base, 0, fdflags, &fd);
    if (e != want)
        printf("  open %s: %d want %d\n", path, e, want);
    CHECK_EQ(e, want);
    return e ? UINT32_MAX : fd;
}

static size_t put(uint32_t fd, const char *data)
{
    struct wvfs_iovec v = {(uint8_t *)data, strlen(data)};
    size_t n = 0;
    CHECK_EQ(wvfs__fd_write(&s, wvfs__fd_get(&s, fd), &v, 1, &n), 0);
    return n;
}

/* The whole content of `path`, NUL-terminated, in a static buffer. */
static const char *content(const char *path)
{
    static char buf[256];
    size_t n = fx_read_all(&s, path, buf, sizeof buf);
    if (n == SIZE_MAX)
        return "(open failed)";
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 0)
            buf[i] = '0'; /* show zero fill */
    return buf;
}

static uint64_t stat_of(const char *path, int follow, struct wvfs_filestat *st)
{
    return wvfs__path_filestat_get(&s, root(), follow, path, strlen(path), st);
}

static void test_cow(void)
{
    uint32_t fd = open_fd("file", 0, R | W, 0, 0);
    CHECK_EQ(s.stats.bytes, 0); /* opening for write copies nothing yet */
    uint64_t off;
    CHECK_EQ(wvfs__fd_seek(&s, wvfs__fd_get(&s, fd), 6, WVFS_WHENCE_SET, &off), 0);
    CHECK_EQ(put(fd, "WORLD!"), 6);
    CHECK(strcmp(content("file"), "hello WORLD!") == 0);
    CHECK(memcmp(fixture_rw.nodes[F_FILE].data, "hello world", 11) == 0); /* image untouched */
    CHECK(s.stats.bytes > 0 && s.stats.nodes >= 1);
    struct wvfs_filestat st;
    CHECK_EQ(stat_of("file", 0, &st), 0);
    CHECK(st.size == 12 && st.mtim == clock_ns && st.ino == F_FILE + 1);
    /* Two fds on one file see each other's writes; O_APPEND goes to the end. */
    uint32_t ap = open_fd("file", 0, R | W, WVFS_FDFLAG_APPEND, 0);
    CHECK_EQ(wvfs__fd_seek(&s, wvfs__fd_get(&s, fd), 0, WVFS_WHENCE_SET, &off), 0);
    CHECK_EQ(put(ap, "+"), 1);
    CHECK_EQ(put(fd, "J"), 1);
    CHECK(strcmp(content("file"), "Jello WORLD!+") == 0);
    struct wvfs_iovec v = {(uint8_t *)"P", 1};
    size_t n;
    CHECK_EQ(wvfs__fd_pwrite(&s, wvfs__fd_get(&s, ap), &v, 1, 0, &n), 0); /* appends, as Linux */
    CHECK(strcmp(content("file"), "Jello WORLD!+P") == 0);
    /* fd_fdstat_set_flags turns append on and off on an open fd */
    CHECK_EQ(wvfs__fd_fdstat_set_flags(&s, wvfs__fd_get(&s, fd), WVFS_FDFLAG_APPEND), 0);
    CHECK_EQ(put(fd, "Q"), 1);
    CHECK(strcmp(content("file"), "Jello WORLD!+PQ") == 0);
    CHECK_EQ(wvfs__fd_fdstat_set_flags(&s, wvfs__fd_get(&s, fd), 0), 0);
    CHECK_EQ(wvfs__fd_seek(&s, wvfs__fd_get(&s, fd), 0, WVFS_WHENCE_SET, &off), 0);
    CHECK_EQ(put(fd, "j"), 1);
    CHECK(strcmp(content("file"), "jello WORLD!+PQ") == 0);
    CHECK_EQ(wvfs__fd_seek(&s, wvfs__fd_get(&s, fd), 0, WVFS_WHENCE_SET, &off), 0);
    CHECK_EQ(put(fd, "J"), 1);
    CHECK_EQ(wvfs__fd_filestat_set_size(&s, wvfs__fd_get(&s, fd), 14), 0);
    CHECK(strcmp(content("file"), "Jello WORLD!+P") == 0);
    /* size changes: grow zero-fills, shrink cuts; a write past the end leaves a hole */
    CHECK_EQ(wvfs__fd_filestat_set_size(&s, wvfs__fd_get(&s, fd), 16), 0);
    CHECK(strcmp(content("file"), "Jello WORLD!+P00") == 0);
    CHECK_EQ(wvfs__fd_filestat_set_size(&s, wvfs__fd_get(&s, fd), 5), 0);
    CHECK(strcmp(content("file"), "Jello") == 0);
    CHECK_EQ(wvfs__fd_pwrite(&s, wvfs__fd_get(&s, fd), &v, 1, 7, &n), 0);
    CHECK(strcmp(content("file"), "Jello00P") == 0);
    CHECK_EQ(wvfs__fd_allocate(&s, wvfs__fd_get(&s, fd), 0, 10), 0);
    CHECK(strcmp(content("file"), "Jello00P00") == 0);
    CHECK_EQ(wvfs__fd_allocate(&s, wvfs__fd_get(&s, fd), 0, 2), 0); /* never shrinks */
    CHECK_EQ(stat_of("file", 0, &st), 0);
    CHECK_EQ(st.size, 10);
    CHECK_EQ(wvfs__fd_filestat_set_times(&s, wvfs__fd_get(&s, fd), 5, 7, 1 | 4), 0);
    CHECK_EQ(stat_of("file", 0, &st), 0);
    CHECK(st.atim == 5 && st.mtim == 7 && st.ctim == clock_ns);
    CHECK_EQ(wvfs__fd_filestat_set_times(&s, wvfs__fd_get(&s, fd), 5, 7, 1 | 2), WVFS_EINVAL);
    /* O_TRUNC empties, O_CREAT|O_EXCL refuses an existing name */
    wvfs__fd_close(&s, ap);
    uint32_t t = open_fd("file", WVFS_O_TRUNC, R | W, 0, 0);
    CHECK(strcmp(content("file"), "") == 0);
    open_fd("file", WVFS_O_CREAT | WVFS_O_EXCL, R | W, 0, WVFS_EEXIST);
    wvfs__fd_close(&s, t);
    wvfs__fd_close(&s, fd);
    /* Shrinking an image file that was never written copies only what stays. */
    uint32_t g = open_fd("big", 0, R | W, 0, 0);
    CHECK_EQ(wvfs__fd_filestat_set_size(&s, wvfs__fd_get(&s, g), 2), 0);
    CHECK(strcmp(content("big"), "AB") == 0);
    wvfs__fd_close(&s, g);
    /* A read-only fd cannot write; a directory is not a file. */
    uint32_t ro = open_fd("a/g", 0, R, 0, 0);
    CHECK_EQ(wvfs__fd_write(&s, wvfs__fd_get(&s, ro), &v, 1, &n), WVFS_ENOTCAPABLE);
    wvfs__fd_close(&s, ro);
    open_fd("a", 0, R | W, 0, WVFS_EISDIR);
}

static void test_names(void)
{
    struct wvfs_fd *r = root();
    struct wvfs_filestat st;
    uint32_t fd = open_fd("a/new.txt", WVFS_O_CREAT, R | W, 0, 0);
    CHECK_EQ(put(fd, "fresh"), 5);
    wvfs__fd_close(&s, fd);
    CHECK(strcmp(content("a/new.txt"), "fresh") == 0);
    open_fd("a/dir/", WVFS_O_CREAT, R | W, 0, WVFS_EISDIR);
    open_fd("nodir/x", WVFS_O_CREAT, R | W, 0, WVFS_ENOENT);

    CHECK_EQ(stat_of("a", 0, &st), 0);
    uint64_t links = st.nlink;
    CHECK_EQ(wvfs__path_create_directory(&s, r, "a/sub", 5), 0);
    CHECK_EQ(wvfs__path_create_directory(&s, r, "a/sub/", 6), WVFS_EEXIST);
    CHECK_EQ(stat_of("a", 0, &st), 0);
    CHECK_EQ(st.nlink, links + 1);
    CHECK_EQ(stat_of("a/sub", 0, &st), 0);
    CHECK(st.filetype == WVFS_FILETYPE_DIRECTORY && st.nlink == 2);
    CHECK_EQ(wvfs__path_rename(&s, r, "a/new.txt", 9, r, "a/sub/moved.txt", 15), 0);
    CHECK(strcmp(content("a/sub/moved.txt"), "fresh") == 0);
    CHECK_EQ(stat_of("a/new.txt", 0, &st), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_remove_directory(&s, r, "a/sub", 5), WVFS_ENOTEMPTY);
    CHECK_EQ(wvfs__path_unlink_file(&s, r, "a/sub", 5), WVFS_EISDIR);
    CHECK_EQ(wvfs__path_rename(&s, r, "a", 1, r, "a/sub/inside", 12), WVFS_EINVAL);
    CHECK_EQ(wvfs__path_rename(&s, r, "a/sub", 5, r, "file", 4), WVFS_ENOTDIR);
    CHECK_EQ(wvfs__path_rename(&s, r, "file", 4, r, "a/sub", 5), WVFS_EISDIR);
    CHECK_EQ(wvfs__path_rename(&s, r, "file", 4, r, "file", 4), 0);
    /* rename a file over a file: the target's node goes, its name stays */
    CHECK_EQ(wvfs__path_rename(&s, r, "a/sub/moved.txt", 15, r, "a/g", 3), 0);
    CHECK(strcmp(content("a/g"), "fresh") == 0);
    CHECK_EQ(wvfs__path_remove_directory(&s, r, "a/sub", 5), 0);
    CHECK_EQ(stat_of("a", 0, &st), 0);
    CHECK_EQ(st.nlink, links);
    /* a directory over an empty directory, and across parents */
    CHECK_EQ(wvfs__path_create_directory(&s, r, "d1", 2), 0);
    CHECK_EQ(wvfs__path_create_directory(&s, r, "d1/in", 5), 0);
    CHECK_EQ(wvfs__path_create_directory(&s, r, "a/d2", 4), 0);
    CHECK_EQ(wvfs__path_rename(&s, r, "d1", 2, r, "a/d2", 4), 0);
    CHECK_EQ(stat_of("a/d2/in", 0, &st), 0);
    CHECK_EQ(stat_of("d1", 0, &st), WVFS_ENOENT);
    uint32_t n;
    CHECK_EQ(wvfs__path_create_directory(&s, r, "a/d2/in/deeper", 14), 0);
    CHECK_EQ(fx_where(F_ROOT, "x", 1, WVFS_NOFOLLOW, &n, NULL), WVFS_ENOENT); /* fixture itself untouched */
    /* ".." of a moved directory is its new parent */
    struct wvfs_filestat a, up;
    CHECK_EQ(stat_of("a", 0, &a), 0);
    CHECK_EQ(stat_of("a/d2/..", 0, &up), 0);
    CHECK_EQ(up.ino, a.ino);
    /* symlinks and hard links */
    CHECK_EQ(wvfs__path_symlink(&s, "a/g", 3, r, "sl", 2), 0);
    CHECK(strcmp(content("sl"), "fresh") == 0);
    uint8_t buf[8];
    size_t used;
    CHECK_EQ(wvfs__path_readlink(&s, r, "sl", 2, buf, sizeof buf, &used), 0);
    CHECK(used == 3 && memcmp(buf, "a/g", 3) == 0);
    CHECK_EQ(wvfs__path_link(&s, r, 0, "a/g", 3, r, "hard", 4), 0);
    CHECK_EQ(stat_of("hard", 0, &st), 0);
    CHECK_EQ(st.nlink, 2);
    CHECK_EQ(wvfs__path_link(&s, r, 0, "a", 1, r, "hd", 2), WVFS_EPERM);
    CHECK_EQ(wvfs__path_unlink_file(&s, r, "a/g", 3), 0);
    CHECK(strcmp(content("hard"), "fresh") == 0);
    CHECK_EQ(stat_of("hard", 0, &st), 0);
    CHECK_EQ(st.nlink, 1);
    CHECK_EQ(stat_of("sl", 1, &st), WVFS_ENOENT); /* now dangling */
    /* O_CREAT through a dangling link creates its target, as Linux */
    fd = open_fd("sl", WVFS_O_CREAT, R | W, 0, 0);
    wvfs__fd_close(&s, fd);
    CHECK_EQ(stat_of("a/g", 0, &st), 0);
}

/* An unlinked file lives while open; its memory goes with the last close. */
static void test_unlink_open(void)
{
    struct wvfs_fd *r = root();
    uint64_t before = s.stats.bytes, nodes = s.stats.nodes;
    uint32_t fd = open_fd("tmpfile", WVFS_O_CREAT, R | W, 0, 0);
    CHECK_EQ(put(fd, "still here"), 10);
    CHECK_EQ(wvfs__path_unlink_file(&s, r, "tmpfile", 7), 0);
    struct wvfs_filestat st;
    CHECK_EQ(stat_of("tmpfile", 0, &st), WVFS_ENOENT);
    CHECK_EQ(wvfs__fd_filestat_get(&s, wvfs__fd_get(&s, fd), &st), 0);
    CHECK(st.nlink == 0 && st.size == 10);
    CHECK_EQ(put(fd, "!"), 1);
    char b[16] = {0};
    struct wvfs_iovec v = {(uint8_t *)b, sizeof b};
    size_t n;
    CHECK_EQ(wvfs__fd_pread(&s, wvfs__fd_get(&s, fd), &v, 1, 0, &n), 0);
    CHECK(n == 11 && memcmp(b, "still here!", 11) == 0);
    wvfs__fd_close(&s, fd);
    CHECK_EQ(s.stats.nodes, nodes); /* the file's node is gone... */
    CHECK(s.stats.bytes <= before + 64); /* ...and its bytes (the root may keep a slot) */
    /* an image file unlinked while open keeps its bytes too */
    fd = open_fd("chain31", 0, R, 0, 0);
    CHECK_EQ(wvfs__path_unlink_file(&s, r, "file", 4), 0);
    CHECK_EQ(wvfs__fd_pread(&s, wvfs__fd_get(&s, fd), &v, 1, 0, &n), 0);
    wvfs__fd_close(&s, fd);
}

/* Listing a directory while deleting what was listed sees every entry once. */
static void test_readdir_while_deleting(void)
{
    struct wvfs_fd *r = root();
    CHECK_EQ(wvfs__path_create_directory(&s, r, "many", 4), 0);
    char name[32];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "many/f%03d", i);
        uint32_t fd = open_fd(name, WVFS_O_CREAT, R | W, 0, 0);
        wvfs__fd_close(&s, fd);
    }
    uint32_t d = open_fd("many", WVFS_O_DIRECTORY, WVFS_RIGHT_FD_READDIR, 0, 0);
    uint64_t cookie = 2; /* skip "." and ".." */
    int seen[200] = {0}, total = 0;
    for (;;) {
        uint8_t buf[24 + 8];
        size_t used;
        CHECK_EQ(wvfs__fd_readdir(&s, wvfs__fd_get(&s, d), buf, sizeof buf, cookie, &used), 0);
        if (used < 24)
            break;
        struct wvfs_dirent_hdr h;
        memcpy(&h, buf, sizeof h);
        char nm[16] = {0};
        memcpy(nm, buf + 24, h.d_namlen < 8 ? h.d_namlen : 8);
        int i = atoi(nm + 1);
        if (i >= 0 && i < 200)
            seen[i]++;
        total++;
        snprintf(name, sizeof name, "many/%s", nm);
        CHECK_EQ(wvfs__path_unlink_file(&s, r, name, strlen(name)), 0);
        cookie = h.d_next;
    }
    int once = 0;
    for (int i = 0; i < 200; i++)
        once += seen[i] == 1;
    CHECK_EQ(once, 200);
    CHECK_EQ(total, 200);
    wvfs__fd_close(&s, d);
    CHECK_EQ(wvfs__path_remove_directory(&s, r, "many", 4), 0);
}

/* Create, write 1 MB, delete, 10,000 times: memory stays flat. */
static void test_flat_memory(void)
{
    static char mb[1 << 20];
    memset(mb, 'm', sizeof mb);
    struct wvfs_iovec v = {(uint8_t *)mb, sizeof mb};
    uint64_t first = 0, lo = UINT64_MAX, hi = 0, peak = 0;
    /* 10,000 rounds; fewer under valgrind (WVFS_QUICK), which is ~50x slower */
    int rounds = getenv("WVFS_QUICK") ? 200 : 10000;
    for (int i = 0; i < rounds; i++) {
        uint32_t fd = open_fd("scratch", WVFS_O_CREAT | WVFS_O_TRUNC, R | W, 0, 0);
        size_t n;
        CHECK(wvfs__fd_write(&s, wvfs__fd_get(&s, fd), &v, 1, &n) == 0 && n == sizeof mb);
        if (s.stats.bytes > peak)
            peak = s.stats.bytes;
        CHECK(wvfs__path_unlink_file(&s, root(), "scratch", 7) == 0);
        wvfs__fd_close(&s, fd);
        if (i == 0)
            first = s.stats.bytes;
        if (i >= 10) { /* past the first rounds, which settle the root's tables */
            lo = s.stats.bytes < lo ? s.stats.bytes : lo;
            hi = s.stats.bytes > hi ? s.stats.bytes : hi;
        }
    }
    CHECK_EQ(lo, hi);          /* flat */
    CHECK(hi <= first);        /* and no higher than after the first round */
    CHECK(peak < first + (2u << 20));
}

/* With a memory budget: ENOSPC, and the tree is as it was. */
static void test_enospc(void)
{
    struct wvfs_fd *r = root();
    struct wvfs_filestat st;
    s.limit = s.stats.bytes + 100;
    static char big[4096];
    struct wvfs_iovec v = {(uint8_t *)big, sizeof big};
    uint32_t fd = open_fd("hard", 0, R | W, 0, 0);
    size_t n;
    CHECK_EQ(wvfs__fd_write(&s, wvfs__fd_get(&s, fd), &v, 1, &n), WVFS_ENOSPC);
    CHECK_EQ(n, 0);
    CHECK(strcmp(content("hard"), "fresh") == 0);
    wvfs__fd_close(&s, fd);
    int made = 0;
    for (int i = 0; i < 50; i++) { /* creates until the budget runs out */
        char name[16];
        snprintf(name, sizeof name, "e%02d", i);
        wvfs_errno_t e = wvfs__path_create_directory(&s, r, name, strlen(name));
        CHECK(e == 0 || e == WVFS_ENOSPC);
        if (e != 0) {
            CHECK_EQ(stat_of(name, 0, &st), WVFS_ENOENT);
            break;
        }
        made++;
    }
    CHECK(made < 50);
    CHECK(s.stats.bytes <= s.limit);
    s.limit = 0;
}

/* Arguments are checked before anything is allocated: refused calls on an
 * untouched file leave the overlay as it was, and under a budget with no room
 * they answer EINVAL (the arguments), not ENOSPC. */
static void test_args_before_work(void)
{
    uint32_t fd = open_fd("file", 0, R | W, 0, 0); /* untouched: the first step */
    uint64_t before = s.stats.bytes, nodes = s.stats.nodes;
    s.limit = s.stats.bytes + 1; /* no room for a copy (0 would mean no limit) */
    struct wvfs_iovec v = {(uint8_t *)"x", 1};
    size_t n;
    CHECK_EQ(wvfs__fd_allocate(&s, wvfs__fd_get(&s, fd), 0, 0), WVFS_EINVAL);
    CHECK_EQ(wvfs__fd_filestat_set_size(&s, wvfs__fd_get(&s, fd), (uint64_t)1 << 63), WVFS_EINVAL);
    CHECK_EQ(wvfs__fd_pwrite(&s, wvfs__fd_get(&s, fd), &v, 1, (uint64_t)1 << 63, &n), WVFS_EINVAL);
    CHECK_EQ(wvfs__fd_pwrite(&s, wvfs__fd_get(&s, fd), &v, 1, (uint64_t)INT64_MAX, &n), WVFS_EFBIG);
    CHECK_EQ(wvfs__fd_allocate(&s, wvfs__fd_get(&s, fd), 0, 11), 0); /* within the size: nothing to do */
    CHECK(s.stats.bytes == before && s.stats.nodes == nodes);
    s.limit = 0;
    CHECK(strcmp(content("file"), "hello world") == 0);
    wvfs__fd_close(&s, fd);
}

/* A compressed file: read whole from its start, decoded straight into the
 * reader's buffer and nothing kept; read in part, decompressed into the
 * overlay, dropped again once closed while the overlay is over the cache
 * budget; kept when changed.  Opening it decodes nothing. */
static void test_compressed(void)
{
    uint64_t before = s.stats.bytes;
    CHECK(strcmp(content("zfile"), "compressed") == 0);
    CHECK(s.ov[F_Z] == NULL && s.stats.bytes == before); /* read whole: nothing kept */
    uint32_t fd = open_fd("zfile", 0, R, 0, 0);
    CHECK(s.ov[F_Z] == NULL);
    char part[5] = {0};
    struct wvfs_iovec v = {(uint8_t *)part, 4};
    size_t n = 0;
    CHECK_EQ(wvfs__fd_pread(&s, wvfs__fd_get(&s, fd), &v, 1, 3, &n), 0); /* not from the start */
    CHECK(n == 4 && strcmp(part, "pres") == 0);
    CHECK(s.ov[F_Z] != NULL && s.stats.bytes > before);
    v.buf_len = 4;
    CHECK_EQ(wvfs__fd_pread(&s, wvfs__fd_get(&s, fd), &v, 1, 0, &n), 0); /* too small a buffer */
    CHECK(n == 4 && strcmp(part, "comp") == 0);
    wvfs__fd_close(&s, fd);
    CHECK(s.ov[F_Z] != NULL); /* kept: the budget is not reached */
    s.cache_budget = 0;
    fd = open_fd("zfile", 0, R, 0, 0);
    CHECK(s.ov[F_Z] != NULL && s.stats.bytes > before);
    wvfs__fd_close(&s, fd);
    CHECK(s.ov[F_Z] == NULL && s.stats.bytes == before); /* evicted on the last close */
    struct wvfs_filestat st;
    CHECK_EQ(stat_of("zfile", 0, &st), 0);
    CHECK_EQ(st.size, 10); /* stat never needs the bytes */
    CHECK(strcmp(content("zfile"), "compressed") == 0);
    fd = open_fd("zfile", 0, R | W, WVFS_FDFLAG_APPEND, 0);
    CHECK_EQ(put(fd, "!"), 1);
    wvfs__fd_close(&s, fd);
    CHECK(s.ov[F_Z] != NULL); /* changed: never evicted */
    CHECK(strcmp(content("zfile"), "compressed!") == 0);
    CHECK(memcmp(fixture_rw.nodes[F_Z].data, "desserpmoc", 10) == 0);
    s.cache_budget = 64u << 20;
}

/* Errno orders the randomized differential test found, now pinned here. */
static void test_linux_order(void)
{
    struct wvfs_fd *r = root();
    open_fd("file", WVFS_O_CREAT | WVFS_O_DIRECTORY, R, 0, WVFS_EINVAL);
    open_fd("nope/x", WVFS_O_CREAT | WVFS_O_DIRECTORY, R, 0, WVFS_EINVAL);
    open_fd("hard/", WVFS_O_CREAT, R, 0, WVFS_EISDIR);      /* a file, then '/' */
    open_fd("newdir/", WVFS_O_CREAT, R, 0, WVFS_EISDIR);
    open_fd("nope/x/", WVFS_O_CREAT, R, 0, WVFS_ENOENT);
    CHECK_EQ(wvfs__path_symlink(&s, "nowhere", 7, r, "dl", 2), 0);
    open_fd("dl", WVFS_O_CREAT | WVFS_O_EXCL, R | W, 0, WVFS_EEXIST); /* never follows */
    CHECK_EQ(wvfs__path_symlink(&s, "a", 1, r, "la", 2), 0);
    CHECK_EQ(wvfs__path_remove_directory(&s, r, "la/", 3), WVFS_ENOTDIR); /* the link itself */
    CHECK_EQ(wvfs__path_unlink_file(&s, r, "la/", 3), WVFS_ENOTDIR);
    CHECK_EQ(wvfs__path_create_directory(&s, r, "la/", 3), WVFS_EEXIST);
    CHECK_EQ(wvfs__path_create_directory(&s, r, "d9", 2), 0);
    CHECK_EQ(wvfs__path_create_directory(&s, r, "d9/e", 4), 0);
    uint32_t fd = open_fd("d9/e/f", WVFS_O_CREAT, R | W, 0, 0);
    wvfs__fd_close(&s, fd);
    CHECK_EQ(wvfs__path_rename(&s, r, "d9/e/f", 6, r, "d9/e", 4), WVFS_ENOTEMPTY); /* over an ancestor */
    CHECK_EQ(wvfs__path_rename(&s, r, "d9", 2, r, "d9/e/x", 6), WVFS_EINVAL);
    CHECK_EQ(wvfs__path_rename(&s, r, "missing", 7, r, "hard/x", 6), WVFS_ENOTDIR); /* parents first */
    CHECK_EQ(wvfs__path_rename(&s, r, "missing", 7, r, "../x", 4), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__path_link(&s, r, 0, "missing", 7, r, "hard/x", 6), WVFS_ENOENT); /* source first */
    CHECK_EQ(wvfs__path_link(&s, r, 0, "hard", 4, r, "new/", 4), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_symlink(&s, "t", 1, r, "new/", 4), WVFS_ENOENT);
    uint32_t d = open_fd("d9", WVFS_O_DIRECTORY, WVFS_RIGHT_FD_ADVISE, 0, 0);
    CHECK_EQ(wvfs__fd_advise(&s, wvfs__fd_get(&s, d), 0, 1, 0), WVFS_EBADF);
    wvfs__fd_close(&s, d);
    fd = open_fd("d9/e/f", 0, R | W, WVFS_FDFLAG_APPEND, 0);
    struct wvfs_iovec none = {(uint8_t *)"", 0};
    size_t n;
    uint64_t pos = 99;
    CHECK(put(fd, "abc") == 3);
    CHECK_EQ(wvfs__fd_seek(&s, wvfs__fd_get(&s, fd), 0, WVFS_WHENCE_SET, &pos), 0);
    CHECK_EQ(wvfs__fd_write(&s, wvfs__fd_get(&s, fd), &none, 1, &n), 0); /* moves nothing */
    CHECK_EQ(wvfs__fd_tell(&s, wvfs__fd_get(&s, fd), &pos), 0);
    CHECK_EQ(pos, 0);
    wvfs__fd_close(&s, fd);
}

/* The fd path_open takes before it creates is no open of anything: the
 * root's open count stays that of its one preopen (the checker compares every
 * node's count with the fd table after each step). */
static void test_open_counts(void)
{
    uint32_t fd = open_fd("made-in-root", WVFS_O_CREAT, R | W, 0, 0);
    CHECK(s.ov[F_ROOT] != NULL);
    CHECK_EQ(s.ov[F_ROOT]->opens, 1);
    CHECK(wvfs__state_check(&s) == NULL);
    wvfs__fd_close(&s, fd);
    CHECK_EQ(wvfs__path_unlink_file(&s, root(), "made-in-root", 12), 0);
    s.ov[F_ROOT]->opens++; /* the checker notices a wrong count */
    CHECK(wvfs__state_check(&s) != NULL);
    s.ov[F_ROOT]->opens--;
}

/* Valid fds with NULL pointers and zero lengths: an errno, never a read of
 * path[len - 1] or a copy through NULL (ASan and UBSan would stop here). */
static void test_empty_args(void)
{
    struct wvfs_fd *r = root();
    uint32_t out = 7;
    size_t n = 1;
    CHECK_EQ(wvfs__path_open(&s, r, 0, NULL, 0, 0, R, 0, 0, &out), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_open(&s, r, 0, NULL, 0, WVFS_O_CREAT, R | W, 0, 0, &out), WVFS_ENOENT);
    CHECK_EQ(out, 7);
    struct wvfs_filestat st;
    CHECK_EQ(wvfs__path_filestat_get(&s, r, 0, NULL, 0, &st), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_filestat_set_times(&s, r, 0, NULL, 0, 0, 0, 0), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_readlink(&s, r, NULL, 0, NULL, 0, &n), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_readlink(&s, r, "link", 4, NULL, 0, &n), 0);
    CHECK_EQ(n, 0);
    CHECK_EQ(wvfs__path_create_directory(&s, r, NULL, 0), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_remove_directory(&s, r, NULL, 0), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_unlink_file(&s, r, NULL, 0), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_symlink(&s, NULL, 0, r, NULL, 0), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_symlink(&s, NULL, 0, r, "x", 1), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_link(&s, r, 0, NULL, 0, r, NULL, 0), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_rename(&s, r, NULL, 0, r, NULL, 0), WVFS_ENOENT);
    CHECK_EQ(wvfs__fd_prestat_dir_name(&s, r, NULL, 0), WVFS_ENAMETOOLONG);
    CHECK_EQ(wvfs__fd_readdir(&s, r, NULL, 0, 0, &n), 0);
    CHECK_EQ(n, 0);
    uint32_t fd = open_fd("hard", 0, R | W, 0, 0);
    struct wvfs_iovec none = {NULL, 0};
    CHECK_EQ(wvfs__fd_read(&s, wvfs__fd_get(&s, fd), &none, 1, &n), 0);
    CHECK_EQ(n, 0);
    CHECK_EQ(wvfs__fd_read(&s, wvfs__fd_get(&s, fd), NULL, 0, &n), 0);
    CHECK_EQ(wvfs__fd_pread(&s, wvfs__fd_get(&s, fd), &none, 1, 0, &n), 0);
    CHECK_EQ(wvfs__fd_write(&s, wvfs__fd_get(&s, fd), &none, 1, &n), 0);
    CHECK_EQ(wvfs__fd_pwrite(&s, wvfs__fd_get(&s, fd), NULL, 0, 0, &n), 0);
    wvfs__fd_close(&s, fd);
}

/* Links to absolute targets are refused (EPERM, as node:wasi and wasmtime):
 * WASI never follows one, so a program probing for symlinks with one must
 * see the same refusal as on a host. */
static void test_absolute_symlink(void)
{
    struct wvfs_fd *r = root();
    struct wvfs_filestat st;
    CHECK_EQ(wvfs__path_symlink(&s, "/etc/passwd", 11, r, "abs-new", 7), WVFS_EPERM);
    CHECK_EQ(wvfs__path_symlink(&s, "/x", 2, r, "file", 4), WVFS_EPERM); /* before EEXIST */
    CHECK_EQ(stat_of("abs-new", 0, &st), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_symlink(&s, "file", 4, r, "rel-new", 7), 0);
    CHECK_EQ(wvfs__path_unlink_file(&s, r, "rel-new", 7), 0);
}

void test_overlay(void)
{
    wvfs__state_init(&s, &fixture_rw);
    s.now = fake_now;
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0);
    void (*const steps[])(void) = {test_args_before_work, test_cow, test_names, test_unlink_open,
                                   test_readdir_while_deleting, test_flat_memory, test_enospc,
                                   test_linux_order, test_compressed, test_open_counts,
                                   test_empty_args, test_absolute_symlink};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        steps[i]();
        const char *why = wvfs__state_check(&s);
        if (why)
            printf("  overlay check after step %zu: %s\n", i, why);
        CHECK(why == NULL);
    }
    /* the checker itself notices a broken count */
    s.stats.bytes++;
    CHECK(wvfs__state_check(&s) != NULL);
    s.stats.bytes--;
    CHECK(wvfs__state_check(&s) == NULL);
    wvfs__state_free(&s);
    CHECK_EQ(s.stats.bytes, 0);
}
