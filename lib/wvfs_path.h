/* wvfs_path.h — path resolution (wvfs_path.c): a path, relative to a directory,
 * to the node it names, never climbing above that directory. */
#ifndef WVFS_PATH_H
#define WVFS_PATH_H

#include "wvfs_state.h"

enum { WVFS_LAST_NAME, WVFS_LAST_DOT, WVFS_LAST_DOTDOT };
struct wvfs_where {
    uint32_t node;       /* what the path names (on success) */
    uint32_t dir;        /* the directory holding its last component */
    const char *name;    /* that last component (valid during the call) */
    uint32_t namelen;
    uint8_t last;        /* WVFS_LAST_*: what the last component was */
    uint8_t slash;       /* the path (or the link it ended in) had a trailing '/' */
    uint8_t missing;     /* on ENOENT: only the last component is missing */
};
/* How the last component is treated when it is a symlink.  Not WASI's
 * lookupflags: a call turns those into a mode with wvfs__follow(). */
enum {
    WVFS_NOFOLLOW = 0x10,       /* not followed, unless the path ends in '/' */
    WVFS_FOLLOW = 0x11,         /* followed */
    WVFS_NOFOLLOW_ENTRY = 0x12, /* never followed: the call acts on the entry itself */
};
static inline int wvfs__follow(uint32_t lookupflags)
{
    return (lookupflags & WVFS_LOOKUP_SYMLINK_FOLLOW) ? WVFS_FOLLOW : WVFS_NOFOLLOW;
}
/* Resolve `path` relative to directory `dir`, never climbing above it. */
wvfs_errno_t wvfs__resolve(const struct wvfs_state *s, uint32_t dir, const char *path, size_t len,
                          int follow, struct wvfs_where *w);


/* The path index's part in resolution (wvfs_pidx.c; its layout is in
 * wvfs_format.h).  Linked only into programs whose image has an index: the
 * resolver calls through a weak reference. */
/* Where the walk of path from dir may start: the directory that everything
 * before the path's last slash names, proved through the index. */
struct wvfs_jump {
    uint32_t node;  /* that directory */
    size_t skip;    /* the bytes it stands for, its slash included */
    uint32_t depth; /* its components */
};
/* 0 when the walk must start at dir: a path of one component, not plain, not
 * from a mount root, through directories that lost an entry, or not indexed. */
int wvfs__pidx_jump(const struct wvfs_state *s, uint32_t dir, const char *path, size_t len,
                    struct wvfs_jump *j) __attribute__((weak));

#endif
