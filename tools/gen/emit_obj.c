/* emit_obj.c — the image as a wasm32 relocatable object (-o FILE.o).
 *
 * The format wasm-ld links (WebAssembly tool-conventions, Linking.md), written
 * directly, so no C compiler ever parses the bytes: a memory import, one data
 * section, a "linking" section (symbols, segment names and alignments) and a
 * "reloc.DATA" section for the tables' pointers.  The file contents are
 * streamed into the first segment as they are read (its size and the
 * section's are 5-byte LEBs patched at the end), so the generator holds one
 * file at a time, never the payload.  The other segments are the tables,
 * laid out as wasm32 sees struct wvfs_* (wvfs_format.h).  Symbols: the
 * image (wvfs_image or wvfs_layer_NAME, global), the tables (local), and the
 * undefined ones the image names: wvfs_codec_zstd, its layers, and the
 * library files only some images need (wvfs__layers_linked, wvfs__pidx_linked,
 * wvfs__zfile_linked).  Several objects link into one program.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "wvfs_format.h"

/* Linking.md's numbers */
enum { SEC_IMPORT = 2, SEC_DATA = 11, SEC_CUSTOM = 0 };
enum { LINK_SEGMENT_INFO = 5, LINK_SYMBOL_TABLE = 8, LINK_VERSION = 2 };
enum { SYMTAB_DATA = 1 };
enum { SYM_BINDING_LOCAL = 0x2, SYM_UNDEFINED = 0x10 };
enum { R_WASM_MEMORY_ADDR_I32 = 5 };
enum { DATA_SECTION_INDEX = 1 }; /* the import section is 0 */

struct bytes {
    unsigned char *p;
    size_t n, cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = xrealloc(b->p, b->cap);
    }
    if (n > 0)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void leb(struct bytes *b, uint64_t v)
{
    do {
        unsigned char c = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v != 0)
            c |= 0x80;
        put(b, &c, 1);
    } while (v != 0);
}

static void sleb(struct bytes *b, int64_t v)
{
    for (;;) {
        unsigned char c = (unsigned char)(v & 0x7f);
        v >>= 7; /* arithmetic on every compiler we build with */
        int done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
        if (!done)
            c |= 0x80;
        put(b, &c, 1);
        if (done)
            return;
    }
}

static void name(struct bytes *b, const char *s)
{
    leb(b, strlen(s));
    put(b, s, strlen(s));
}

/* A LEB of exactly 5 bytes, so it can be written before its value is known. */
static void leb5(unsigned char out[5], uint32_t v)
{
    for (int i = 0; i < 5; i++, v >>= 7)
        out[i] = (unsigned char)((v & 0x7f) | (i < 4 ? 0x80 : 0));
}

enum { SEG_FILES, SEG_NAMES, SEG_HTAB, SEG_ENTS, SEG_NODES, SEG_MOUNTS, SEG_LAYERS, SEG_PULL, SEG_PAD, SEG_IMAGE,
       NSEGS };
static const struct {
    const char *name;
    uint32_t align; /* log2 */
} seginfo[NSEGS] = {
    {".rodata.wvfs_files", 0}, {".rodata.wvfs_names", 0}, {".rodata.wvfs_htab", 2},
    {".rodata.wvfs_ents", 2},  {".rodata.wvfs_nodes", 3}, {".rodata.wvfs_mounts", 2},
    {".rodata.wvfs_layers", 2}, {".rodata.wvfs_pull", 2}, {".rodata.wvfs_pad", 0},
    {".rodata.wvfs_image", 2},
};
/* With --room the files segment starts 8-aligned, so this writer knows every
 * gap the linker leaves, and zeros (SEG_PAD, kept by the RETAIN flag) put the
 * image struct at offset room: the image then takes the same span whatever
 * its contents, and every address after it stays where it was. */
#define ROOM_STEP ((uint64_t)64 << 10)
#define SEG_FLAG_RETAIN 4u
static uint32_t seg_align(const struct gen *g, int s)
{
    return s == SEG_FILES && g->room ? 3 : seginfo[s].align;
}

struct sym {
    char *name;
    uint32_t flags;
    int seg; /* -1: undefined */
};
struct reloc {
    int seg;
    uint32_t off, sym;
    int32_t addend;
};

struct obj {
    struct bytes seg[NSEGS];   /* all but SEG_FILES, which is streamed */
    uint64_t files_len;
    uint64_t dict_at;          /* the dictionary's offset in SEG_FILES (dict_in_files) */
    int dict_in_files;
    int present[NSEGS];
    uint32_t index[NSEGS];     /* the segment's index in the data section */
    uint32_t segsym[NSEGS];    /* the local symbol over each segment */
    struct sym *syms;
    uint32_t nsyms;
    struct reloc *relocs;
    uint32_t nrelocs, caprelocs;
    off_t section_at, files_size_at; /* file offsets of the two patched LEBs */
    off_t payload_at;               /* where the data section's contents start */
};

static uint32_t add_sym(struct obj *o, const char *nm, uint32_t flags, int seg)
{
    o->syms = xrealloc(o->syms, (o->nsyms + 1) * sizeof *o->syms);
    o->syms[o->nsyms] = (struct sym){xstrdup(nm), flags, seg};
    return o->nsyms++;
}

static void u32at(struct bytes *b, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static void u64at(struct bytes *b, size_t off, uint64_t v)
{
    u32at(b, off, (uint32_t)v);
    u32at(b, off + 4, (uint32_t)(v >> 32));
}

/* A pointer at seg[off] to sym + addend. */
static void ptr(struct obj *o, int seg, size_t off, uint32_t sym, uint64_t addend)
{
    if (addend > INT32_MAX)
        fail("the image is too large for wasm32 (an offset of %llu bytes)", (unsigned long long)addend);
    if (o->nrelocs == o->caprelocs) {
        o->caprelocs = o->caprelocs * 2 + 64;
        o->relocs = xrealloc(o->relocs, o->caprelocs * sizeof *o->relocs);
    }
    o->relocs[o->nrelocs++] = (struct reloc){seg, (uint32_t)off, sym, (int32_t)addend};
    u32at(&o->seg[seg], off, 0); /* the linker writes the address */
}

/* Room for n zero bytes at the end of seg; their offset. */
static size_t grow(struct obj *o, int seg, size_t n)
{
    static const unsigned char zero[64];
    size_t at = o->seg[seg].n;
    while (n > 0) {
        size_t k = n < sizeof zero ? n : sizeof zero;
        put(&o->seg[seg], zero, k);
        n -= k;
    }
    return at;
}

/* A NUL-terminated copy of p in the names segment; its offset. */
static size_t add_name(struct obj *o, const void *p, size_t n)
{
    size_t at = o->seg[SEG_NAMES].n;
    put(&o->seg[SEG_NAMES], p, n);
    put(&o->seg[SEG_NAMES], "", 1);
    return at;
}

static void writeall(struct gen *g, const void *p, size_t n)
{
    if (fwrite(p, 1, n, g->out) != n)
        fail("%s: write error: %s", g->outpath, strerror(errno));
}

/* A section: its id, its size, its contents. */
static void section(struct gen *g, unsigned char id, const struct bytes *payload)
{
    struct bytes sec = {0};
    put(&sec, &id, 1);
    leb(&sec, payload->n);
    put(&sec, payload->p, payload->n);
    writeall(g, sec.p, sec.n);
    free(sec.p);
}

static void obj_begin(struct gen *g)
{
    if (g->outpath == NULL)
        fail("an object needs -o FILE.o");
    g->obj = xrealloc(g->obj, sizeof *g->obj);
    struct obj *o = g->obj;
    memset(o, 0, sizeof *o);
    int any_bytes = 0;
    for (uint32_t n = 0; n < g->nnodes; n++)
        any_bytes |= g->nodes[n].type == WVFS_FILETYPE_REGULAR_FILE && g->nodes[n].size > 0;
    o->present[SEG_FILES] = any_bytes;
    o->present[SEG_NAMES] = o->present[SEG_IMAGE] = 1;
    o->present[SEG_HTAB] = g->nhtab > 0;
    o->present[SEG_ENTS] = g->nents > 0;
    o->present[SEG_NODES] = g->nnodes > 0;
    o->present[SEG_MOUNTS] = g->nmounts > 0;
    o->present[SEG_LAYERS] = g->nbases > 0;
    /* a packable program links every library file an image may need */
    o->present[SEG_PULL] = !g->packing && (g->nbases > 0 || g->pidx != 0 || g->compress);
    o->present[SEG_PAD] = g->room > 0;
    if (g->packing) { /* the module up to the image, whose files then stream in (pack.c) */
        pack_begin(g);
        return;
    }
    static const unsigned char head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    writeall(g, head, sizeof head);
    /* env.__linear_memory, as every LLVM object imports it */
    struct bytes imp = {0};
    leb(&imp, 1);
    name(&imp, "env");
    name(&imp, "__linear_memory");
    unsigned char kind_limits[3] = {0x02, 0x00, 0x00}; /* memory, no maximum, at least 0 pages */
    put(&imp, kind_limits, sizeof kind_limits);
    section(g, SEC_IMPORT, &imp);
    free(imp.p);

    /* The data section's header and the files segment's; the count of
     * segments is known now, their sizes at the end. */
    uint32_t nseg = 0;
    for (int s = 0; s < NSEGS; s++)
        if (o->present[s])
            o->index[s] = nseg++;
    unsigned char b[5], id = SEC_DATA;
    writeall(g, &id, 1);
    o->section_at = out_tell(g->out);
    leb5(b, 0);
    writeall(g, b, 5);
    o->payload_at = out_tell(g->out);
    struct bytes h = {0};
    leb(&h, nseg);
    if (any_bytes) {
        unsigned char seghead[4] = {0x00, 0x41, 0x00, 0x0b}; /* active, memory 0, at i32.const 0 */
        put(&h, seghead, sizeof seghead);
    }
    writeall(g, h.p, h.n);
    free(h.p);
    if (any_bytes) {
        o->files_size_at = out_tell(g->out);
        writeall(g, b, 5);
    }
}

/* len more bytes of the files segment; returns where they start in it. */
static uint64_t files_put(struct gen *g, const unsigned char *bytes, size_t len)
{
    struct obj *o = g->obj;
    uint64_t at = o->files_len;
    o->files_len += len;
    if (o->files_len > INT32_MAX)
        fail("the files take more than 2 GB: too large for a wasm32 image");
    writeall(g, bytes, len);
    return at;
}

static void obj_file(struct gen *g, uint32_t n, const unsigned char *bytes, size_t len)
{
    g->data_off[n] = files_put(g, bytes, len);
}

/* The tables, laid out as wasm32 sees them, with their relocations. */
/* A symbol over each segment: local ones, and the image's own name. */
static void segment_symbols(struct gen *g)
{
    struct obj *o = g->obj;
    char data_sym[128];
    data_symbol(g, data_sym, sizeof data_sym);
    static const char *const local_names[NSEGS] = {
        NULL, "wvfs__names", "wvfs__htab", "wvfs__ents", "wvfs__nodes",
        "wvfs__mounts", "wvfs__layers", "wvfs__pull", "wvfs__pad", NULL,
    };
    for (int s = 0; s < NSEGS; s++)
        if (o->present[s] && s != SEG_IMAGE)
            o->segsym[s] = add_sym(o, s == SEG_FILES ? data_sym : local_names[s], SYM_BINDING_LOCAL, s);
    char image_sym[128];
    snprintf(image_sym, sizeof image_sym, "%s%s", g->layer ? "wvfs_layer_" : "wvfs_image",
             g->layer ? g->layer : "");
    o->segsym[SEG_IMAGE] = add_sym(o, image_sym, 0, SEG_IMAGE);
}

/* The tables' rows: hash tables, entries, nodes, mounts, each pointer a
 * relocation against its segment's symbol. */
static void table_rows(struct gen *g)
{
    struct obj *o = g->obj;
    size_t empty = add_name(o, "", 0); /* what empty files point at, as "" in C */
    for (uint32_t i = 0; i < g->nhtab; i++)
        u32at(&o->seg[SEG_HTAB], grow(o, SEG_HTAB, 4), g->htab[i]);
    for (uint32_t i = 0; i < g->nents; i++) {
        size_t at = grow(o, SEG_ENTS, W32_DIRENT_BYTES);
        ptr(o, SEG_ENTS, at + W32_DIRENT_NAME, o->segsym[SEG_NAMES], add_name(o, g->ents[i].name, g->ents[i].namelen));
        u32at(&o->seg[SEG_ENTS], at + W32_DIRENT_NAMELEN, g->ents[i].namelen);
        u32at(&o->seg[SEG_ENTS], at + W32_DIRENT_NODE, g->ents[i].node);
    }
    for (uint32_t n = 0; n < g->nnodes; n++) {
        const struct wvfs_node *x = &g->nodes[n];
        size_t at = grow(o, SEG_NODES, W32_NODE_BYTES);
        struct bytes *b = &o->seg[SEG_NODES];
        u64at(b, at + W32_NODE_SIZE, x->size);
        u64at(b, at + W32_NODE_MTIM, x->mtim);
        if (x->type == WVFS_FILETYPE_REGULAR_FILE && x->size > 0)
            ptr(o, SEG_NODES, at + W32_NODE_DATA, o->segsym[SEG_FILES], g->data_off[g->same[n]]);
        else if (x->type == WVFS_FILETYPE_REGULAR_FILE)
            ptr(o, SEG_NODES, at + W32_NODE_DATA, o->segsym[SEG_NAMES], empty);
        else if (x->type == WVFS_FILETYPE_SYMBOLIC_LINK)
            ptr(o, SEG_NODES, at + W32_NODE_DATA, o->segsym[SEG_NAMES], add_name(o, x->data, (size_t)x->size));
        u32at(b, at + W32_NODE_FIRST, x->first);
        u32at(b, at + W32_NODE_PARENT, x->parent);
        u32at(b, at + W32_NODE_NLINK, x->nlink);
        u32at(b, at + W32_NODE_ZSIZE, x->zsize);
        b->p[at + W32_NODE_TYPE] = x->type;
        b->p[at + W32_NODE_ZFORM] = x->zform;
        u32at(b, at + W32_NODE_HTAB, x->htab);
        u32at(b, at + W32_NODE_ZOFF, x->zoff);
    }
    for (uint32_t m = 0; m < g->nmounts; m++) {
        size_t at = grow(o, SEG_MOUNTS, W32_MOUNT_BYTES);
        ptr(o, SEG_MOUNTS, at + W32_MOUNT_PATH, o->segsym[SEG_NAMES],
            add_name(o, g->mounts[m].path, strlen(g->mounts[m].path)));
        u32at(&o->seg[SEG_MOUNTS], at + W32_MOUNT_ROOT, g->mounts[m].root);
        u32at(&o->seg[SEG_MOUNTS], at + W32_MOUNT_FLAGS, g->mounts[m].flags);
    }
}

/* What the image links: its layers, and the parts of the library it needs
 * (undefined symbols the linker then pulls in). */
static void links_needed(struct gen *g)
{
    struct obj *o = g->obj;
    for (uint32_t i = 0; i < g->nbases; i++) {
        char layer[128];
        snprintf(layer, sizeof layer, "wvfs_layer_%s", g->bases[i]);
        ptr(o, SEG_LAYERS, grow(o, SEG_LAYERS, 4), add_sym(o, layer, SYM_UNDEFINED, -1), 0);
    }
    if (g->nbases > 0 && o->present[SEG_PULL]) /* links the library's merge of layers (wvfs_layers.c) */
        ptr(o, SEG_PULL, grow(o, SEG_PULL, 4), add_sym(o, "wvfs__layers_linked", SYM_UNDEFINED, -1), 0);
    if (g->pidx != 0 && o->present[SEG_PULL]) /* its lookups through the path index (wvfs_pidx.c) */
        ptr(o, SEG_PULL, grow(o, SEG_PULL, 4), add_sym(o, "wvfs__pidx_linked", SYM_UNDEFINED, -1), 0);
    if (g->compress && o->present[SEG_PULL]) /* its decoding of compressed files (wvfs_zfile.c; known to be
                       * needed only after the files, so asked for by --compress) */
        ptr(o, SEG_PULL, grow(o, SEG_PULL, 4), add_sym(o, "wvfs__zfile_linked", SYM_UNDEFINED, -1), 0);
}

/* The struct wvfs_image itself. */
static void image_struct(struct gen *g)
{
    struct obj *o = g->obj;
    size_t dict_len;
    const unsigned char *dict = compress_dict(g, &dict_len);
    size_t at = grow(o, SEG_IMAGE, W32_IMAGE_BYTES);
    struct bytes *im = &o->seg[SEG_IMAGE];
    u32at(im, at + W32_IMAGE_ABI, WVFS_IMAGE_ABI);
    u32at(im, at + W32_IMAGE_NMOUNTS, g->nmounts);
    u32at(im, at + W32_IMAGE_NNODES, g->nnodes);
    u32at(im, at + W32_IMAGE_NENTS, g->nents);
    if (g->nmounts)
        ptr(o, SEG_IMAGE, at + W32_IMAGE_MOUNTS, o->segsym[SEG_MOUNTS], 0);
    if (g->nnodes)
        ptr(o, SEG_IMAGE, at + W32_IMAGE_NODES, o->segsym[SEG_NODES], 0);
    if (g->nents)
        ptr(o, SEG_IMAGE, at + W32_IMAGE_ENTS, o->segsym[SEG_ENTS], 0);
    if (g->any_compressed)
        ptr(o, SEG_IMAGE, at + W32_IMAGE_CODEC, add_sym(o, "wvfs_codec_zstd", SYM_UNDEFINED, -1), 0);
    if (g->any_compressed && dict_len > 0) { /* after the files (dict_after_files), else among the names */
        if (o->dict_in_files)
            ptr(o, SEG_IMAGE, at + W32_IMAGE_DICT, o->segsym[SEG_FILES], o->dict_at);
        else
            ptr(o, SEG_IMAGE, at + W32_IMAGE_DICT, o->segsym[SEG_NAMES], add_name(o, dict, dict_len));
        u32at(im, at + W32_IMAGE_DICTLEN, (uint32_t)dict_len);
    }
    if (g->nhtab)
        ptr(o, SEG_IMAGE, at + W32_IMAGE_HTAB, o->segsym[SEG_HTAB], 0);
    u32at(im, at + W32_IMAGE_NHTAB, g->nhtab);
    if (g->nbases)
        ptr(o, SEG_IMAGE, at + W32_IMAGE_LAYERS, o->segsym[SEG_LAYERS], 0);
    u32at(im, at + W32_IMAGE_NLAYERS, g->nbases);
    u32at(im, at + W32_IMAGE_PIDX, g->pidx);
    u32at(im, at + W32_IMAGE_NPIDX, g->npidx);
}

static void build_tables(struct gen *g)
{
    segment_symbols(g);
    table_rows(g);
    links_needed(g);
    image_struct(g);
}

static void custom(struct gen *g, const char *nm, const struct bytes *body)
{
    struct bytes payload = {0};
    name(&payload, nm);
    put(&payload, body->p, body->n);
    section(g, SEC_CUSTOM, &payload);
    free(payload.p);
}

static void subsection(struct bytes *link, unsigned char type, const struct bytes *body)
{
    put(link, &type, 1);
    leb(link, body->n);
    put(link, body->p, body->n);
}

static int by_offset(const void *a, const void *b)
{
    const struct reloc *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* After the streamed files, the tables where an object would put them, every
 * pointer resolved for the image at g->pack_addr; pack.c finishes the module. */
static void pack_end(struct gen *g)
{
    struct obj *o = g->obj;
    static const unsigned char zero[8];
    uint64_t vaddr = o->files_len, at[NSEGS] = {0};
    for (int s = SEG_NAMES; s < NSEGS; s++) {
        if (!o->present[s])
            continue;
        uint64_t align = (uint64_t)1 << seginfo[s].align;
        at[s] = (vaddr + align - 1) & ~(align - 1);
        vaddr = at[s] + o->seg[s].n;
    }
    if (vaddr > UINT32_MAX - g->pack_addr)
        fail("the image is too large for wasm32");
    for (uint32_t i = 0; i < o->nrelocs; i++) {
        const struct reloc *r = &o->relocs[i];
        const struct sym *sy = &o->syms[r->sym];
        uint64_t v = sy->seg >= 0 ? g->pack_addr + at[sy->seg] : g->pack_codec; /* wvfs_codec_zstd */
        u32at(&o->seg[r->seg], r->off, (uint32_t)(v + (uint64_t)(int64_t)r->addend));
    }
    pack_tables(g, o->files_len, vaddr - o->files_len);
    uint64_t written = o->files_len;
    for (int s = SEG_NAMES; s < NSEGS; s++)
        if (o->present[s]) {
            writeall(g, zero, (size_t)(at[s] - written));
            writeall(g, o->seg[s].p, o->seg[s].n);
            written = at[s] + o->seg[s].n;
        }
    pack_finish(g, vaddr, (uint32_t)(g->pack_addr + at[SEG_IMAGE]));
}

/* The table segments, after the streamed files, each at its address; where
 * each starts in the section's contents (where its relocations land) in
 * seg_at; returns where the data section ends. */
static off_t table_segments(struct gen *g, uint32_t seg_at[NSEGS])
{
    struct obj *o = g->obj;
    uint64_t vaddr = o->files_len;
    for (int s = SEG_NAMES; s < NSEGS; s++) {
        if (s == SEG_PAD && g->room) {
            uint64_t image_at = (vaddr + 3) & ~(uint64_t)3;
            if (image_at > g->room) /* it has outgrown its room: a quarter more, in steps */
                g->room = (image_at + image_at / 4 + ROOM_STEP - 1) / ROOM_STEP * ROOM_STEP;
            o->seg[SEG_PAD].n = o->seg[SEG_PAD].cap = (size_t)(g->room - vaddr);
            o->seg[SEG_PAD].p = xrealloc(NULL, o->seg[SEG_PAD].n + 1);
            memset(o->seg[SEG_PAD].p, 0, o->seg[SEG_PAD].n);
        }
        if (!o->present[s])
            continue;
        uint64_t align = (uint64_t)1 << seg_align(g, s);
        vaddr = (vaddr + align - 1) & ~(align - 1);
        struct bytes h = {0};
        unsigned char c[2] = {0x00, 0x41}; /* active, memory 0, i32.const */
        put(&h, c, 2);
        sleb(&h, (int64_t)vaddr);
        c[0] = 0x0b;
        put(&h, c, 1);
        leb(&h, o->seg[s].n);
        writeall(g, h.p, h.n);
        seg_at[s] = (uint32_t)(out_tell(g->out) - o->payload_at);
        writeall(g, o->seg[s].p, o->seg[s].n);
        free(h.p);
        vaddr += o->seg[s].n;
        if (vaddr > UINT32_MAX / 2)
            fail("the image is too large for wasm32");
    }
    off_t data_end = out_tell(g->out);
    if (data_end - o->payload_at > (off_t)UINT32_MAX)
        fail("%s: the data section would pass 4 GiB", g->outpath);
    return data_end;
}

/* linking: the symbol table, then each segment's name and alignment. */
static void linking_section(struct gen *g)
{
    struct obj *o = g->obj;
    struct bytes link = {0}, body = {0};
    leb(&link, LINK_VERSION);
    leb(&body, o->nsyms);
    for (uint32_t i = 0; i < o->nsyms; i++) {
        const struct sym *s = &o->syms[i];
        unsigned char kind = SYMTAB_DATA;
        put(&body, &kind, 1);
        leb(&body, s->flags);
        name(&body, s->name);
        if (s->seg >= 0) {
            leb(&body, o->index[s->seg]);
            leb(&body, 0);
            leb(&body, s->seg == SEG_FILES ? o->files_len : o->seg[s->seg].n);
        }
    }
    subsection(&link, LINK_SYMBOL_TABLE, &body);
    body.n = 0;
    uint32_t nseg = 0;
    for (int s = 0; s < NSEGS; s++)
        nseg += o->present[s] != 0;
    leb(&body, nseg);
    for (int s = 0; s < NSEGS; s++)
        if (o->present[s]) {
            name(&body, seginfo[s].name);
            leb(&body, seg_align(g, s));
            leb(&body, s == SEG_PAD ? SEG_FLAG_RETAIN : 0);
        }
    subsection(&link, LINK_SEGMENT_INFO, &body);
    custom(g, "linking", &link);
    free(link.p), free(body.p);
}

/* reloc.DATA, in offset order. */
static void reloc_section(struct gen *g, const uint32_t seg_at[NSEGS])
{
    struct obj *o = g->obj;
    for (uint32_t i = 0; i < o->nrelocs; i++)
        o->relocs[i].off += seg_at[o->relocs[i].seg];
    qsort(o->relocs, o->nrelocs, sizeof *o->relocs, by_offset);
    struct bytes body = {0};
    leb(&body, DATA_SECTION_INDEX);
    leb(&body, o->nrelocs);
    for (uint32_t i = 0; i < o->nrelocs; i++) {
        unsigned char type = R_WASM_MEMORY_ADDR_I32;
        put(&body, &type, 1);
        leb(&body, o->relocs[i].off);
        leb(&body, o->relocs[i].sym);
        sleb(&body, o->relocs[i].addend);
    }
    custom(g, "reloc.DATA", &body);
    free(body.p);
}

/* The two sizes not known at the start, written over their placeholders;
 * then what the object was built in is freed. */
static void patch_sizes(struct gen *g, off_t data_end)
{
    struct obj *o = g->obj;
    unsigned char b[5];
    off_t end = out_tell(g->out);
    leb5(b, (uint32_t)(data_end - o->payload_at));
    out_seek(g->out, o->section_at);
    writeall(g, b, 5);
    if (o->present[SEG_FILES]) {
        leb5(b, (uint32_t)o->files_len);
        out_seek(g->out, o->files_size_at);
        writeall(g, b, 5);
    }
    out_seek(g->out, end);
    for (int s = 0; s < NSEGS; s++)
        free(o->seg[s].p);
    for (uint32_t i = 0; i < o->nsyms; i++)
        free(o->syms[i].name);
    free(o->syms), free(o->relocs);
}

/* The dictionary goes after the files, in their segment, not among the
 * tables: packed, that segment is passive, so only a run that decodes a
 * file needing the dictionary copies it in (wvfs_fetch.c); the tables are
 * copied by every instantiation. */
static void dict_after_files(struct gen *g)
{
    struct obj *o = g->obj;
    size_t len;
    const unsigned char *dict = compress_dict(g, &len);
    if (!g->any_compressed || len == 0 || !o->present[SEG_FILES])
        return;
    o->dict_at = files_put(g, dict, len);
    o->dict_in_files = 1;
}

static void obj_end(struct gen *g)
{
    dict_after_files(g);
    build_tables(g);
    if (g->packing) {
        pack_end(g);
        return;
    }
    uint32_t seg_at[NSEGS] = {0};
    off_t data_end = table_segments(g, seg_at);
    linking_section(g);
    reloc_section(g, seg_at);
    patch_sizes(g, data_end);
}

const struct writer obj_writer = {obj_begin, obj_file, obj_end};
