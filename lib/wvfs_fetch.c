/* wvfs_fetch.c — bytes from the passive segment, brought in on first use.
 *
 * A packed program's files lie in a passive data segment (see wvfs_state's
 * fetch): nothing is in memory until a node is read, when its stored bytes,
 * and its part's dictionary for a compressed file, are copied in once.
 * Linked only with what sets it (trampoline/pack.c), so a program that is
 * not packable carries none of it.
 */
#include "wvfs_format.h"
#include "wvfs_node.h"

/* Bytes [p, p + len) of the image, from the passive segment if they lie there. */
static void bring(const struct wvfs_state *s, const char *p, uint64_t len)
{
    if (p != NULL && len > 0 && p >= s->flo && p < s->fhi && len <= (uint64_t)(s->fhi - p))
        s->copyin(p, (size_t)len);
}

void wvfs__fetch_passive(const struct wvfs_state *s, uint32_t n)
{
    const struct wvfs_node *in = &s->img->nodes[n];
    s->present[n >> 3] |= (uint8_t)(1u << (n & 7));
    if (in->type == WVFS_FILETYPE_DIRECTORY)
        return;
    bring(s, in->data, in->zsize ? in->zsize : in->size);
    if (in->zsize == 0)
        return;
    uint32_t k = wvfs__part_index(s, n); /* the part n is of: its dictionary, once, */
    uint8_t *dict = &s->present[((size_t)s->img->nnodes + 7) / 8 + (k < s->nparts ? k : 0)];
    const struct wvfs_image *part = k < s->nparts ? s->parts[k].img : s->img;
    if (!*dict && part->dictlen > 0 && wvfs__zstd_names_dict(in->data, in->zsize)) { /* if used */
        bring(s, part->dict, part->dictlen);
        *dict = 1;
    }
}
