/* test_image.c — lookup and the invariant checker. */
#include <stdlib.h>

#include "unit.h"

void test_image(void)
{
    CHECK_EQ(wvfs_image_find(&fixture, F_ROOT, "file", 4), F_FILE);
    CHECK_EQ(wvfs_image_find(&fixture, F_ROOT, "a", 1), F_A);
    CHECK_EQ(wvfs_image_find(&fixture, F_ROOT, "abs", 3), F_ABS);
    CHECK_EQ(wvfs_image_find(&fixture, F_ROOT, "ab", 2), UINT32_MAX);
    CHECK_EQ(wvfs_image_find(&fixture, F_ROOT, "chain17", 7), F_CHAIN0 + 17);
    CHECK_EQ(wvfs_image_find(&fixture, F_ROOT, "zzz", 3), UINT32_MAX);
    CHECK_EQ(wvfs_image_find(&fixture, F_A, "file", 4), UINT32_MAX);

    /* The fixture's absolute link is exactly what the checker must refuse. */
    const char *why = wvfs_image_check(&fixture);
    CHECK(why && strstr(why, "absolute"));

    /* A big sorted directory: every name found, every absent one not. */
    enum { N = 5000 };
    struct wvfs_dirent *ents = calloc(N, sizeof *ents);
    struct wvfs_node *nodes = calloc(N + 1, sizeof *nodes);
    char (*names)[16] = calloc(N, sizeof *names);
    nodes[0] = (struct wvfs_node){N, 0, NULL, 0, 0, 2, 0, WVFS_FILETYPE_DIRECTORY};
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "n%05d", i * 2);
        ents[i] = (struct wvfs_dirent){names[i], 6, (uint32_t)i + 1};
        nodes[i + 1] = (struct wvfs_node){0, 0, "", 0, 0, 1, 0, WVFS_FILETYPE_REGULAR_FILE};
    }
    struct wvfs_mount mount = {"/big", 0, 0};
    struct wvfs_image img = {WVFS_IMAGE_ABI, 1, N + 1, N, &mount, nodes, ents};
    CHECK(wvfs_image_check(&img) == NULL);
    int found = 0, wrong = 0;
    for (int i = 0; i < 2 * N; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%05d", i);
        uint32_t n = wvfs_image_find(&img, 0, name, 6);
        if (i % 2 == 0)
            found += n == (uint32_t)(i / 2 + 1);
        else
            wrong += n != UINT32_MAX;
    }
    CHECK_EQ(found, N);
    CHECK_EQ(wrong, 0);

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
    free(ents), free(nodes), free(names);
}
