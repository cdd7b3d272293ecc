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
 * A plain path from a mount root starts at its last directory, found whole
 * in the image's path index (wvfs_pidx.c) where the index proves it.
 * No I/O and no allocation: the piece being read is held in locals, and the
 * rest of each piece a symlink interrupted waits on a fixed stack, one per
 * symlink being expanded.  With a trace hook set, every entry found is reported.
 */
#include <string.h>

#include "wvfs_dir.h"
#include "wvfs_path.h"

struct piece {
    const char *p;
    size_t n;
};

wvfs_errno_t wvfs__resolve(const struct wvfs_state *s, uint32_t dir, const char *path, size_t len,
                          int follow, struct wvfs_where *w)
{
    struct piece stack[WVFS_SYMLOOP_MAX]; /* what follows each symlink being read */
    int top = 0, follows = 0;
    uint32_t cur = dir;
    size_t depth = 0; /* directories below `dir` we stand in */

    memset(w, 0, sizeof *w);
    w->node = w->dir = WVFS_NONE;
    if (len == 0)
        return WVFS_ENOENT;
    if (path[0] == '/')
        return WVFS_ENOTCAPABLE;
    const char *p = path; /* the rest of the piece being read */
    size_t n = len;
    struct wvfs_jump j;
    if (wvfs__pidx_jump != NULL && wvfs__pidx_jump(s, dir, path, len, &j)) {
        cur = j.node;
        p += j.skip;
        n -= j.skip;
        depth = j.depth;
    }

    for (;;) {
        const char *c = p;
        size_t clen = 0, slashes = 0;
        int nul = 0; /* found in the same pass, not by a memchr over it again */
        for (; clen < n && c[clen] != '/'; clen++)
            nul |= c[clen] == '\0';
        while (clen + slashes < n && c[clen + slashes] == '/')
            slashes++;
        p += clen + slashes;
        n -= clen + slashes;
        if (n == 0 && top > 0) { /* back to what followed the symlink (never empty) */
            top--;
            p = stack[top].p;
            n = stack[top].n;
        }
        int last = n == 0;
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
            if (nul)
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
                    p = "/";
                    n = 1;
                }
                if (n != 0) {
                    stack[top].p = p;
                    stack[top].n = n;
                    top++;
                }
                p = v.data;
                n = (size_t)v.size;
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
