/* fuzz_path.c — libFuzzer target: path resolution against a reference model.
 *
 * Input: byte 0 picks the start directory and the follow mode, the rest is the
 * path (any bytes: "..", ".", "//", trailing slashes, NULs, long names, the
 * fixture's symlink chains and loops).  lib/'s stack-based resolver must give
 * the same errno, node and "only the last component is missing" answer as the
 * textbook model below, which resolves by rewriting the path text: a symlink's
 * target replaces it and the walk restarts from the link's directory.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

int unit_passed, unit_failed; /* unit.h's counters; the fixture needs them linked */
static struct wvfs_state st;

struct result {
    wvfs_errno_t err;
    uint32_t node;
    int missing;
};

/* The model: resolve `p` from `cur`, `depth` directories below the start. */
static struct result model(uint32_t cur, size_t depth, const char *p, size_t n, int follow,
                           int *follows)
{
    struct result r = {0, WVFS_NONE, 0};
    size_t i = 0;
    for (;;) {
        while (i < n && p[i] == '/')
            i++;
        size_t b = i;
        while (i < n && p[i] != '/')
            i++;
        size_t clen = i - b;
        size_t j = i;
        while (j < n && p[j] == '/')
            j++;
        int slash = j > i, last = j == n;
        if (clen == 0) { /* only slashes were left */
            r.node = cur;
            return r;
        }
        const char *c = p + b;
        if (clen == 1 && c[0] == '.') {
        } else if (clen == 2 && c[0] == '.' && c[1] == '.') {
            if (depth == 0)
                return (struct result){WVFS_ENOTCAPABLE, WVFS_NONE, 0};
            struct wvfs_view v;
            wvfs__view(&st, cur, &v);
            cur = v.parent;
            depth--;
        } else {
            if (memchr(c, 0, clen))
                return (struct result){WVFS_EILSEQ, WVFS_NONE, 0};
            uint32_t child = wvfs__lookup(&st, cur, c, clen);
            if (child == WVFS_NONE)
                return (struct result){clen > WVFS_NAME_MAX ? WVFS_ENAMETOOLONG : WVFS_ENOENT,
                                       WVFS_NONE, last};
            struct wvfs_view v;
            wvfs__view(&st, child, &v);
            int want = !last || follow == WVFS_FOLLOW || (slash && follow == WVFS_NOFOLLOW);
            if (v.type == WVFS_FILETYPE_SYMBOLIC_LINK && want) {
                if (++*follows > WVFS_SYMLOOP_MAX - 1)
                    return (struct result){WVFS_ELOOP, WVFS_NONE, 0};
                if (v.size == 0)
                    return (struct result){WVFS_ENOENT, WVFS_NONE, 0};
                if (v.data[0] == '/')
                    return (struct result){WVFS_ENOTCAPABLE, WVFS_NONE, 0};
                /* target + "/" + the rest (a trailing slash is kept) */
                size_t rest = n - i, tl = (size_t)v.size;
                char *q = malloc(tl + rest + 1);
                memcpy(q, v.data, tl);
                memcpy(q + tl, p + i, rest);
                r = model(cur, depth, q, tl + rest, follow, follows);
                free(q);
                return r;
            }
            if (v.type == WVFS_FILETYPE_DIRECTORY) {
                cur = child;
                depth++;
            } else {
                if (!last || (slash && follow != WVFS_NOFOLLOW_ENTRY))
                    return (struct result){WVFS_ENOTDIR, WVFS_NONE, 0};
                r.node = child;
                return r;
            }
        }
        if (last) {
            r.node = cur;
            return r;
        }
        i = j;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (st.img == NULL)
        wvfs__state_init(&st, &fixture);
    uint32_t start = (data[0] & 1) ? F_A : F_ROOT;
    int follow = WVFS_NOFOLLOW + (data[0] >> 1) % 3;
    const char *path = (const char *)data + 1;
    size_t len = size - 1;
    struct wvfs_where w;
    wvfs_errno_t err = wvfs__resolve(&st, start, path, len, follow, &w);
    struct result want = {WVFS_ENOENT, WVFS_NONE, 0};
    if (len > 0 && path[0] == '/')
        want.err = WVFS_ENOTCAPABLE;
    else if (len > 0) {
        int follows = 0;
        want = model(start, 0, path, len, follow, &follows);
    }
    int same = err == want.err && (err != 0 || w.node == want.node) &&
               (err != WVFS_ENOENT || w.missing == want.missing);
    if (!same)
        abort(); /* libFuzzer saves the input as a crash */
    return 0;
}
