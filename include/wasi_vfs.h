/* wasi_vfs.h — the one public header of libwasi_vfs.
 *
 * What: the layout of an embedded filesystem image (what wasivfs-gen emits as
 * static const data) and the few calls an embedder may make.  A program gets an
 * image simply by linking a generated filesystem.c: it defines `wvfs_image`,
 * which the library references weakly, so a program without one runs with no
 * mounts and every WASI call forwarded to the host.
 *
 * Mounts are writable unless flagged read-only: changes live in an in-memory
 * overlay (copy-on-write per file); the image's bytes are never modified.
 *
 * Invariants of an image (checked by wvfs_image_check in debug tests):
 *  - node 0.. nnodes-1; a directory's entries are ents[first .. first+size-1],
 *    sorted by bytewise name (memcmp, shorter first on a tie) for binary search;
 *  - a directory's parent is a directory; a mount root is its own parent;
 *  - names are never "", ".", ".." and never contain '/' or NUL;
 *  - symlink targets are relative and stay inside their mount;
 *  - a directory's hash table, where it has one, finds each of its entries;
 *  - the path index, where there is one, finds each directory by its whole path.
 * Inode numbers are node index + 1: unique and stable within one image.
 *
 * The layout is versioned by WVFS_IMAGE_ABI, a number that changes with it
 * (make test checks the block below against the checksum recorded for its
 * number); the library refuses an image of another number at start.  The
 * generator writes the same definitions into each filesystem.c, so it
 * compiles with no -I; guarded by WVFS_IMAGE_ABI, they are skipped where this
 * header came first, and the file then asserts the two numbers agree.
 */
#ifndef WASI_VFS_H
#define WASI_VFS_H

#include <stdint.h>
#include <stddef.h>

#ifndef WVFS_IMAGE_ABI
#define WVFS_IMAGE_ABI 9
struct wvfs_node {
    uint64_t size;     /* file: bytes; symlink: target length; dir: entry count */
    uint64_t mtim;     /* modification time, ns since the epoch */
    const char *data;  /* file bytes or symlink target; NULL for directories */
    uint32_t first;    /* dir: index of its first entry in ents[] */
    uint32_t parent;   /* dir: node index of its parent (a mount root: itself) */
    uint32_t nlink;    /* hard link count as stat reports it */
    uint32_t zsize;    /* file stored compressed: bytes at data (size is the raw size); 0: raw */
    uint8_t type;      /* WASI filetype: 3 directory, 4 regular file, 7 symlink */
    uint8_t zform;     /* compressed file: WVFS_Z_FRAME or WVFS_Z_SEEKABLE */
    uint32_t htab;     /* dir: 1 + index in htab[] of its hash table; 0: none (binary search) */
    uint32_t zoff;     /* WVFS_Z_BLOCK: where its bytes start in the block's content */
};
struct wvfs_dirent {
    const char *name;
    uint32_t namelen;
    uint32_t node;
};
struct wvfs_mount {
    const char *path;  /* guest path the mount is preopened as, e.g. "/src" */
    uint32_t root;     /* node index of its root directory */
    uint32_t flags;    /* WVFS_MOUNT_* */
};
#define WVFS_MOUNT_READONLY 1u /* every change answers EROFS */
/* A compressed file's bytes: one zstd frame, decoded whole on first read; or
 * zstd's seekable format (frames of one raw size, then the seek table in a
 * skippable frame), each frame decoded when a read first reaches it; or a
 * solid block: one frame holding related files end to end (a module's .pyc,
 * then its .py), this file's size bytes from zoff of its content.  The
 * files of a block share data and zsize; the first is decoded alone, the
 * others from a small cache of decoded blocks. */
#define WVFS_Z_FRAME 0
#define WVFS_Z_SEEKABLE 1
#define WVFS_Z_BLOCK 2
/* How an image's compressed files are decoded.  decompress fills dst with the
 * first dstlen bytes of src's content, with the image's dictionary (dict may
 * be NULL; the codec may store it compressed); 0 on success.  size is the
 * content size of src, or UINT64_MAX when src does not say.  The library's
 * zstd codec is wvfs_codec_zstd (link -lzstd_dec). */
struct wvfs_codec {
    int (*decompress)(void *dst, size_t dstlen, const void *src, size_t srclen,
                      const void *dict, size_t dictlen);
    uint64_t (*size)(const void *src, size_t srclen);
};
struct wvfs_image {
    uint32_t abi;      /* WVFS_IMAGE_ABI of the generator that wrote it */
    uint32_t nmounts;
    uint32_t nnodes;
    uint32_t nents;
    const struct wvfs_mount *mounts;
    const struct wvfs_node *nodes;
    const struct wvfs_dirent *ents;
    /* Images with compressed files (wasivfs-gen --compress) name their codec
     * and the dictionary their files were compressed with (NULL, 0: none). */
    const struct wvfs_codec *codec;
    const void *dict;
    uint32_t dictlen;
    /* Hash tables of the larger directories: a directory of n entries with
     * htab != 0 has 2^k >= 2n slots from htab[node.htab - 1], each an index
     * into its entries or UINT32_MAX (empty); FNV-1a of the name, linear probing. */
    const uint32_t *htab;
    uint32_t nhtab;
    /* Layers: images made apart (wasivfs-gen --layer NAME, one object each,
     * e.g. a standard library built once) that this one names (--base NAME).
     * Their mounts come first, in order, then this image's own; two images
     * mounting the same guest path stop the program at start with a message. */
    const struct wvfs_image *const *layers;
    uint32_t nlayers;
    /* The path index: every directory by its whole path below its mount's
     * root ("lib/json"), so the directories of a path are found in one probe
     * however deep they are.  From htab[pidx - 1]: npidx slots (a power of
     * two) of five words, by the hash of lib/wvfs_pidx.c, linear probing: the
     * entry naming a directory (an index into ents[]), the node of the mount
     * root it lies below, its path's length, where its path starts in the
     * paths, and the path's count of components; an empty slot is five
     * UINT32_MAX.  Then the paths: the bytes of every directory's, in the
     * order of their entries, zeros to a whole word.  pidx 0: no index (paths
     * are looked up a component at a time, as they are anyway through
     * symlinks, "..", or changed directories). */
    uint32_t pidx;
    uint32_t npidx;
};
#endif

/* The pack slot: what `wasivfs-gen pack` finds in a finished module and
 * writes to.  A program linked with -Wl,-u,wvfs_pack holds one (the library's
 * trampoline/pack.c); pack puts an app image in pages past the module's
 * initial memory (the memory's minimum raised to hold them) and, through a
 * data segment of its own over this slot, sets the fields from image on.  Every
 * field is a 32-bit word so the host-built generator reads the wasm32 layout
 * as it is; magic holds no zero byte, so no optimizer splits it, and self
 * (the slot's own address) tells the slot from a copy of its bytes. */
#define WVFS_PACK_MAGIC "wasi-vfs:pack\x01\x7f\x7f" /* 16 bytes, no NUL */
struct wvfs_pack {
    char magic[16];
    uint32_t self;     /* the slot's address as linked */
    uint32_t abi;      /* WVFS_IMAGE_ABI of the library */
    uint32_t base;     /* the linked image (&wvfs_image); 0: none */
    uint32_t codec;    /* &wvfs_codec_zstd when linked; 0: no decoder */
    uint32_t image;    /* the packed app image; 0: nothing packed */
    uint32_t lo, hi;   /* the pages [lo, hi) it lives in; the heap starts below lo */
    uint32_t copy;     /* the function pack added (its table index): copies bytes of
                        * [lo, fend) in from the passive segment that holds them,
                        * as copy(at, at - lo, len); 0: the image is all in memory */
    uint32_t fend;     /* with copy: the files lie in [lo, fend), zeros until copied */
    uint32_t blo, bhi; /* with copy: the linked images' files, [blo, bhi), are in the
                        * same segment, first: zeros there too until copied */
};

#ifdef __cplusplus
extern "C" {
#endif

/* The image of this program; defined by a generated filesystem.c, else absent. */
extern const struct wvfs_image wvfs_image __attribute__((weak));
/* zstd, the codec of wasivfs-gen --compress (its images reference it). */
extern const struct wvfs_codec wvfs_codec_zstd;

/* Memory the writable overlay holds: what programs wrote, created or changed.
 * An untouched image costs nothing here (its bytes are static data). */
struct wvfs_stats {
    uint64_t bytes;    /* heap bytes held: file contents, directories, metadata */
    uint64_t nodes;    /* files, directories and symlinks held in the overlay */
};
/* Fill *st with the running program's overlay figures (wasm32 builds). */
void wvfs_get_stats(struct wvfs_stats *st);
/* A compressed file read whole from its start, into a buffer that holds it,
 * is decoded straight into that buffer and not kept.  Any other read of it
 * decodes it into the overlay, where it stays while open; once closed it
 * stays cached while the overlay holds fewer than this many bytes (default
 * 64 MiB; also the WVFS_CACHE_BYTES environment variable). */
void wvfs_set_cache_budget(uint64_t bytes);

/* Verify an image's invariants (above).  Returns 0 if sound, else a static
 * message naming the first broken rule.  Costs O(size of image); tests use it. */
const char *wvfs_image_check(const struct wvfs_image *img);

#ifdef __cplusplus
}
#endif
#endif
