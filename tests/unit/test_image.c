/* test_image.c — lookup, the invariant checker, seekable files' seek tables. */
#include <stdlib.h>

#include "unit.h"

static void le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* zstd's seekable format around 10 bytes of "frames" (4, 3 and 3 stored
 * bytes for 100, 100 and 50 raw): what the generator writes, then each way a
 * table can be wrong. */
static void test_seek_table(void)
{
    unsigned char z[10 + 8 + 3 * 8 + 9];
    uint32_t c[3] = {4, 3, 3}, d[3] = {100, 100, 50}, nf, frame, zoff[4];
    memset(z, 'x', 10);
    le32(z + 10, 0x184D2A5E);
    le32(z + 14, 3 * 8 + 9);
    for (int i = 0; i < 3; i++)
        le32(z + 18 + 8 * i, c[i]), le32(z + 22 + 8 * i, d[i]);
    le32(z + 42, 3);
    z[46] = 0;
    le32(z + 47, 0x8F92EAB1);
    const char *zc = (const char *)z;
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 250, &nf, &frame, zoff), 1);
    CHECK(nf == 3 && frame == 100 && zoff[0] == 0 && zoff[1] == 4 && zoff[2] == 7 && zoff[3] == 10);
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 251, &nf, &frame, NULL), 0);     /* raw size differs */
    CHECK_EQ(wvfs__seek_table(zc, sizeof z - 1, 250, &nf, &frame, NULL), 0); /* cut short */
    CHECK_EQ(wvfs__seek_table(NULL, 0, 0, &nf, &frame, NULL), 0);
    le32(z + 38, 150); /* the last frame larger than the others */
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 350, &nf, &frame, NULL), 0);
    le32(z + 38, 50), le32(z + 30, 90); /* a middle frame of another size */
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 240, &nf, &frame, NULL), 0);
    le32(z + 30, 100), le32(z + 26, 4); /* stored sizes beyond the frames */
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 250, &nf, &frame, NULL), 0);
    le32(z + 26, 3), z[46] = 0x80; /* checksums: not written by the generator */
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 250, &nf, &frame, NULL), 0);
    z[46] = 0, z[50] ^= 1; /* the magic */
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 250, &nf, &frame, NULL), 0);
    z[50] ^= 1, le32(z + 10, 0x184D2A50 + 1); /* another skippable magic, not the table's */
    CHECK_EQ(wvfs__seek_table(zc, sizeof z, 250, &nf, &frame, NULL), 0);
}

/* Look up n00000 .. n(2N-1) in directory 0: returns how many of the even
 * ones (present) were found; *wrong counts odd ones (absent) that were. */
static int lookups(const struct wvfs_image *img, int n, int *wrong)
{
    int found = 0;
    for (int i = 0; i < 2 * n; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%05d", i);
        uint32_t k = wvfs__image_find(img, 0, name, 6);
        if (i % 2 == 0)
            found += k == (uint32_t)(i / 2 + 1);
        else
            *wrong += k != UINT32_MAX;
    }
    return found;
}

void test_image(void)
{
    CHECK_EQ(wvfs__image_find(&fixture, F_ROOT, "file", 4), F_FILE);
    CHECK_EQ(wvfs__image_find(&fixture, F_ROOT, "a", 1), F_A);
    CHECK_EQ(wvfs__image_find(&fixture, F_ROOT, "abs", 3), F_ABS);
    CHECK_EQ(wvfs__image_find(&fixture, F_ROOT, "ab", 2), UINT32_MAX);
    CHECK_EQ(wvfs__image_find(&fixture, F_ROOT, "chain17", 7), F_CHAIN0 + 17);
    CHECK_EQ(wvfs__image_find(&fixture, F_ROOT, "zzz", 3), UINT32_MAX);
    CHECK_EQ(wvfs__image_find(&fixture, F_A, "file", 4), UINT32_MAX);

    /* The fixture's absolute link is exactly what the checker must refuse. */
    const char *why = wvfs_image_check(&fixture);
    CHECK(why && strstr(why, "absolute"));

    /* A big sorted directory: every name found, every absent one not. */
    enum { N = 5000 };
    struct wvfs_dirent *ents = calloc(N, sizeof *ents);
    struct wvfs_node *nodes = calloc(N + 1, sizeof *nodes);
    char (*names)[16] = calloc(N, sizeof *names);
    nodes[0] = (struct wvfs_node){N, 0, NULL, 0, 0, 2, 0, WVFS_FILETYPE_DIRECTORY, 0};
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "n%05d", i * 2);
        ents[i] = (struct wvfs_dirent){names[i], 6, (uint32_t)i + 1};
        nodes[i + 1] = (struct wvfs_node){0, 0, "", 0, 0, 1, 0, WVFS_FILETYPE_REGULAR_FILE, 0};
    }
    struct wvfs_mount mount = {"/big", 0, 0};
    struct wvfs_image img = {WVFS_IMAGE_ABI, 1, N + 1, N, &mount, nodes, ents, NULL, NULL, 0, NULL, 0, NULL, 0, 0, 0};
    CHECK(wvfs_image_check(&img) == NULL);
    int wrong = 0;
    CHECK_EQ(lookups(&img, N, &wrong), N);
    CHECK_EQ(wrong, 0);

    /* The same through a hash table, as the generator makes for big directories. */
    uint32_t cap = wvfs__htab_size(N);
    CHECK(cap >= 2 * N && (cap & (cap - 1)) == 0);
    uint32_t *htab = calloc(cap + 3, sizeof *htab);
    wvfs__htab_fill(htab + 3, cap, ents, N);
    img.htab = htab;
    img.nhtab = cap + 3;
    nodes[0].htab = 4;
    CHECK(wvfs_image_check(&img) == NULL);
    wrong = 0;
    CHECK_EQ(lookups(&img, N, &wrong), N);
    CHECK_EQ(wrong, 0);
    CHECK_EQ(wvfs__image_find(&img, 0, "n0000", 5), UINT32_MAX); /* a prefix of a name */
    CHECK_EQ(wvfs__image_find(&img, 0, "n000000", 7), UINT32_MAX);
    /* the checker catches a table that lies outside, loses or repeats an entry */
    img.nhtab = cap;
    CHECK(wvfs_image_check(&img) != NULL);
    img.nhtab = cap + 3;
    uint32_t i0 = 3;
    while (htab[i0] == UINT32_MAX)
        i0++;
    uint32_t saved = htab[i0];
    htab[i0] = UINT32_MAX;
    CHECK(wvfs_image_check(&img) != NULL);
    htab[i0] = saved == 0 ? 1 : 0;
    CHECK(wvfs_image_check(&img) != NULL);
    htab[i0] = N;
    CHECK(wvfs_image_check(&img) != NULL);
    htab[i0] = saved;
    CHECK(wvfs_image_check(&img) == NULL);
    /* a full table (no empty slot) still ends: absent names are not found */
    for (uint32_t i = 3; i < cap + 3; i++)
        htab[i] = htab[i] == UINT32_MAX ? 0 : htab[i];
    CHECK_EQ(wvfs__image_find(&img, 0, "x", 1), UINT32_MAX);
    wvfs__htab_fill(htab + 3, cap, ents, N);

    /* The checker catches each broken invariant. */
    ents[10].name = names[12]; /* duplicate/out of order */
    CHECK(wvfs_image_check(&img) != NULL);
    ents[10].name = names[10];
    nodes[0].parent = 3;       /* root not its own parent */
    CHECK(wvfs_image_check(&img) != NULL);
    nodes[0].parent = 0;
    ents[3].name = ".";
    ents[3].namelen = 1;
    CHECK(wvfs_image_check(&img) != NULL);
    ents[3].name = names[3];
    ents[3].namelen = 6;
    img.abi = 99;
    CHECK(wvfs_image_check(&img) != NULL);
    img.abi = WVFS_IMAGE_ABI;
    CHECK(wvfs_image_check(&img) == NULL);
    free(ents), free(nodes), free(names), free(htab);
    test_seek_table();
}
