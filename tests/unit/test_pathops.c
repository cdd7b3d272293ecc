/* test_pathops.c — path_open flags and rights, stat, readlink, read-only answers. */
#include "unit.h"

static struct wvfs_state s;

static wvfs_errno_t op(const char *path, uint32_t dirflags, uint16_t oflags, wvfs_rights_t base,
                       wvfs_rights_t inh, uint16_t fdflags)
{
    uint32_t fd = UINT32_MAX;
    wvfs_errno_t e = wvfs__path_open(&s, wvfs__fd_get(&s, 0), dirflags, path, strlen(path), oflags,
                                    base, inh, fdflags, &fd);
    if (e == 0)
        wvfs__fd_release(&s, fd);
    return e;
}

void test_pathops(void)
{
    wvfs__state_init(&s, &fixture);
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0);
    const uint32_t F = WVFS_LOOKUP_SYMLINK_FOLLOW;
    const wvfs_rights_t R = WVFS_RIGHT_FD_READ, W = WVFS_RIGHT_FD_WRITE;

    CHECK_EQ(op("file", F, 0, R, 0, 0), 0);
    CHECK_EQ(op("file", F, WVFS_O_DIRECTORY, R, 0, 0), WVFS_ENOTDIR);
    CHECK_EQ(op("a", F, WVFS_O_DIRECTORY, R, 0, 0), 0);
    CHECK_EQ(op("file", F, 0, R | W, 0, 0), WVFS_EROFS);
    CHECK_EQ(op("file", F, 0, WVFS_RIGHT_FD_FILESTAT_SET_SIZE, 0, 0), WVFS_EROFS);
    CHECK_EQ(op("file", F, WVFS_O_TRUNC, R, 0, 0), WVFS_EROFS);
    CHECK_EQ(op("file", F, WVFS_O_CREAT, R, 0, 0), 0);
    CHECK_EQ(op("file", F, WVFS_O_CREAT | WVFS_O_EXCL, R, 0, 0), WVFS_EEXIST);
    CHECK_EQ(op("new", F, WVFS_O_CREAT, R, 0, 0), WVFS_EROFS);
    CHECK_EQ(op("new/x", F, WVFS_O_CREAT, R, 0, 0), WVFS_ENOENT);
    CHECK_EQ(op("new", F, 0, R, 0, 0), WVFS_ENOENT);
    CHECK_EQ(op("a", F, 0, R | W, 0, 0), WVFS_EISDIR);
    CHECK_EQ(op("a", F, WVFS_O_CREAT, R, 0, 0), WVFS_EISDIR);
    CHECK_EQ(op("link", 0, 0, R, 0, 0), WVFS_ELOOP);
    CHECK_EQ(op("dirlink", 0, WVFS_O_DIRECTORY, R, 0, 0), WVFS_ENOTDIR);
    CHECK_EQ(op("link", F, 0, R, 0, 0), 0);
    CHECK_EQ(op("file", F, 0x10, R, 0, 0), WVFS_EINVAL);
    CHECK_EQ(op("..", F, 0, R, 0, 0), WVFS_ENOTCAPABLE);

    /* Rights: the new fd's rights must be inheritable from the directory. */
    struct wvfs_fd *root = wvfs__fd_get(&s, 0);
    CHECK_EQ(op("file", F, 0, WVFS_R(40), 0, 0), WVFS_ENOTCAPABLE);
    uint32_t fd;
    CHECK_EQ(wvfs__path_open(&s, root, F, "a", 1, 0, WVFS_RIGHTS_DIR_INHERITING,
                            WVFS_RIGHTS_DIR_INHERITING, 0, &fd), WVFS_EISDIR); /* has FD_WRITE */
    CHECK_EQ(wvfs__path_open(&s, root, F, "a", 1, 0, WVFS_RIGHT_PATH_OPEN | R,
                            WVFS_RIGHT_FD_READ, 0, &fd), 0);
    struct wvfs_fd *a = wvfs__fd_get(&s, fd);
    CHECK_EQ(a->base, WVFS_RIGHT_PATH_OPEN); /* FD_READ is not a directory right */
    uint32_t g;
    CHECK_EQ(wvfs__path_open(&s, a, F, "g", 1, 0, R, 0, 0, &g), 0);
    CHECK_EQ(wvfs__path_open(&s, a, F, "g", 1, 0, R | WVFS_RIGHT_FD_SEEK, 0, 0, &g),
             WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__path_open(&s, a, F, "..", 2, 0, 0, 0, 0, &g), WVFS_ENOTCAPABLE);
    /* A file fd cannot open paths. */
    struct wvfs_fd *gf = wvfs__fd_get(&s, g);
    CHECK_EQ(wvfs__path_open(&s, gf, F, "x", 1, 0, 0, 0, 0, &fd), WVFS_ENOTCAPABLE);

    struct wvfs_filestat st;
    CHECK_EQ(wvfs__path_filestat_get(&s, root, F, "link", 4, &st), 0);
    CHECK(st.filetype == WVFS_FILETYPE_REGULAR_FILE && st.size == 3 && st.ino == F_G + 1);
    CHECK_EQ(wvfs__path_filestat_get(&s, root, 0, "link", 4, &st), 0);
    CHECK(st.filetype == WVFS_FILETYPE_SYMBOLIC_LINK && st.size == 3 && st.ino == F_LINK + 1);
    CHECK_EQ(wvfs__path_filestat_get(&s, root, 0, "a", 1, &st), 0);
    CHECK(st.filetype == WVFS_FILETYPE_DIRECTORY && st.nlink == 2 && st.size == 0);

    uint8_t buf[8];
    size_t used;
    CHECK_EQ(wvfs__path_readlink(&s, root, "link", 4, buf, sizeof buf, &used), 0);
    CHECK(used == 3 && memcmp(buf, "a/g", 3) == 0);
    CHECK_EQ(wvfs__path_readlink(&s, root, "link", 4, buf, 2, &used), 0);
    CHECK(used == 2 && memcmp(buf, "a/", 2) == 0);
    CHECK_EQ(wvfs__path_readlink(&s, root, "file", 4, buf, 8, &used), WVFS_EINVAL);
    CHECK_EQ(wvfs__path_readlink(&s, root, "dirlink/g", 9, buf, 8, &used), WVFS_EINVAL);

    /* A read-only mount: the errors a host gives first, then EROFS. */
    CHECK_EQ(wvfs__path_create_directory(&s, root, "new", 3), WVFS_EROFS);
    CHECK_EQ(wvfs__path_create_directory(&s, root, "a", 1), WVFS_EEXIST);
    CHECK_EQ(wvfs__path_create_directory(&s, root, "loop1", 5), WVFS_EEXIST);
    CHECK_EQ(wvfs__path_create_directory(&s, root, "x/y", 3), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_unlink_file(&s, root, "file", 4), WVFS_EROFS);
    CHECK_EQ(wvfs__path_unlink_file(&s, root, "nope", 4), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_unlink_file(&s, root, "a", 1), WVFS_EISDIR);
    CHECK_EQ(wvfs__path_unlink_file(&s, gf, "x", 1), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__path_remove_directory(&s, root, "a", 1), WVFS_EROFS);
    CHECK_EQ(wvfs__path_remove_directory(&s, root, "a/.", 3), WVFS_EINVAL);
    CHECK_EQ(wvfs__path_symlink(&s, "t", 1, root, "file", 4), WVFS_EEXIST);
    CHECK_EQ(wvfs__path_symlink(&s, "t", 1, root, "new", 3), WVFS_EROFS);
    CHECK_EQ(wvfs__path_rename(&s, root, "file", 4, root, "new", 3), WVFS_EROFS);
    CHECK_EQ(wvfs__path_rename(&s, root, "nope", 4, root, "new", 3), WVFS_ENOENT);
    CHECK_EQ(wvfs__path_link(&s, root, 0, "file", 4, root, "new", 3), WVFS_EROFS);
    CHECK_EQ(wvfs__path_link(&s, root, 0, "file", 4, root, "a", 1), WVFS_EEXIST);
    CHECK_EQ(wvfs__path_filestat_set_times(&s, root, 0, "file", 4, 0, 0, 0), WVFS_EROFS);
    CHECK_EQ(op("file", F, 0, R | W, 0, 0), WVFS_EROFS);
    CHECK_EQ(s.stats.bytes, 0); /* nothing was copied into the overlay */
    wvfs__state_free(&s);
}
