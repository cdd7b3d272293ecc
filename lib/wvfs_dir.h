/* wvfs_dir.h — directory entries (wvfs_dir.c): finding a name in an image
 * directory or an overlay directory, listing, and changing overlay ones. */
#ifndef WVFS_DIR_H
#define WVFS_DIR_H

#include "wvfs_node.h"

/* Find `name` among an image directory's entries: a scan of up to 8, else its
 * hash table, else a binary search. */
uint32_t wvfs__image_find(const struct wvfs_image *img, uint32_t dir, const char *name, size_t len);
/* Find `name` in an overlay directory. */
uint32_t wvfs__mdir_find(const struct wvfs_mdir *d, const char *name, size_t len);
/* Find `name` in directory n; WVFS_NONE if absent (inline: once per component). */
static inline uint32_t wvfs__lookup(const struct wvfs_state *s, uint32_t dir, const char *name,
                                    size_t len)
{
    const struct wvfs_mnode *m = wvfs__ov(s, dir);
    return m ? wvfs__mdir_find(&m->dir, name, len) : wvfs__image_find(s->img, dir, name, len);
}
/* The entry at or after readdir position pos (0-based, after "." and "..");
 * returns its position, or UINT64_MAX at the end. */
uint64_t wvfs__dir_next(const struct wvfs_state *s, uint32_t dir, uint64_t pos, const char **name,
                       uint32_t *namelen, uint32_t *node);
uint32_t wvfs__dir_count(const struct wvfs_state *s, uint32_t dir);
/* Add an entry; copy: the name is copied (else it must outlive the entry). */
wvfs_errno_t wvfs__dir_add(struct wvfs_state *s, struct wvfs_mnode *d, const char *name,
                          size_t len, uint32_t node, int copy);
void wvfs__dir_remove(struct wvfs_state *s, struct wvfs_mnode *d, const char *name, size_t len);
/* Point an existing entry at another node (rename over a target); no allocation. */
void wvfs__dir_replace(struct wvfs_state *s, struct wvfs_mnode *d, const char *name, size_t len,
                       uint32_t node);
void wvfs__dir_free(struct wvfs_state *s, struct wvfs_mdir *d);
/* Names are short: compared inline, byte by byte, rather than through a call
 * into libc's memcmp (which is itself a byte loop in wasi-libc). */
static inline int wvfs__same_name(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

#endif
