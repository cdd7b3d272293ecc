/* unit.h — a tiny test harness for the host unit tests of lib/ (ASan+UBSan).
 * CHECK counts and reports; main.c prints "N passed, N failed" and fails the
 * run on any failure.  fixture.c builds the hand-made image the tests share. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

#include "wvfs_dir.h"
#include "wvfs_fdtab.h"
#include "wvfs_ops.h"
#include "wvfs_path.h"
#include "wvfs_zfile.h"

extern int unit_passed, unit_failed;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (cond) {                                                                        \
            unit_passed++;                                                                 \
        } else {                                                                           \
            unit_failed++;                                                                 \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                         \
        }                                                                                  \
    } while (0)
#define CHECK_EQ(a, b)                                                                     \
    do {                                                                                   \
        long long a_ = (long long)(a), b_ = (long long)(b);                                \
        if (a_ == b_) {                                                                    \
            unit_passed++;                                                                 \
        } else {                                                                           \
            unit_failed++;                                                                 \
            printf("FAIL %s:%d: %s == %s: %lld vs %lld\n", __FILE__, __LINE__, #a, #b, a_, b_); \
        }                                                                                  \
    } while (0)

/* The fixture: one mount "/m".  Node numbers are the F_ constants. */
enum {
    F_ROOT, F_A, F_FILE, F_LINK, F_LOOP1, F_LOOP2, F_UP, F_DIRLINK, F_G, F_SELF, F_ABS, F_BIG, F_Z,
    F_CHAIN0, /* F_CHAIN0 + i links to chain(i+1); chain31 links to "file" */
    F_NODES = F_CHAIN0 + 32
};
extern struct wvfs_image fixture, fixture_rw;
/* The fixture's codec (bytes stored reversed), and how many decodes it made. */
extern const struct wvfs_codec reversed;
extern unsigned decoded;

/* Resolve from the fixture root; returns errno, node through *n. */
wvfs_errno_t fx_resolve(const char *path, int follow, uint32_t *n);
/* The same from any directory node, with the full answer in *w (if not NULL). */
wvfs_errno_t fx_where(uint32_t dir, const char *path, size_t len, int follow, uint32_t *n,
                      struct wvfs_where *w);

/* The whole of `path` under s's fd 0 into buf (NUL-terminated, at most
 * cap - 1 bytes); its length, or SIZE_MAX when it does not open. */
size_t fx_read_all(struct wvfs_state *s, const char *path, char *buf, size_t cap);

void test_image(void);
void test_path(void);
void test_pidx(void);
void test_fdtab(void);
void test_fileops(void);
void test_pathops(void);
void test_overlay(void);
void test_block(void);
void test_passive(void);

#endif
