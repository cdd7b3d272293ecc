/* test_fdtab.c — the guest fd table: lowest-free numbering, renumber, growth. */
#include "unit.h"

void test_fdtab(void)
{
    struct wvfs_state s;
    wvfs__state_init(&s, &fixture);
    uint32_t fd;
    for (uint32_t i = 0; i < 5; i++) { /* stdio + two host preopens, identity */
        CHECK_EQ(wvfs__fd_add_host(&s, i, &fd), 0);
        CHECK_EQ(fd, i);
    }
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0);
    struct wvfs_fd *m = wvfs__fd_get(&s, 5);
    CHECK(m && m->kind == WVFS_FD_VFS && m->preopen && m->mount == 0 && m->node == F_ROOT);
    CHECK(wvfs__fd_get(&s, 6) == NULL);
    CHECK(wvfs__fd_get(&s, UINT32_MAX) == NULL);

    /* Growth past the first allocation keeps every slot. */
    for (uint32_t i = 6; i < 100; i++) {
        CHECK_EQ(wvfs__fd_add_host(&s, 1000 + i, &fd), 0);
        CHECK_EQ(fd, i);
    }
    CHECK_EQ(wvfs__fd_get(&s, 50)->host, 1050);
    CHECK_EQ(wvfs__fd_get(&s, 3)->host, 3);

    /* Lowest free first. */
    wvfs__fd_release(&s, 40);
    wvfs__fd_release(&s, 20);
    CHECK(wvfs__fd_get(&s, 20) == NULL);
    CHECK_EQ(wvfs__fd_add_host(&s, 7777, &fd), 0);
    CHECK_EQ(fd, 20);
    CHECK_EQ(wvfs__fd_add_host(&s, 7778, &fd), 0);
    CHECK_EQ(fd, 40);
    CHECK_EQ(wvfs__fd_add_host(&s, 7779, &fd), 0);
    CHECK_EQ(fd, 100);

    /* Renumber: both must be open; `to` is handed back to close; `from` frees. */
    struct wvfs_fd old;
    CHECK_EQ(wvfs__fd_renumber(&s, 5, 20, &old), 0);
    CHECK(old.kind == WVFS_FD_HOST && old.host == 7777);
    CHECK(wvfs__fd_get(&s, 20)->kind == WVFS_FD_VFS && wvfs__fd_get(&s, 20)->preopen);
    CHECK(wvfs__fd_get(&s, 5) == NULL);
    CHECK_EQ(wvfs__fd_renumber(&s, 5, 20, &old), WVFS_EBADF);
    CHECK_EQ(wvfs__fd_renumber(&s, 20, 5, &old), WVFS_EBADF);
    CHECK_EQ(wvfs__fd_renumber(&s, 20, 20, &old), 0);
    CHECK(old.kind == WVFS_FD_FREE);
    CHECK(wvfs__fd_get(&s, 20) != NULL);
    CHECK_EQ(wvfs__fd_add_host(&s, 1, &fd), 0);
    CHECK_EQ(fd, 5);
    wvfs__state_free(&s);

    /* No image: no mounts, nothing but host fds. */
    wvfs__state_init(&s, NULL);
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0);
    CHECK(wvfs__fd_get(&s, 0) == NULL);
    wvfs__state_free(&s);
}
