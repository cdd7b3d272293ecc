/* wvfs_state.h — the library's state: the guest fd table, the overlay of the
 * image's nodes, and the caches of decoded files.
 *
 * Names: wvfs_ is the public API (include/wasi_vfs.h), wvfs__ everything
 * shared inside the library, static the rest.  Functions return a WASI errno
 * (0 = success) and write results through out-parameters.  lib/ is plain C11
 * that builds for the host too: the guest's memory and the host's calls are
 * the trampoline's.
 *
 * Nodes: one index space.  Index i < img->nnodes is image node i; while
 * ov[i] is NULL it is read straight from the image ("pristine").  The first
 * change copies its metadata into an overlay node (file bytes stay shared
 * until the first write).  Nodes a program creates get indices from nnodes
 * up.  Inode = index + 1.
 */
#ifndef WVFS_STATE_H
#define WVFS_STATE_H

#include "wasi_vfs.h"
#include "wvfs_abi.h"
#include "wvfs_format.h"

/* A slot's kind.  RESERVED: taken by a call in progress (path_open makes the
 * fd before the file, so nothing can fail after a create); no fd yet, so
 * lookups miss it and it counts as open on nothing. */
enum { WVFS_FD_FREE = 0, WVFS_FD_HOST = 1, WVFS_FD_VFS = 2, WVFS_FD_RESERVED = 3 };

/* Symlinks followed in one path resolution before ELOOP; uvwasi's limit, so an
 * embedded tree and a host preopen of it fail at the same depth. */
#define WVFS_SYMLOOP_MAX 32
/* Longest name a directory entry may have (as Linux filesystems). */
#define WVFS_NAME_MAX 255
/* Device number reported for every embedded node ("wvfs" in ASCII). */
#define WVFS_DEV 0x77766673u

struct wvfs_fd {
    uint8_t kind;
    uint8_t preopen;            /* VFS: this fd is its mount's preopened root */
    uint16_t fdflags;
    uint32_t mount;             /* VFS: index of the mount it was opened under */
    uint32_t host;              /* HOST: the host's fd number */
    uint32_t node;              /* VFS: node index */
    uint64_t offset;            /* VFS files: the file position */
    wvfs_rights_t base, inheriting;
};

struct wvfs_ment {              /* an entry of an overlay directory */
    const char *name;           /* NULL: a removed entry (a hole), so others keep their place */
    uint32_t namelen;
    uint32_t node;
    uint8_t owned;              /* name was allocated (else it points into the image) */
};

struct wvfs_mdir {
    struct wvfs_ment *ents;     /* in readdir order; cookie = index + 2 */
    uint32_t n, cap, live;
    uint32_t holes;             /* 1 + index of a removed entry to reuse, 0: none;
                                 * removed entries chain through their .node */
    uint32_t *slots;            /* open-addressing hash of entry indices, WVFS_NONE = empty */
    uint32_t nslots;
};

struct wvfs_mnode {             /* an overlay node */
    uint8_t type;
    uint32_t nlink;             /* directory entries naming it (dirs: 2 + subdirs) */
    uint32_t opens;             /* fds open on it */
    uint32_t parent;            /* directories */
    uint64_t size;
    uint64_t atim, mtim, ctim;
    const char *ro;             /* image bytes still shared (files, symlinks) */
    char *buf;                  /* owned bytes once written (cap >= size) */
    size_t cap;
    struct wvfs_mdir dir;       /* directories */
    uint8_t cached;             /* buf holds a compressed image file's bytes, unchanged */
    uint8_t lost;               /* dir: an entry was removed or replaced (the path index gives way) */
    /* A seekable image file (WVFS_Z_SEEKABLE) while frames of it are still
     * undecoded: frame i of zframe raw bytes is stored at zsrc[zoff[i] ..
     * zoff[i+1]), and one bit per frame after zoff[nframes] says it is not in
     * buf yet.  NULL once every frame is (any change decodes them all first). */
    uint32_t *zoff;
    uint32_t nframes, zframe, zleft; /* zleft: frames not decoded yet */
    const char *zsrc;
    const struct wvfs_image *zpart; /* its codec and dictionary */
};

/* A layered image is merged into one node space at start (wvfs_layers.c); each
 * part keeps its own codec and dictionary for its range of nodes. */
struct wvfs_part {
    uint32_t end;                 /* nodes below this index (and above the last part's) */
    const struct wvfs_image *img; /* the part as linked */
};

/* A solid block (WVFS_Z_BLOCK) decoded whole, for its files after the first;
 * the state keeps the few used last. */
#define WVFS_BLOCK_SLOTS 4
struct wvfs_block {
    const char *src;            /* the block's stored bytes; NULL: slot free */
    char *buf;
    size_t len;
    uint32_t used;              /* s->block_clock when last read */
};

struct wvfs_state {
    const struct wvfs_image *img; /* never NULL after init (an empty image instead) */
    const struct wvfs_part *parts; /* a merged layered image's parts; NULL: one image */
    uint32_t nparts;
    struct wvfs_fd *fds;
    uint32_t nfds;                /* slots allocated */
    uint32_t lowfree;             /* lowest free slot (nfds when none) */
    struct wvfs_mnode **ov;       /* by node index; NULL: pristine or unused */
    uint8_t lost;                 /* some directory lost an entry (wvfs_mnode.lost) */
    uint32_t nov;                 /* indices in use: img->nnodes + created */
    uint32_t capov;
    uint32_t *freeidx;            /* created indices free for reuse */
    uint32_t nfree, capfree;
    uint64_t (*now)(void);        /* realtime clock in ns, for timestamps */
    uint64_t limit;               /* most bytes the overlay may hold; 0: no limit */
    uint64_t cache_budget;        /* closed decompressed files are kept below this */
    /* The first use of an image node's bytes: fetch is called once per node
     * (its bit in present then set; a bit a node, then a byte a part, nparts
     * or 1, for its dictionary), before anything reads them; NULL: never.
     * Set for an image whose files' bytes [flo, fhi) stay out of memory until
     * used (pack puts them in a passive data segment), where copyin brings
     * them (wvfs_fetch.c); and by WVFS_TRACE, which reports the reads. */
    void (*fetch)(const struct wvfs_state *s, uint32_t n);
    uint8_t *present;
    const char *flo, *fhi;
    void (*copyin)(const char *at, size_t len);
    struct wvfs_stats stats;
    struct wvfs_block blocks[WVFS_BLOCK_SLOTS];
    uint32_t block_clock;
    /* Tracing (WVFS_TRACE, wasivfs-gen --keep): called for every entry a path
     * resolution finds — each directory passed, symlink followed, and the
     * node named — with the directory it was found in; NULL: off. */
    void (*trace)(const struct wvfs_state *s, uint32_t dir, const char *name, size_t len,
                  uint32_t node);
    /* ... and for every directory whose entries a program lists (readdir):
     * a slim image must list the same names. */
    void (*trace_list)(const struct wvfs_state *s, uint32_t dir);
};

/* The invariant checker (wvfs_check.c), for tests and fuzzers: NULL if the
 * overlay is consistent, else a static message naming the broken rule. */
const char *wvfs__state_check(const struct wvfs_state *s);

#endif
