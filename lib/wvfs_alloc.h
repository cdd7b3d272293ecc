/* wvfs_alloc.h — every allocation of the overlay and the caches (wvfs_alloc.c). */
#ifndef WVFS_ALLOC_H
#define WVFS_ALLOC_H

#include "wvfs_state.h"

/* realloc(p, size), counted so wvfs_stats.bytes is exact; size 0 frees.
 * NULL, with p unchanged, when memory runs out or growing would pass the
 * state's limit. */
void *wvfs__realloc(struct wvfs_state *s, void *p, size_t old, size_t size);

#endif
