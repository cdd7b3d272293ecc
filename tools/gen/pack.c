/* pack.c — `wasivfs-gen pack IN.wasm ... -o OUT.wasm`: an app image placed
 * into a finished module linked with -lwasi_vfs -Wl,-u,wvfs_pack.
 *
 * The module's sections are read, its pack slot (wasi_vfs.h, struct
 * wvfs_pack) found by its magic and proved by its own address, and the image
 * (emit_obj.c, its pointers resolved for the address it will have) placed in
 * whole pages from the end of the initial memory; the memory's minimum (and
 * a maximum, if any) grows by those pages, and a small segment over the slot
 * says where the image lies.  trampoline/pack.c explains why the heap never
 * reaches it.
 *
 * The files' bytes go in a passive data segment, so instantiating the module
 * copies only the tables; the module's own linked images' files move there
 * too (the segments holding them are cut around them; a custom section
 * "wasi-vfs.trim" says how, for a later pack to undo).  The library copies a
 * file in on its first use,
 * through a function pack adds (local.get 0 1 2, memory.init SEG), reached
 * through a new entry of the function table whose index the slot gets.  The
 * function, its table entry and element segment are appended after what the
 * module has, so no index the module uses moves.  A module pack cannot
 * extend so (no table of its own, types or imports it does not know) gets
 * the files as an active segment, as the tables.
 *
 * A custom section "wasi-vfs.pack" records what was added, so a packed
 * module packed again loses its old app whole (the copy function stays).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "wvfs_format.h"

enum { SEC_CUSTOM = 0, SEC_TYPE = 1, SEC_IMPORT = 2, SEC_FUNCTION = 3, SEC_TABLE = 4, SEC_MEMORY = 5,
       SEC_ELEM = 9, SEC_CODE = 10, SEC_DATA = 11, SEC_DATACOUNT = 12, NSEC = 14 };
#define PAGE 65536u
#define RECORD "wasi-vfs.pack"
#define TRIMS "wasi-vfs.trim"
/* version, nsegs, min, max+1 (0: none), addr, len, slot, the copy function's
 * table index (0: the files are active), and the span of the linked images'
 * files moved to the passive segment's head (blo, bhi; equal: none), and the
 * segments added for the pieces of the module's own that stayed active */
enum { REC_VERSION = 2, REC_WORDS = 11 };

struct seg {
    size_t at, end;               /* its encoding in the data section's payload */
    int known;                    /* active in memory 0 at an i32.const address */
    int passive;
    int plain;                    /* kind 0: encoded as 00 41 addr 0b len bytes */
    uint32_t addr, len;
    const unsigned char *bytes;
    int restored;                 /* bytes rebuilt by undo_last_pack (owned) */
    uint32_t keep_lo, keep_hi;    /* its first piece that stays active (less the linked files) */
    int whole;                    /* kept as it is */
};

struct module {
    const char *path;
    unsigned char *buf;
    size_t len;
    size_t mem_at, mem_end;       /* the memory section's payload */
    size_t data_at, data_end;     /* the data section's payload */
    uint64_t min, max;            /* pages; max UINT64_MAX: none */
    struct seg *segs;
    uint32_t nsegs;               /* those of the module as linked (a repack drops the rest) */
    uint32_t rec[REC_WORDS];      /* the record of an earlier pack; rec[0] 0: none */
    uint32_t slot;                /* the pack slot's address */
    struct { size_t at, end; } sec[NSEC]; /* sections' payloads by id (at 0: absent) */
    int passive;                  /* the files go in a passive segment */
    int added;                    /* ... and the copy function is there already (a repack) */
    uint32_t type3;               /* the type (i32 i32 i32) -> (); UINT32_MAX: to add */
    uint32_t ntypes, nfuncs;      /* types; functions, imported ones included */
    uint64_t tmin, tmax;          /* table 0's limits; tmax UINT64_MAX: none */
    size_t table0_at, table0_end; /* table 0's limits in the table section */
    uint32_t copy_slot;           /* the copy function's table index */
    uint64_t files_len;           /* passive: the files' bytes (the tables follow) */
    /* The linked images' file bytes, moved to the passive segment's head: the
     * ranges their nodes and dictionaries take (sorted, merged), their span
     * [blo, bhi) and its bytes as linked. */
    struct span { uint32_t lo, hi; } *files;
    uint32_t nfiles, blo, bhi;
    unsigned char *head;
    struct span *extra;           /* the other pieces that stay active: new segments */
    uint32_t nextra;
    const unsigned char *trims;   /* an earlier pack's trim list, and its length */
    size_t ntrims;
    struct wvfs_pack pk;          /* its contents */
    /* where pack_begin left what pack_finish fills in: the memory's limits,
     * the data section's size, the image segment's size; and where the
     * module's sections after its data section start */
    off_t limits_at, data_size_at, image_size_at, data_payload_at, tables_size_at;
    size_t rest_at;
};

_Noreturn static void bad(const struct module *m, const char *why)
{
    fail("%s: %s", m->path, why);
}

static uint64_t uleb(const struct module *m, size_t *p, size_t end)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (*p >= end || shift > 63)
            bad(m, "truncated or malformed (a number runs past its section)");
        unsigned char c = m->buf[(*p)++];
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return v;
    }
}

static int64_t sleb32(const struct module *m, size_t *p, size_t end)
{
    int64_t v = 0;
    unsigned shift = 0;
    unsigned char c;
    do {
        if (*p >= end || shift > 35)
            bad(m, "truncated or malformed (a number runs past its section)");
        c = m->buf[(*p)++];
        v |= (int64_t)(c & 0x7f) << shift;
        shift += 7;
    } while (c & 0x80);
    if (shift < 64 && (c & 0x40))
        v -= (int64_t)1 << shift;
    return v;
}

/* len bytes of memory at addr as the module starts: its data segments, in
 * order (a later one wins), over zeros. */
static void mem_read(const struct module *m, uint32_t addr, void *out, uint32_t len)
{
    memset(out, 0, len);
    for (uint32_t i = 0; i < m->nsegs; i++) {
        const struct seg *s = &m->segs[i];
        uint64_t lo = addr > s->addr ? addr : s->addr;
        uint64_t hi = (uint64_t)addr + len < (uint64_t)s->addr + s->len ? (uint64_t)addr + len
                                                                         : (uint64_t)s->addr + s->len;
        if (s->known && lo < hi)
            memcpy((char *)out + (lo - addr), s->bytes + (lo - s->addr), (size_t)(hi - lo));
    }
}

static uint32_t mem_u32(const struct module *m, uint32_t addr)
{
    unsigned char b[4];
    mem_read(m, addr, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void parse_memory(struct module *m, size_t p, size_t end)
{
    if (uleb(m, &p, end) != 1)
        bad(m, "defines more or fewer than one memory");
    uint64_t flags = uleb(m, &p, end);
    if (flags > 1)
        bad(m, "its memory is shared or 64-bit, which pack does not place images in");
    m->min = uleb(m, &p, end);
    m->max = flags & 1 ? uleb(m, &p, end) : UINT64_MAX;
}

static void parse_data(struct module *m, size_t p, size_t end)
{
    uint64_t n = uleb(m, &p, end);
    if (n > (end - p))
        bad(m, "truncated or malformed (more data segments than bytes)");
    m->segs = xrealloc(NULL, (size_t)(n ? n : 1) * sizeof *m->segs);
    for (uint64_t i = 0; i < n; i++) {
        struct seg *s = &m->segs[i];
        s->at = p;
        uint64_t kind = uleb(m, &p, end);
        s->known = 0;
        s->passive = kind == 1;
        s->plain = 0;
        s->restored = 0;
        if (kind == 0 || kind == 2) {
            if (kind == 2 && uleb(m, &p, end) != 0)
                bad(m, "has a data segment for a second memory");
            s->plain = kind == 0;
            if (p < end && m->buf[p] == 0x41) { /* i32.const N end */
                p++;
                int64_t a = sleb32(m, &p, end);
                s->known = p < end && m->buf[p] == 0x0b;
                s->addr = (uint32_t)a;
            }
            while (p < end && m->buf[p] != 0x0b) /* another constant expression */
                p++;
            p++;
        } else if (kind != 1) {
            bad(m, "has a data segment of an unknown kind");
        }
        uint64_t len = uleb(m, &p, end);
        if (len > end - p)
            bad(m, "truncated (a data segment runs past the end)");
        s->len = (uint32_t)len;
        s->bytes = m->buf + p;
        p += len;
        s->end = p;
    }
    m->nsegs = (uint32_t)n;
}

static void parse_record(struct module *m, size_t p, size_t end)
{
    if (end - p != REC_WORDS * 4)
        bad(m, "its " RECORD " section is malformed");
    for (int i = 0; i < REC_WORDS; i++, p += 4)
        m->rec[i] = (uint32_t)m->buf[p] | (uint32_t)m->buf[p + 1] << 8 | (uint32_t)m->buf[p + 2] << 16 |
                     (uint32_t)m->buf[p + 3] << 24;
    if (m->rec[0] != REC_VERSION)
        bad(m, "was packed by another version of wasivfs-gen; pack the module as it was linked");
}

/* The module's segments an earlier pack trimmed, whole again: each as the
 * trim list says it was linked, its bytes from what stayed active and from the
 * passive segment's head (the linked files' span [blo, bhi) as linked). */
static void restore_trimmed(struct module *m, const unsigned char *head, uint32_t blo, uint32_t bhi, uint32_t x)
{
    for (size_t t = 0; t + 12 <= m->ntrims; t += 12) {
        const unsigned char *w = m->trims + t;
        uint32_t i = (uint32_t)wvfs__le32((const char *)w), addr = (uint32_t)wvfs__le32((const char *)w + 4),
                 len = (uint32_t)wvfs__le32((const char *)w + 8);
        struct seg *s = i < m->rec[1] ? &m->segs[i] : NULL;
        if (s == NULL || !s->known || !s->plain || len < s->len || s->addr < addr ||
            (uint64_t)s->addr + s->len > (uint64_t)addr + len || (uint64_t)addr + len > UINT32_MAX)
            bad(m, "was changed after it was packed (its " TRIMS " section does not match its data); pack the "
                "module as it was linked");
        unsigned char *b = xrealloc(NULL, len ? len : 1);
        memset(b, 0, len);
        uint64_t lo = addr > blo ? addr : blo, hi = (uint64_t)addr + len < bhi ? (uint64_t)addr + len : bhi;
        if (lo < hi)
            memcpy(b + (lo - addr), head + (lo - blo), (size_t)(hi - lo));
        if (s->len)
            memcpy(b + (s->addr - addr), s->bytes, s->len);
        for (uint32_t k = m->rec[1]; k < m->rec[1] + x; k++) { /* its other pieces */
            const struct seg *e = &m->segs[k];
            if (e->known && e->addr >= addr && (uint64_t)e->addr + e->len <= (uint64_t)addr + len && e->len)
                memcpy(b + (e->addr - addr), e->bytes, e->len);
        }
        s->addr = addr, s->len = len, s->bytes = b, s->restored = 1;
    }
}

/* A repacked module: what the last pack added to its data goes, the module
 * as linked stays (with the copy function, which serves the new image too:
 * its segment's index is the same). */
static void undo_last_pack(struct module *m)
{
    uint32_t n = m->rec[1], added = m->rec[7] != 0 ? 3 : 2, x = m->rec[10];
    const struct seg *s = x <= m->nsegs && n + x + added == m->nsegs ? m->segs + n + x : NULL;
    int ok = s != NULL && s[added - 1].known &&
             s[added - 1].addr == m->rec[6] + offsetof(struct wvfs_pack, image);
    if (ok && added == 2) /* the image, active */
        ok = s[0].known && s[0].addr == m->rec[4] && s[0].len == m->rec[5];
    uint32_t head = m->rec[9] >= m->rec[8] ? m->rec[9] - m->rec[8] : UINT32_MAX;
    if (ok && added == 3) /* the linked files and the image's, passive, then the tables */
        ok = s[0].passive && head <= s[0].len && s[1].known && s[1].addr == m->rec[4] + (s[0].len - head) &&
             (uint64_t)(s[0].len - head) + s[1].len == m->rec[5];
    if (ok && added == 2)
        ok = head == 0;
    if (!ok)
        bad(m, "was changed after it was packed (its data is not what pack left); pack the module as it was "
            "linked");
    if (m->rec[9] > m->rec[8])
        restore_trimmed(m, s[0].bytes, m->rec[8], m->rec[9], x);
    m->nsegs = n;
    m->min = m->rec[2];
    m->max = m->rec[3] == 0 ? UINT64_MAX : m->rec[3] - 1u;
    m->copy_slot = m->rec[7];
    m->added = m->rec[7] != 0;
}

/* --- where the copy function can go: 1 when the module's types, imports
 * and table 0 are of kinds this reader knows --- */
static int simple_valtype(unsigned char t)
{
    return (t >= 0x7b && t <= 0x7f) || t == 0x70 || t == 0x6f; /* numbers, v128, funcref, externref */
}

static int read_types(struct module *m)
{
    size_t p = m->sec[SEC_TYPE].at, end = m->sec[SEC_TYPE].end;
    uint64_t n = uleb(m, &p, end);
    m->type3 = UINT32_MAX;
    for (uint64_t i = 0; i < n; i++) {
        if (p >= end || m->buf[p++] != 0x60)
            return 0; /* a GC proposal's type: not read here */
        int three_i32 = 1;
        for (int r = 0; r < 2; r++) {
            uint64_t k = uleb(m, &p, end);
            if (k > end - p)
                bad(m, "truncated or malformed (a type runs past its section)");
            for (uint64_t j = 0; j < k; j++)
                if (!simple_valtype(m->buf[p + j]))
                    return 0;
            three_i32 &= r == 0 ? k == 3 && memcmp(m->buf + p, "\x7f\x7f\x7f", 3) == 0 : k == 0;
            p += (size_t)k;
        }
        if (three_i32 && m->type3 == UINT32_MAX)
            m->type3 = (uint32_t)i;
    }
    m->ntypes = (uint32_t)n;
    return n < UINT32_MAX;
}

static void skip_name(const struct module *m, size_t *p, size_t end)
{
    uint64_t k = uleb(m, p, end);
    if (k > end - *p)
        bad(m, "truncated or malformed (a name runs past its section)");
    *p += (size_t)k;
}

static int count_imported_functions(struct module *m)
{
    if (m->sec[SEC_IMPORT].at == 0)
        return 1;
    size_t p = m->sec[SEC_IMPORT].at, end = m->sec[SEC_IMPORT].end;
    for (uint64_t i = 0, n = uleb(m, &p, end); i < n; i++) {
        skip_name(m, &p, end);
        skip_name(m, &p, end);
        unsigned char kind = p < end ? m->buf[p++] : 0xff;
        if (kind == 0) { /* a function */
            uleb(m, &p, end);
            m->nfuncs++;
        } else if (kind == 2) { /* a memory: its limits */
            uint64_t flags = uleb(m, &p, end);
            uleb(m, &p, end);
            if (flags & 1)
                uleb(m, &p, end);
        } else if (kind == 3 && p + 1 < end && simple_valtype(m->buf[p])) { /* a global */
            p += 2;
        } else if (kind == 4) { /* a tag */
            uleb(m, &p, end);
            uleb(m, &p, end);
        } else {
            return 0; /* an imported table (not ours to grow), or a kind not known here */
        }
    }
    return 1;
}

static int read_table(struct module *m)
{
    size_t p = m->sec[SEC_TABLE].at, end = m->sec[SEC_TABLE].end;
    if (uleb(m, &p, end) == 0 || p >= end || m->buf[p++] != 0x70)
        return 0; /* table 0 must hold funcrefs */
    m->table0_at = p;
    uint64_t flags = uleb(m, &p, end);
    if (flags > 1)
        return 0;
    m->tmin = uleb(m, &p, end);
    m->tmax = flags & 1 ? uleb(m, &p, end) : UINT64_MAX;
    m->table0_end = p;
    m->copy_slot = (uint32_t)m->tmin;
    return m->tmin > 0 && m->tmin < UINT32_MAX - 1 && (m->tmax == UINT64_MAX || m->tmax < UINT32_MAX - 1);
}

/* The module's linked images: its image's layers, then the image; their count. */
static uint32_t linked_images(const struct module *m, uint32_t imgs[65])
{
    uint32_t nimg = 0;
    if (m->pk.base != 0) {
        uint32_t nl = mem_u32(m, m->pk.base + W32_IMAGE_NLAYERS), la = mem_u32(m, m->pk.base + W32_IMAGE_LAYERS);
        for (uint32_t i = 0; i < nl && nimg < 64; i++)
            if ((imgs[nimg] = mem_u32(m, la + 4 * i)) != 0)
                nimg++;
        imgs[nimg++] = m->pk.base;
    }
    return nimg;
}

static int by_lo(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void add_span(struct module *m, uint32_t *cap, uint64_t lo, uint64_t len)
{
    if (lo == 0 || len == 0 || lo + len > m->min * PAGE)
        return; /* nothing, or not the module's own data */
    if (m->nfiles == *cap)
        m->files = xrealloc(m->files, (*cap = *cap ? 2 * *cap : 256) * sizeof *m->files);
    m->files[m->nfiles++] = (struct span){(uint32_t)lo, (uint32_t)(lo + len)};
}

/* The span holding addr, or NULL. */
static const struct span *span_at(const struct module *m, uint32_t addr)
{
    uint32_t a = 0, b = m->nfiles;
    while (a < b) {
        uint32_t c = a + (b - a) / 2;
        if (m->files[c].hi <= addr)
            a = c + 1;
        else
            b = c;
    }
    return a < m->nfiles && m->files[a].lo <= addr ? &m->files[a] : NULL;
}

/* Segment s less the linked files: its first piece stays s, the others are
 * added to m->extra. */
static void split(struct module *m, struct seg *s, uint32_t *cap)
{
    uint32_t end = s->addr + s->len, at = s->addr;
    int first = 1;
    s->keep_lo = s->keep_hi = s->addr;
    s->whole = !s->known || !s->plain || s->len == 0;
    while (!s->whole && at < end) {
        const struct span *f = span_at(m, at);
        if (f != NULL) { /* skip the files */
            at = f->hi < end ? f->hi : end;
            continue;
        }
        uint32_t stop = end; /* up to the next file */
        const struct span *next = span_at(m, at);
        for (uint32_t a = 0, b = m->nfiles; a < b;) { /* the first span starting after at */
            uint32_t c = a + (b - a) / 2;
            if (m->files[c].lo <= at)
                a = c + 1;
            else
                b = c, next = &m->files[c];
        }
        if (next != NULL && next->lo < stop)
            stop = next->lo;
        if (first) {
            s->keep_lo = at, s->keep_hi = stop;
            first = 0;
        } else {
            if (m->nextra == *cap)
                m->extra = xrealloc(m->extra, (*cap = *cap ? 2 * *cap : 16) * sizeof *m->extra);
            m->extra[m->nextra++] = (struct span){at, stop};
        }
        at = stop;
    }
    if (!s->whole && first && span_at(m, s->addr) == NULL)
        s->whole = 1; /* no file in it after all */
    if (!s->whole && !first && s->keep_lo == s->addr && s->keep_hi == end)
        s->whole = 1;
}

/* The linked images' file bytes (each file's and symlink's stored bytes, and
 * each dictionary, read from the images' node tables), and for each segment
 * what stays active: its bytes less those at its start and end. */
static void plan_linked_files(struct module *m)
{
    uint32_t imgs[65], nimg = linked_images(m, imgs), cap = 0;
    for (uint32_t k = 0; k < nimg; k++) {
        uint32_t nn = mem_u32(m, imgs[k] + W32_IMAGE_NNODES), at = mem_u32(m, imgs[k] + W32_IMAGE_NODES);
        if (nn == 0 || nn > UINT32_MAX / W32_NODE_BYTES)
            continue;
        unsigned char *t = xrealloc(NULL, (size_t)nn * W32_NODE_BYTES);
        mem_read(m, at, t, nn * W32_NODE_BYTES);
        for (uint32_t i = 0; i < nn; i++) {
            const char *e = (const char *)t + (size_t)i * W32_NODE_BYTES;
            uint64_t size = wvfs__le32(e + W32_NODE_SIZE) | (uint64_t)wvfs__le32(e + W32_NODE_SIZE + 4) << 32;
            uint32_t zsize = wvfs__le32(e + W32_NODE_ZSIZE);
            if ((unsigned char)e[W32_NODE_TYPE] != WVFS_FILETYPE_DIRECTORY)
                add_span(m, &cap, wvfs__le32(e + W32_NODE_DATA), zsize ? zsize : size);
        }
        free(t);
        add_span(m, &cap, mem_u32(m, imgs[k] + W32_IMAGE_DICT), mem_u32(m, imgs[k] + W32_IMAGE_DICTLEN));
    }
    if (m->nfiles == 0)
        return;
    qsort(m->files, m->nfiles, sizeof *m->files, by_lo);
    uint32_t n = 0;
    for (uint32_t i = 1; i < m->nfiles; i++)
        if (m->files[i].lo <= m->files[n].hi)
            m->files[n].hi = m->files[i].hi > m->files[n].hi ? m->files[i].hi : m->files[n].hi;
        else
            m->files[++n] = m->files[i];
    m->nfiles = n + 1;
    m->blo = m->files[0].lo, m->bhi = m->files[n].hi;
    m->head = xrealloc(NULL, m->bhi - m->blo);
    mem_read(m, m->blo, m->head, m->bhi - m->blo);
    uint32_t pieces = 0;
    for (uint32_t i = 0; i < m->nsegs; i++)
        split(m, &m->segs[i], &pieces);
}

static void plan_copy(struct module *m)
{
    if (m->added) {
        m->passive = 1;
        return;
    }
    if (m->sec[SEC_TYPE].at == 0 || m->sec[SEC_FUNCTION].at == 0 || m->sec[SEC_TABLE].at == 0 ||
        m->sec[SEC_CODE].at == 0 || !read_types(m) || !count_imported_functions(m) || !read_table(m))
        return;
    size_t p = m->sec[SEC_FUNCTION].at;
    uint64_t defined = uleb(m, &p, m->sec[SEC_FUNCTION].end);
    if (defined + m->nfuncs >= UINT32_MAX)
        return;
    m->nfuncs += (uint32_t)defined;
    m->passive = 1;
}

static void find_slot(struct module *m)
{
    static const char magic[16] = WVFS_PACK_MAGIC;
    uint32_t found = 0;
    for (uint32_t i = 0; i < m->nsegs; i++) {
        const struct seg *s = &m->segs[i];
        for (const unsigned char *q = s->bytes; s->known && s->len >= sizeof magic;) {
            q = memmem(q, s->len - (size_t)(q - s->bytes), magic, sizeof magic);
            if (q == NULL)
                break;
            uint32_t at = s->addr + (uint32_t)(q - s->bytes);
            if (mem_u32(m, at + offsetof(struct wvfs_pack, self)) == at) {
                if (found != 0 && found != at)
                    bad(m, "holds two wasi-vfs pack slots; link the library once");
                found = at;
            }
            q++;
        }
    }
    if (found == 0)
        bad(m, "has no wasi-vfs pack slot: link it with -lwasi_vfs -Wl,-u,wvfs_pack");
    m->slot = found;
    mem_read(m, found, &m->pk, sizeof m->pk);
    if (m->pk.abi != WVFS_IMAGE_ABI)
        fail("%s: its wasi-vfs library reads image ABI %u, this wasivfs-gen writes %u; use the "
             "wasivfs-gen of the same release",
             m->path, m->pk.abi, WVFS_IMAGE_ABI);
}

void pack_open(struct gen *g, const char *path)
{
    struct module *m = g->pack = xrealloc(NULL, sizeof *g->pack);
    memset(m, 0, sizeof *m);
    m->path = path;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail("%s: cannot read: %s", path, strerror(errno));
    size_t cap = 1 << 20;
    m->buf = xrealloc(NULL, cap);
    for (size_t r; (r = fread(m->buf + m->len, 1, cap - m->len, f)) > 0;)
        if ((m->len += r) == cap)
            m->buf = xrealloc(m->buf, cap *= 2);
    if (ferror(f))
        fail("%s: read error: %s", path, strerror(errno));
    fclose(f);
    static const unsigned char head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    if (m->len < 8 || memcmp(m->buf, head, 4) != 0)
        bad(m, "not a WebAssembly module");
    if (memcmp(m->buf + 4, head + 4, 4) != 0)
        bad(m, "not a WebAssembly module of version 1 (a component? pack the core module it wraps)");
    for (size_t p = 8; p < m->len;) {
        unsigned char id = m->buf[p++];
        uint64_t size = uleb(m, &p, m->len);
        if (size > m->len - p)
            bad(m, "truncated (a section runs past the end of the file)");
        size_t end = p + (size_t)size;
        if (id > 0 && id < NSEC && m->sec[id].at == 0)
            m->sec[id].at = p, m->sec[id].end = end;
        if (id == SEC_MEMORY) {
            m->mem_at = p, m->mem_end = end;
            parse_memory(m, p, end);
        } else if (id == SEC_DATA) {
            m->data_at = p, m->data_end = end;
            parse_data(m, p, end);
        } else if (id == SEC_CUSTOM) {
            size_t q = p;
            uint64_t nlen = uleb(m, &q, end);
            if (nlen <= end - q && nlen == strlen(RECORD) && memcmp(m->buf + q, RECORD, (size_t)nlen) == 0)
                parse_record(m, q + (size_t)nlen, end);
            if (nlen <= end - q && nlen == strlen(TRIMS) && memcmp(m->buf + q, TRIMS, (size_t)nlen) == 0)
                m->trims = m->buf + q + nlen, m->ntrims = end - (q + (size_t)nlen);
        }
        p = end;
    }
    if (m->mem_at == 0)
        bad(m, "defines no memory of its own (an imported memory cannot be given an image)");
    if (m->rec[0] != 0)
        undo_last_pack(m);
    find_slot(m);
    plan_copy(m);
    for (uint32_t i = 0; i < m->nsegs; i++)
        m->segs[i].whole = 1;
    if (m->passive)
        plan_linked_files(m);
    if (m->added && m->nextra != m->rec[10])
        bad(m, "was packed by a pack that split its data otherwise; pack the module as it was linked");
    g->pack_addr = (uint32_t)(m->min * PAGE);
    if (m->min >= 65536)
        bad(m, "its initial memory is already 4 GiB");
    g->pack_codec = m->pk.codec;
}

/* Pack adds mounts: a guest path the module's own image (or its layers)
 * mounts already is refused by name. */
void pack_check_mounts(const struct gen *g)
{
    const struct module *m = g->pack;
    uint32_t imgs[65], nimg = linked_images(m, imgs);
    for (uint32_t k = 0; k < nimg; k++) {
        uint32_t nm = mem_u32(m, imgs[k] + W32_IMAGE_NMOUNTS), ma = mem_u32(m, imgs[k] + W32_IMAGE_MOUNTS);
        for (uint32_t i = 0; i < nm && i < 4096; i++) {
            char path[4096];
            mem_read(m, mem_u32(m, ma + W32_MOUNT_BYTES * i + W32_MOUNT_PATH), path, sizeof path - 1);
            path[sizeof path - 1] = '\0';
            for (uint32_t j = 0; j < g->nmounts; j++)
                if (strcmp(path, g->mounts[j].path) == 0)
                    fail("%s: %s already mounts %s; pack mounts guest paths of its own (pick another)",
                         g->mounts[j].path, m->path, path);
        }
    }
}

static void put(FILE *f, const void *p, size_t n)
{
    if (n > 0 && fwrite(p, 1, n, f) != n)
        fail("write error: %s", strerror(errno));
}

/* v as a LEB128 into b (signed: v is an i32's value); its length. */
static size_t leb_to(unsigned char *b, uint64_t v, int sign)
{
    int64_t sv = (int32_t)(uint32_t)v;
    size_t n = 0;
    for (;;) {
        unsigned char c = (unsigned char)((sign ? (uint64_t)sv : v) & 0x7f);
        int done;
        if (sign) {
            sv >>= 7; /* arithmetic on every compiler we build with */
            done = (sv == 0 && !(c & 0x40)) || (sv == -1 && (c & 0x40));
        } else {
            v >>= 7;
            done = v == 0;
        }
        if (done)
            return b[n++] = c, n;
        b[n++] = c | 0x80;
    }
}

/* A u32 as a LEB of exactly 5 bytes (valid wasm), so it can be written
 * before its value is known and patched in place. */
static void leb5(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 5; i++, v >>= 7)
        b[i] = (unsigned char)((v & 0x7f) | (i < 4 ? 0x80 : 0));
}

static void section_head(FILE *f, unsigned char id, uint64_t size)
{
    unsigned char b[11];
    b[0] = id;
    put(f, b, 1 + leb_to(b + 1, size, 0));
}

static void le32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

/* A section whose vector gains one entry at its end: extra. */
static void section_plus(FILE *f, const struct module *m, unsigned char id, const unsigned char *extra, size_t n)
{
    unsigned char b[10];
    size_t k = 1;
    b[0] = 1;
    if (m->sec[id].at != 0) {
        size_t p = m->sec[id].at, end = m->sec[id].end;
        k = leb_to(b, uleb(m, &p, end) + 1, 0);
        section_head(f, id, k + (end - p) + n);
        put(f, b, k);
        put(f, m->buf + p, end - p);
    } else {
        section_head(f, id, 1 + n);
        put(f, b, 1);
    }
    put(f, extra, n);
}

/* The copy function and what reaches it, in the sections before the data:
 * its type (if the module has none such), its entry in the function and code
 * sections, table 0 one entry longer, and an element segment putting the
 * function there.  Called for each section in order; `id` 0xff: the end of
 * the sections that may precede the data (elem and data count, if the
 * module has none, go in before code). */
static int copy_parts(FILE *f, struct module *m, unsigned char id, int *elem_done)
{
    unsigned char b[32];
    size_t n = 0;
    if (!m->passive || m->added)
        return 0;
    if (!*elem_done && (id == SEC_ELEM || id == SEC_DATACOUNT || id == SEC_CODE || id == 0xff)) {
        b[n++] = 0x00, b[n++] = 0x41; /* active in table 0 at i32.const slot: one function */
        n += leb_to(b + n, m->copy_slot, 1);
        b[n++] = 0x0b, b[n++] = 1;
        n += leb_to(b + n, m->nfuncs, 0);
        section_plus(f, m, SEC_ELEM, b, n);
        *elem_done = 1;
        if (id == SEC_ELEM)
            return 1;
        n = 0;
    }
    if (id == SEC_TYPE && m->type3 == UINT32_MAX) {
        static const unsigned char t[] = {0x60, 3, 0x7f, 0x7f, 0x7f, 0};
        section_plus(f, m, SEC_TYPE, t, sizeof t);
        m->type3 = m->ntypes;
        return 1;
    }
    if (id == SEC_FUNCTION) {
        section_plus(f, m, SEC_FUNCTION, b, leb_to(b, m->type3, 0));
        return 1;
    }
    if (id == SEC_TABLE) {
        size_t at = m->sec[SEC_TABLE].at, end = m->sec[SEC_TABLE].end;
        n = leb_to(b, m->tmax == UINT64_MAX ? 0 : 1, 0);
        n += leb_to(b + n, m->tmin + 1, 0);
        if (m->tmax != UINT64_MAX)
            n += leb_to(b + n, m->tmax + 1, 0);
        section_head(f, SEC_TABLE, (m->table0_at - at) + n + (end - m->table0_end));
        put(f, m->buf + at, m->table0_at - at);
        put(f, b, n);
        put(f, m->buf + m->table0_end, end - m->table0_end);
        return 1;
    }
    if (id == SEC_CODE) { /* no locals; memory.init SEG (the files), memory 0 */
        unsigned char body[24];
        size_t k = 0;
        body[k++] = 0;
        body[k++] = 0x20, body[k++] = 0, body[k++] = 0x20, body[k++] = 1, body[k++] = 0x20, body[k++] = 2;
        body[k++] = 0xfc, body[k++] = 0x08;
        k += leb_to(body + k, m->nsegs + m->nextra, 0);
        body[k++] = 0, body[k++] = 0x0b;
        n = leb_to(b, k, 0);
        memcpy(b + n, body, k);
        section_plus(f, m, SEC_CODE, b, n + k);
        return 1;
    }
    return 0;
}

/* One of the module's own segments: as it was, or what stays active of it
 * (the linked files at its ends went to the passive segment). */
static void put_segment(FILE *f, const struct module *m, const struct seg *s)
{
    if (!s->restored && s->whole) {
        put(f, m->buf + s->at, s->end - s->at);
        return;
    }
    unsigned char b[16];
    size_t n = 0;
    b[n++] = 0x00, b[n++] = 0x41;
    n += leb_to(b + n, s->keep_lo, 1);
    b[n++] = 0x0b;
    n += leb_to(b + n, s->keep_hi - s->keep_lo, 0);
    put(f, b, n);
    put(f, s->bytes + (s->keep_lo - s->addr), s->keep_hi - s->keep_lo);
}

/* A piece of a module segment that stays active, as a segment of its own. */
static void put_piece(FILE *f, const struct module *m, const struct span *p)
{
    unsigned char b[16], *bytes = xrealloc(NULL, p->hi - p->lo);
    size_t n = 0;
    mem_read(m, p->lo, bytes, p->hi - p->lo);
    b[n++] = 0x00, b[n++] = 0x41;
    n += leb_to(b + n, p->lo, 1);
    b[n++] = 0x0b;
    n += leb_to(b + n, p->hi - p->lo, 0);
    put(f, b, n);
    put(f, bytes, p->hi - p->lo);
    free(bytes);
}

/* The output up to the image's first byte: every section before the data
 * section as it was (the memory's limits as placeholders, the copy function
 * added), then the data section's segments as linked and the header of the
 * segment the files stream into. */
void pack_begin(struct gen *g)
{
    struct module *m = g->pack;
    FILE *f = g->out;
    int elem_done = 0;
    uint32_t nsegs = m->nsegs + m->nextra + (m->passive ? 3u : 2u);
    put(f, m->buf, 8);
    for (size_t p = 8; p < m->len;) {
        size_t start = p;
        unsigned char id = m->buf[p++];
        uint64_t size = uleb(m, &p, m->len);
        size_t end_at = p + (size_t)size;
        unsigned char b[16];
        if (id == SEC_CODE && m->passive && m->sec[SEC_DATACOUNT].at == 0) { /* memory.init needs one */
            copy_parts(f, m, 0xff, &elem_done);
            size_t n = leb_to(b, nsegs, 0);
            section_head(f, SEC_DATACOUNT, n);
            put(f, b, n);
        }
        if (copy_parts(f, m, id, &elem_done)) {
        } else if (id == SEC_MEMORY) {
            int has_max = m->max != UINT64_MAX;
            section_head(f, id, 2 + 5 + (has_max ? 5u : 0u));
            b[0] = 1, b[1] = (unsigned char)has_max;
            put(f, b, 2);
            m->limits_at = out_tell(f);
            leb5(b, 0), leb5(b + 5, 0);
            put(f, b, has_max ? 10 : 5);
        } else if (id == SEC_DATACOUNT) {
            size_t n = leb_to(b, nsegs, 0);
            section_head(f, id, n);
            put(f, b, n);
        } else if (id == SEC_DATA) {
            b[0] = SEC_DATA;
            put(f, b, 1);
            m->data_size_at = out_tell(f);
            leb5(b, 0);
            put(f, b, 5);
            m->data_payload_at = out_tell(f);
            put(f, b, leb_to(b, nsegs, 0));
            for (uint32_t i = 0; i < m->nsegs; i++)
                put_segment(f, m, &m->segs[i]);
            for (uint32_t i = 0; i < m->nextra; i++)
                put_piece(f, m, &m->extra[i]);
            size_t n = 0;
            if (m->passive) {
                b[n++] = 0x01; /* passive: the library copies a file in on its first use */
            } else {
                b[n++] = 0x00, b[n++] = 0x41; /* active, memory 0, at i32.const A */
                n += leb_to(b + n, g->pack_addr, 1);
                b[n++] = 0x0b;
            }
            put(f, b, n);
            m->image_size_at = out_tell(f);
            leb5(b, 0);
            put(f, b, 5);
            put(f, m->head, m->bhi - m->blo); /* the linked images' files lead */
            m->rest_at = end_at;
            return;
        } else {
            put(f, m->buf + start, end_at - start);
        }
        p = end_at;
    }
    bad(m, "has no data section (its library's slot would be in one)");
}

/* After the files' len bytes: with the files passive, the header of the
 * active segment the tables (tlen bytes) then stream into. */
void pack_tables(struct gen *g, uint64_t len, uint64_t tlen)
{
    struct module *m = g->pack;
    m->files_len = len;
    if (!m->passive)
        return;
    if (len > UINT32_MAX || tlen > UINT32_MAX || (uint64_t)g->pack_addr + len + tlen > UINT32_MAX)
        fail("%s: the image (%llu bytes) does not fit in wasm32's 4 GiB beside the program", m->path,
             (unsigned long long)(len + tlen));
    unsigned char b[16];
    size_t n = 0;
    b[n++] = 0x00, b[n++] = 0x41;
    n += leb_to(b + n, g->pack_addr + (uint32_t)len, 1);
    b[n++] = 0x0b;
    leb5(b + n, (uint32_t)tlen);
    put(g->out, b, n + 5);
}

/* The segments this pack trimmed, as (index, address, length) when linked:
 * what a later pack needs to make them whole again. */
static void put_trims(FILE *f, const struct module *m)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nsegs; i++)
        k += !m->segs[i].whole;
    if (k == 0)
        return;
    unsigned char b[16];
    size_t n = leb_to(b, strlen(TRIMS), 0);
    section_head(f, SEC_CUSTOM, n + strlen(TRIMS) + 12 * (uint64_t)k);
    put(f, b, n);
    put(f, TRIMS, strlen(TRIMS));
    for (uint32_t i = 0; i < m->nsegs; i++) {
        const struct seg *s = &m->segs[i];
        if (s->whole)
            continue;
        le32(b, i), le32(b + 4, s->addr), le32(b + 8, s->len);
        put(f, b, 12);
    }
}

static void patch(FILE *f, off_t at, const unsigned char *b, size_t n)
{
    out_seek(f, at);
    put(f, b, n);
}

/* After the image's len bytes: the segment over the slot, the placeholders
 * filled in, the module's remaining sections and the record of this pack. */
void pack_finish(struct gen *g, uint64_t len, uint32_t image_addr)
{
    struct module *m = g->pack;
    FILE *f = g->out;
    uint64_t end = (uint64_t)g->pack_addr + len;
    uint64_t min = (end + PAGE - 1) / PAGE;
    if (min > 65536 || len > UINT32_MAX)
        fail("%s: the image (%llu bytes) does not fit in wasm32's 4 GiB beside the program", m->path,
             (unsigned long long)len);
    uint64_t max = m->max == UINT64_MAX ? UINT64_MAX : m->max + (min - m->min);
    if (max != UINT64_MAX && max > 65536)
        max = 65536;
    unsigned char b[32];
    size_t n = 0;
    b[n++] = 0x00, b[n++] = 0x41; /* the slot's image, lo, hi, copy, fend, blo, bhi */
    n += leb_to(b + n, m->slot + (uint32_t)offsetof(struct wvfs_pack, image), 1);
    b[n++] = 0x0b, b[n++] = 28;
    le32(b + n, image_addr), le32(b + n + 4, g->pack_addr), le32(b + n + 8, (uint32_t)(min * PAGE));
    le32(b + n + 12, m->passive ? m->copy_slot : 0);
    le32(b + n + 16, g->pack_addr + (uint32_t)(m->passive ? m->files_len : 0));
    le32(b + n + 20, m->blo), le32(b + n + 24, m->bhi);
    put(f, b, n + 28);
    off_t data_end = out_tell(f);
    for (size_t p = m->rest_at; p < m->len;) { /* the sections after the data section */
        size_t start = p;
        unsigned char id = m->buf[p++];
        uint64_t size = uleb(m, &p, m->len);
        size_t end_at = p + (size_t)size;
        size_t q = p;
        uint64_t nlen = id == SEC_CUSTOM ? uleb(m, &q, end_at) : 0;
        int ours = id == SEC_CUSTOM && ((nlen == strlen(RECORD) && memcmp(m->buf + q, RECORD, (size_t)nlen) == 0) ||
                                        (nlen == strlen(TRIMS) && memcmp(m->buf + q, TRIMS, (size_t)nlen) == 0));
        if (!ours)
            put(f, m->buf + start, end_at - start);
        p = end_at;
    }
    unsigned char rec[1 + sizeof RECORD + 4 * REC_WORDS];
    size_t r = leb_to(rec, strlen(RECORD), 0);
    memcpy(rec + r, RECORD, strlen(RECORD));
    r += strlen(RECORD);
    uint32_t w[REC_WORDS] = {REC_VERSION, m->nsegs, (uint32_t)m->min,
                             m->max == UINT64_MAX ? 0 : (uint32_t)m->max + 1u, g->pack_addr, (uint32_t)len,
                             m->slot, m->passive ? m->copy_slot : 0, m->blo, m->bhi, m->nextra};
    for (int i = 0; i < REC_WORDS; i++, r += 4)
        le32(rec + r, w[i]);
    section_head(f, SEC_CUSTOM, r);
    put(f, rec, r);
    put_trims(f, m);
    off_t file_end = out_tell(f);
    if (data_end - m->data_payload_at > (off_t)UINT32_MAX)
        fail("%s: the data section would pass 4 GiB", m->path);
    leb5(b, (uint32_t)min), leb5(b + 5, (uint32_t)max);
    patch(f, m->limits_at, b, max == UINT64_MAX ? 5 : 10);
    leb5(b, (uint32_t)(data_end - m->data_payload_at));
    patch(f, m->data_size_at, b, 5);
    leb5(b, (uint32_t)(m->passive ? (m->bhi - m->blo) + m->files_len : len));
    patch(f, m->image_size_at, b, 5);
    out_seek(f, file_end);
}
