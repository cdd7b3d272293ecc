/* test_block.c — solid blocks (WVFS_Z_BLOCK): a block's first file decoded
 * alone, the others from the block decoded once into a few LRU slots;
 * writes, eviction and the checker's rules for them. */
#include <stdlib.h>

#include "unit.h"

#define R (WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_SEEK | WVFS_RIGHT_FD_FILESTAT_GET)
#define W (WVFS_RIGHT_FD_WRITE | WVFS_RIGHT_FD_SEEK)

/* /a /b /c in one block ("first-second-third", stored reversed), and
 * /d0../d5 each the second file of a block of its own. */
enum { B_ROOT, B_A, B_B, B_C, B_D0, B_N = B_D0 + 6 };
static const char abc_rev[] = "driht-dnoces-tsrif";
static char d_rev[6][16];
static struct wvfs_node nodes[B_N];
static struct wvfs_dirent ents[B_N - 1];
static char names[B_N - 1][4];
static const struct wvfs_mount mounts[] = {{"/b", B_ROOT, 0}};
static struct wvfs_image img = {WVFS_IMAGE_ABI, 1, B_N, B_N - 1, mounts, nodes, ents, &reversed,
                                NULL, 0, NULL, 0, NULL, 0, 0, 0};
static struct wvfs_state s;

static void build(void)
{
    nodes[B_ROOT] = (struct wvfs_node){B_N - 1, 1, NULL, 0, B_ROOT, 2, 0, WVFS_FILETYPE_DIRECTORY, 0, 0, 0};
    static const uint32_t off[3] = {0, 6, 13}, len[3] = {6, 7, 5};
    for (int i = 0; i < 3; i++)
        nodes[B_A + i] = (struct wvfs_node){len[i], 1, abc_rev, 0, 0, 1, 18, WVFS_FILETYPE_REGULAR_FILE,
                                            WVFS_Z_BLOCK, 0, off[i]};
    for (int i = 0; i < 6; i++) {
        snprintf(d_rev[i], sizeof d_rev[i], "%dd-x", i); /* content "x-d<i>" */
        nodes[B_D0 + i] = (struct wvfs_node){3, 1, d_rev[i], 0, 0, 1, 4, WVFS_FILETYPE_REGULAR_FILE,
                                             WVFS_Z_BLOCK, 0, 1};
    }
    for (uint32_t n = 1; n < B_N; n++) {
        snprintf(names[n - 1], sizeof names[n - 1], n < B_D0 ? "%c" : "d%u",
                 n < B_D0 ? (int)('a' + n - 1) : (int)(n - B_D0));
        ents[n - 1] = (struct wvfs_dirent){names[n - 1], (uint32_t)strlen(names[n - 1]), n};
    }
}

static const char *content(const char *path)
{
    static char buf[64];
    return fx_read_all(&s, path, buf, sizeof buf) == SIZE_MAX ? "(open failed)" : buf;
}

static int slots_used(void)
{
    int k = 0;
    for (int i = 0; i < WVFS_BLOCK_SLOTS; i++)
        k += s.blocks[i].src != NULL;
    return k;
}

void test_block(void)
{
    build();
    CHECK(wvfs_image_check(&img) == NULL);
    wvfs__state_init(&s, &img);
    CHECK_EQ(wvfs__fd_add_mounts(&s), 0);
    s.cache_budget = 0; /* closed files are dropped: every open decodes again */

    unsigned d = decoded;
    CHECK(strcmp(content("b"), "second-") == 0);
    CHECK_EQ(decoded - d, 1); /* the block, whole, into a slot */
    CHECK(strcmp(content("c"), "third") == 0);
    CHECK_EQ(decoded - d, 1); /* from the slot */
    CHECK(strcmp(content("a"), "first-") == 0);
    CHECK_EQ(decoded - d, 1); /* the first file too, while the block is in a slot */
    CHECK_EQ(slots_used(), 1);

    /* Four more blocks: the slots keep the four used last, so abc's goes. */
    for (int i = 0; i < 4; i++) {
        char name[4] = {'d', (char)('0' + i), 0}, want[4] = {'-', 'd', (char)('0' + i), 0};
        CHECK(strcmp(content(name), want) == 0);
    }
    CHECK_EQ(slots_used(), WVFS_BLOCK_SLOTS);
    d = decoded;
    CHECK(strcmp(content("c"), "third") == 0);
    CHECK_EQ(decoded - d, 1);
    CHECK(strcmp(content("d3"), "-d3") == 0); /* still in a slot */
    CHECK_EQ(decoded - d, 1);
    CHECK(strcmp(content("d0"), "-d0") == 0); /* the least recently used went */
    CHECK_EQ(decoded - d, 2);
    CHECK(strcmp(content("d1"), "-d1") == 0); /* d2's went */
    CHECK(strcmp(content("d2"), "-d2") == 0); /* and now abc's */
    CHECK_EQ(decoded - d, 4);
    CHECK(strcmp(content("a"), "first-") == 0); /* a is decoded alone, into no slot */
    CHECK_EQ(decoded - d, 5);
    CHECK(strcmp(content("d1"), "-d1") == 0);
    CHECK_EQ(decoded - d, 5);

    /* A write changes that file alone; the image's bytes stay as they were. */
    uint32_t fd = UINT32_MAX;
    CHECK_EQ(wvfs__path_open(&s, wvfs__fd_get(&s, 0), 0, "b", 1, 0, R | W, 0, 0, &fd), 0);
    struct wvfs_iovec v = {(uint8_t *)"SECOND", 6};
    size_t n;
    CHECK_EQ(wvfs__fd_write(&s, wvfs__fd_get(&s, fd), &v, 1, &n), 0);
    wvfs__fd_close(&s, fd);
    CHECK(strcmp(content("b"), "SECOND-") == 0);
    CHECK(strcmp(content("a"), "first-") == 0);
    CHECK(strcmp(content("c"), "third") == 0);
    CHECK(memcmp(abc_rev, "driht-dnoces-tsrif", 18) == 0);

    /* Everything held is given back. */
    wvfs__state_free(&s);
    CHECK_EQ(slots_used(), 0);
    CHECK_EQ(s.stats.bytes, 0);

    /* The checker's rules. */
    nodes[B_C].zoff = 14; /* 14 + 5 > 18: past the block's end */
    CHECK(wvfs_image_check(&img) != NULL);
    nodes[B_C].zoff = 13;
    nodes[B_A].zform = WVFS_Z_FRAME; /* a frame of 18 bytes for a file of 6 */
    CHECK(wvfs_image_check(&img) != NULL);
    nodes[B_A].zform = WVFS_Z_BLOCK;
    nodes[B_B].zform = WVFS_Z_FRAME; /* an offset outside a block */
    nodes[B_B].size = 18;
    CHECK(wvfs_image_check(&img) != NULL);
    nodes[B_B].zoff = 0;
    CHECK(wvfs_image_check(&img) == NULL); /* a whole frame is fine */
    nodes[B_B] = (struct wvfs_node){7, 1, abc_rev, 0, 0, 1, 18, WVFS_FILETYPE_REGULAR_FILE, WVFS_Z_BLOCK, 0, 6};
    nodes[B_D0].size = 0; /* compressed and empty */
    CHECK(wvfs_image_check(&img) != NULL);
    nodes[B_D0].size = 3;
    nodes[B_D0].zform = 3;
    CHECK(wvfs_image_check(&img) != NULL);
    nodes[B_D0].zform = WVFS_Z_BLOCK;
    CHECK(wvfs_image_check(&img) == NULL);
}
