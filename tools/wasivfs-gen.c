/* wasivfs-gen — walk host directories and emit filesystem.c, a C source that
 * holds them as a static image for libwasi_vfs (layout: include/wasi_vfs.h).
 *
 *   wasivfs-gen --mapdir GUEST::HOST [--mapdir ...] [-o FILE] [--data FILE]
 *
 * The tree is built in memory as a real struct wvfs_image, checked with the
 * library's own invariant checker, and every symlink is resolved with the
 * library's own resolver, so what is emitted is exactly what the guest will
 * see.  Output is deterministic: entries sorted bytewise, nodes numbered
 * depth-first, no host paths or times other than the files' mtimes (clamped
 * to SOURCE_DATE_EPOCH when set).  File bytes are written as string literals,
 * which compilers parse many times faster than brace lists of numbers, or with
 * --data into a file the source pulls in by .incbin (faster still); identical
 * files are stored once.  Directories of 16 entries or more get a hash table.
 * Errors name the path, exit 1, and leave no output file behind (we write a
 * temporary file beside it and rename it into place at the end).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wvfs.h"
#ifdef WVFS_HAVE_ZSTD
#include <zdict.h>
#include <zstd.h>
#endif

/* static const char image_layout[]: made by the Makefile from include/wasi_vfs.h */
#include "image_layout.inc"

struct hostinfo {       /* per node, what the image does not keep */
    char *host;         /* host path (files: read at emission time) */
    char *rel;          /* path from its mount root ("" for the root) */
    uint32_t mount;
    struct stat st;
};

static struct wvfs_node *nodes;
static struct hostinfo *info;
static uint32_t nnodes, capnodes;
static struct wvfs_dirent *ents;
static uint32_t nents, capents;
static struct wvfs_mount *mounts;
static uint32_t nmounts;
static uint32_t *htab, nhtab; /* the larger directories' hash tables */
static uint64_t clamp_ns = UINT64_MAX;
static int compress_files;  /* --compress: zstd, per file, when it pays */
static int any_compressed;
/* Temporary output files, removed on error: [0] the source, [1] the --data file. */
static char *tmp_out[2];

static void fail(const char *fmt, ...)
{
    va_list ap;
    fputs("wasivfs-gen: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    for (int i = 0; i < 2; i++)
        if (tmp_out[i])
            unlink(tmp_out[i]);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL)
        fail("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (d == NULL)
        fail("out of memory");
    return d;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *r = xrealloc(NULL, la + lb + 2);
    memcpy(r, a, la);
    r[la] = '/';
    memcpy(r + la + 1, b, lb + 1);
    if (la == 0)
        memmove(r, r + 1, lb + 1);
    return r;
}

static uint32_t new_node(void)
{
    if (nnodes == UINT32_MAX - 1)
        fail("too many files");
    if (nnodes == capnodes) {
        capnodes = capnodes ? capnodes * 2 : 64;
        nodes = xrealloc(nodes, capnodes * sizeof *nodes);
        info = xrealloc(info, capnodes * sizeof *info);
    }
    memset(&nodes[nnodes], 0, sizeof *nodes);
    memset(&info[nnodes], 0, sizeof *info);
    return nnodes++;
}

static uint64_t mtime_ns(const struct stat *st)
{
    uint64_t ns = st->st_mtim.tv_sec < 0 ? 0
                                         : (uint64_t)st->st_mtim.tv_sec * 1000000000u +
                                               (uint64_t)st->st_mtim.tv_nsec;
    return ns < clamp_ns ? ns : clamp_ns;
}

static int name_order(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    int c = memcmp(x, y, lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

/* Files with more than one link inside a mount become one node (a hard link). */
static uint32_t *linked;
static uint32_t nlinked;

static uint32_t find_hardlink(uint32_t mount, const struct stat *st)
{
    for (uint32_t i = 0; i < nlinked; i++) {
        const struct hostinfo *h = &info[linked[i]];
        if (h->mount == mount && h->st.st_dev == st->st_dev && h->st.st_ino == st->st_ino)
            return linked[i];
    }
    return UINT32_MAX;
}

/* Fill node `dir` (already created) from host directory info[dir].host. */
static void walk_dir(uint32_t dir)
{
    const char *host = info[dir].host;
    DIR *d = opendir(host);
    if (d == NULL)
        fail("%s: cannot read directory: %s", host, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    if (errno != 0)
        fail("%s: cannot read directory: %s", host, strerror(errno));
    closedir(d);
    qsort(names, n, sizeof *names, name_order);

    if (n > UINT32_MAX - nents)
        fail("too many directory entries");
    uint32_t first = nents;
    nents += (uint32_t)n;
    if (nents > capents) {
        while (capents < nents)
            capents = capents ? capents * 2 : 256;
        ents = xrealloc(ents, capents * sizeof *ents);
    }
    nodes[dir].first = first;
    nodes[dir].size = n;
    nodes[dir].nlink = 2;

    for (size_t i = 0; i < n; i++) {
        char *path = join(host, names[i]);
        struct stat st;
        if (lstat(path, &st) != 0)
            fail("%s: %s", path, strerror(errno));
        uint32_t c = UINT32_MAX;
        if (S_ISREG(st.st_mode) && st.st_nlink > 1)
            c = find_hardlink(info[dir].mount, &st);
        if (c != UINT32_MAX) {
            nodes[c].nlink++;
            free(path);
        } else {
            c = new_node();
            info[c].host = path;
            info[c].rel = join(info[dir].rel, names[i]);
            info[c].mount = info[dir].mount;
            info[c].st = st;
            nodes[c].mtim = mtime_ns(&st);
            nodes[c].nlink = 1;
            if (S_ISREG(st.st_mode)) {
                nodes[c].type = WVFS_FILETYPE_REGULAR_FILE;
                nodes[c].size = (uint64_t)st.st_size;
                nodes[c].data = ""; /* read at emission time */
                if (st.st_nlink > 1) {
                    linked = xrealloc(linked, (nlinked + 1) * sizeof *linked);
                    linked[nlinked++] = c;
                }
            } else if (S_ISDIR(st.st_mode)) {
                nodes[c].type = WVFS_FILETYPE_DIRECTORY;
                nodes[c].parent = dir;
                nodes[dir].nlink++;
            } else if (S_ISLNK(st.st_mode)) {
                nodes[c].type = WVFS_FILETYPE_SYMBOLIC_LINK;
            } else {
                const char *what = S_ISFIFO(st.st_mode)   ? "a FIFO"
                                   : S_ISSOCK(st.st_mode) ? "a socket"
                                   : S_ISCHR(st.st_mode)  ? "a character device"
                                   : S_ISBLK(st.st_mode)  ? "a block device"
                                                          : "a special file";
                fail("%s: is %s; only regular files, directories and symlinks can be embedded",
                     path, what);
            }
        }
        ents[first + i].name = names[i];
        ents[first + i].namelen = (uint32_t)strlen(names[i]);
        ents[first + i].node = c;
    }
    free(names);
    /* Recurse after the entries are placed, so each directory's block is contiguous. */
    for (size_t i = 0; i < n; i++) {
        uint32_t c = ents[first + i].node;
        if (nodes[c].type == WVFS_FILETYPE_DIRECTORY)
            walk_dir(c);
    }
}

/* Read a symlink; make an absolute target that points inside its mount relative
 * (WASI resolves only relative links); refuse one that leaves the mount. */
static void fix_symlink(uint32_t n)
{
    const struct hostinfo *h = &info[n];
    char buf[PATH_MAX + 1];
    ssize_t len = readlink(h->host, buf, PATH_MAX);
    if (len < 0)
        fail("%s: cannot read symlink: %s", h->host, strerror(errno));
    buf[len] = '\0';
    if (len == 0)
        fail("%s: symlink with an empty target", h->host);
    char *target;
    size_t depth = 0; /* directories between the mount root and the link */
    for (const char *p = h->rel; *p; p++)
        depth += *p == '/';
    if (buf[0] == '/') {
        const char *root = info[mounts[h->mount].root].host;
        char real[PATH_MAX];
        if (realpath(root, real) == NULL)
            fail("%s: %s", root, strerror(errno));
        size_t rl = strlen(real);
        const char *rest;
        if (strncmp(buf, real, rl) == 0 && (buf[rl] == '/' || buf[rl] == '\0'))
            rest = buf + rl + (buf[rl] == '/');
        else if (strncmp(buf, root, strlen(root)) == 0 &&
                 (buf[strlen(root)] == '/' || buf[strlen(root)] == '\0'))
            rest = buf + strlen(root) + (buf[strlen(root)] == '/');
        else
            fail("%s: symlink target '%s' is outside the mapped directory %s", h->host, buf, root);
        target = xrealloc(NULL, depth * 3 + strlen(rest) + 2);
        target[0] = '\0';
        for (size_t i = 0; i < depth; i++)
            strcat(target, "../");
        strcat(target, *rest ? rest : ".");
    } else {
        target = xstrdup(buf);
    }
    nodes[n].data = target;
    nodes[n].size = strlen(target);
}

/* Resolve each symlink from its mount root with the library's resolver. */
static void check_symlink(const struct wvfs_state *st, uint32_t n)
{
    const struct hostinfo *h = &info[n];
    const char *slash = strrchr(h->rel, '/');
    size_t dirlen = slash ? (size_t)(slash - h->rel) : 0;
    char *path = xrealloc(NULL, dirlen + nodes[n].size + 2);
    memcpy(path, h->rel, dirlen);
    path[dirlen] = '/';
    memcpy(path + dirlen + (dirlen > 0), nodes[n].data, nodes[n].size + 1);

    struct wvfs_where w;
    wvfs_errno_t err = wvfs__resolve(st, mounts[h->mount].root, path, strlen(path), WVFS_FOLLOW, &w);
    if (err == WVFS_ENOTCAPABLE)
        fail("%s: symlink target '%s' leaves the mapped directory", h->host, nodes[n].data);
    if (err == WVFS_ELOOP)
        fail("%s: symlink loop (or more than %d links in a row)", h->host, WVFS_SYMLOOP_MAX - 1);
    if (err == WVFS_ENOENT || err == WVFS_ENOTDIR) {
        /* Dangling links are kept, but even so must not point outside lexically. */
        long depth = 0;
        for (char *c = strtok(path, "/"); c; c = strtok(NULL, "/")) {
            if (strcmp(c, "..") == 0 && --depth < 0)
                fail("%s: symlink target '%s' leaves the mapped directory", h->host,
                     nodes[n].data);
            else if (strcmp(c, ".") != 0 && strcmp(c, "..") != 0)
                depth++;
        }
    }
    free(path);
}

/* ---- emission ---- */

static FILE *out;
/* --data FILE: file contents go there, named in the source by .incbin, which
 * the compiler copies instead of parsing literals (several times faster for
 * large trees).  data_off[n] is where file n's bytes start in it. */
static const char *data_path;
static FILE *data_out;
static uint64_t data_len, *data_off;

static void put_literal(const unsigned char *p, size_t n)
{
    static const char oct[] = "01234567";
    char line[4 * 64 + 8];
    size_t col = 0;
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?') {
            line[col++] = (char)c;
        } else {
            line[col++] = '\\';
            line[col++] = oct[c >> 6];
            line[col++] = oct[(c >> 3) & 7];
            line[col++] = oct[c & 7];
        }
        if (col >= 4 * 60 && i + 1 < n) {
            fwrite(line, 1, col, out);
            fputs("\"\n\"", out);
            col = 0;
        }
    }
    fwrite(line, 1, col, out);
    fputc('"', out);
}

/* Read host file n whole, checking it is still what the walk saw. */
static unsigned char *read_file(uint32_t n, size_t *sizep)
{
    const struct hostinfo *h = &info[n];
    int fd = open(h->host, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        fail("%s: cannot read: %s", h->host, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_ino != h->st.st_ino ||
        st.st_size != h->st.st_size || st.st_mtim.tv_sec != h->st.st_mtim.tv_sec ||
        st.st_mtim.tv_nsec != h->st.st_mtim.tv_nsec)
        fail("%s: changed while being packed; run again", h->host);
    size_t size = (size_t)st.st_size;
    unsigned char *buf = xrealloc(NULL, size);
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0)
            fail("%s: read error: %s", h->host, strerror(errno));
        if (r == 0)
            break;
        got += (size_t)r;
    }
    unsigned char extra;
    if (got != size || read(fd, &extra, 1) != 0)
        fail("%s: changed while being packed; run again", h->host);
    close(fd);
    *sizep = size;
    return buf;
}

/* Identical files are stored once: same[n] is the node whose bytes n uses. */
static uint32_t *same;
static struct {
    uint64_t hash;
    uint32_t node;
} *seen;
static size_t nseen_slots;

/* Eight bytes a step (byte-wise FNV was about a tenth of a 100 MB run); the
 * hash only picks a slot, so it never changes the output. */
static uint64_t content_hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* The earlier node with exactly these bytes, or n itself. */
static uint32_t dedupe(uint32_t n, const unsigned char *buf, size_t size)
{
    uint64_t h = content_hash(buf, size);
    size_t mask = nseen_slots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (seen[i].node == UINT32_MAX) {
            seen[i].hash = h;
            seen[i].node = n;
            return n;
        }
        uint32_t m = seen[i].node;
        if (seen[i].hash == h && nodes[m].size == size) {
            size_t msize;
            unsigned char *other = read_file(m, &msize); /* compare, never trust a hash */
            int equal = msize == size && memcmp(other, buf, size) == 0;
            free(other);
            if (equal)
                return m;
        }
    }
}

#ifdef WVFS_HAVE_ZSTD
/* --compress: one compression context for every file and, for a tree big
 * enough to learn from, a dictionary trained on its files.  Files compressed
 * one by one lose what they share (CPython's library: 31% of raw alone); the
 * dictionary gives that back while each file stays its own frame, readable
 * on its own. */
#define ZLEVEL 19
#define SMALLEST 256                 /* smaller files are stored raw */
#define DICT_MAX (512u << 10)        /* measured on CPython's library: 112 KiB (zstd's
                                      * default) 27.4% of raw, 512 KiB 26.3%, 1 MiB 26.8% */
#define SAMPLES_MAX ((size_t)64 << 20) /* training reads at most this much */
static ZSTD_CCtx *zcctx;
static ZSTD_CDict *zcdict;
static unsigned char *zdict;
static size_t zdict_len;

static void train_dict(void)
{
    zcctx = ZSTD_createCCtx();
    if (zcctx == NULL)
        fail("out of memory");
    /* The walk knows every size (read_file refuses a file that changed since),
     * so the samples are sized first and allocated once. */
    size_t total = 0;
    unsigned ns = 0;
    for (uint32_t n = 0; n < nnodes && total < SAMPLES_MAX; n++)
        if (nodes[n].type == WVFS_FILETYPE_REGULAR_FILE && nodes[n].size >= SMALLEST) {
            total += nodes[n].size < SAMPLES_MAX - total ? (size_t)nodes[n].size : SAMPLES_MAX - total;
            ns++;
        }
    unsigned char *all = xrealloc(NULL, total);
    size_t *sizes = xrealloc(NULL, ns * sizeof *sizes), at = 0;
    for (uint32_t n = 0, k = 0; k < ns; n++) {
        if (nodes[n].type != WVFS_FILETYPE_REGULAR_FILE || nodes[n].size < SMALLEST)
            continue;
        size_t size;
        unsigned char *buf = read_file(n, &size);
        sizes[k] = size < total - at ? size : total - at;
        memcpy(all + at, buf, sizes[k]);
        at += sizes[k++];
        free(buf);
    }
    /* Below ~100 samples or 40x the dictionary, zstd trains poorly: go without. */
    size_t cap = total / 40 < DICT_MAX ? total / 40 : DICT_MAX;
    if (ns >= 100 && cap >= 4096) {
        zdict = xrealloc(NULL, cap);
        size_t r = ZDICT_trainFromBuffer(zdict, cap, all, sizes, ns);
        if (!ZDICT_isError(r)) {
            zdict_len = r;
            zcdict = ZSTD_createCDict(zdict, r, ZLEVEL);
            if (zcdict == NULL)
                fail("out of memory");
        }
    }
    free(all);
    free(sizes);
}
#endif

/* Compress a file's bytes when that saves at least a tenth (and 64 bytes):
 * returns the compressed copy and its size, or NULL to store it raw. */
static unsigned char *squeeze(const unsigned char *buf, size_t size, size_t *zsize)
{
#ifdef WVFS_HAVE_ZSTD
    if (!compress_files || size < SMALLEST)
        return NULL;
    size_t cap = ZSTD_compressBound(size);
    unsigned char *z = xrealloc(NULL, cap);
    size_t r = zcdict ? ZSTD_compress_usingCDict(zcctx, z, cap, buf, size, zcdict)
                      : ZSTD_compressCCtx(zcctx, z, cap, buf, size, ZLEVEL);
    if (ZSTD_isError(r) || r + 64 > size - size / 10 || r > UINT32_MAX) {
        free(z);
        return NULL;
    }
    *zsize = r;
    return z;
#else
    (void)buf, (void)size, (void)zsize;
    return NULL;
#endif
}

static void emit_file(uint32_t n)
{
    size_t size;
    unsigned char *buf = read_file(n, &size);
    same[n] = size > 0 ? dedupe(n, buf, size) : n;
    if (size > 0 && same[n] == n) {
        size_t zsize = 0;
        unsigned char *z = squeeze(buf, size, &zsize);
        const unsigned char *bytes = z ? z : buf;
        size_t len = z ? zsize : size;
        if (data_out) {
            data_off[n] = data_len;
            data_len += len;
            if (fwrite(bytes, 1, len, data_out) != len)
                fail("%s: write error: %s", data_path, strerror(errno));
        } else {
            fprintf(out, "static const char f%u[] =\n", n);
            put_literal(bytes, len);
            fputs(";\n", out);
        }
        nodes[n].zsize = (uint32_t)zsize;
        any_compressed |= z != NULL;
        free(z);
    }
    if (same[n] != n)
        nodes[n].zsize = nodes[same[n]].zsize;
    free(buf);
}

/* The image's decompress hook: zstd's decompressor (-lzstd_dec, built for
 * wasm32), with one context and the dictionary made on first use and kept
 * (a context per call would cost a 100 KB allocation each first open). */
static void emit_unzstd(void)
{
    fputs("\n/* zstd's decompressor: link -lzstd_dec. */\n"
          "typedef struct ZSTD_DCtx_s ZSTD_DCtx;\ntypedef struct ZSTD_DDict_s ZSTD_DDict;\n"
          "ZSTD_DCtx *ZSTD_createDCtx(void);\n"
          "ZSTD_DDict *ZSTD_createDDict(const void *, size_t);\n"
          "size_t ZSTD_decompress_usingDDict(ZSTD_DCtx *, void *, size_t, const void *, size_t,\n"
          "                                  const ZSTD_DDict *);\n"
          "unsigned ZSTD_isError(size_t);\n",
          out);
#ifdef WVFS_HAVE_ZSTD
    if (zdict_len > 0) {
        fprintf(out, "/* the dictionary every file was compressed with (%zu bytes) */\n"
                     "static const char zdict[] =\n", zdict_len);
        put_literal(zdict, zdict_len);
        fputs(";\n", out);
    }
#endif
    fputs("static int unzstd(void *dst, size_t n, const void *src, size_t zn)\n{\n"
          "    static ZSTD_DCtx *dctx;\n"
          "    static ZSTD_DDict *ddict;\n"
          "    if (dctx == NULL && (dctx = ZSTD_createDCtx()) == NULL)\n"
          "        return 1;\n", out);
    if (zdict_len > 0)
        fputs("    if (ddict == NULL && (ddict = ZSTD_createDDict(zdict, sizeof zdict - 1)) == NULL)\n"
              "        return 1;\n", out);
    fputs("    size_t r = ZSTD_decompress_usingDDict(dctx, dst, n, src, zn, ddict);\n"
          "    return ZSTD_isError(r) || r != n;\n}\n", out);
}

static void emit(void)
{
    fputs("/* filesystem.c — generated by wasivfs-gen; do not edit.\n"
          " * An embedded filesystem image for libwasi_vfs. Mounts:\n", out);
    for (uint32_t m = 0; m < nmounts; m++)
        fprintf(out, " *   %s%s\n", mounts[m].path,
                (mounts[m].flags & WVFS_MOUNT_READONLY) ? " (read-only)" : "");
    fputs(" */\n#include <stddef.h>\n#include <stdint.h>\n\n", out);
    /* The layout block of include/wasi_vfs.h, copied at build time, so this
     * file needs no -I and cannot disagree with the library it was built with. */
    fputs(image_layout, out);
    fprintf(out, "_Static_assert(WVFS_IMAGE_ABI == %d, \"wasi_vfs.h and this file disagree on the "
                 "layout\");\n\n",
            WVFS_IMAGE_ABI);
    same = xrealloc(NULL, (size_t)nnodes * sizeof *same);
    for (nseen_slots = 16; nseen_slots < (size_t)nnodes * 2; nseen_slots *= 2)
        ;
    seen = xrealloc(NULL, nseen_slots * sizeof *seen);
    for (size_t i = 0; i < nseen_slots; i++)
        seen[i].node = UINT32_MAX;
    if (data_out)
        data_off = xrealloc(NULL, (size_t)nnodes * sizeof *data_off);
#ifdef WVFS_HAVE_ZSTD
    if (compress_files)
        train_dict();
#endif
    for (uint32_t n = 0; n < nnodes; n++)
        if (nodes[n].type == WVFS_FILETYPE_REGULAR_FILE)
            emit_file(n); /* empty ones too: they must still be empty */
    if (data_out) /* one hidden symbol over the whole file; wasm's assembler has
                   * no .pushsection, ELF's (host test builds) wants it */
        fprintf(out, "\n/* File contents: the %llu bytes of %s, which the assembler reads.\n"
                     " * A relative name is found from the compiler's directory or an -I. */\n"
                     "#ifdef __wasm__\n"
                     "#define WVFS_DATA_BEGIN \".section .rodata.wvfs_data,\\\"\\\",@\\n\"\n"
                     "#define WVFS_DATA_END \"\"\n"
                     "#else\n"
                     "#define WVFS_DATA_BEGIN \".pushsection .rodata.wvfs_data,\\\"a\\\"\\n\"\n"
                     "#define WVFS_DATA_END \".popsection\\n\"\n"
                     "#endif\n"
                     "__asm__(WVFS_DATA_BEGIN \".hidden wvfs__data\\n.globl wvfs__data\\nwvfs__data:\\n\"\n"
                     "        \".incbin \\\"%s\\\"\\n.size wvfs__data, %llu\\n\" WVFS_DATA_END);\n"
                     "extern const char wvfs__data[];\n",
                (unsigned long long)data_len, data_path, data_path, (unsigned long long)data_len);

    if (nents > 0) {
        fputs("\nstatic const struct wvfs_dirent ents[] = {\n", out);
        for (uint32_t i = 0; i < nents; i++) {
            fputs("    {", out);
            put_literal((const unsigned char *)ents[i].name, ents[i].namelen);
            fprintf(out, ", %u, %u},\n", ents[i].namelen, ents[i].node);
        }
        fputs("};\n", out);
    }
    if (nhtab > 0) {
        fputs("\n#define E 0xffffffffu\nstatic const uint32_t htab[] = {", out);
        for (uint32_t i = 0; i < nhtab; i++) {
            if (i % 16 == 0)
                fputs("\n   ", out);
            if (htab[i] == UINT32_MAX)
                fputs(" E,", out);
            else
                fprintf(out, " %u,", htab[i]);
        }
        fputs("\n};\n#undef E\n", out);
    }
    fputs("\nstatic const struct wvfs_node nodes[] = {\n", out);
    for (uint32_t n = 0; n < nnodes; n++) {
        const struct wvfs_node *x = &nodes[n];
        fprintf(out, "    {%lluu, %lluu, ", (unsigned long long)x->size,
                (unsigned long long)x->mtim);
        if (x->type == WVFS_FILETYPE_REGULAR_FILE && x->size > 0 && data_out)
            fprintf(out, "wvfs__data + %llu", (unsigned long long)data_off[same[n]]);
        else if (x->type == WVFS_FILETYPE_REGULAR_FILE && x->size > 0)
            fprintf(out, "f%u", same[n]);
        else if (x->type == WVFS_FILETYPE_REGULAR_FILE)
            fputs("\"\"", out);
        else if (x->type == WVFS_FILETYPE_SYMBOLIC_LINK)
            put_literal((const unsigned char *)x->data, (size_t)x->size);
        else
            fputs("NULL", out);
        fprintf(out, ", %u, %u, %u, %u, %u, %u},\n", x->first, x->parent, x->nlink, x->zsize, x->type,
                x->htab);
    }
    fputs("};\n\nstatic const struct wvfs_mount mounts[] = {\n", out);
    for (uint32_t m = 0; m < nmounts; m++) {
        fputs("    {", out);
        put_literal((const unsigned char *)mounts[m].path, strlen(mounts[m].path));
        fprintf(out, ", %u, %u},\n", mounts[m].root, mounts[m].flags);
    }
    fputs("};\n", out);
    if (any_compressed)
        emit_unzstd();
    fprintf(out, "\nconst struct wvfs_image wvfs_image = {WVFS_IMAGE_ABI, %u, %u, %u, mounts, "
                 "nodes, %s, %s, %s, %u};\n",
            nmounts, nnodes, nents, nents ? "ents" : "NULL", any_compressed ? "unzstd" : "NULL",
            nhtab ? "htab" : "NULL", nhtab);
}

/* ---- command line ---- */

static void usage(FILE *f)
{
    fputs("usage: wasivfs-gen [--mapdir GUEST::HOST | --tmpdir GUEST]... [--readonly GUEST]...\n"
          "                   [--compress] [-o FILE] [--data FILE]\n"
          "\n"
          "Embed host directories into a C source file for libwasi_vfs.\n"
          "\n"
          "  --mapdir GUEST::HOST  embed host directory HOST so the program sees it as the\n"
          "                        preopened directory GUEST (an absolute guest path);\n"
          "                        repeatable, each GUEST once; writable by the program\n"
          "                        (changes stay in memory; the embedded bytes never change)\n"
          "  --tmpdir GUEST        an empty writable directory at GUEST, with no host\n"
          "                        directory behind it (a scratch /tmp, in a browser too)\n"
          "  --readonly GUEST      make the mount at GUEST read-only: every change\n"
          "                        answers EROFS\n"
          "  --compress            store files zstd-compressed where that saves a tenth or\n"
          "                        more, with a dictionary trained on the tree when it has\n"
          "                        100 files of 256 bytes or more; they are decompressed on\n"
          "                        first open. Link the program with -lzstd_dec too (make\n"
          "                        zstd builds it)\n"
          "  -o FILE               write to FILE (default: standard output); FILE is\n"
          "                        replaced only when generation succeeds\n"
          "  --data FILE           write the file contents to FILE instead of into the C\n"
          "                        source, which pulls them in with the assembler's\n"
          "                        .incbin: compiles several times faster and in less\n"
          "                        memory for large trees. The source names FILE as given:\n"
          "                        compile from the directory FILE is relative to, or\n"
          "                        add -I with its folder\n"
          "  -h, --help            show this help\n"
          "\n"
          "Embeds regular files, directories and symlinks that stay inside their\n"
          "directory (absolute ones are made relative). FIFOs, sockets and devices\n"
          "are refused. SOURCE_DATE_EPOCH, when set, clamps every mtime to it.\n"
          "Compile the output with your program and link -lwasi_vfs.\n",
          f);
}

/* "/a//b/" -> "/a/b"; refuses relative paths and "." or ".." components. */
static char *guest_path(const char *g, const char *arg)
{
    if (g[0] != '/')
        fail("--mapdir %s: guest path '%s' must be absolute", arg, g);
    char *r = xrealloc(NULL, strlen(g) + 2);
    size_t k = 0;
    for (const char *p = g; *p;) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        if (e == p)
            break;
        if ((e - p == 1 && p[0] == '.') || (e - p == 2 && p[0] == '.' && p[1] == '.'))
            fail("--mapdir %s: guest path may not contain '.' or '..'", arg);
        r[k++] = '/';
        memcpy(r + k, p, (size_t)(e - p));
        k += (size_t)(e - p);
        p = e;
    }
    if (k == 0)
        r[k++] = '/';
    r[k] = '\0';
    return r;
}

/* Add a mount: `arg` is GUEST::HOST (--mapdir) or GUEST (--tmpdir: empty, no host dir). */
static void add_mount(const char *arg, int tmp)
{
    const char *sep = tmp ? arg + strlen(arg) : strstr(arg, "::");
    if (sep == NULL)
        fail("--mapdir takes GUEST::HOST, got '%s'", arg);
    char *g = xrealloc(NULL, (size_t)(sep - arg) + 1);
    memcpy(g, arg, (size_t)(sep - arg));
    g[sep - arg] = '\0';
    const char *host = tmp ? NULL : sep + 2;
    if (host && *host == '\0')
        fail("--mapdir %s: empty host path", arg);
    char *path = guest_path(g, arg);
    free(g);
    for (uint32_t m = 0; m < nmounts; m++)
        if (strcmp(mounts[m].path, path) == 0)
            fail("%s %s: guest path %s is mapped twice", tmp ? "--tmpdir" : "--mapdir", arg, path);
    struct stat st;
    memset(&st, 0, sizeof st);
    if (host) {
        if (stat(host, &st) != 0)
            fail("%s: %s", host, strerror(errno));
        if (!S_ISDIR(st.st_mode))
            fail("%s: not a directory", host);
        if (access(host, R_OK | X_OK) != 0)
            fail("%s: cannot read directory: %s", host, strerror(errno));
    }
    mounts = xrealloc(mounts, (nmounts + 1) * sizeof *mounts);
    uint32_t root = new_node();
    mounts[nmounts].path = path;
    mounts[nmounts].root = root;
    mounts[nmounts].flags = 0;
    info[root].host = host ? xstrdup(host) : NULL;
    info[root].rel = xstrdup("");
    info[root].mount = nmounts;
    info[root].st = st;
    nodes[root].type = WVFS_FILETYPE_DIRECTORY;
    nodes[root].parent = root;
    nodes[root].nlink = 2;
    nodes[root].mtim = host ? mtime_ns(&st) : (clamp_ns == UINT64_MAX ? 0 : clamp_ns);
    nmounts++;
}

static void set_readonly(const char *arg)
{
    char *path = guest_path(arg, arg);
    for (uint32_t m = 0; m < nmounts; m++)
        if (strcmp(mounts[m].path, path) == 0) {
            mounts[m].flags |= WVFS_MOUNT_READONLY;
            free(path);
            return;
        }
    fail("--readonly %s: no --mapdir or --tmpdir has guest path %s", arg, path);
}

/* Hash tables for directories of WVFS_HTAB_MIN entries or more, so a lookup
 * costs one probe however large the directory (a binary search costs one name
 * comparison per halving). */
static void build_htabs(void)
{
    for (uint32_t n = 0; n < nnodes; n++) {
        struct wvfs_node *d = &nodes[n];
        if (d->type != WVFS_FILETYPE_DIRECTORY || d->size < WVFS_HTAB_MIN)
            continue;
        uint32_t cap = wvfs__htab_size(d->size);
        if (cap > UINT32_MAX - 1 - nhtab)
            fail("too many directory entries");
        htab = xrealloc(htab, ((size_t)nhtab + cap) * sizeof *htab);
        wvfs__htab_fill(htab + nhtab, cap, ents + d->first, (uint32_t)d->size);
        d->htab = nhtab + 1;
        nhtab += cap;
    }
}

/* Output goes to PATH.tmpPID, renamed over PATH only once all is written. */
static FILE *open_tmp(int i, const char *path)
{
    tmp_out[i] = xrealloc(NULL, strlen(path) + 16);
    sprintf(tmp_out[i], "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp_out[i], "w");
    if (f == NULL) {
        char *t = tmp_out[i];
        tmp_out[i] = NULL;
        fail("%s: cannot write: %s", t, strerror(errno));
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20); /* stdio's 4 KiB: 25,000 writes for 100 MB */
    return f;
}

static void commit_tmp(int i, FILE *f, const char *path)
{
    if (fflush(f) != 0 || ferror(f) || fclose(f) != 0)
        fail("%s: write error: %s", path, strerror(errno));
    if (rename(tmp_out[i], path) != 0)
        fail("%s: cannot write: %s", path, strerror(errno));
    free(tmp_out[i]);
    tmp_out[i] = NULL;
}

int main(int argc, char **argv)
{
    const char *outpath = NULL;
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        errno = 0;
        unsigned long long e = strtoull(epoch, &end, 10);
        if (*end || errno || e > UINT64_MAX / 1000000000u)
            fail("SOURCE_DATE_EPOCH='%s' is not a time in seconds", epoch);
        clamp_ns = (uint64_t)e * 1000000000u;
    }
    /* (flag, value) pairs, applied in order once the command line is known good */
    const char **opts = xrealloc(NULL, (size_t)argc * sizeof *opts);
    int nopts = 0, nmaps = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strchr(a, '=');
        size_t flen = eq && strncmp(a, "--", 2) == 0 ? (size_t)(eq - a) : strlen(a);
        if (strcmp(a, "--compress") == 0) {
#ifdef WVFS_HAVE_ZSTD
            compress_files = 1;
            continue;
#else
            fail("--compress: this wasivfs-gen was built without zstd (install libzstd-dev, rebuild)");
#endif
        }
        static const char *const valued[] = {"--mapdir", "--tmpdir", "--readonly", "--data", "-o"};
        const char *flag = NULL;
        for (size_t k = 0; k < sizeof valued / sizeof *valued; k++)
            if (strlen(valued[k]) == flen && strncmp(a, valued[k], flen) == 0)
                flag = valued[k];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (flag == NULL)
            fail("unknown argument '%s' (see --help)", a);
        const char *val = flen < strlen(a) ? a + flen + 1 : NULL;
        if (val == NULL) {
            if (i + 1 >= argc)
                fail("%s needs a value (see --help)", a);
            val = argv[++i];
        }
        if (flag[1] == 'o' || flag[2] == 'd') {
            const char **to = flag[1] == 'o' ? &outpath : &data_path;
            if (*to)
                fail("%s given twice", flag);
            *to = val;
            continue;
        }
        nmaps += flag[2] != 'r';
        opts[nopts++] = flag;
        opts[nopts++] = val;
    }
    if (nmaps == 0)
        fail("no --mapdir or --tmpdir given (see --help)");
    if (data_path && strpbrk(data_path, "\"\\\n") != NULL)
        fail("--data %s: the name may not hold a quote, a backslash or a newline", data_path);
    if (data_path && outpath && strcmp(data_path, outpath) == 0)
        fail("--data %s: the same file as -o", data_path);
    /* Validate every mapping before reading any tree. */
    for (int i = 0; i < nopts; i += 2)
        if (opts[i][2] != 'r')
            add_mount(opts[i + 1], opts[i][2] == 't');
    for (int i = 0; i < nopts; i += 2)
        if (opts[i][2] == 'r')
            set_readonly(opts[i + 1]);
    for (uint32_t m = 0; m < nmounts; m++)
        if (info[mounts[m].root].host != NULL)
            walk_dir(mounts[m].root);

    build_htabs();
    struct wvfs_image img = {WVFS_IMAGE_ABI, nmounts, nnodes, nents, mounts, nodes, ents, NULL,
                             htab, nhtab};
    struct wvfs_state st;
    wvfs__state_init(&st, &img);
    for (uint32_t n = 0; n < nnodes; n++)
        if (nodes[n].type == WVFS_FILETYPE_SYMBOLIC_LINK)
            fix_symlink(n);
    for (uint32_t n = 0; n < nnodes; n++)
        if (nodes[n].type == WVFS_FILETYPE_SYMBOLIC_LINK)
            check_symlink(&st, n);
    const char *bad = wvfs_image_check(&img);
    if (bad)
        fail("internal error: image fails its check: %s", bad);

    out = outpath ? open_tmp(0, outpath) : stdout;
    if (data_path)
        data_out = open_tmp(1, data_path);
    emit();
    /* The data file first, so a source in place never names a missing one. */
    if (data_path)
        commit_tmp(1, data_out, data_path);
    if (outpath)
        commit_tmp(0, out, outpath);
    else if (fflush(out) != 0 || ferror(out))
        fail("<stdout>: write error: %s", strerror(errno));
    return 0;
}
