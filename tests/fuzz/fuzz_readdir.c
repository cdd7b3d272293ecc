/* fuzz_readdir.c — libFuzzer target: fd_readdir into random buffers from
 * random cookies, on an image directory and on an overlay directory with holes.
 * Each answer must be exactly the full listing's bytes from that cookie's entry
 * on, cut at the buffer's end — the spec's truncation rule — and never more.
 *
 * Input: byte 0 shapes the overlay directory (which entries to delete), then
 * pairs [cookie, buffer size / 4].
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

int unit_passed, unit_failed;

static uint8_t full[8192], got[1100];

/* Byte offset in `full` of the entry at position `pos` (. and .. count). */
static size_t offset_of(const uint8_t *b, size_t used, uint64_t pos)
{
    size_t at = 0;
    for (uint64_t p = 0; p < pos && at + sizeof(struct wvfs_dirent_hdr) <= used; p++) {
        struct wvfs_dirent_hdr h;
        memcpy(&h, b + at, sizeof h);
        at += sizeof h + h.d_namlen;
    }
    return at < used ? at : used;
}

static void check_dir(struct wvfs_state *s, struct wvfs_fd *d, const uint8_t *data, size_t size)
{
    size_t used;
    if (wvfs__fd_readdir(s, d, full, sizeof full, 0, &used) != 0 || used == sizeof full)
        abort();
    /* cookies are d_next values; map each to its position in the full listing */
    uint64_t cookies[600];
    size_t ncookies = 0, at = 0;
    cookies[ncookies++] = 0;
    while (at + sizeof(struct wvfs_dirent_hdr) <= used && ncookies < 600) {
        struct wvfs_dirent_hdr h;
        memcpy(&h, full + at, sizeof h);
        cookies[ncookies++] = h.d_next;
        at += sizeof h + h.d_namlen;
    }
    for (size_t i = 0; i + 2 <= size; i += 2) {
        size_t c = data[i] % ncookies, len = (size_t)data[i + 1] * 4 + (data[i] & 3);
        size_t n;
        if (wvfs__fd_readdir(s, d, got, len, cookies[c], &n) != 0)
            abort();
        size_t from = offset_of(full, used, c);
        size_t want = used - from < len ? used - from : len;
        if (n != want || memcmp(got, full + from, n) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct wvfs_state s;
    wvfs__state_init(&s, &fixture_rw);
    if (wvfs__fd_add_mounts(&s) != 0)
        abort();
    struct wvfs_fd *root = wvfs__fd_get(&s, 0);
    check_dir(&s, root, data + 1, size - 1);      /* the image directory */
    char name[16];
    for (int i = 0; i < 32; i++)                  /* an overlay directory with holes */
        if (data[0] >> (i % 8) & 1) {
            snprintf(name, sizeof name, "chain%02u", (unsigned)i);
            wvfs__path_unlink_file(&s, root, name, strlen(name));
        }
    uint32_t fd;
    if (wvfs__path_open(&s, root, 0, "new", 3, WVFS_O_CREAT, WVFS_RIGHT_FD_READ, 0, 0, &fd) == 0)
        wvfs__fd_close(&s, fd);
    check_dir(&s, root, data + 1, size - 1);
    wvfs__state_free(&s);
    return 0;
}
