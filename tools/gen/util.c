/* util.c — the generator's error exit, allocation, output files and the
 * reading of the walk's files.
 *
 * Errors name the path, exit 1, and leave no output file behind: output is
 * written to a temporary file beside its destination and renamed into place
 * only once everything succeeded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

/* Temporary output files, removed on error: [0] the source, [1] the --data file.
 * The generator's one piece of process-wide state, as atexit's list is: fail()
 * is reached from anywhere, xrealloc included, where no struct gen is at hand. */
static char *tmp_out[2];

void fail(const char *fmt, ...)
{
    va_list ap;
    fputs("wasivfs-gen: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    for (int i = 0; i < 2; i++)
        if (tmp_out[i])
            unlink(tmp_out[i]);
    exit(1);
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL)
        fail("out of memory");
    return p;
}

char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (d == NULL)
        fail("out of memory");
    return d;
}

/* "a" + "b" -> "a/b"; "" + "b" -> "b". */
char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *r = xrealloc(NULL, la + lb + 2);
    memcpy(r, a, la);
    r[la] = '/';
    memcpy(r + la + 1, b, lb + 1);
    if (la == 0)
        memmove(r, r + 1, lb + 1);
    return r;
}

FILE *open_tmp(int slot, const char *path)
{
    /* Something other than a file (/dev/null, a FIFO) is written in place:
     * renaming over it would replace a device with a file. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "w");
        if (f == NULL)
            fail("%s: cannot write: %s", path, strerror(errno));
        return f;
    }
    tmp_out[slot] = xrealloc(NULL, strlen(path) + 16);
    sprintf(tmp_out[slot], "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp_out[slot], "w");
    if (f == NULL) {
        char *t = tmp_out[slot];
        tmp_out[slot] = NULL;
        fail("%s: cannot write: %s", t, strerror(errno));
    }
    /* stdio's 4 KiB would be 25,000 writes for 100 MB (and glibc sizes a
     * buffer it allocates itself by the file's block size, whatever is asked) */
    static char buf[2][1 << 20];
    setvbuf(f, buf[slot], _IOFBF, sizeof buf[slot]);
    return f;
}

void commit_tmp(int slot, FILE *f, const char *path)
{
    if (fflush(f) != 0 || ferror(f) || fclose(f) != 0)
        fail("%s: write error: %s", path, strerror(errno));
    if (tmp_out[slot] == NULL) /* written in place */
        return;
    if (rename(tmp_out[slot], path) != 0)
        fail("%s: cannot write: %s", path, strerror(errno));
    free(tmp_out[slot]);
    tmp_out[slot] = NULL;
}

/* Positions as off_t: a long is 32 bits on wasm32, where the generator also runs. */
off_t out_tell(FILE *f)
{
    off_t at = ftello(f);
    if (at < 0)
        fail("cannot tell the output's position: %s", strerror(errno));
    return at;
}

void out_seek(FILE *f, off_t at)
{
    if (fseeko(f, at, SEEK_SET) != 0)
        fail("cannot seek in the output: %s", strerror(errno));
}

/* A file of the walk, read whole; refused if it changed since the walk
 * (size, mtime or inode), so the image is of one moment of the tree. */
unsigned char *read_file(const struct gen *g, uint32_t n, size_t *sizep)
{
    const struct hostinfo *h = &g->info[n];
    int fd = open(h->host, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        fail("%s: cannot read: %s", h->host, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_ino != h->st.st_ino ||
        st.st_size != h->st.st_size || st.st_mtim.tv_sec != h->st.st_mtim.tv_sec ||
        st.st_mtim.tv_nsec != h->st.st_mtim.tv_nsec)
        fail("%s: changed while being packed; run again", h->host);
    /* A byte more than the file holds is asked for, so one read both fills
     * the buffer and finds the end: a regular file's read comes back short
     * only at its end. */
    size_t size = (size_t)st.st_size, got = 0;
    unsigned char *buf = xrealloc(NULL, size + 1);
    for (;;) {
        size_t want = size + 1 - got;
        ssize_t r = read(fd, buf + got, want);
        if (r < 0)
            fail("%s: read error: %s", h->host, strerror(errno));
        got += (size_t)r;
        if ((size_t)r < want || got > size)
            break;
    }
    if (got != size)
        fail("%s: changed while being packed; run again", h->host);
    close(fd);
    *sizep = size;
    return buf;
}
