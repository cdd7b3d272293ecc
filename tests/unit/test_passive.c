/* test_passive.c — an image whose files' bytes are not in memory until the
 * library copies them in (pack's passive segment): the fixture with every
 * file's and link's stored bytes moved to a "segment", their range left zero,
 * and copyin bringing them back.  Every way bytes are read — a read, a
 * compressed file's decode, readlink, a symlink followed, 31 of them chained,
 * a copy-on-write — must see them, and bytes nothing used must stay out. */
#include <stdlib.h>

#include "unit.h"

#define RW (WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_SEEK | WVFS_RIGHT_FD_WRITE)

static struct wvfs_node nodes[F_NODES];
static char mem[4096], seg[4096]; /* the files' range in memory, the segment */
static unsigned copies;

static void copyin(const char *at, size_t len)
{
    memcpy(mem + (at - mem), seg + (at - mem), len);
    copies++;
}

static int zero(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

void test_passive(void)
{
    struct wvfs_image img = fixture_rw;
    size_t used = 0;
    memcpy(nodes, fixture_rw.nodes, sizeof nodes);
    for (uint32_t n = 0; n < F_NODES; n++) {
        uint64_t len = nodes[n].zsize ? nodes[n].zsize : nodes[n].size;
        if (nodes[n].type == WVFS_FILETYPE_DIRECTORY || nodes[n].data == NULL || len == 0)
            continue;
        if (used + len > sizeof seg) {
            CHECK(!"the fixture's files fit the test's segment");
            return;
        }
        memcpy(seg + used, nodes[n].data, len);
        nodes[n].data = mem + used;
        used += len;
    }
    img.nodes = nodes;
    struct wvfs_state s;
    wvfs__state_init(&s, &img);
    uint8_t present[(F_NODES + 7) / 8 + 1] = {0}; /* one part: one dictionary flag */
    s.flo = mem, s.fhi = mem + used, s.present = present, s.copyin = copyin;
    s.fetch = wvfs__fetch_passive;
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0);
    CHECK(zero(mem, used));

    char buf[512], want[512];
    struct wvfs_state plain;
    wvfs__state_init(&plain, &fixture_rw);
    CHECK_EQ(wvfs__fd_add_mounts(&plain), 0);
    static const char *const paths[] = {"file", "big", "zfile", "link", "a/self/g", "chain01"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        size_t n = fx_read_all(&s, paths[i], buf, sizeof buf), m = fx_read_all(&plain, paths[i], want, sizeof want);
        CHECK(n == m && n != SIZE_MAX && n > 0 && memcmp(buf, want, n) == 0);
    }
    /* readlink of a link no path above followed */
    size_t got = 0;
    CHECK_EQ(wvfs__path_readlink(&s, wvfs__fd_get(&s, 0), "up", 2, (uint8_t *)buf, sizeof buf, &got), 0);
    CHECK(got == 4 && memcmp(buf, "../x", 4) == 0);
    /* copy-on-write of a file never read: its bytes are brought, then changed */
    const struct wvfs_node *big = &nodes[F_BIG];
    uint32_t fd;
    CHECK_EQ(wvfs__path_open(&s, wvfs__fd_get(&s, 0), 0, "big", 3, 0, RW, 0, 0, &fd), 0);
    struct wvfs_iovec v = {(uint8_t *)"xy", 2};
    size_t wrote = 0;
    CHECK_EQ(wvfs__fd_pwrite(&s, wvfs__fd_get(&s, fd), &v, 1, 10, &wrote), 0);
    CHECK_EQ(wrote, 2);
    wvfs__fd_close(&s, fd);
    size_t n = fx_read_all(&s, "big", buf, sizeof buf);
    CHECK(n == 300 && memcmp(buf, seg + (big->data - mem), 10) == 0 && memcmp(buf + 10, "xy", 2) == 0 &&
          memcmp(buf + 12, seg + (big->data - mem) + 12, 288) == 0);
    /* the image's own bytes were never written; each node's came in once */
    CHECK(memcmp(big->data, seg + (big->data - mem), 300) == 0);
    unsigned before = copies;
    fx_read_all(&s, "file", buf, sizeof buf);
    fx_read_all(&s, "zfile", buf, sizeof buf);
    CHECK_EQ(copies, before);
    /* what nothing used stays out: abs's target */
    const struct wvfs_node *abs = &nodes[F_ABS];
    CHECK(zero(abs->data, abs->size));
    CHECK(wvfs__state_check(&s) == NULL);
    wvfs__state_free(&s);
    wvfs__state_free(&plain);
}
