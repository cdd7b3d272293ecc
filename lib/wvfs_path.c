/* wvfs_path.c — resolve a guest path inside an embedded mount.
 *
 * Semantics are POSIX openat() confined to a directory, as the WASI spec asks:
 * empty components and "." are skipped, ".." goes to the parent but never above
 * the starting directory (ENOTCAPABLE), symlinks are followed in place (their
 * target is read relative to the link's directory) up to WVFS_SYMLOOP_MAX - 1
 * times, a trailing slash demands a directory and follows a final symlink,
 * absolute paths and absolute link targets are refused (ENOTCAPABLE).
 * WVFS_NOFOLLOW_ENTRY is for calls that act on the entry itself (rmdir, unlink,
 * rename, and creating a name): the last component is never followed, even
 * with a trailing slash, which is reported instead (so "link/" names the link,
 * as on Linux, and the caller answers ENOTDIR or EEXIST).
 * Besides the node, it reports where the last component lives (directory and
 * name), which is what calls that create, remove or rename need — including
 * through a dangling final symlink, as O_CREAT does.
 * No I/O and no allocation: pending path pieces live on a fixed stack, one per
 * symlink being expanded.  With a trace hook set, every entry found is reported.
 */
#include <string.h>

#include "wvfs.h"

struct piece {
    const char *p;
    size_t n;
};

wvfs_errno_t wvfs__resolve(const struct wvfs_state *s, uint32_t dir, const char *path, size_t len,
                          int follow, struct wvfs_where *w)
{
    struct piece stack[WVFS_SYMLOOP_MAX + 1];
    int top = 0, follows = 0;
    uint32_t cur = dir;
    size_t depth = 0; /* directories below `dir` we stand in */

    memset(w, 0, sizeof *w);
    w->node = w->dir = WVFS_NONE;
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
        if (last) {
            w->dir = cur;
            w->name = c;
            w->namelen = (uint32_t)clen;
            w->slash = slashes > 0;
            w->last = WVFS_LAST_NAME;
        }

        if (clen == 0 || (clen == 1 && c[0] == '.')) {
            w->last = WVFS_LAST_DOT; /* "a//b" or "a/./b": stay */
        } else if (clen == 2 && c[0] == '.' && c[1] == '.') {
            if (depth == 0)
                return WVFS_ENOTCAPABLE;
            depth--;
            struct wvfs_view v;
            wvfs__view(s, cur, &v);
            cur = v.parent;
            w->last = WVFS_LAST_DOTDOT;
        } else {
            if (memchr(c, '\0', clen))
                return WVFS_EILSEQ;
            uint32_t child = wvfs__lookup(s, cur, c, clen);
            if (child == WVFS_NONE) {
                w->missing = (uint8_t)last;
                return clen > WVFS_NAME_MAX ? WVFS_ENAMETOOLONG : WVFS_ENOENT;
            }
            if (s->trace != NULL)
                s->trace(s, cur, c, clen, child);
            uint8_t type = wvfs__type(s, child);
            int want = !last || follow == WVFS_FOLLOW || (slashes && follow == WVFS_NOFOLLOW);
            if (type == WVFS_FILETYPE_SYMBOLIC_LINK && want) {
                if (++follows > WVFS_SYMLOOP_MAX - 1)
                    return WVFS_ELOOP;
                struct wvfs_view v;
                wvfs__view(s, child, &v);
                if (v.size == 0)
                    return WVFS_ENOENT;
                if (v.data[0] == '/')
                    return WVFS_ENOTCAPABLE;
                /* A trailing slash after the link applies to its target: keep it
                 * as a pending "/" piece below the target. */
                if (last && slashes) {
                    stack[top].p = "/";
                    stack[top].n = 1;
                }
                if (stack[top].n != 0)
                    top++;
                stack[top].p = v.data;
                stack[top].n = (size_t)v.size;
                continue;
            }
            if (type == WVFS_FILETYPE_DIRECTORY) {
                cur = child;
                depth++;
            } else {
                if (!last || (slashes && follow != WVFS_NOFOLLOW_ENTRY))
                    return WVFS_ENOTDIR;
                w->node = child;
                return WVFS_ESUCCESS;
            }
        }
        if (last) {
            w->node = cur;
            return WVFS_ESUCCESS;
        }
    }
}
