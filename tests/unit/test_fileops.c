/* test_fileops.c — read, pread, seek, readdir packing, stat, rights on embedded fds. */
#include <stdlib.h>

#include "unit.h"

#define R_FILE (WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_SEEK | WVFS_RIGHT_FD_TELL | \
                WVFS_RIGHT_FD_FILESTAT_GET | WVFS_RIGHT_FD_ADVISE | WVFS_RIGHT_FD_FDSTAT_SET_FLAGS)

static struct wvfs_state s;

static struct wvfs_fd *open_at(const char *path, uint16_t oflags, wvfs_rights_t base)
{
    uint32_t fd;
    wvfs_errno_t e = wvfs__path_open(&s, wvfs__fd_get(&s, 0), WVFS_LOOKUP_SYMLINK_FOLLOW, path,
                                    strlen(path), oflags, base, 0, 0, &fd);
    CHECK_EQ(e, 0);
    return e ? NULL : wvfs__fd_get(&s, fd);
}

static void test_read_seek(void)
{
    struct wvfs_fd *f = open_at("file", 0, R_FILE);
    char a[4], b[100];
    struct wvfs_iovec iov[3] = {{(uint8_t *)a, 4}, {(uint8_t *)b, 0}, {(uint8_t *)b, 100}};
    size_t n;
    CHECK_EQ(wvfs__fd_read(&s, f, iov, 3, &n), 0);
    CHECK_EQ(n, 11);
    CHECK(memcmp(a, "hell", 4) == 0 && memcmp(b, "o world", 7) == 0);
    CHECK_EQ(wvfs__fd_read(&s, f, iov, 3, &n), 0);
    CHECK_EQ(n, 0); /* EOF */
    uint64_t off;
    CHECK_EQ(wvfs__fd_seek(&s, f, 6, WVFS_WHENCE_SET, &off), 0);
    CHECK_EQ(off, 6);
    CHECK_EQ(wvfs__fd_seek(&s, f, -2, WVFS_WHENCE_CUR, &off), 0);
    CHECK_EQ(off, 4);
    CHECK_EQ(wvfs__fd_seek(&s, f, -1, WVFS_WHENCE_END, &off), 0);
    CHECK_EQ(off, 10);
    CHECK_EQ(wvfs__fd_seek(&s, f, -11, WVFS_WHENCE_CUR, &off), WVFS_EINVAL);
    CHECK_EQ(wvfs__fd_seek(&s, f, 0, 3, &off), WVFS_EINVAL);
    CHECK_EQ(wvfs__fd_seek(&s, f, INT64_MAX, WVFS_WHENCE_END, &off), WVFS_EINVAL);
    CHECK_EQ(wvfs__fd_tell(&s, f, &off), 0);
    CHECK_EQ(off, 10);
    CHECK_EQ(wvfs__fd_seek(&s, f, 100, WVFS_WHENCE_SET, &off), 0); /* past the end is fine */
    CHECK_EQ(wvfs__fd_read(&s, f, iov, 1, &n), 0);
    CHECK_EQ(n, 0);
    CHECK_EQ(wvfs__fd_pread(&s, f, iov, 1, 7, &n), 0);
    CHECK_EQ(n, 4);
    CHECK(memcmp(a, "orld", 4) == 0);
    CHECK_EQ(wvfs__fd_tell(&s, f, &off), 0);
    CHECK_EQ(off, 100); /* pread leaves the position alone */
    CHECK_EQ(wvfs__fd_pread(&s, f, iov, 1, UINT64_MAX, &n), WVFS_EINVAL);

    struct wvfs_filestat st;
    CHECK_EQ(wvfs__fd_filestat_get(&s, f, &st), 0);
    CHECK(st.filetype == WVFS_FILETYPE_REGULAR_FILE && st.size == 11 && st.ino == F_FILE + 1 &&
          st.nlink == 1 && st.mtim == 1000 && st.dev == WVFS_DEV);
    struct wvfs_fdstat fst;
    CHECK_EQ(wvfs__fd_fdstat_get(&s, f, &fst), 0);
    CHECK(fst.fs_filetype == WVFS_FILETYPE_REGULAR_FILE && fst.fs_rights_base == R_FILE &&
          fst.fs_rights_inheriting == 0);
    CHECK_EQ(wvfs__fd_fdstat_set_flags(&s, f, WVFS_FDFLAG_NONBLOCK), 0);
    CHECK_EQ(wvfs__fd_fdstat_get(&s, f, &fst), 0);
    CHECK_EQ(fst.fs_flags, WVFS_FDFLAG_NONBLOCK);
    CHECK_EQ(wvfs__fd_advise(&s, f, 0, 5, 1), 0);
    CHECK_EQ(wvfs__fd_advise(&s, f, 0, 5, 9), WVFS_EINVAL);
    struct wvfs_prestat ps;
    CHECK_EQ(wvfs__fd_prestat_get(&s, f, &ps), WVFS_EBADF);

    /* Rights only shrink, and are enforced. */
    CHECK_EQ(wvfs__fd_fdstat_set_rights(&s, f, R_FILE | WVFS_RIGHT_FD_WRITE, 0), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__fd_fdstat_set_rights(&s, f, WVFS_RIGHT_FD_READ, 0), 0);
    CHECK_EQ(wvfs__fd_seek(&s, f, 0, WVFS_WHENCE_SET, &off), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__fd_tell(&s, f, &off), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__fd_pread(&s, f, iov, 1, 0, &n), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__fd_filestat_get(&s, f, &st), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__fd_write(&s, f, iov, 1, &n), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__fd_fdstat_set_rights(&s, f, 0, 0), 0);
    CHECK_EQ(wvfs__fd_read(&s, f, iov, 1, &n), WVFS_ENOTCAPABLE);
}

/* Concatenating readdir calls at every buffer size gives the same listing. */
static void test_readdir(void)
{
    struct wvfs_fd *d = open_at("a", WVFS_O_DIRECTORY, WVFS_RIGHT_FD_READDIR);
    uint8_t full[1024];
    size_t used;
    CHECK_EQ(wvfs__fd_readdir(&s, d, full, sizeof full, 0, &used), 0);
    /* ".", "..", "g", "self": 4 headers + 1+2+1+4 name bytes */
    CHECK_EQ(used, 4 * 24 + 8);
    struct wvfs_dirent_hdr h;
    memcpy(&h, full, sizeof h);
    CHECK(h.d_next == 1 && h.d_ino == F_A + 1 && h.d_namlen == 1 && full[24] == '.');
    memcpy(&h, full + 25, sizeof h);
    CHECK(h.d_next == 2 && h.d_ino == F_ROOT + 1 && h.d_namlen == 2);
    memcpy(&h, full + 51, sizeof h);
    CHECK(h.d_next == 3 && h.d_ino == F_G + 1 && h.d_type == WVFS_FILETYPE_REGULAR_FILE);
    memcpy(&h, full + 76, sizeof h);
    CHECK(h.d_next == 4 && h.d_ino == F_SELF + 1 && h.d_type == WVFS_FILETYPE_SYMBOLIC_LINK &&
          memcmp(full + 100, "self", 4) == 0);

    for (size_t len = 0; len <= used + 2; len++) {
        uint8_t *buf = malloc(len ? len : 1);
        size_t got;
        CHECK_EQ(wvfs__fd_readdir(&s, d, buf, len, 0, &got), 0);
        size_t want = len < used ? len : used;
        if (got != want || memcmp(buf, full, got) != 0) /* truncation keeps the prefix */
            CHECK(0 && "readdir prefix");
        free(buf);
    }
    /* Resuming from each cookie gives the tail of the listing. */
    size_t offsets[] = {0, 25, 51, 76, 104};
    for (uint64_t c = 0; c <= 4; c++) {
        uint8_t buf[1024];
        size_t got;
        CHECK_EQ(wvfs__fd_readdir(&s, d, buf, sizeof buf, c, &got), 0);
        CHECK_EQ(got, used - offsets[c]);
        CHECK(memcmp(buf, full + offsets[c], got) == 0);
    }
    CHECK_EQ(wvfs__fd_readdir(&s, d, full, sizeof full, 99, &used), 0);
    CHECK_EQ(used, 0);
    /* The mount root's ".." is itself. */
    struct wvfs_fd *root = wvfs__fd_get(&s, 0);
    CHECK_EQ(wvfs__fd_readdir(&s, root, full, sizeof full, 0, &used), 0);
    memcpy(&h, full + 25, sizeof h);
    CHECK_EQ(h.d_ino, F_ROOT + 1);

    uint8_t b[8];
    struct wvfs_iovec iov = {b, sizeof b};
    size_t n;
    CHECK_EQ(wvfs__fd_read(&s, root, &iov, 1, &n), WVFS_ENOTCAPABLE); /* dirs lack FD_READ */
    struct wvfs_fd *f = open_at("file", 0, R_FILE | WVFS_RIGHT_FD_READDIR);
    CHECK_EQ(wvfs__fd_readdir(&s, f, full, sizeof full, 0, &used), WVFS_ENOTCAPABLE);
}

static void test_prestat(void)
{
    struct wvfs_fd *root = wvfs__fd_get(&s, 0);
    struct wvfs_prestat ps;
    CHECK_EQ(wvfs__fd_prestat_get(&s, root, &ps), 0);
    CHECK(ps.tag == 0 && ps.pr_name_len == 2);
    uint8_t name[4] = {0};
    CHECK_EQ(wvfs__fd_prestat_dir_name(&s, root, name, 1), WVFS_ENAMETOOLONG);
    CHECK_EQ(wvfs__fd_prestat_dir_name(&s, root, name, 4), 0);
    CHECK(memcmp(name, "/m", 2) == 0 && name[2] == 0);
    struct wvfs_fdstat fst;
    CHECK_EQ(wvfs__fd_fdstat_get(&s, root, &fst), 0);
    CHECK(fst.fs_filetype == WVFS_FILETYPE_DIRECTORY && fst.fs_rights_base == WVFS_RIGHTS_DIR_BASE &&
          fst.fs_rights_inheriting == WVFS_RIGHTS_DIR_INHERITING);
    CHECK_EQ(wvfs__fd_sync(&s, root, WVFS_RIGHT_FD_SYNC), 0);
    CHECK_EQ(wvfs__fd_sync(&s, root, WVFS_RIGHT_FD_DATASYNC), WVFS_ENOTCAPABLE);
    CHECK_EQ(wvfs__fd_filestat_set_times(&s, root, 0, 0, 0), WVFS_EROFS); /* read-only mount */
}

void test_fileops(void)
{
    wvfs__state_init(&s, &fixture);
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0); /* the mount is fd 0 here */
    test_read_seek();
    test_readdir();
    test_prestat();
    wvfs__state_free(&s);
}
