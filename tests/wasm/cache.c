/* cache.c — the cache budget of decompressed files (wvfs_set_cache_budget and
 * WVFS_CACHE_BYTES), on an image whose 5 MB /w/big.bin is stored compressed.
 *
 *   cache.wasm            the default budget (64 MiB): a closed file stays
 *                         decompressed; after wvfs_set_cache_budget(0) the
 *                         next close drops it, and a reopen reads it again.
 *   cache.wasm env-zero   run with WVFS_CACHE_BYTES=0: dropped at the first close.
 *   cache.wasm whole PATH...  (an image of compressed files) each read whole
 *                         from its start, into a buffer one byte larger, keeps
 *                         nothing; read again in 7-byte pieces it is decoded
 *                         into the overlay, with the same bytes.
 *   cache.wasm whole-later PATH...  the same for later members of solid
 *                         blocks, whose whole read may keep their block in
 *                         one of the library's block slots, but no file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
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

/* PATH read whole, then in pieces; the overlay's growth checked after each. */
static void whole_then_pieces(const char *path, int later)
{
    struct wvfs_stats st0, st1, st2;
    struct stat sb;
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0, "open %s", path);
    if (fd < 0 || sb.st_size <= 0)
        return;
    size_t n = (size_t)sb.st_size;
    char *whole = malloc(n + 1), *pieces = malloc(n + 7);
    wvfs_get_stats(&st0);
    CHECK(read(fd, whole, n + 1) == (ssize_t)n && read(fd, whole, 1) == 0, "%s: read whole, then EOF", path);
    wvfs_get_stats(&st1);
    CHECK((later || st1.bytes == st0.bytes) && st1.nodes == st0.nodes,
          "%s: a whole read keeps nothing (%llu bytes more)", path, (unsigned long long)(st1.bytes - st0.bytes));
    size_t got = 0;
    ssize_t k;
    while ((k = pread(fd, pieces + got, 7, (off_t)got)) > 0)
        got += (size_t)k;
    wvfs_get_stats(&st2);
    CHECK(got == n && memcmp(whole, pieces, n) == 0, "%s: the same bytes read in pieces", path);
    CHECK(st2.bytes >= st1.bytes + n && st2.nodes == st1.nodes + 1, "%s: read in pieces, decoded into the overlay",
          path);
    close(fd);
    free(whole), free(pieces);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strncmp(argv[1], "whole", 5) == 0) {
        for (int i = 2; i < argc; i++)
            whole_then_pieces(argv[i], strcmp(argv[1], "whole-later") == 0);
        return report();
    }
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
