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

#include "pack.h"

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

/* An active segment's head (kind 0: memory or table 0) up to its contents:
 * the offset i32.const addr; its length in b. */
static size_t active_at(unsigned char *b, uint32_t addr)
{
    size_t n = 0;
    b[n++] = 0x00, b[n++] = 0x41;
    n += leb_to(b + n, addr, 1);
    b[n++] = 0x0b;
    return n;
}

/* An active data segment of len bytes at addr. */
static void put_active(FILE *f, uint32_t addr, const unsigned char *bytes, uint32_t len)
{
    unsigned char b[16];
    size_t n = active_at(b, addr);
    n += leb_to(b + n, len, 0);
    put(f, b, n);
    put(f, bytes, len);
}

/* The data count section: nsegs. */
static void put_datacount(FILE *f, uint32_t nsegs)
{
    unsigned char b[8];
    size_t n = leb_to(b, nsegs, 0);
    section_head(f, SEC_DATACOUNT, n);
    put(f, b, n);
}

/* A section whose vector gains one entry at its end: extra. */
static void section_plus(FILE *f, const struct module *m, unsigned char id, const unsigned char *extra, size_t n)
{
    unsigned char b[10];
    size_t k = 1;
    b[0] = 1;
    if (m->sec[id].at != 0) {
        size_t p = m->sec[id].at, end = m->sec[id].end;
        k = leb_to(b, mod_uleb(m, &p, end) + 1, 0);
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
        n = active_at(b, m->copy_slot); /* in table 0 at the new slot: one function */
        b[n++] = 1;
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

/* One of the module's own segments: as it was, or its first run of bytes
 * that are no linked file's (the files went to the passive segment). */
static void put_segment(FILE *f, const struct module *m, const struct seg *s)
{
    if (!s->restored && s->whole)
        put(f, m->buf + s->at, s->end - s->at);
    else
        put_active(f, s->keep_lo, s->bytes + (s->keep_lo - s->addr), s->keep_hi - s->keep_lo);
}

/* A later run of a cut segment, as a segment of its own. */
static void put_piece(FILE *f, const struct module *m, const struct span *p)
{
    unsigned char *bytes = xrealloc(NULL, p->hi - p->lo);
    mod_read(m, p->lo, bytes, p->hi - p->lo);
    put_active(f, p->lo, bytes, p->hi - p->lo);
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
        uint64_t size = mod_uleb(m, &p, m->len);
        size_t end_at = p + (size_t)size;
        unsigned char b[16];
        if (id == SEC_CODE && m->passive && m->sec[SEC_DATACOUNT].at == 0) { /* memory.init needs one */
            copy_parts(f, m, 0xff, &elem_done);
            put_datacount(f, nsegs);
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
            put_datacount(f, nsegs);
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
            size_t n = 1;
            if (m->passive)
                b[0] = 0x01; /* passive: the library copies a file in on its first use */
            else
                n = active_at(b, g->pack_addr);
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
    mod_bad(m, "has no data section (its library's slot would be in one)");
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
    size_t n = active_at(b, g->pack_addr + (uint32_t)len);
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
    size_t n = active_at(b, m->slot + (uint32_t)offsetof(struct wvfs_pack, image));
    b[n++] = 28; /* the slot's image, lo, hi, copy, fend, blo, bhi */
    le32(b + n, image_addr), le32(b + n + 4, g->pack_addr), le32(b + n + 8, (uint32_t)(min * PAGE));
    le32(b + n + 12, m->passive ? m->copy_slot : 0);
    le32(b + n + 16, g->pack_addr + (uint32_t)(m->passive ? m->files_len : 0));
    le32(b + n + 20, m->blo), le32(b + n + 24, m->bhi);
    put(f, b, n + 28);
    off_t data_end = out_tell(f);
    for (size_t p = m->rest_at; p < m->len;) { /* the sections after the data section */
        size_t start = p;
        unsigned char id = m->buf[p++];
        uint64_t size = mod_uleb(m, &p, m->len);
        size_t end_at = p + (size_t)size;
        size_t q = p;
        uint64_t nlen = id == SEC_CUSTOM ? mod_uleb(m, &q, end_at) : 0;
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
