/* wvfs_alloc.c — every allocation of the overlay, counted.
 *
 * The overlay's bytes (nodes, entry arrays, names, file contents, decoded
 * files) all come from wvfs__realloc, which keeps s->stats.bytes exact and
 * refuses to grow past the state's memory limit, so a caller can answer
 * ENOSPC with nothing changed.  Freeing is wvfs__realloc to size 0.
 */
#include <stdlib.h>

#include "wvfs_alloc.h"

void *wvfs__realloc(struct wvfs_state *s, void *p, size_t old, size_t size)
{
    if (size == 0) {
        free(p);
        s->stats.bytes -= old;
        return NULL;
    }
    if (size > old && s->limit && s->stats.bytes + (size - old) > s->limit)
        return NULL; /* over the budget: the caller answers ENOSPC */
    void *q = realloc(p, size);
    if (q != NULL)
        s->stats.bytes += (uint64_t)size - old;
    return q;
}
