/* gen.h — wasivfs-gen's parts and the one state they share.
 *
 * main.c parses the command line (from its table of options) into struct gen;
 * walk.c builds the image from the host trees (mounts, hard links, symlinks
 * checked with the library's own resolver, hash tables); emit.c writes it as
 * C (string literals, or --data with .incbin); compress.c holds --compress
 * (zstd, with a dictionary of sample content) and blocks.c its solid blocks; report.c says where the bytes went; util.c has the error exit and the output
 * files that are renamed into place only when everything succeeded.
 * The image is a real struct wvfs_image, checked by the library's checker.
 */
#ifndef GEN_H
#define GEN_H

#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "wvfs_fdtab.h"
#include "wvfs_format.h"
#include "wvfs_path.h"

struct hostinfo {       /* per node, what the image does not keep */
    char *host;         /* host path (files: read at emission time) */
    char *rel;          /* path from its mount root ("" for the root) */
    uint32_t mount;
    struct stat st;
};

struct gen {
    /* options */
    uint64_t clamp_ns;          /* SOURCE_DATE_EPOCH in ns; UINT64_MAX: none */
    int compress;               /* --compress: zstd, per file, when it pays */
    size_t dict_max;            /* --dict-max: the dictionary's budget */
    uint64_t room;              /* --room: where an object puts the image struct (0: right after) */
    const char *outpath;        /* -o; NULL: standard output */
    const char *data_path;      /* --data */
    int report_depth;           /* --report DEPTH; -1: no text report */
    const char *report_json;    /* --report-json FILE */
    const char *report_html;    /* --report-html FILE */
    const char *keep;           /* --keep FILE */
    const char *hot_list;       /* --hot FILE */
    const char *layer;          /* --layer NAME: define wvfs_layer_NAME, not wvfs_image */
    const char **bases;         /* --base NAME...: the layers this image names */
    uint32_t nbases;
    int packing;                /* pack IN.wasm: the image placed into a module */
    uint32_t pack_addr;         /* where it goes in the module's memory */
    uint32_t pack_codec;        /* the module's &wvfs_codec_zstd; 0: no decoder linked */
    /* the image (walk.c) */
    struct wvfs_node *nodes;
    struct hostinfo *info;
    uint32_t nnodes, capnodes;
    struct wvfs_dirent *ents;
    uint32_t nents, capents;
    struct wvfs_mount *mounts;
    uint32_t nmounts;
    uint32_t *htab, nhtab;      /* the larger directories' hash tables, then the path index */
    uint32_t pidx, npidx;       /* the path index: 1 + where in htab[], slots; 0: none */
    uint32_t *linked, nlinked;  /* files with more than one host link */
    uint8_t *hot;               /* --hot: per node, a file stored raw; NULL: none */
    struct hostinfo *dropped;   /* --keep: the files left out, for the report's full tree */
    uint32_t ndropped;
    /* emission (emit.c) */
    const struct writer *writer;
    FILE *out, *data_out;
    uint64_t data_len, *data_off; /* --data, objects: where each file's bytes start */
    uint32_t *same;             /* identical files stored once: the node whose bytes n uses */
    uint32_t *blk_of;           /* --compress: node -> its solid block, UINT32_MAX: none */
    uint32_t *blk_start, *blk_nodes, nblocks; /* block b: blk_nodes[blk_start[b] .. [b+1]) */
    int any_compressed;
    uint64_t table_bytes;       /* what the tables take in the wasm32 image */
    struct zstate *z;           /* compress.c's state, NULL without --compress */
    struct obj *obj;            /* emit_obj.c's object or pack under construction */
    struct module *pack;        /* pack.c: the module packed into */
};

/* util.c */
_Noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *join(const char *a, const char *b);
/* Output goes to PATH.tmpPID (slot 0 the source, 1 the --data file), renamed
 * over PATH only by commit_tmp once everything is written; fail() removes it. */
FILE *open_tmp(int slot, const char *path);
void commit_tmp(int slot, FILE *f, const char *path);
off_t out_tell(FILE *f);
void out_seek(FILE *f, off_t at);
/* Read host file n whole, checking it is still what the walk saw. */
unsigned char *read_file(const struct gen *g, uint32_t n, size_t *size);

/* walk.c */
void add_mount(struct gen *g, const char *arg, int tmp);
void set_readonly(struct gen *g, const char *arg);
/* The image as built so far, for the library's resolver and checker. */
void image_so_far(const struct gen *g, struct wvfs_image *img);
/* The walk of every mount; symlinks made relative. */
void walk_mounts(struct gen *g);
void build_htabs(struct gen *g);
void check_symlinks(struct gen *g);

/* keep.c: --keep FILE, only the listed paths (and what they need);
 * --hot FILE, the listed files marked in g->hot */
void keep_only(struct gen *g, const char *listfile);
void mark_hot(struct gen *g, const char *listfile);
static inline int is_hot(const struct gen *g, uint32_t n)
{
    return g->hot != NULL && g->hot[n];
}

/* emit.c: the files, read once each, to g->writer */
struct writer {
    void (*begin)(struct gen *g);
    /* the stored bytes of file n (compressed, or raw), once per distinct file */
    void (*file)(struct gen *g, uint32_t n, const unsigned char *bytes, size_t len);
    void (*end)(struct gen *g); /* the tables, after every file */
};
extern const struct writer c_writer;   /* emit_c.c: filesystem.c */
extern const struct writer obj_writer; /* emit_obj.c: a wasm32 relocatable object */
void emit(struct gen *g);
/* The symbol over the file contents (one per image, so layers' never clash). */
void data_symbol(const struct gen *g, char *buf, size_t cap);

/* pack.c: wasivfs-gen pack IN.wasm: the module read and its pack slot found
 * (pack_addr and pack_codec set), the new mounts checked against its own;
 * then the module written to g->out up to where the image's bytes go (which
 * the writer streams after it: pack_addr + offset), and, once len bytes are
 * written, finished with the slot pointing at the image struct. */
void pack_open(struct gen *g, const char *path);
void pack_check_mounts(const struct gen *g);
void pack_begin(struct gen *g);
/* after the files' len bytes, before the tables' tlen */
void pack_tables(struct gen *g, uint64_t len, uint64_t tlen);
void pack_finish(struct gen *g, uint64_t len, uint32_t image_addr);

/* blocks.c: which files share a solid block (a module's .pyc and .py) */
void find_blocks(struct gen *g);
/* What is compressed as one: file n, or the block n comes first in (NULL
 * for its other files). */
unsigned char *read_unit(const struct gen *g, uint32_t n, size_t *size);

/* report.c: where the bytes go, after emit() */
void report(const struct gen *g, uint64_t tables);

/* compress.c */
int compress_available(void);
void compress_start(struct gen *g);
/* A compressed copy of buf when that pays (its size in *zsize, its form,
 * WVFS_Z_FRAME or, for large files, WVFS_Z_SEEKABLE, in *zform), else NULL.
 * first: for a solid block, its first file's length (decodable alone); else 0.
 * hot: a hot file: raw below the seekable size, else without the dictionary. */
unsigned char *squeeze(struct gen *g, const unsigned char *buf, size_t size, size_t first, int hot,
                       size_t *zsize, uint8_t *zform);
const unsigned char *compress_dict(const struct gen *g, size_t *len);

#endif
