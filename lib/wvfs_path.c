/* wvfs_path.c — resolve a guest path inside the embedded image.
 *
 * Semantics are POSIX openat() confined to a directory, as the WASI spec asks:
 * empty components and "." are skipped, ".." goes to the parent but never above
 * the starting directory (ENOTCAPABLE), symlinks are followed in place (their
 * target is read relative to the link's directory) up to WVFS_SYMLOOP_MAX
 * times, a trailing slash demands a directory and follows a final symlink,
 * absolute paths and absolute link targets are refused (ENOTCAPABLE).
 * No I/O and no allocation: pending path pieces live on a fixed stack, one per
 * symlink being expanded.
 */
#include <string.h>

#include "wvfs.h"

struct piece {
    const char *p;
    size_t n;
};

wvfs_errno_t wvfs_resolve(const struct wvfs_image *img, uint32_t dir, const char *path,
                          size_t len, int follow, uint32_t *node, int *last_missing)
{
    struct piece stack[WVFS_SYMLOOP_MAX + 1];
    int top = 0, follows = 0;
    uint32_t cur = dir;
    size_t depth = 0; /* directories below `dir` we stand in */

    *last_missing = 0;
    if (len == 0)
        return WVFS_ENOENT;
    if (path[0] == '/')
        return WVFS_ENOTCAPABLE;
    stack[0].p = path;
    stack[0].n = len;

    for (;;) {
        struct piece *t = &stack[top];
        const char *c = t->p;
        size_t clen = 0, slashes = 0;
        while (clen < t->n && c[clen] != '/')
            clen++;
        while (clen + slashes < t->n && c[clen + slashes] == '/')
            slashes++;
        t->p += clen + slashes;
        t->n -= clen + slashes;
        while (top > 0 && stack[top].n == 0)
            top--;
        int last = stack[top].n == 0;

        if (clen == 0 || (clen == 1 && c[0] == '.')) {
            /* "a//b" or "a/./b": stay */
        } else if (clen == 2 && c[0] == '.' && c[1] == '.') {
            if (depth == 0)
                return WVFS_ENOTCAPABLE;
            depth--;
            cur = img->nodes[cur].parent;
        } else {
            if (memchr(c, '\0', clen))
                return WVFS_EILSEQ;
            uint32_t child = wvfs_dir_find(img, cur, c, clen);
            if (child == UINT32_MAX) {
                *last_missing = last;
                return WVFS_ENOENT;
            }
            const struct wvfs_node *cn = &img->nodes[child];
            if (cn->type == WVFS_FILETYPE_SYMBOLIC_LINK && (!last || follow || slashes)) {
                if (++follows > WVFS_SYMLOOP_MAX - 1)
                    return WVFS_ELOOP;
                if (cn->data[0] == '/')
                    return WVFS_ENOTCAPABLE;
                /* A trailing slash after the link applies to its target: keep it
                 * as a pending "/" piece below the target. */
                if (last && slashes) {
                    stack[top].p = "/";
                    stack[top].n = 1;
                }
                if (stack[top].n != 0)
                    top++;
                stack[top].p = cn->data;
                stack[top].n = (size_t)cn->size;
                continue;
            }
            if (cn->type == WVFS_FILETYPE_DIRECTORY) {
                cur = child;
                depth++;
            } else {
                if (!last || slashes)
                    return WVFS_ENOTDIR;
                *node = child;
                return WVFS_ESUCCESS;
            }
        }
        if (last) {
            *node = cur;
            return WVFS_ESUCCESS;
        }
    }
}
