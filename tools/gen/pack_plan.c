/* pack_plan.c — what pack changes in the module before writing it: whether
 * its files can go in a passive segment (the copy function needs a table of
 * the module's own, and types and imports this reader knows), and the linked
 * images' files that join them there, with each segment cut around them. */
#include <stdlib.h>
#include <string.h>

#include "pack.h"

/* --- where the copy function can go: 1 when the module's types, imports
 * and table 0 are of kinds this reader knows --- */
static int simple_valtype(unsigned char t)
{
    return (t >= 0x7b && t <= 0x7f) || t == 0x70 || t == 0x6f; /* numbers, v128, funcref, externref */
}

static int read_types(struct module *m)
{
    size_t p = m->sec[SEC_TYPE].at, end = m->sec[SEC_TYPE].end;
    uint64_t n = mod_uleb(m, &p, end);
    m->type3 = UINT32_MAX;
    for (uint64_t i = 0; i < n; i++) {
        if (p >= end || m->buf[p++] != 0x60)
            return 0; /* a GC proposal's type: not read here */
        int three_i32 = 1;
        for (int r = 0; r < 2; r++) {
            uint64_t k = mod_uleb(m, &p, end);
            if (k > end - p)
                mod_bad(m, "truncated or malformed (a type runs past its section)");
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
    uint64_t k = mod_uleb(m, p, end);
    if (k > end - *p)
        mod_bad(m, "truncated or malformed (a name runs past its section)");
    *p += (size_t)k;
}

static int count_imported_functions(struct module *m)
{
    if (m->sec[SEC_IMPORT].at == 0)
        return 1;
    size_t p = m->sec[SEC_IMPORT].at, end = m->sec[SEC_IMPORT].end;
    for (uint64_t i = 0, n = mod_uleb(m, &p, end); i < n; i++) {
        skip_name(m, &p, end);
        skip_name(m, &p, end);
        unsigned char kind = p < end ? m->buf[p++] : 0xff;
        if (kind == 0) { /* a function */
            mod_uleb(m, &p, end);
            m->nfuncs++;
        } else if (kind == 2) { /* a memory: its limits */
            uint64_t flags = mod_uleb(m, &p, end);
            mod_uleb(m, &p, end);
            if (flags & 1)
                mod_uleb(m, &p, end);
        } else if (kind == 3 && p + 1 < end && simple_valtype(m->buf[p])) { /* a global */
            p += 2;
        } else if (kind == 4) { /* a tag */
            mod_uleb(m, &p, end);
            mod_uleb(m, &p, end);
        } else {
            return 0; /* an imported table (not ours to grow), or a kind not known here */
        }
    }
    return 1;
}

static int read_table(struct module *m)
{
    size_t p = m->sec[SEC_TABLE].at, end = m->sec[SEC_TABLE].end;
    if (mod_uleb(m, &p, end) == 0 || p >= end || m->buf[p++] != 0x70)
        return 0; /* table 0 must hold funcrefs */
    m->table0_at = p;
    uint64_t flags = mod_uleb(m, &p, end);
    if (flags > 1)
        return 0;
    m->tmin = mod_uleb(m, &p, end);
    m->tmax = flags & 1 ? mod_uleb(m, &p, end) : UINT64_MAX;
    m->table0_end = p;
    m->copy_slot = (uint32_t)m->tmin;
    return m->tmin > 0 && m->tmin < UINT32_MAX - 1 && (m->tmax == UINT64_MAX || m->tmax < UINT32_MAX - 1);
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

/* The first span ending after addr (it holds addr if it starts at or
 * before it), or NULL. */
static const struct span *span_from(const struct module *m, uint32_t addr)
{
    uint32_t a = 0, b = m->nfiles;
    while (a < b) {
        uint32_t c = a + (b - a) / 2;
        if (m->files[c].hi <= addr)
            a = c + 1;
        else
            b = c;
    }
    return a < m->nfiles ? &m->files[a] : NULL;
}

/* Segment s less the linked files: its first run of other bytes stays s,
 * the others are added to m->extra. */
static void split(struct module *m, struct seg *s, uint32_t *cap)
{
    uint32_t end = s->addr + s->len, at = s->addr;
    int first = 1;
    s->keep_lo = s->keep_hi = s->addr;
    s->whole = !s->known || !s->plain || s->len == 0;
    while (!s->whole && at < end) {
        const struct span *f = span_from(m, at);
        if (f != NULL && f->lo <= at) { /* skip the files */
            at = f->hi < end ? f->hi : end;
            continue;
        }
        uint32_t stop = f != NULL && f->lo < end ? f->lo : end; /* up to the next file */
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
    if (!s->whole && !first && s->keep_lo == s->addr && s->keep_hi == end)
        s->whole = 1; /* no file in it after all */
}

/* The linked images' file bytes (each file's and symlink's stored bytes, and
 * each dictionary, read from the images' node tables), and for each segment
 * what stays active: its runs of bytes that are no file's. */
static void plan_linked_files(struct module *m)
{
    uint32_t imgs[65], nimg = mod_images(m, imgs), cap = 0;
    for (uint32_t k = 0; k < nimg; k++) {
        uint32_t nn = mod_u32(m, imgs[k] + W32_IMAGE_NNODES), at = mod_u32(m, imgs[k] + W32_IMAGE_NODES);
        if (nn == 0 || nn > UINT32_MAX / W32_NODE_BYTES)
            continue;
        unsigned char *t = xrealloc(NULL, (size_t)nn * W32_NODE_BYTES);
        mod_read(m, at, t, nn * W32_NODE_BYTES);
        for (uint32_t i = 0; i < nn; i++) {
            const char *e = (const char *)t + (size_t)i * W32_NODE_BYTES;
            uint64_t size = wvfs__le32(e + W32_NODE_SIZE) | (uint64_t)wvfs__le32(e + W32_NODE_SIZE + 4) << 32;
            uint32_t zsize = wvfs__le32(e + W32_NODE_ZSIZE);
            if ((unsigned char)e[W32_NODE_TYPE] != WVFS_FILETYPE_DIRECTORY)
                add_span(m, &cap, wvfs__le32(e + W32_NODE_DATA), zsize ? zsize : size);
        }
        free(t);
        add_span(m, &cap, mod_u32(m, imgs[k] + W32_IMAGE_DICT), mod_u32(m, imgs[k] + W32_IMAGE_DICTLEN));
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
    mod_read(m, m->blo, m->head, m->bhi - m->blo);
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
    uint64_t defined = mod_uleb(m, &p, m->sec[SEC_FUNCTION].end);
    if (defined + m->nfuncs >= UINT32_MAX)
        return;
    m->nfuncs += (uint32_t)defined;
    m->passive = 1;
}

void mod_plan(struct module *m)
{
    plan_copy(m);
    for (uint32_t i = 0; i < m->nsegs; i++)
        m->segs[i].whole = 1;
    if (m->passive)
        plan_linked_files(m);
    if (m->added && m->nextra != m->rec[10])
        mod_bad(m, "was packed by a pack that split its data otherwise; pack the module as it was linked");
}
