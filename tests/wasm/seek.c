/* seek.c DIR — reads and writes of large files, which --compress stores in
 * zstd's seekable format (frames decoded when a read first reaches them).
 *
 * DIR holds big1, big2 and big3 (the same few MB).  The transcript, one line
 * per operation with a checksum of what came back, must be the same on the
 * embedded mount and on a host preopen: preads at frame edges, past the end,
 * a readv across frames, a whole sequential read; a write into a file whose
 * frames are mostly undecoded; a truncate of another.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static char buf[5 * 262144];
static char path[3][256];

static uint32_t sum(const char *p, long n)
{
    uint32_t h = 2166136261u;
    for (long i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

static void at(int fd, const char *what, long off, long len)
{
    ssize_t n = pread(fd, buf, (size_t)len, off);
    printf("%s pread %ld+%ld = %ld %08x\n", what, off, len, (long)n, n > 0 ? sum(buf, n) : 0);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    for (int i = 0; i < 3; i++)
        snprintf(path[i], sizeof path[i], "%s/big%d", argv[1], i + 1);
    int fd = open(path[0], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return 1;
    long size = (long)st.st_size, F = 262144; /* the generator's frame */
    printf("size %ld\n", size);
    long offs[] = {size * 9 / 10, 0, 1, F - 1, F - 100, 5 * F + 17, size - 4096, size - 10, size - 1, size, size + 100};
    for (size_t i = 0; i < sizeof offs / sizeof *offs; i++)
        at(fd, "big1", offs[i], 4096);
    at(fd, "big1", 3 * F - 5, 4 * F + 10); /* four frames and two edges */
    struct iovec iov[2] = {{buf, 100}, {buf + 100, (size_t)F}};
    ssize_t n = preadv(fd, iov, 2, 7 * F - 50);
    printf("big1 preadv = %ld %08x\n", (long)n, n > 0 ? sum(buf, n) : 0);
    close(fd);
    fd = open(path[0], O_RDONLY);
    uint32_t h = 2166136261u;
    long total = 0;
    while ((n = read(fd, buf, 10000)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            h = (h ^ (uint8_t)buf[i]) * 16777619u;
        total += n;
    }
    printf("big1 sequential %ld %08x\n", total, h);
    close(fd);

    /* a write into a file read at one place only: the rest must survive */
    fd = open(path[1], O_RDWR);
    at(fd, "big2", size / 10, 4096);
    printf("big2 pwrite = %ld\n", (long)pwrite(fd, "WRITTEN HERE", 12, size / 2));
    at(fd, "big2", size / 2 - 2000, 4096);
    at(fd, "big2", size * 9 / 10, 4096);
    long k = 0;
    uint32_t hh = 2166136261u;
    for (long off = 0; (n = pread(fd, buf, sizeof buf, off)) > 0; off += n, k += n)
        for (ssize_t i = 0; i < n; i++)
            hh = (hh ^ (uint8_t)buf[i]) * 16777619u;
    printf("big2 whole %ld %08x\n", k, hh);
    close(fd);

    /* a truncate of a file not read at all, then its new tail */
    fd = open(path[2], O_RDWR);
    printf("big3 ftruncate = %d\n", ftruncate(fd, size * 7 / 10));
    at(fd, "big3", size * 7 / 10 - 3000, 4096);
    at(fd, "big3", size / 3, 4096);
    close(fd);
    printf("seek: done\n");
    return 0;
}
