/* wvfs.h — the VFS core's internal interface (lib/), shared by the trampoline
 * and the host unit tests.
 *
 * What: the guest fd table (every guest fd is either a host fd, translated, or
 * an fd on an embedded mount), the node store (the static image plus a
 * copy-on-write overlay), and the WASI operations on embedded fds.
 * Not here: anything that touches the host or guest memory bounds — that is the
 * trampoline's job; lib/ is plain C11 and builds for the host too.
 * Conventions: functions return a WASI errno (0 = success) and write results
 * through out-parameters.  Names: wvfs_ is the public API (include/wasi_vfs.h),
 * wvfs__ everything shared inside the library, static the rest.
 *
 * Nodes: one index space.  Index i < img->nnodes is image node i; while
 * ov[i] is NULL it is read straight from the image ("pristine").  The first
 * change copies its metadata into an overlay node (file bytes stay shared
 * until the first write).  Nodes a program creates get indices from nnodes
 * up.  Inode = index + 1.
 */
#ifndef WVFS_H
#define WVFS_H

#include "wvfs_abi.h"
#include "wasi_vfs.h"

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
#define WVFS_NONE UINT32_MAX

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

/* --- node store (wvfs_node.c) --- */
/* A node's view: what stat and reads need, pristine or overlaid. */
struct wvfs_view {
    uint8_t type;
    uint32_t nlink, parent;
    uint64_t size, atim, mtim, ctim;
    const char *data;            /* file bytes or symlink target (size bytes) */
};
void wvfs__view(const struct wvfs_state *s, uint32_t n, struct wvfs_view *v);
/* Node n's overlay copy, or NULL while it is as in the image.  Inline, as is
 * wvfs__type: the resolver asks both for every path component. */
static inline struct wvfs_mnode *wvfs__ov(const struct wvfs_state *s, uint32_t n)
{
    return n < s->nov && s->ov ? s->ov[n] : NULL;
}
static inline uint8_t wvfs__type(const struct wvfs_state *s, uint32_t n)
{
    const struct wvfs_mnode *m = wvfs__ov(s, n);
    return m ? m->type : s->img->nodes[n].type;
}
void wvfs__stat(const struct wvfs_state *s, uint32_t n, struct wvfs_filestat *st);
/* The overlay node for n, made from the image on first use; NULL: ENOMEM. */
struct wvfs_mnode *wvfs__touch(struct wvfs_state *s, uint32_t n);
/* A new node of `type`; WVFS_NONE: ENOSPC. */
uint32_t wvfs__node_new(struct wvfs_state *s, uint8_t type, uint32_t parent);
/* Drop n if nothing names or opens it any more. */
void wvfs__node_release(struct wvfs_state *s, uint32_t n);
/* File contents: make room for `size` owned bytes (copying the shared ones). */
wvfs_errno_t wvfs__file_reserve(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t size);
wvfs_errno_t wvfs__file_resize(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t size);
/* Make a compressed image file readable (decompress it into the overlay;
 * a seekable one only gets its buffer); a no-op for other nodes.  EIO when it
 * cannot. */
wvfs_errno_t wvfs__file_ready(struct wvfs_state *s, uint32_t n);

/* --- compressed image files (wvfs_zfile.c), linked only by images that have
 * them (the generator writes a reference to wvfs__zfile_linked), so the
 * calls into it are weak --- */
/* Decode image file `in` of part into m's buffer (m->buf, m->cap set; a
 * seekable file only gets its frames' offsets); 0: EIO or ENOMEM. */
int wvfs__zfile_start(struct wvfs_state *s, struct wvfs_mnode *m, const struct wvfs_image *part,
                      const struct wvfs_node *in) __attribute__((weak));
/* Decode the frames of a seekable file that [off, off+len) reaches (all of
 * them for len UINT64_MAX); EIO when a frame does not decode. */
wvfs_errno_t wvfs__zfile_range(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t off,
                               uint64_t len) __attribute__((weak));
static inline wvfs_errno_t wvfs__file_range(struct wvfs_state *s, struct wvfs_mnode *m, uint64_t off,
                                            uint64_t len)
{
    return m == NULL || m->zoff == NULL ? WVFS_ESUCCESS : wvfs__zfile_range(s, m, off, len);
}
/* Bytes of a seekable file's frame offsets and missing-bits. */
static inline size_t wvfs__zoff_bytes(uint32_t nframes)
{
    return ((size_t)nframes + 1) * sizeof(uint32_t) + ((size_t)nframes + 7) / 8;
}
/* Check zstd's seekable format in z[0..zn) for a file of raw bytes: frames
 * of one raw size (the last no larger), no checksums, sizes that add up; 1
 * if so, with the count and raw size of its frames, and each frame's offset
 * in zoff[0..nframes] unless zoff is NULL. */
int wvfs__seek_table(const char *z, uint32_t zn, uint64_t raw, uint32_t *nframes, uint32_t *frame,
                     uint32_t *zoff);
void wvfs__opened(struct wvfs_state *s, uint32_t n);
void wvfs__closed(struct wvfs_state *s, uint32_t n);
uint64_t wvfs__now(const struct wvfs_state *s);
/* Free everything the overlay holds (the state goes back to the pristine image). */
void wvfs__overlay_free(struct wvfs_state *s);
/* Counted allocation, so wvfs_stats.bytes is exact. */
void *wvfs__realloc(struct wvfs_state *s, void *p, size_t old, size_t size);

/* --- directories (wvfs_dir.c) --- */
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
/* Bytewise name order, shorter first on a common prefix (the image's sort order). */
int wvfs__name_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* Image hash tables (wasi_vfs.h): directories of WVFS_HTAB_MIN entries or more
 * get one of wvfs__htab_size(n) slots, filled by wvfs__htab_fill (the generator's). */
#define WVFS_HTAB_MIN 16u
uint32_t wvfs__name_hash(const char *p, size_t n);
uint32_t wvfs__htab_size(uint64_t n);
void wvfs__htab_fill(uint32_t *slots, uint32_t cap, const struct wvfs_dirent *ents, uint32_t n);
/* The little-endian 32-bit word at p (unaligned). */
static inline uint32_t wvfs__le32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}
/* Names are short: compared inline, byte by byte, rather than through a call
 * into libc's memcmp (which is itself a byte loop in wasi-libc). */
static inline int wvfs__same_name(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* --- path resolution (wvfs_path.c) --- */
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

/* --- the path index (wvfs_pidx.c; wasi_vfs.h has its layout) --- */
/* The entries the index holds: those naming directories (0: no index). */
uint32_t wvfs__pidx_count(const struct wvfs_image *img);
/* A slot of the index, as it lies in htab[] (wasi_vfs.h). */
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
                    struct wvfs_jump *j);

/* --- layers (wvfs_layers.c) --- */
/* One image holding img's layers, img itself and then top, a packed app
 * image (either may be NULL; img as it is when it is all there is), its parts
 * in *parts; NULL with *err set when two parts mount the same guest path or
 * memory runs out. */
const struct wvfs_image *wvfs__layers_merge(const struct wvfs_image *img, const struct wvfs_image *top,
                                            const struct wvfs_part **parts, uint32_t *nparts,
                                            const char **err);
/* The image node n came from: a layer's, or the one image (wvfs_node.c); its
 * first node in the merged node space in *first unless first is NULL. */
const struct wvfs_image *wvfs__part(const struct wvfs_state *s, uint32_t n, uint32_t *first);

/* --- invariant checker (wvfs_check.c), for tests and fuzzers --- */
/* NULL if the overlay is consistent, else a static message naming the broken rule. */
const char *wvfs__state_check(const struct wvfs_state *s);

/* --- fd table (wvfs_fdtab.c) --- */
void wvfs__state_init(struct wvfs_state *s, const struct wvfs_image *img);
void wvfs__state_free(struct wvfs_state *s);
/* The open fd `fd`, or NULL (EBADF). */
static inline struct wvfs_fd *wvfs__fd_get(struct wvfs_state *s, uint32_t fd)
{
    if (fd >= s->nfds || (s->fds[fd].kind != WVFS_FD_HOST && s->fds[fd].kind != WVFS_FD_VFS))
        return NULL;
    return &s->fds[fd];
}
/* The one gate of every call on an embedded fd, as uvwasi's
 * uvwasi_fd_table_get: the rights the call needs (ENOTCAPABLE), then what it
 * needs of the fd (WVFS_GATE_*), in a host's order: EROFS, then the type. */
enum {
    WVFS_GATE_WRITE = 1,   /* changes what the fd names: a read-only mount answers EROFS */
    WVFS_GATE_FILE = 2,    /* a regular file: a directory answers EISDIR, others EINVAL */
    WVFS_GATE_DIR = 4,     /* a directory: ENOTDIR */
    WVFS_GATE_PREOPEN = 8, /* a mount's preopened root: EBADF, as hosts answer */
};
wvfs_errno_t wvfs__gate(const struct wvfs_state *s, const struct wvfs_fd *f, wvfs_rights_t base,
                        wvfs_rights_t inheriting, unsigned need);
/* Is f on a read-only mount?  (Path calls ask once the path has resolved.) */
int wvfs__readonly(const struct wvfs_state *s, const struct wvfs_fd *f);
/* Is `host` the host's number of one of the guest's host fds? */
int wvfs__fd_host_named(const struct wvfs_state *s, uint32_t host);
/* Take the lowest free fd, zeroed and RESERVED; ENOMEM/EMFILE on failure. */
wvfs_errno_t wvfs__fd_alloc(struct wvfs_state *s, uint32_t *fd);
wvfs_errno_t wvfs__fd_add_host(struct wvfs_state *s, uint32_t host, uint32_t *fd);
/* Add one preopened directory fd per mount of the image, in image order. */
wvfs_errno_t wvfs__fd_add_mounts(struct wvfs_state *s);
void wvfs__fd_release(struct wvfs_state *s, uint32_t fd);
/* Move `from` onto `to` (both open); *old receives what `to` held so the
 * caller can close it on the host. */
wvfs_errno_t wvfs__fd_renumber(struct wvfs_state *s, uint32_t from, uint32_t to,
                              struct wvfs_fd *old);

/* --- operations on embedded fds (wvfs_fileops.c, wvfs_write.c, wvfs_pathops.c) --- */
wvfs_errno_t wvfs__fd_read(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                          size_t n, size_t *nread);
wvfs_errno_t wvfs__fd_pread(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                           size_t n, uint64_t off, size_t *nread);
wvfs_errno_t wvfs__fd_seek(struct wvfs_state *s, struct wvfs_fd *f, int64_t delta, uint8_t whence,
                          uint64_t *newoff);
wvfs_errno_t wvfs__fd_tell(struct wvfs_state *s, struct wvfs_fd *f, uint64_t *off);
wvfs_errno_t wvfs__fd_readdir(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf, size_t len,
                             uint64_t cookie, size_t *used);
wvfs_errno_t wvfs__fd_filestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_filestat *st);
wvfs_errno_t wvfs__fd_fdstat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_fdstat *st);
wvfs_errno_t wvfs__fd_fdstat_set_flags(struct wvfs_state *s, struct wvfs_fd *f, uint16_t flags);
wvfs_errno_t wvfs__fd_fdstat_set_rights(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t base,
                                       wvfs_rights_t inheriting);
wvfs_errno_t wvfs__fd_advise(struct wvfs_state *s, struct wvfs_fd *f, uint64_t off, uint64_t len,
                            uint8_t advice);
wvfs_errno_t wvfs__fd_prestat_get(struct wvfs_state *s, struct wvfs_fd *f, struct wvfs_prestat *ps);
wvfs_errno_t wvfs__fd_prestat_dir_name(struct wvfs_state *s, struct wvfs_fd *f, uint8_t *buf,
                                      size_t len);
/* Close an embedded fd (the trampoline closes host fds itself). */
void wvfs__fd_close(struct wvfs_state *s, uint32_t fd);

wvfs_errno_t wvfs__fd_write(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                           size_t n, size_t *nwritten);
wvfs_errno_t wvfs__fd_pwrite(struct wvfs_state *s, struct wvfs_fd *f, const struct wvfs_iovec *iov,
                            size_t n, uint64_t off, size_t *nwritten);
wvfs_errno_t wvfs__fd_filestat_set_size(struct wvfs_state *s, struct wvfs_fd *f, uint64_t size);
wvfs_errno_t wvfs__fd_allocate(struct wvfs_state *s, struct wvfs_fd *f, uint64_t off, uint64_t len);
wvfs_errno_t wvfs__fd_filestat_set_times(struct wvfs_state *s, struct wvfs_fd *f, uint64_t atim,
                                        uint64_t mtim, uint16_t fst_flags);
/* Set node times per WASI fstflags (shared by the fd_ and path_ calls). */
wvfs_errno_t wvfs__set_times(struct wvfs_state *s, uint32_t node, uint64_t atim, uint64_t mtim,
                            uint16_t fst);
/* fd_sync and fd_datasync: `needed` is the right each checks. */
wvfs_errno_t wvfs__fd_sync(struct wvfs_state *s, struct wvfs_fd *f, wvfs_rights_t needed);

wvfs_errno_t wvfs__path_open(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t dirflags,
                            const char *path, size_t len, uint16_t oflags, wvfs_rights_t base,
                            wvfs_rights_t inheriting, uint16_t fdflags, uint32_t *newfd);
wvfs_errno_t wvfs__path_filestat_get(struct wvfs_state *s, struct wvfs_fd *dir, uint32_t flags,
                                    const char *path, size_t len, struct wvfs_filestat *st);
wvfs_errno_t wvfs__path_filestat_set_times(struct wvfs_state *s, struct wvfs_fd *dir,
                                          uint32_t flags, const char *path, size_t len,
                                          uint64_t atim, uint64_t mtim, uint16_t fst_flags);
wvfs_errno_t wvfs__path_readlink(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                size_t len, uint8_t *buf, size_t buflen, size_t *used);
wvfs_errno_t wvfs__path_create_directory(struct wvfs_state *s, struct wvfs_fd *dir,
                                        const char *path, size_t len);
wvfs_errno_t wvfs__path_remove_directory(struct wvfs_state *s, struct wvfs_fd *dir,
                                        const char *path, size_t len);
wvfs_errno_t wvfs__path_unlink_file(struct wvfs_state *s, struct wvfs_fd *dir, const char *path,
                                   size_t len);
wvfs_errno_t wvfs__path_symlink(struct wvfs_state *s, const char *target, size_t tlen,
                               struct wvfs_fd *dir, const char *path, size_t len);
wvfs_errno_t wvfs__path_link(struct wvfs_state *s, struct wvfs_fd *odir, uint32_t oflags,
                            const char *opath, size_t olen, struct wvfs_fd *ndir,
                            const char *npath, size_t nlen);
wvfs_errno_t wvfs__path_rename(struct wvfs_state *s, struct wvfs_fd *odir, const char *opath,
                              size_t olen, struct wvfs_fd *ndir, const char *npath, size_t nlen);

#endif
