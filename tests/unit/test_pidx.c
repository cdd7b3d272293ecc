/* test_pidx.c — the path index answers exactly as the component walk does:
 * every path of a list resolved with the fixture's index and without it, the
 * whole answer compared; then through an overlay that renames, removes and
 * creates, where the index must give way. */
#include "unit.h"

static void same_answer(const char *path, size_t len, int follow)
{
    struct wvfs_where a, b;
    uint32_t n, pidx = fixture.pidx;
    wvfs_errno_t ea = fx_where(F_ROOT, path, len, follow, &n, &a);
    fixture.pidx = 0;
    wvfs_errno_t eb = fx_where(F_ROOT, path, len, follow, &n, &b);
    fixture.pidx = pidx;
    int same = ea == eb && a.node == b.node && a.dir == b.dir && a.namelen == b.namelen &&
               a.name == b.name && a.last == b.last && a.slash == b.slash && a.missing == b.missing;
    if (!same)
        printf("  '%.*s' follow=%d: indexed errno %d node %u dir %u, walked errno %d node %u dir %u\n",
               (int)len, path, follow, ea, a.node, a.dir, eb, b.node, b.dir);
    CHECK(same);
}

static void test_same_answers(void)
{
    static const char *const paths[] = {
        "file", "a", "a/g", "a/self", "a/self/g", "link", "dirlink", "dirlink/g", "chain05",
        "loop1", "up", "abs", "big", "zfile", "a/", "a//g", "./a/g", "a/./g", "a/../file", "a/g/",
        "file/", "missing", "a/missing", "a/g/x", "ag", "a/gg", "g", "self", "a/self/..", "fil",
        "filex", "a/g/..", "A/g",
    };
    static const int follows[] = {WVFS_NOFOLLOW, WVFS_FOLLOW, WVFS_NOFOLLOW_ENTRY};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        for (size_t f = 0; f < 3; f++)
            same_answer(paths[i], strlen(paths[i]), follows[f]);
    same_answer("a\0g", 3, WVFS_NOFOLLOW); /* a NUL is never a name's */
    same_answer("a/g", 2, WVFS_NOFOLLOW);  /* the length, not the NUL, ends a path */
    /* A plain hit really is the index's (a corrupt index would show here). */
    struct wvfs_state st;
    wvfs__state_init(&st, &fixture);
    struct wvfs_jump j;
    CHECK(wvfs__pidx_jump(&st, F_ROOT, "a/g", 3, &j) && j.node == F_A && j.skip == 2 && j.depth == 1);
    CHECK(wvfs__pidx_jump(&st, F_ROOT, "a/nothing", 9, &j) && j.node == F_A); /* the walk says ENOENT */
    CHECK(!wvfs__pidx_jump(&st, F_ROOT, "a/./g", 5, &j));
    CHECK(!wvfs__pidx_jump(&st, F_ROOT, "a//g", 4, &j));
    CHECK(!wvfs__pidx_jump(&st, F_ROOT, "a/", 2, &j));         /* a trailing slash: the walk's */
    CHECK(!wvfs__pidx_jump(&st, F_ROOT, "file", 4, &j));       /* one component: the walk's */
    CHECK(!wvfs__pidx_jump(&st, F_ROOT, "dirlink/g", 9, &j));  /* a symlink is never indexed */
    CHECK(!wvfs__pidx_jump(&st, F_ROOT, "a/g", 2, &j));        /* the length ends a path */
    CHECK(!wvfs__pidx_jump(&st, F_A, "self/g", 6, &j));        /* only from a mount root */
    /* The checker rebuilds the index and compares (with the fixture's
     * absolute link, which it refuses first, made relative meanwhile). */
    struct wvfs_node *abs = (struct wvfs_node *)&fixture.nodes[F_ABS], was = *abs;
    abs->data = "file", abs->size = 4;
    CHECK(wvfs_image_check(&fixture) == NULL);
    uint32_t *word = (uint32_t *)fixture.htab + fixture.pidx - 1;
    for (uint32_t i = 0; i < fixture.nhtab - (fixture.pidx - 1); i++) { /* every word counts */
        word[i] ^= 1;
        const char *why = wvfs_image_check(&fixture);
        CHECK(why != NULL && strstr(why, "path index") != NULL);
        word[i] ^= 1;
    }
    fixture.npidx /= 2;
    CHECK(wvfs_image_check(&fixture) != NULL);
    fixture.npidx *= 2;
    CHECK(wvfs_image_check(&fixture) == NULL);
    *abs = was;
}

#define RW (WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_WRITE)

static void test_overlay_gives_way(void)
{
    struct wvfs_state s;
    wvfs__state_init(&s, &fixture_rw);
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0);
    struct wvfs_fd *root = wvfs__fd_get(&s, 0);
    uint32_t fd;
    struct wvfs_where w;
    CHECK_EQ(wvfs__resolve(&s, F_ROOT, "a/g", 3, WVFS_NOFOLLOW, &w), 0);
    CHECK_EQ(w.node, F_G);
    /* an entry only added: the root's copy in the overlay, the index still used */
    CHECK_EQ(wvfs__path_open(&s, root, 0, "added", 5, WVFS_O_CREAT, RW, 0, 0, &fd), 0);
    CHECK_EQ(wvfs__resolve(&s, F_ROOT, "added", 5, WVFS_NOFOLLOW, &w), 0);
    CHECK(wvfs__ov(&s, F_ROOT) != NULL);
    struct wvfs_jump j;
    CHECK(wvfs__pidx_jump(&s, F_ROOT, "a/g", 3, &j) && j.node == F_A);
    /* an entry renamed away: the root lost one, so the index gives way */
    CHECK_EQ(wvfs__path_rename(&s, root, "big", 3, root, "big2", 4), 0);
    CHECK(!wvfs__pidx_jump(&s, F_ROOT, "a/g", 3, &j));
    CHECK_EQ(wvfs__resolve(&s, F_ROOT, "a/g", 3, WVFS_NOFOLLOW, &w), 0);
    CHECK_EQ(w.node, F_G);
    /* renamed: the old path is gone, the new one found by the walk */
    CHECK_EQ(wvfs__path_rename(&s, root, "a", 1, root, "b", 1), 0);
    CHECK_EQ(wvfs__resolve(&s, F_ROOT, "a/g", 3, WVFS_NOFOLLOW, &w), WVFS_ENOENT);
    CHECK_EQ(wvfs__resolve(&s, F_ROOT, "b/g", 3, WVFS_NOFOLLOW, &w), 0);
    CHECK_EQ(w.node, F_G);
    /* removed, and a new file under an old name */
    CHECK_EQ(wvfs__path_unlink_file(&s, root, "file", 4), 0);
    CHECK_EQ(wvfs__resolve(&s, F_ROOT, "file", 4, WVFS_NOFOLLOW, &w), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_open(&s, root, 0, "file", 4, WVFS_O_CREAT, RW, 0, 0, &fd), 0);
    CHECK_EQ(wvfs__resolve(&s, F_ROOT, "file", 4, WVFS_NOFOLLOW, &w), 0);
    CHECK(w.node != F_FILE && w.node == wvfs__fd_get(&s, fd)->node);
    CHECK(wvfs__state_check(&s) == NULL);
    wvfs__state_free(&s);
}

void test_pidx(void)
{
    test_same_answers();
    test_overlay_gives_way();
}
