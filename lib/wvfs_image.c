/* wvfs_image.c — the image invariant checker (wasi_vfs.h lists the rules).
 *
 * Run by the generator on every image it writes and by the unit tests; the
 * library itself trusts the generated data and does no start-up work.
 */
#include <stdlib.h>
#include <string.h>

#include "wvfs_dir.h"

#ifdef __wasm32__ /* the layout wasivfs-gen's object writer assumes */
#define AT(type, field, off) _Static_assert(offsetof(struct type, field) == (off), #type "." #field)
AT(wvfs_node, size, W32_NODE_SIZE); AT(wvfs_node, mtim, W32_NODE_MTIM);
AT(wvfs_node, data, W32_NODE_DATA); AT(wvfs_node, first, W32_NODE_FIRST);
AT(wvfs_node, parent, W32_NODE_PARENT); AT(wvfs_node, nlink, W32_NODE_NLINK);
AT(wvfs_node, zsize, W32_NODE_ZSIZE); AT(wvfs_node, type, W32_NODE_TYPE);
AT(wvfs_node, zform, W32_NODE_ZFORM); AT(wvfs_node, htab, W32_NODE_HTAB);
AT(wvfs_node, zoff, W32_NODE_ZOFF);
AT(wvfs_dirent, name, W32_DIRENT_NAME); AT(wvfs_dirent, namelen, W32_DIRENT_NAMELEN);
AT(wvfs_dirent, node, W32_DIRENT_NODE);
AT(wvfs_mount, path, W32_MOUNT_PATH); AT(wvfs_mount, root, W32_MOUNT_ROOT);
AT(wvfs_mount, flags, W32_MOUNT_FLAGS);
AT(wvfs_image, abi, W32_IMAGE_ABI); AT(wvfs_image, nmounts, W32_IMAGE_NMOUNTS);
AT(wvfs_image, nnodes, W32_IMAGE_NNODES); AT(wvfs_image, nents, W32_IMAGE_NENTS);
AT(wvfs_image, mounts, W32_IMAGE_MOUNTS); AT(wvfs_image, nodes, W32_IMAGE_NODES);
AT(wvfs_image, ents, W32_IMAGE_ENTS); AT(wvfs_image, codec, W32_IMAGE_CODEC);
AT(wvfs_image, dict, W32_IMAGE_DICT); AT(wvfs_image, dictlen, W32_IMAGE_DICTLEN);
AT(wvfs_image, htab, W32_IMAGE_HTAB); AT(wvfs_image, nhtab, W32_IMAGE_NHTAB);
AT(wvfs_image, layers, W32_IMAGE_LAYERS); AT(wvfs_image, nlayers, W32_IMAGE_NLAYERS);
AT(wvfs_image, pidx, W32_IMAGE_PIDX); AT(wvfs_image, npidx, W32_IMAGE_NPIDX);
_Static_assert(sizeof(struct wvfs_pslot) == WVFS_PSLOT_WORDS * sizeof(uint32_t),
               "a path index slot is whole words of htab[]");
_Static_assert(sizeof(struct wvfs_node) == W32_NODE_BYTES &&
                   _Alignof(struct wvfs_node) == W32_NODE_ALIGN &&
                   sizeof(struct wvfs_dirent) == W32_DIRENT_BYTES &&
                   sizeof(struct wvfs_mount) == W32_MOUNT_BYTES &&
                   sizeof(struct wvfs_image) == W32_IMAGE_BYTES,
               "wasm32 image layout");
#undef AT
#endif

static int name_ok(const struct wvfs_dirent *e)
{
    if (e->name == NULL || e->namelen == 0)
        return 0;
    if (memchr(e->name, '/', e->namelen) || memchr(e->name, '\0', e->namelen))
        return 0;
    if (e->namelen <= 2 && e->name[0] == '.' && (e->namelen == 1 || e->name[1] == '.'))
        return 0;
    return 1;
}

/* Directory n's hash table lies inside htab[], holds each entry index once,
 * and finds every entry by its name. */
static const char *htab_check(const struct wvfs_image *img, uint32_t n)
{
    const struct wvfs_node *d = &img->nodes[n];
    uint32_t cap = wvfs__htab_size(d->size);
    if (img->htab == NULL || d->htab - 1 > img->nhtab || cap > img->nhtab - (d->htab - 1))
        return "directory hash table out of range";
    const uint32_t *t = img->htab + d->htab - 1;
    uint64_t used = 0;
    for (uint32_t i = 0; i < cap; i++) {
        if (t[i] != WVFS_NONE && t[i] >= d->size)
            return "directory hash table names an entry out of range";
        used += t[i] != WVFS_NONE;
    }
    if (used != d->size)
        return "directory hash table does not hold each entry once";
    for (uint64_t k = 0; k < d->size; k++) {
        const struct wvfs_dirent *e = &img->ents[d->first + k];
        if (wvfs__image_find(img, n, e->name, e->namelen) != e->node)
            return "directory hash table does not find an entry";
    }
    return NULL;
}

/* The path index lies inside htab[] and is exactly what the generator's
 * builder makes of this image's directories. */
static const char *pidx_check(const struct wvfs_image *img)
{
    uint32_t cap = img->npidx;
    if (cap == 0 || (cap & (cap - 1)) != 0 || cap <= wvfs__pidx_count(img))
        return "path index size is not a power of two above the directory count";
    uint32_t words;
    uint32_t *want = wvfs__pidx_build(img, cap, &words);
    if (want == NULL)
        return "path index over entries no mount root reaches (or out of memory)";
    const char *bad = NULL;
    if (img->htab == NULL || (uint64_t)img->pidx - 1 + words > img->nhtab)
        bad = "path index out of range";
    else if (memcmp(want, img->htab + img->pidx - 1, (size_t)words * sizeof *want) != 0)
        bad = "path index differs from the directories' paths";
    free(want);
    return bad;
}

const char *wvfs_image_check(const struct wvfs_image *img)
{
    if (img->abi != WVFS_IMAGE_ABI)
        return "image ABI version differs from the library's";
    for (uint32_t m = 0; m < img->nmounts; m++) {
        uint32_t r = img->mounts[m].root;
        if (r >= img->nnodes || img->nodes[r].type != WVFS_FILETYPE_DIRECTORY)
            return "mount root is not a directory";
        if (img->nodes[r].parent != r)
            return "mount root is not its own parent";
        if (img->mounts[m].path == NULL || img->mounts[m].path[0] != '/')
            return "mount path is not absolute";
        if (img->mounts[m].flags & ~WVFS_MOUNT_READONLY)
            return "unknown mount flags";
    }
    for (uint32_t n = 0; n < img->nnodes; n++) {
        const struct wvfs_node *node = &img->nodes[n];
        switch (node->type) {
        case WVFS_FILETYPE_DIRECTORY:
            if (node->parent >= img->nnodes ||
                img->nodes[node->parent].type != WVFS_FILETYPE_DIRECTORY)
                return "directory parent is not a directory";
            if (node->first > img->nents || node->size > img->nents - node->first)
                return "directory entries out of range";
            for (uint64_t i = 0; i < node->size; i++) {
                const struct wvfs_dirent *e = &img->ents[node->first + i];
                if (!name_ok(e))
                    return "bad entry name";
                if (e->node >= img->nnodes)
                    return "entry names a node out of range";
                if (img->nodes[e->node].type == WVFS_FILETYPE_DIRECTORY &&
                    img->nodes[e->node].parent != n)
                    return "subdirectory's parent is not its directory";
                if (i > 0 && wvfs__name_cmp(e[-1].name, e[-1].namelen, e->name, e->namelen) >= 0)
                    return "entries not sorted or duplicated";
            }
            if (node->htab != 0) {
                const char *bad = htab_check(img, n);
                if (bad)
                    return bad;
            }
            break;
        case WVFS_FILETYPE_SYMBOLIC_LINK:
            if (node->data == NULL || node->size == 0 || node->data[0] == '/')
                return "symlink target empty or absolute";
            break;
        case WVFS_FILETYPE_REGULAR_FILE:
            if (node->data == NULL && node->size != 0)
                return "file has a size but no data";
            if (node->zsize != 0 && (img->codec == NULL || img->codec->decompress == NULL))
                return "compressed file but no codec";
            if (node->zsize != 0 && node->size == 0)
                return "compressed file of no bytes";
            if (node->zform > WVFS_Z_BLOCK || (node->zform != WVFS_Z_FRAME && node->zsize == 0))
                return "unknown compressed form";
            if (node->zoff != 0 && node->zform != WVFS_Z_BLOCK)
                return "offset in a block but not in a block";
            uint32_t nf, frame;
            if (node->zform == WVFS_Z_SEEKABLE &&
                !wvfs__seek_table(node->data, node->zsize, node->size, &nf, &frame, NULL))
                return "seekable file with a bad seek table";
            if (node->zsize != 0 && node->zform != WVFS_Z_SEEKABLE) {
                uint64_t have = img->codec->size ? img->codec->size(node->data, node->zsize) : UINT64_MAX;
                if (node->zform == WVFS_Z_FRAME && have != node->size)
                    return "compressed file whose frame holds another size";
                if (node->zform == WVFS_Z_BLOCK && (have == UINT64_MAX || node->zoff > have ||
                                                    node->size > have - node->zoff))
                    return "file reaches past the end of its block";
            }
            break;
        default:
            return "unknown node type";
        }
    }
    return img->pidx != 0 ? pidx_check(img) : NULL;
}
