/* emit.c — the image as C: filesystem.c holds the layout block of
 * include/wasi_vfs.h, each file's bytes as a string literal (which compilers
 * parse many times faster than brace lists of numbers) or, with --data, in a
 * data file the source pulls in by .incbin (faster still), then the entry,
 * hash-table, node and mount tables and the image itself.  Identical files
 * are stored once; nothing host-specific is written but the files' mtimes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

/* static const char image_layout[]: made by the Makefile from include/wasi_vfs.h */
#include "image_layout.inc"

/* Identical files are stored once: an open-addressing table of the files
 * emitted so far, by content hash. */
struct seen {
    struct {
        uint64_t hash;
        uint32_t node;
    } *slots;
    size_t nslots;
};

void put_literal(FILE *out, const unsigned char *p, size_t n)
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

unsigned char *read_file(const struct gen *g, uint32_t n, size_t *sizep)
{
    const struct hostinfo *h = &g->info[n];
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
static uint32_t dedupe(struct gen *g, struct seen *sn, uint32_t n, const unsigned char *buf, size_t size)
{
    uint64_t h = content_hash(buf, size);
    size_t mask = sn->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (sn->slots[i].node == UINT32_MAX) {
            sn->slots[i].hash = h;
            sn->slots[i].node = n;
            return n;
        }
        uint32_t m = sn->slots[i].node;
        if (sn->slots[i].hash == h && g->nodes[m].size == size) {
            size_t msize;
            unsigned char *other = read_file(g, m, &msize); /* compare, never trust a hash */
            int equal = msize == size && memcmp(other, buf, size) == 0;
            free(other);
            if (equal)
                return m;
        }
    }
}

static void emit_file(struct gen *g, struct seen *sn, uint32_t n)
{
    size_t size;
    unsigned char *buf = read_file(g, n, &size);
    g->same[n] = size > 0 ? dedupe(g, sn, n, buf, size) : n;
    if (size > 0 && g->same[n] == n) {
        size_t zsize = 0;
        unsigned char *z = squeeze(g, buf, size, &zsize);
        const unsigned char *bytes = z ? z : buf;
        size_t len = z ? zsize : size;
        if (g->data_out) {
            g->data_off[n] = g->data_len;
            g->data_len += len;
            if (fwrite(bytes, 1, len, g->data_out) != len)
                fail("%s: write error: %s", g->data_path, strerror(errno));
        } else {
            fprintf(g->out, "static const char f%u[] =\n", n);
            put_literal(g->out, bytes, len);
            fputs(";\n", g->out);
        }
        g->nodes[n].zsize = (uint32_t)zsize;
        g->any_compressed |= z != NULL;
        free(z);
    }
    if (g->same[n] != n)
        g->nodes[n].zsize = g->nodes[g->same[n]].zsize;
    free(buf);
}

void emit(struct gen *g)
{
    /* the --data symbol: one per object, so layers' never clash */
    char data_sym[128];
    snprintf(data_sym, sizeof data_sym, "wvfs__data%s%s", g->layer ? "_" : "", g->layer ? g->layer : "");
    fputs("/* filesystem.c — generated by wasivfs-gen; do not edit.\n"
          " * An embedded filesystem image for libwasi_vfs. Mounts:\n", g->out);
    for (uint32_t m = 0; m < g->nmounts; m++)
        fprintf(g->out, " *   %s%s\n", g->mounts[m].path,
                (g->mounts[m].flags & WVFS_MOUNT_READONLY) ? " (read-only)" : "");
    fputs(" */\n#include <stddef.h>\n#include <stdint.h>\n\n", g->out);
    /* The layout block of include/wasi_vfs.h, copied at build time, so this
     * file needs no -I and cannot disagree with the library it was built with. */
    fputs(image_layout, g->out);
    fprintf(g->out, "_Static_assert(WVFS_IMAGE_ABI == %d, \"wasi_vfs.h and this file disagree on the "
                 "layout\");\n\n",
            WVFS_IMAGE_ABI);
    g->same = xrealloc(NULL, (size_t)g->nnodes * sizeof *g->same);
    struct seen sn;
    for (sn.nslots = 16; sn.nslots < (size_t)g->nnodes * 2; sn.nslots *= 2)
        ;
    sn.slots = xrealloc(NULL, sn.nslots * sizeof *sn.slots);
    for (size_t i = 0; i < sn.nslots; i++)
        sn.slots[i].node = UINT32_MAX;
    if (g->data_out)
        g->data_off = xrealloc(NULL, (size_t)g->nnodes * sizeof *g->data_off);
    if (g->compress)
        compress_start(g);
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (g->nodes[n].type == WVFS_FILETYPE_REGULAR_FILE)
            emit_file(g, &sn, n); /* empty ones too: they must still be empty */
    if (g->data_out) /* one hidden symbol over the whole file; wasm's assembler has
                   * no .pushsection, ELF's (host test builds) wants it */
        fprintf(g->out, "\n/* File contents: the %llu bytes of %s, which the assembler reads.\n"
                     " * A relative name is found from the compiler's directory or an -I. */\n"
                     "#ifdef __wasm__\n"
                     "#define WVFS_DATA_BEGIN \".section .rodata.wvfs_data,\\\"\\\",@\\n\"\n"
                     "#define WVFS_DATA_END \"\"\n"
                     "#else\n"
                     "#define WVFS_DATA_BEGIN \".pushsection .rodata.wvfs_data,\\\"a\\\"\\n\"\n"
                     "#define WVFS_DATA_END \".popsection\\n\"\n"
                     "#endif\n"
                     "__asm__(WVFS_DATA_BEGIN \".hidden %s\\n.globl %s\\n%s:\\n\"\n"
                     "        \".incbin \\\"%s\\\"\\n.size %s, %llu\\n\" WVFS_DATA_END);\n"
                     "extern const char %s[];\n",
                (unsigned long long)g->data_len, g->data_path, data_sym, data_sym, data_sym,
                g->data_path, data_sym, (unsigned long long)g->data_len, data_sym);

    /* What the tables take on wasm32 (struct wvfs_dirent 12 bytes, wvfs_node 48),
     * names and symlink targets with their NULs, for the size report. */
    g->table_bytes = (uint64_t)g->nents * 12 + (uint64_t)g->nnodes * 48 + (uint64_t)g->nhtab * 4;
    for (uint32_t i = 0; i < g->nents; i++)
        g->table_bytes += g->ents[i].namelen + 1u;
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (g->nodes[n].type == WVFS_FILETYPE_SYMBOLIC_LINK)
            g->table_bytes += g->nodes[n].size + 1;
    if (g->nents > 0) {
        fputs("\nstatic const struct wvfs_dirent ents[] = {\n", g->out);
        for (uint32_t i = 0; i < g->nents; i++) {
            fputs("    {", g->out);
            put_literal(g->out, (const unsigned char *)g->ents[i].name, g->ents[i].namelen);
            fprintf(g->out, ", %u, %u},\n", g->ents[i].namelen, g->ents[i].node);
        }
        fputs("};\n", g->out);
    }
    if (g->nhtab > 0) {
        fputs("\n#define E 0xffffffffu\nstatic const uint32_t htab[] = {", g->out);
        for (uint32_t i = 0; i < g->nhtab; i++) {
            if (i % 16 == 0)
                fputs("\n   ", g->out);
            if (g->htab[i] == UINT32_MAX)
                fputs(" E,", g->out);
            else
                fprintf(g->out, " %u,", g->htab[i]);
        }
        fputs("\n};\n#undef E\n", g->out);
    }
    if (g->nnodes > 0)
        fputs("\nstatic const struct wvfs_node nodes[] = {\n", g->out);
    for (uint32_t n = 0; n < g->nnodes; n++) {
        const struct wvfs_node *x = &g->nodes[n];
        fprintf(g->out, "    {%lluu, %lluu, ", (unsigned long long)x->size,
                (unsigned long long)x->mtim);
        if (x->type == WVFS_FILETYPE_REGULAR_FILE && x->size > 0 && g->data_out)
            fprintf(g->out, "%s + %llu", data_sym, (unsigned long long)g->data_off[g->same[n]]);
        else if (x->type == WVFS_FILETYPE_REGULAR_FILE && x->size > 0)
            fprintf(g->out, "f%u", g->same[n]);
        else if (x->type == WVFS_FILETYPE_REGULAR_FILE)
            fputs("\"\"", g->out);
        else if (x->type == WVFS_FILETYPE_SYMBOLIC_LINK)
            put_literal(g->out, (const unsigned char *)x->data, (size_t)x->size);
        else
            fputs("NULL", g->out);
        fprintf(g->out, ", %u, %u, %u, %u, %u, %u},\n", x->first, x->parent, x->nlink, x->zsize, x->type,
                x->htab);
    }
    if (g->nnodes > 0)
        fputs("};\n", g->out);
    if (g->nmounts > 0) {
        fputs("\nstatic const struct wvfs_mount mounts[] = {\n", g->out);
        for (uint32_t m = 0; m < g->nmounts; m++) {
            fputs("    {", g->out);
            put_literal(g->out, (const unsigned char *)g->mounts[m].path, strlen(g->mounts[m].path));
            fprintf(g->out, ", %u, %u},\n", g->mounts[m].root, g->mounts[m].flags);
        }
        fputs("};\n", g->out);
    }
    if (g->any_compressed)
        emit_unzstd(g);
    if (g->nbases > 0) { /* the layers this image names: objects of their own */
        fputs("\n", g->out);
        for (uint32_t i = 0; i < g->nbases; i++)
            fprintf(g->out, "extern const struct wvfs_image wvfs_layer_%s;\n", g->bases[i]);
        fputs("static const struct wvfs_image *const layers[] = {", g->out);
        for (uint32_t i = 0; i < g->nbases; i++)
            fprintf(g->out, "%s&wvfs_layer_%s", i ? ", " : "", g->bases[i]);
        fputs("};\n", g->out);
    }
    if (g->layer)
        fprintf(g->out, "\n/* a layer: link it with an image made with --base %s */\n"
                        "const struct wvfs_image wvfs_layer_%s = ", g->layer, g->layer);
    else
        fputs("\nconst struct wvfs_image wvfs_image = ", g->out);
    fprintf(g->out, "{WVFS_IMAGE_ABI, %u, %u, %u, %s, %s, %s, %s, %s, %u, %s, %u};\n", g->nmounts,
            g->nnodes, g->nents, g->nmounts ? "mounts" : "NULL", g->nnodes ? "nodes" : "NULL",
            g->nents ? "ents" : "NULL", g->any_compressed ? "unzstd" : "NULL",
            g->nhtab ? "htab" : "NULL", g->nhtab, g->nbases ? "layers" : "NULL", g->nbases);
}
