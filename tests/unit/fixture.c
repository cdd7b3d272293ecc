/* fixture.c — a small image built by hand, so unit tests do not depend on the
 * generator:
 *   /m/a/            dir: g (file "gee"), self -> ../a
 *   /m/abs -> /etc/passwd      (never made by the generator; checks refusal)
 *   /m/big (300 bytes: 'A'..'Z' repeated)
 *   /m/zfile "compressed" (stored reversed; the toy decompressor reverses it)
 *   /m/chainNN -> chain(NN+1) ... chain31 -> file
 *   /m/dirlink -> a/   /m/file ("hello world")   /m/link -> a/g
 *   /m/loop1 -> loop2 -> loop1    /m/up -> ../x
 * as `fixture` (mounted read-only) and `fixture_rw` (the same nodes, writable).
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

static char chain_names[32][16], chain_targets[32][16], big[300];
static struct wvfs_node nodes[F_NODES];
static struct wvfs_dirent ents[64];
static uint32_t root_htab[128 + 128 + 64]; /* the root's table, then the path index */
static const struct wvfs_mount mounts[] = {{"/m", F_ROOT, WVFS_MOUNT_READONLY}};
static const struct wvfs_mount mounts_rw[] = {{"/m", F_ROOT, 0}};
/* The fixture's "compression": bytes stored reversed; decoded counts calls. */
unsigned decoded;
static int unreverse(void *dst, size_t n, const void *src, size_t zn, const void *dict, size_t dictlen)
{
    (void)dict, (void)dictlen;
    decoded++;
    if (n > zn)
        return 1;
    for (size_t i = 0; i < n; i++)
        ((char *)dst)[i] = ((const char *)src)[zn - 1 - i];
    return 0;
}
static uint64_t reversed_size(const void *src, size_t zn)
{
    (void)src;
    return zn;
}
const struct wvfs_codec reversed = {unreverse, reversed_size};
struct wvfs_image fixture = {WVFS_IMAGE_ABI, 1, F_NODES, 0, mounts, nodes, ents, &reversed, NULL, 0,
                             root_htab, 128, NULL, 0, 0, 0};
struct wvfs_image fixture_rw = {WVFS_IMAGE_ABI, 1, F_NODES, 0, mounts_rw, nodes, ents, &reversed,
                                NULL, 0, root_htab, 128, NULL, 0, 0, 0};
static struct wvfs_state fx; /* the fixture with no overlay, for resolution */

static struct wvfs_node file(const char *data, size_t len, uint8_t type)
{
    struct wvfs_node n = {len, 1000, data, 0, 0, 1, 0, type, 0};
    return n;
}

__attribute__((constructor)) static void build(void)
{
    uint32_t e = 0;
    /* root entries, sorted bytewise */
    struct { const char *name; uint32_t node; } root[] = {
        {"a", F_A}, {"abs", F_ABS}, {"big", F_BIG}, {"dirlink", F_DIRLINK}, {"file", F_FILE}, {"link", F_LINK},
        {"loop1", F_LOOP1}, {"loop2", F_LOOP2}, {"up", F_UP}, {"zfile", F_Z},
    };
    /* chains sort between "big" and "dirlink": insert after index 2 */
    nodes[F_ROOT] = (struct wvfs_node){0, 1000, NULL, 0, F_ROOT, 3, 0, WVFS_FILETYPE_DIRECTORY, 0};
    for (size_t i = 0; i < 3; i++)
        ents[e++] = (struct wvfs_dirent){root[i].name, (uint32_t)strlen(root[i].name), root[i].node};
    for (int i = 0; i < 32; i++) {
        snprintf(chain_names[i], sizeof chain_names[i], "chain%02u", (unsigned)i);
        if (i < 31)
            snprintf(chain_targets[i], sizeof chain_targets[i], "chain%02u", (unsigned)i + 1);
        else
            snprintf(chain_targets[i], sizeof chain_targets[i], "file");
        ents[e++] = (struct wvfs_dirent){chain_names[i], 7, (uint32_t)(F_CHAIN0 + i)};
        nodes[F_CHAIN0 + i] = file(chain_targets[i], strlen(chain_targets[i]),
                                   WVFS_FILETYPE_SYMBOLIC_LINK);
    }
    for (size_t i = 3; i < sizeof root / sizeof *root; i++)
        ents[e++] = (struct wvfs_dirent){root[i].name, (uint32_t)strlen(root[i].name), root[i].node};
    nodes[F_ROOT].size = e;
    /* the root (42 entries) is looked up through a hash table, as the generator
     * makes for directories that big; a/ (2 entries) by binary search */
    wvfs__htab_fill(root_htab, wvfs__htab_size(e), ents, e);
    nodes[F_ROOT].htab = 1;
    uint32_t afirst = e;
    ents[e++] = (struct wvfs_dirent){"g", 1, F_G};
    ents[e++] = (struct wvfs_dirent){"self", 4, F_SELF};
    nodes[F_A] = (struct wvfs_node){2, 2000, NULL, afirst, F_ROOT, 2, 0, WVFS_FILETYPE_DIRECTORY, 0};
    nodes[F_FILE] = file("hello world", 11, WVFS_FILETYPE_REGULAR_FILE);
    nodes[F_LINK] = file("a/g", 3, WVFS_FILETYPE_SYMBOLIC_LINK);
    nodes[F_LOOP1] = file("loop2", 5, WVFS_FILETYPE_SYMBOLIC_LINK);
    nodes[F_LOOP2] = file("loop1", 5, WVFS_FILETYPE_SYMBOLIC_LINK);
    nodes[F_UP] = file("../x", 4, WVFS_FILETYPE_SYMBOLIC_LINK);
    nodes[F_DIRLINK] = file("a/", 2, WVFS_FILETYPE_SYMBOLIC_LINK);
    nodes[F_G] = file("gee", 3, WVFS_FILETYPE_REGULAR_FILE);
    nodes[F_SELF] = file("../a", 4, WVFS_FILETYPE_SYMBOLIC_LINK);
    nodes[F_ABS] = file("/etc/passwd", 11, WVFS_FILETYPE_SYMBOLIC_LINK);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('A' + i % 26);
    nodes[F_BIG] = file(big, sizeof big, WVFS_FILETYPE_REGULAR_FILE);
    nodes[F_Z] = file("desserpmoc", 10, WVFS_FILETYPE_REGULAR_FILE);
    nodes[F_Z].zsize = 10;
    fixture.nents = fixture_rw.nents = e;
    /* a path index, as the generator makes (test_pidx turns it off and on) */
    uint32_t cap = wvfs__htab_size(wvfs__pidx_count(&fixture));
    uint32_t words, *idx = wvfs__pidx_build(&fixture, cap, &words);
    if (idx == NULL || 128 + words > sizeof root_htab / sizeof *root_htab)
        abort();
    memcpy(root_htab + 128, idx, words * sizeof *idx);
    free(idx);
    fixture.pidx = fixture_rw.pidx = 129;
    fixture.npidx = fixture_rw.npidx = cap;
    fixture.nhtab = fixture_rw.nhtab = 128 + words;
    wvfs__state_init(&fx, &fixture);
}

wvfs_errno_t fx_resolve(const char *path, int follow, uint32_t *n)
{
    return fx_where(F_ROOT, path, strlen(path), follow, n, NULL);
}

wvfs_errno_t fx_where(uint32_t dir, const char *path, size_t len, int follow, uint32_t *n,
                      struct wvfs_where *where)
{
    struct wvfs_where w;
    wvfs_errno_t e = wvfs__resolve(&fx, dir, path, len, follow, &w);
    *n = w.node;
    if (where)
        *where = w;
    return e;
}

size_t fx_read_all(struct wvfs_state *s, const char *path, char *buf, size_t cap)
{
    memset(buf, 0, cap);
    uint32_t fd = UINT32_MAX;
    wvfs_errno_t e = wvfs__path_open(s, wvfs__fd_get(s, 0), WVFS_LOOKUP_SYMLINK_FOLLOW, path, strlen(path), 0,
                                    WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_SEEK, 0, 0, &fd);
    CHECK_EQ(e, 0);
    if (e != 0)
        return SIZE_MAX;
    struct wvfs_iovec v = {(uint8_t *)buf, cap - 1};
    size_t n = 0;
    CHECK_EQ(wvfs__fd_pread(s, wvfs__fd_get(s, fd), &v, 1, 0, &n), 0);
    wvfs__fd_close(s, fd);
    return n;
}
