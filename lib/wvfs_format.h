/* wvfs_format.h — the image format as bytes: everything the generator, which
 * writes an image, and the library, which reads it, must agree on beyond the
 * C structs of include/wasi_vfs.h.  docs/image-format.md describes the whole
 * format for anyone writing a generator of their own.
 *
 * Here: the structs' wasm32 offsets (the object writer runs on a 64-bit host),
 * the hash tables of large directories, the path index, and how a compressed
 * file is stored.  The functions declared here are the library's; the
 * generator links them, so both sides compute the same bytes.
 */
#ifndef WVFS_FORMAT_H
#define WVFS_FORMAT_H

#include <stdint.h>

#include "wasi_vfs.h"

/* An empty slot in a hash table or the path index; "no node" in the library. */
#define WVFS_NONE UINT32_MAX

/* --- the wasm32 layout of wasi_vfs.h's structs: the object writer lays the
 * tables out from these offsets; the library's wasm32 build checks every one
 * against the compiler's (wvfs_image.c) --- */
enum {
    W32_NODE_SIZE = 0, W32_NODE_MTIM = 8, W32_NODE_DATA = 16, W32_NODE_FIRST = 20,
    W32_NODE_PARENT = 24, W32_NODE_NLINK = 28, W32_NODE_ZSIZE = 32, W32_NODE_TYPE = 36,
    W32_NODE_ZFORM = 37, W32_NODE_HTAB = 40, W32_NODE_ZOFF = 44, W32_NODE_BYTES = 48, W32_NODE_ALIGN = 8,

    W32_DIRENT_NAME = 0, W32_DIRENT_NAMELEN = 4, W32_DIRENT_NODE = 8, W32_DIRENT_BYTES = 12,

    W32_MOUNT_PATH = 0, W32_MOUNT_ROOT = 4, W32_MOUNT_FLAGS = 8, W32_MOUNT_BYTES = 12,

    W32_IMAGE_ABI = 0, W32_IMAGE_NMOUNTS = 4, W32_IMAGE_NNODES = 8, W32_IMAGE_NENTS = 12,
    W32_IMAGE_MOUNTS = 16, W32_IMAGE_NODES = 20, W32_IMAGE_ENTS = 24, W32_IMAGE_CODEC = 28,
    W32_IMAGE_DICT = 32, W32_IMAGE_DICTLEN = 36, W32_IMAGE_HTAB = 40, W32_IMAGE_NHTAB = 44,
    W32_IMAGE_LAYERS = 48, W32_IMAGE_NLAYERS = 52, W32_IMAGE_PIDX = 56, W32_IMAGE_NPIDX = 60,
    W32_IMAGE_BYTES = 64,
};

/* The little-endian 32-bit word at p (unaligned): the format's words are
 * read byte by byte, so every host reads them as wasm32 does. */
static inline uint32_t wvfs__le32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

/* --- directory hash tables (wvfs_dir.c): a directory of WVFS_HTAB_MIN
 * entries or more has wvfs__htab_size(n) slots in htab[], each an entry's
 * index or WVFS_NONE, filled by wvfs__htab_fill --- */
#define WVFS_HTAB_MIN 16u
uint32_t wvfs__name_hash(const char *p, size_t n);
uint32_t wvfs__htab_size(uint64_t n);
void wvfs__htab_fill(uint32_t *slots, uint32_t cap, const struct wvfs_dirent *ents, uint32_t n);
/* Bytewise name order, shorter first on a common prefix (a directory's order). */
int wvfs__name_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* --- the path index (wvfs_pidx.c): the image's directories by whole path --- */
/* The entries the index holds: those naming directories (0: no index). */
uint32_t wvfs__pidx_count(const struct wvfs_image *img);
/* A slot of the index, as it lies in htab[]. */
struct wvfs_pslot {
    uint32_t ent;  /* the entry naming the directory; WVFS_NONE: empty (all of it) */
    uint32_t root; /* the node of the mount root it lies below */
    uint32_t len;  /* its path's length */
    uint32_t off;  /* where its path starts in the index's paths (bytes) */
    uint32_t depth; /* its path's components */
};
#define WVFS_PSLOT_WORDS 5
/* The index of img's directories in cap slots (a power of two above the
 * count), then their paths: *nwords words, malloc'd (the generator's, and the
 * checker's to compare); NULL: out of memory, or an entry no root reaches. */
uint32_t *wvfs__pidx_build(const struct wvfs_image *img, uint32_t cap, uint32_t *nwords);

/* --- compressed files (wvfs_zfile.c).  A compressed file is one zstd frame,
 * or, when large, zstd's seekable format: frames of one raw size (the last no
 * larger), then a skippable frame holding the seek table — an entry per frame
 * (its compressed size, its raw size: u32 little-endian each), then a footer
 * (the frame count, a descriptor byte of 0: no checksums, and the seekable
 * magic).  A dictionary is stored as a zstd frame of its own. --- */
#define WVFS_ZSTD_MAGIC 0xFD2FB528u      /* a zstd frame's first four bytes (le) */
#define WVFS_SKIPPABLE_MAGIC 0x184D2A5Eu /* the skippable frame of a seek table */
#define WVFS_SEEKABLE_MAGIC 0x8F92EAB1u  /* a seek table's last four bytes */
#define WVFS_SKIP_HEADER 8               /* skippable frame: magic, size (u32 each) */
#define WVFS_SEEK_ENTRY 8                /* per frame: compressed size, raw size */
#define WVFS_SEEK_FOOTER 9               /* frame count, descriptor (0), magic */
/* Does the zstd frame at z (n bytes) name a dictionary?  The low two bits of
 * its header's descriptor, the fifth byte, say so (RFC 8878).  A file stored
 * without the image's dictionary (wasivfs-gen --hot) is then decoded, and
 * copied in, without it. */
static inline int wvfs__zstd_names_dict(const char *z, uint64_t n)
{
    return n < 5 || ((unsigned char)z[4] & 3) != 0;
}
/* Check the seekable format in z[0..zn) for a file of raw bytes: frames of
 * one raw size (the last no larger), no checksums, sizes that add up; 1 if
 * so, with the count and raw size of its frames, and each frame's offset in
 * zoff[0..nframes] unless zoff is NULL. */
int wvfs__seek_table(const char *z, uint32_t zn, uint64_t raw, uint32_t *nframes, uint32_t *frame,
                     uint32_t *zoff);

#endif
