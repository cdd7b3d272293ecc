/* pack_read.c — the module pack is given, read: its sections, its data
 * segments and the memory they make, its pack slot; an earlier pack's
 * additions undone, so what follows sees the module as linked. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pack.h"

_Noreturn void mod_bad(const struct module *m, const char *why)
{
    fail("%s: %s", m->path, why);
}

uint64_t mod_uleb(const struct module *m, size_t *p, size_t end)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (*p >= end || shift > 63)
            mod_bad(m, "truncated or malformed (a number runs past its section)");
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
            mod_bad(m, "truncated or malformed (a number runs past its section)");
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
void mod_read(const struct module *m, uint32_t addr, void *out, uint32_t len)
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

uint32_t mod_u32(const struct module *m, uint32_t addr)
{
    unsigned char b[4];
    mod_read(m, addr, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void parse_memory(struct module *m, size_t p, size_t end)
{
    if (mod_uleb(m, &p, end) != 1)
        mod_bad(m, "defines more or fewer than one memory");
    uint64_t flags = mod_uleb(m, &p, end);
    if (flags > 1)
        mod_bad(m, "its memory is shared or 64-bit, which pack does not place images in");
    m->min = mod_uleb(m, &p, end);
    m->max = flags & 1 ? mod_uleb(m, &p, end) : UINT64_MAX;
}

static void parse_data(struct module *m, size_t p, size_t end)
{
    uint64_t n = mod_uleb(m, &p, end);
    if (n > (end - p))
        mod_bad(m, "truncated or malformed (more data segments than bytes)");
    m->segs = xrealloc(NULL, (size_t)(n ? n : 1) * sizeof *m->segs);
    for (uint64_t i = 0; i < n; i++) {
        struct seg *s = &m->segs[i];
        s->at = p;
        uint64_t kind = mod_uleb(m, &p, end);
        s->known = 0;
        s->passive = kind == 1;
        s->plain = 0;
        s->restored = 0;
        if (kind == 0 || kind == 2) {
            if (kind == 2 && mod_uleb(m, &p, end) != 0)
                mod_bad(m, "has a data segment for a second memory");
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
            mod_bad(m, "has a data segment of an unknown kind");
        }
        uint64_t len = mod_uleb(m, &p, end);
        if (len > end - p)
            mod_bad(m, "truncated (a data segment runs past the end)");
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
        mod_bad(m, "its " RECORD " section is malformed");
    for (int i = 0; i < REC_WORDS; i++, p += 4)
        m->rec[i] = (uint32_t)m->buf[p] | (uint32_t)m->buf[p + 1] << 8 | (uint32_t)m->buf[p + 2] << 16 |
                     (uint32_t)m->buf[p + 3] << 24;
    if (m->rec[0] != REC_VERSION)
        mod_bad(m, "was packed by another version of wasivfs-gen; pack the module as it was linked");
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
            mod_bad(m, "was changed after it was packed (its " TRIMS " section does not match its data); pack the "
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
        mod_bad(m, "was changed after it was packed (its data is not what pack left); pack the module as it was "
            "linked");
    if (m->rec[9] > m->rec[8])
        restore_trimmed(m, s[0].bytes, m->rec[8], m->rec[9], x);
    m->nsegs = n;
    m->min = m->rec[2];
    m->max = m->rec[3] == 0 ? UINT64_MAX : m->rec[3] - 1u;
    m->copy_slot = m->rec[7];
    m->added = m->rec[7] != 0;
}

/* The module's linked images: its image's layers, then the image; their count. */
uint32_t mod_images(const struct module *m, uint32_t imgs[65])
{
    uint32_t nimg = 0;
    if (m->pk.base != 0) {
        uint32_t nl = mod_u32(m, m->pk.base + W32_IMAGE_NLAYERS), la = mod_u32(m, m->pk.base + W32_IMAGE_LAYERS);
        for (uint32_t i = 0; i < nl && nimg < 64; i++)
            if ((imgs[nimg] = mod_u32(m, la + 4 * i)) != 0)
                nimg++;
        imgs[nimg++] = m->pk.base;
    }
    return nimg;
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
            if (mod_u32(m, at + offsetof(struct wvfs_pack, self)) == at) {
                if (found != 0 && found != at)
                    mod_bad(m, "holds two wasi-vfs pack slots; link the library once");
                found = at;
            }
            q++;
        }
    }
    if (found == 0)
        mod_bad(m, "has no wasi-vfs pack slot: link it with -lwasi_vfs -Wl,-u,wvfs_pack");
    m->slot = found;
    mod_read(m, found, &m->pk, sizeof m->pk);
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
        mod_bad(m, "not a WebAssembly module");
    if (memcmp(m->buf + 4, head + 4, 4) != 0)
        mod_bad(m, "not a WebAssembly module of version 1 (a component? pack the core module it wraps)");
    for (size_t p = 8; p < m->len;) {
        unsigned char id = m->buf[p++];
        uint64_t size = mod_uleb(m, &p, m->len);
        if (size > m->len - p)
            mod_bad(m, "truncated (a section runs past the end of the file)");
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
            uint64_t nlen = mod_uleb(m, &q, end);
            if (nlen <= end - q && nlen == strlen(RECORD) && memcmp(m->buf + q, RECORD, (size_t)nlen) == 0)
                parse_record(m, q + (size_t)nlen, end);
            if (nlen <= end - q && nlen == strlen(TRIMS) && memcmp(m->buf + q, TRIMS, (size_t)nlen) == 0)
                m->trims = m->buf + q + nlen, m->ntrims = end - (q + (size_t)nlen);
        }
        p = end;
    }
    if (m->mem_at == 0)
        mod_bad(m, "defines no memory of its own (an imported memory cannot be given an image)");
    if (m->rec[0] != 0)
        undo_last_pack(m);
    find_slot(m);
    mod_plan(m);
    g->pack_addr = (uint32_t)(m->min * PAGE);
    if (m->min >= 65536)
        mod_bad(m, "its initial memory is already 4 GiB");
    g->pack_codec = m->pk.codec;
}

/* Pack adds mounts: a guest path the module's own image (or its layers)
 * mounts already is refused by name. */
void pack_check_mounts(const struct gen *g)
{
    const struct module *m = g->pack;
    uint32_t imgs[65], nimg = mod_images(m, imgs);
    for (uint32_t k = 0; k < nimg; k++) {
        uint32_t nm = mod_u32(m, imgs[k] + W32_IMAGE_NMOUNTS), ma = mod_u32(m, imgs[k] + W32_IMAGE_MOUNTS);
        for (uint32_t i = 0; i < nm && i < 4096; i++) {
            char path[4096];
            mod_read(m, mod_u32(m, ma + W32_MOUNT_BYTES * i + W32_MOUNT_PATH), path, sizeof path - 1);
            path[sizeof path - 1] = '\0';
            for (uint32_t j = 0; j < g->nmounts; j++)
                if (strcmp(path, g->mounts[j].path) == 0)
                    fail("%s: %s already mounts %s; pack mounts guest paths of its own (pick another)",
                         g->mounts[j].path, m->path, path);
        }
    }
}
