/* test_path.c — path resolution: dots, slashes, symlinks, escapes, ELOOP. */
#include "unit.h"

#define NOF WVFS_NOFOLLOW
#define FOL WVFS_FOLLOW

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
    ok("file", FOL, F_FILE);
    ok("a", FOL, F_A);
    ok("a/", NOF, F_A);
    ok("a//g", NOF, F_G);
    ok("./a/./g", NOF, F_G);
    ok(".", NOF, F_ROOT);
    ok("a/..", NOF, F_ROOT);
    ok("a/../file", NOF, F_FILE);
    ok("link", NOF, F_LINK);          /* last component not followed */
    ok("link", FOL, F_G);
    ok("dirlink", NOF, F_DIRLINK);
    ok("dirlink/", NOF, F_A);         /* a trailing slash follows */
    ok("dirlink/g", NOF, F_G);        /* a middle component always follows */
    ok("a/self/self/g", NOF, F_G);
    ok("a/self/..", NOF, F_ROOT);     /* ".." after a link: the target's parent */
    ok("chain01", FOL, F_FILE);       /* 31 links in a row: the limit */
    err("chain00", FOL, WVFS_ELOOP);  /* 32: one too many, as uvwasi */
    ok("chain00", NOF, F_CHAIN0);
    err("loop1", FOL, WVFS_ELOOP);
    err("loop1/x", NOF, WVFS_ELOOP);
    ok("loop1", NOF, F_LOOP1);
    err("", NOF, WVFS_ENOENT);
    err("/file", NOF, WVFS_ENOTCAPABLE);
    err("..", NOF, WVFS_ENOTCAPABLE);
    err("../m/file", NOF, WVFS_ENOTCAPABLE);
    err("a/../..", NOF, WVFS_ENOTCAPABLE);
    err("up", FOL, WVFS_ENOTCAPABLE);
    ok("up", NOF, F_UP);
    err("abs", FOL, WVFS_ENOTCAPABLE);
    err("file/", NOF, WVFS_ENOTDIR);
    err("file/x", NOF, WVFS_ENOTDIR);
    err("link/", NOF, WVFS_ENOTDIR);  /* link to a file, then a slash */
    err("file/..", NOF, WVFS_ENOTDIR);
    err("missing", NOF, WVFS_ENOENT);
    err("missing/..", NOF, WVFS_ENOENT);

    /* missing: only the final component absent, and where it would go */
    uint32_t n;
    struct wvfs_where w;
    CHECK_EQ(fx_where(F_ROOT, "a/new", 5, NOF, &n, &w), WVFS_ENOENT);
    CHECK(w.missing && w.dir == F_A && w.namelen == 3 && memcmp(w.name, "new", 3) == 0);
    CHECK_EQ(fx_where(F_ROOT, "new/x", 5, NOF, &n, &w), WVFS_ENOENT);
    CHECK_EQ(w.missing, 0);
    CHECK_EQ(fx_where(F_ROOT, "a/new/", 6, NOF, &n, &w), WVFS_ENOENT);
    CHECK(w.missing && w.slash);
    /* Through a dangling final link, the place is the link target's. */
    CHECK_EQ(fx_where(F_ROOT, "up", 2, FOL, &n, &w), WVFS_ENOTCAPABLE);
    /* What the last component was, for rmdir and friends. */
    CHECK_EQ(fx_where(F_ROOT, "a/.", 3, NOF, &n, &w), 0);
    CHECK(w.last == WVFS_LAST_DOT && n == F_A);
    CHECK_EQ(fx_where(F_ROOT, "a/..", 4, NOF, &n, &w), 0);
    CHECK(w.last == WVFS_LAST_DOTDOT && n == F_ROOT);
    CHECK_EQ(fx_where(F_ROOT, "a/g", 3, NOF, &n, &w), 0);
    CHECK(w.last == WVFS_LAST_NAME && w.dir == F_A && n == F_G);
    /* An embedded NUL is never a name. */
    CHECK_EQ(fx_where(F_ROOT, "a/g\0x", 5, NOF, &n, &w), WVFS_EILSEQ);
    /* Relative to a subdirectory, ".." may not climb above it. */
    CHECK_EQ(fx_where(F_A, "..", 2, NOF, &n, &w), WVFS_ENOTCAPABLE);
    CHECK_EQ(fx_where(F_A, "self/g", 6, NOF, &n, &w), WVFS_ENOTCAPABLE);
    /* Names longer than NAME_MAX. */
    char longname[300];
    memset(longname, 'x', sizeof longname);
    CHECK_EQ(fx_where(F_ROOT, longname, sizeof longname, NOF, &n, &w), WVFS_ENAMETOOLONG);
}
