/* test_path.c — path resolution: dots, slashes, symlinks, escapes, ELOOP. */
#include "unit.h"

static void ok(const char *path, int follow, uint32_t want)
{
    uint32_t n;
    wvfs_errno_t e = fx_resolve(path, follow, &n);
    if (e != 0 || n != want)
        printf("  path '%s' follow=%d: errno %d node %u, want node %u\n", path, follow, e, n, want);
    CHECK(e == 0 && n == want);
}

static void err(const char *path, int follow, wvfs_errno_t want)
{
    uint32_t n;
    wvfs_errno_t e = fx_resolve(path, follow, &n);
    if (e != want)
        printf("  path '%s' follow=%d: errno %d, want %d\n", path, follow, e, want);
    CHECK_EQ(e, want);
}

void test_path(void)
{
    ok("file", 1, F_FILE);
    ok("a", 1, F_A);
    ok("a/", 0, F_A);
    ok("a//g", 0, F_G);
    ok("./a/./g", 0, F_G);
    ok(".", 0, F_ROOT);
    ok("a/..", 0, F_ROOT);
    ok("a/../file", 0, F_FILE);
    ok("link", 0, F_LINK);          /* last component not followed */
    ok("link", 1, F_G);
    ok("dirlink", 0, F_DIRLINK);
    ok("dirlink/", 0, F_A);         /* a trailing slash follows */
    ok("dirlink/g", 0, F_G);        /* a middle component always follows */
    ok("a/self/self/g", 0, F_G);
    ok("a/self/..", 0, F_ROOT);     /* ".." after a link: the target's parent */
    ok("chain01", 1, F_FILE);       /* 31 links in a row: the limit */
    err("chain00", 1, WVFS_ELOOP);  /* 32: one too many, as uvwasi */
    ok("chain00", 0, F_CHAIN0);
    err("loop1", 1, WVFS_ELOOP);
    err("loop1/x", 0, WVFS_ELOOP);
    ok("loop1", 0, F_LOOP1);
    err("", 0, WVFS_ENOENT);
    err("/file", 0, WVFS_ENOTCAPABLE);
    err("..", 0, WVFS_ENOTCAPABLE);
    err("../m/file", 0, WVFS_ENOTCAPABLE);
    err("a/../..", 0, WVFS_ENOTCAPABLE);
    err("up", 1, WVFS_ENOTCAPABLE);
    ok("up", 0, F_UP);
    err("abs", 1, WVFS_ENOTCAPABLE);
    err("file/", 0, WVFS_ENOTDIR);
    err("file/x", 0, WVFS_ENOTDIR);
    err("link/", 0, WVFS_ENOTDIR);  /* link to a file, then a slash */
    err("file/..", 0, WVFS_ENOTDIR);
    err("missing", 0, WVFS_ENOENT);
    err("missing/..", 0, WVFS_ENOENT);

    /* missing: only the final component absent, and where it would go */
    uint32_t n;
    struct wvfs_where w;
    CHECK_EQ(fx_where(F_ROOT, "a/new", 5, 0, &n, &w), WVFS_ENOENT);
    CHECK(w.missing && w.dir == F_A && w.namelen == 3 && memcmp(w.name, "new", 3) == 0);
    CHECK_EQ(fx_where(F_ROOT, "new/x", 5, 0, &n, &w), WVFS_ENOENT);
    CHECK_EQ(w.missing, 0);
    CHECK_EQ(fx_where(F_ROOT, "a/new/", 6, 0, &n, &w), WVFS_ENOENT);
    CHECK(w.missing && w.slash);
    /* Through a dangling final link, the place is the link target's. */
    CHECK_EQ(fx_where(F_ROOT, "up", 2, 1, &n, &w), WVFS_ENOTCAPABLE);
    /* What the last component was, for rmdir and friends. */
    CHECK_EQ(fx_where(F_ROOT, "a/.", 3, 0, &n, &w), 0);
    CHECK(w.last == WVFS_LAST_DOT && n == F_A);
    CHECK_EQ(fx_where(F_ROOT, "a/..", 4, 0, &n, &w), 0);
    CHECK(w.last == WVFS_LAST_DOTDOT && n == F_ROOT);
    CHECK_EQ(fx_where(F_ROOT, "a/g", 3, 0, &n, &w), 0);
    CHECK(w.last == WVFS_LAST_NAME && w.dir == F_A && n == F_G);
    /* An embedded NUL is never a name. */
    CHECK_EQ(fx_where(F_ROOT, "a/g\0x", 5, 0, &n, &w), WVFS_EILSEQ);
    /* Relative to a subdirectory, ".." may not climb above it. */
    CHECK_EQ(fx_where(F_A, "..", 2, 0, &n, &w), WVFS_ENOTCAPABLE);
    CHECK_EQ(fx_where(F_A, "self/g", 6, 0, &n, &w), WVFS_ENOTCAPABLE);
    /* Names longer than NAME_MAX. */
    char longname[300];
    memset(longname, 'x', sizeof longname);
    CHECK_EQ(fx_where(F_ROOT, longname, sizeof longname, 0, &n, &w), WVFS_ENAMETOOLONG);
}
