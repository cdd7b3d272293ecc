/* cache.c — the cache budget of decompressed files (wvfs_set_cache_budget and
 * WVFS_CACHE_BYTES), on an image whose 5 MB /w/big.bin is stored compressed.
 *
 *   cache.wasm            the default budget (64 MiB): a closed file stays
 *                         decompressed; after wvfs_set_cache_budget(0) the
 *                         next close drops it, and a reopen reads it again.
 *   cache.wasm env-zero   run with WVFS_CACHE_BYTES=0: dropped at the first close.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wasi_vfs.h"
#include "testlib.h"

#define BIG (5u << 20)

/* Open, read the first line, close; the overlay's bytes after the close. */
static uint64_t open_read_close(void)
{
    char line[32] = {0};
    int fd = open("/w/big.bin", O_RDONLY);
    CHECK(fd >= 0, "open big.bin");
    CHECK(read(fd, line, 8) == 8 && memcmp(line, "0000000 ", 8) == 0, "first line '%s'", line);
    close(fd);
    struct wvfs_stats st;
    wvfs_get_stats(&st);
    return st.bytes;
}

int main(int argc, char **argv)
{
    struct wvfs_stats st;
    wvfs_get_stats(&st);
    uint64_t before = st.bytes;
    if (argc > 1 && strcmp(argv[1], "env-zero") == 0) {
        CHECK(open_read_close() < before + BIG, "WVFS_CACHE_BYTES=0: dropped at close");
        CHECK(open_read_close() < before + BIG, "and again");
        return report();
    }
    CHECK(open_read_close() >= before + BIG, "default budget: kept decompressed after close");
    CHECK(open_read_close() >= before + BIG, "a second open reuses it");
    wvfs_set_cache_budget(0);
    CHECK(open_read_close() < before + BIG, "budget 0: dropped at the next close");
    wvfs_set_cache_budget(UINT64_MAX);
    CHECK(open_read_close() >= before + BIG, "budget raised: kept again");
    return report();
}
