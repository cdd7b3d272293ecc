/* wvfs_layers.c — an image made of layers, merged into one at start.
 *
 * A program may link several images: layers (wasivfs-gen --layer NAME, each
 * its own object, e.g. a standard library built once) and the one image that
 * names them (--base NAME).  The rest of lib/ knows one node space, so the
 * parts' tables are copied into one, each part's node, entry and hash-table
 * indices moved past the parts before it; file bytes and names stay where
 * they are, in each part's static data.  Each part keeps its decompressor
 * (a compressed part has its own dictionary).  This file is linked only into
 * programs whose image names layers: the generator writes a reference to
 * wvfs__layers_linked into such images.  The cost is one copy of the
 * tables at start (48 bytes a node), none for an image without layers.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_layers.h"

/* What an image with layers references so that this file is linked. */
const char wvfs__layers_linked = 1;

/* Every image to merge into out[]: img's layers, img, top; their count. */
static uint32_t list_parts(const struct wvfs_image *img, const struct wvfs_image *top,
                           const struct wvfs_image **out)
{
    uint32_t k = 0;
    for (uint32_t i = 0; img != NULL && i < img->nlayers; i++)
        if (img->layers[i] != NULL)
            out[k++] = img->layers[i];
    if (img != NULL)
        out[k++] = img;
    if (top != NULL)
        out[k++] = top;
    return k;
}

/* The words of htab[] that are directories' tables: each part's path index
 * (after them) is read in the part itself (wvfs_pidx.c), not merged. */
static uint32_t dir_tables(const struct wvfs_image *x)
{
    return x->pidx != 0 ? x->pidx - 1 : x->nhtab;
}

const struct wvfs_image *wvfs__layers_merge(const struct wvfs_image *img, const struct wvfs_image *top,
                                            const struct wvfs_part **partsp, uint32_t *nparts,
                                            const char **err)
{
    *partsp = NULL;
    *nparts = 0;
    *err = NULL;
    uint32_t nl = img != NULL ? img->nlayers : 0;
    if (nl == 0 && (img == NULL || top == NULL))
        return img != NULL ? img : top;
    const struct wvfs_image **in = malloc(((size_t)nl + 2) * sizeof *in);
    if (in == NULL) {
        *err = "out of memory";
        return NULL;
    }
    uint32_t k = list_parts(img, top, in);
    uint64_t nn = 0, ne = 0, nh = 0, nm = 0;
    for (uint32_t p = 0; p < k; p++) {
        if (in[p]->abi != WVFS_IMAGE_ABI) {
            *err = "a layer or packed image was generated for another image ABI; regenerate it";
            free(in);
            return NULL;
        }
        nn += in[p]->nnodes, ne += in[p]->nents, nh += dir_tables(in[p]), nm += in[p]->nmounts;
    }
    for (uint32_t p = 0; p < k; p++)
        for (uint32_t m = 0; m < in[p]->nmounts; m++)
            for (uint32_t q = 0; q <= p; q++)
                for (uint32_t r = 0; r < (q == p ? m : in[q]->nmounts); r++)
                    if (strcmp(in[p]->mounts[m].path, in[q]->mounts[r].path) == 0) {
                        *err = "two linked images mount the same guest path";
                        free(in);
                        return NULL;
                    }
    struct wvfs_image *out = calloc(1, sizeof *out);
    struct wvfs_node *nodes = malloc((size_t)(nn ? nn : 1) * sizeof *nodes);
    struct wvfs_dirent *ents = malloc((size_t)(ne ? ne : 1) * sizeof *ents);
    uint32_t *htab = malloc((size_t)(nh ? nh : 1) * sizeof *htab);
    struct wvfs_mount *mounts = malloc((size_t)(nm ? nm : 1) * sizeof *mounts);
    struct wvfs_part *parts = malloc((size_t)k * sizeof *parts);
    if (out == NULL || nodes == NULL || ents == NULL || htab == NULL || mounts == NULL ||
        parts == NULL || nn >= UINT32_MAX || ne >= UINT32_MAX || nh >= UINT32_MAX) {
        free(out), free(nodes), free(ents), free(htab), free(mounts), free(parts), free(in);
        *err = "out of memory";
        return NULL;
    }
    uint32_t bn = 0, be = 0, bh = 0, bm = 0;
    for (uint32_t p = 0; p < k; p++) {
        const struct wvfs_image *x = in[p];
        for (uint32_t i = 0; i < x->nnodes; i++) {
            struct wvfs_node *d = &nodes[bn + i];
            *d = x->nodes[i];
            if (d->type == WVFS_FILETYPE_DIRECTORY) {
                d->first += be;
                d->parent += bn;
                if (d->htab != 0)
                    d->htab += bh; /* slots hold indices into the directory's own entries */
            }
        }
        for (uint32_t i = 0; i < x->nents; i++) {
            ents[be + i] = x->ents[i];
            ents[be + i].node += bn;
        }
        if (dir_tables(x) > 0)
            memcpy(htab + bh, x->htab, (size_t)dir_tables(x) * sizeof *htab);
        for (uint32_t i = 0; i < x->nmounts; i++) {
            mounts[bm + i] = x->mounts[i];
            mounts[bm + i].root += bn;
        }
        bn += x->nnodes, be += x->nents, bh += dir_tables(x), bm += x->nmounts;
        parts[p].end = bn;
        parts[p].img = x;
    }
    out->abi = WVFS_IMAGE_ABI;
    out->nmounts = bm, out->nnodes = bn, out->nents = be, out->nhtab = bh;
    out->mounts = mounts, out->nodes = nodes, out->ents = ents, out->htab = htab;
    free(in);
    *partsp = parts;
    *nparts = k;
    return out;
}
