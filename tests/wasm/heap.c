/* heap.c — a packed image survives the program's heap: each file named is
 * hashed, the heap then grown by 64 MiB of allocations (each written end to
 * end, freed in part and allocated again), and every file hashed again.  Run
 * on a packed program under both wasi-libcs: an allocator that took the
 * image's pages as its own would overwrite them here. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static uint64_t hash_file(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    uint64_t h = 1469598103934665603ull;
    int c;
    *size = 0;
    while ((c = getc(f)) != EOF)
        h = (h ^ (uint64_t)c) * 1099511628211ull, ++*size;
    fclose(f);
    return h;
}

int main(int argc, char **argv)
{
    enum { N = 256, SZ = 256 << 10 };
    uint64_t before[16];
    long size[16], size2;
    CHECK(argc >= 2 && argc <= 17, "usage: heap.wasm FILE... (1 to 16)");
    for (int i = 1; i < argc && i <= 16; i++) {
        before[i - 1] = hash_file(argv[i], &size[i - 1]);
        CHECK(before[i - 1] != 0 && size[i - 1] > 0, "%s: not read", argv[i]);
    }
    static unsigned char *p[N];
    for (int round = 0; round < 2; round++)
        for (int i = round; i < N; i += 1 + round) {
            free(p[i]);
            p[i] = malloc(SZ);
            CHECK(p[i] != NULL, "malloc %d", i);
            if (p[i] != NULL)
                memset(p[i], 0xa5 ^ i, SZ);
        }
    for (int i = 1; i < argc && i <= 16; i++) {
        uint64_t after = hash_file(argv[i], &size2);
        CHECK(after == before[i - 1] && size2 == size[i - 1], "%s changed under the heap", argv[i]);
    }
    int intact = 1;
    for (int i = 0; i < N; i++)
        for (int k = 0; p[i] != NULL && k < SZ; k += 4093)
            intact &= p[i][k] == (unsigned char)(0xa5 ^ i);
    CHECK(intact, "an allocation changed under the image");
    printf("%d files the same after %d MiB of heap\n", argc - 1, N * SZ >> 20);
    return report();
}
