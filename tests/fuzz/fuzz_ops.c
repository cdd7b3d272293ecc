/* fuzz_ops.c — libFuzzer target: random operation sequences on the writable
 * overlay, each followed by the full invariant check (lib/wvfs_check.c) — the
 * model the tree must match: entries, lookups, link counts, parents, open
 * files, and an exact account of every byte held.  Runs under ASan and UBSan,
 * with a tight memory budget now and then so ENOSPC paths run too.
 *
 * Input: a stream of 3-byte ops: [op, a, b]; a and b pick names from a pool.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

int unit_passed, unit_failed;

static const char *const names[] = {
    "file", "a", "a/g", "a/self", "big", "link", "new", "new/x", "a/new", "d", "d/e", "d/e/f",
    "dirlink/", "chain05", "loop1", "a/..", ".", "x/", "d/", "a/self/g",
};
#define NNAMES (sizeof names / sizeof *names)

static uint64_t clock_ns;
static uint64_t now(void) { return ++clock_ns; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wvfs_state s;
    wvfs__state_init(&s, &fixture_rw);
    s.now = now;
    if (wvfs__fd_add_mounts(&s) != 0)
        abort();
    uint32_t fds[4] = {UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX};
    static char buf[70000];
    const wvfs_rights_t all = WVFS_RIGHTS_DIR_INHERITING & ~(wvfs_rights_t)0;
    for (size_t i = 0; i + 3 <= size; i += 3) {
        struct wvfs_fd *r = wvfs__fd_get(&s, 0);
        const char *a = names[data[i + 1] % NNAMES], *b = names[data[i + 2] % NNAMES];
        uint32_t k = data[i + 1] % 4;
        struct wvfs_fd *f = fds[k] == UINT32_MAX ? NULL : wvfs__fd_get(&s, fds[k]);
        struct wvfs_iovec v = {(uint8_t *)buf, (size_t)(data[i + 2]) * 251};
        size_t n;
        uint64_t pos;
        switch (data[i] % 16) {
        case 0: case 1: {
            if (f) {
                wvfs__fd_close(&s, fds[k]);
                fds[k] = UINT32_MAX;
            }
            wvfs_rights_t base = data[i] & 0x80 ? all & ~WVFS_RIGHTS_WRITE : all;
            uint32_t fd;
            if (wvfs__path_open(&s, r, data[i + 2] & 1, b, strlen(b), (uint16_t)(data[i] >> 4 & 15),
                               base, all, data[i + 2] & 2 ? WVFS_FDFLAG_APPEND : 0, &fd) == 0)
                fds[k] = fd;
            break;
        }
        case 2: if (f) { wvfs__fd_close(&s, fds[k]); fds[k] = UINT32_MAX; } break;
        case 3: if (f) wvfs__fd_write(&s, f, &v, 1, &n); break;
        case 4: if (f) wvfs__fd_pwrite(&s, f, &v, 1, data[i + 2] * 997u, &n); break;
        case 5: if (f) wvfs__fd_read(&s, f, &v, 1, &n); break;
        case 6: if (f) wvfs__fd_filestat_set_size(&s, f, data[i + 2] * 613u); break;
        case 7: if (f) wvfs__fd_seek(&s, f, (int8_t)data[i + 2] * 100, data[i] >> 4 & 3, &pos); break;
        case 8: wvfs__path_create_directory(&s, r, a, strlen(a)); break;
        case 9: wvfs__path_remove_directory(&s, r, a, strlen(a)); break;
        case 10: wvfs__path_unlink_file(&s, r, a, strlen(a)); break;
        case 11: wvfs__path_rename(&s, r, a, strlen(a), r, b, strlen(b)); break;
        case 12: wvfs__path_symlink(&s, b, strlen(b), r, a, strlen(a)); break;
        case 13: wvfs__path_link(&s, r, data[i] >> 4 & 1, a, strlen(a), r, b, strlen(b)); break;
        case 14: if (f) { uint8_t d[256]; wvfs__fd_readdir(&s, f, d, data[i + 2], 0, &n); } break;
        default: s.limit = data[i + 2] ? s.stats.bytes + data[i + 2] * 64u : 0; break;
        }
        const char *why = wvfs__state_check(&s);
        if (why) {
            fprintf(stderr, "invariant broken after op %zu: %s\n", i / 3, why);
            abort();
        }
    }
    wvfs__state_free(&s);
    return 0;
}
