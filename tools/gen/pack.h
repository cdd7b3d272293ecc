/* pack.h — the module pack reads and writes (pack_read.c, pack_plan.c,
 * pack.c), internal to wasivfs-gen pack. */
#ifndef PACK_H
#define PACK_H

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

/* pack_read.c: the module as linked */
_Noreturn void mod_bad(const struct module *m, const char *why);
uint64_t mod_uleb(const struct module *m, size_t *p, size_t end);
/* len bytes of memory at addr as the module starts */
void mod_read(const struct module *m, uint32_t addr, void *out, uint32_t len);
uint32_t mod_u32(const struct module *m, uint32_t addr);
/* The module's linked images: its image's layers, then the image; their count. */
uint32_t mod_images(const struct module *m, uint32_t imgs[65]);
/* pack_plan.c: whether the files can go passive (the copy function's place),
 * and the linked images' files moved with them (the segments cut around them) */
void mod_plan(struct module *m);

#endif
