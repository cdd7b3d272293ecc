/* writes.c — the write-side differential test: one scripted workload, then a
 * dump of the whole tree with contents.
 *
 *   writes.wasm ROOT
 *
 * tests/wasm/run.sh runs it on a writable embedded mount and on a host
 * preopen of a fresh copy of the same tree; the transcripts must be equal,
 * errno for errno.  Only timestamps and inode numbers are left out (they
 * differ by design); everything else a program could observe is printed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

static char root[PATH_MAX];

static const char *P(const char *rel)
{
    static char buf[8][PATH_MAX];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], PATH_MAX, "%s/%s", root, rel);
    return buf[k];
}

/* An fd's number depends on the mounts around it; print only success. */
#define FD(x) ((x) < 0 ? -1 : 0)

/* Print a call's result: "ok" / value, or the errno's name. */
#define DO(call)                                                                           \
    do {                                                                                   \
        errno = 0;                                                                         \
        long r_ = (long)(call);                                                            \
        if (r_ < 0)                                                                        \
            printf("%-60s -> %s\n", #call, strerror(errno));                               \
        else                                                                               \
            printf("%-60s -> %ld\n", #call, r_);                                           \
    } while (0)

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static void show(const char *rel)
{
    char buf[4096];
    int fd = open(P(rel), O_RDONLY);
    if (fd < 0) {
        printf("  cat %s: %s\n", rel, strerror(errno));
        return;
    }
    uint64_t h = 14695981039346656037ull;
    size_t total = 0;
    ssize_t n;
    int shown = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (!shown) {
            printf("  cat %s: '%.*s'%s", rel, (int)(n < 40 ? n : 40), buf, n > 40 ? "..." : "");
            shown = 1;
        }
        h = fnv(buf, (size_t)n, h);
        total += (size_t)n;
    }
    if (!shown)
        printf("  cat %s: ''", rel);
    printf(" (%zu bytes, fnv %016llx)\n", total, (unsigned long long)h);
    close(fd);
}

static void dump(const char *rel)
{
    struct stat st;
    if (lstat(P(rel), &st) != 0) {
        printf("%s: %s\n", rel, strerror(errno));
        return;
    }
    printf("%s: mode %s nlink %lu", rel,
           S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "file",
           (unsigned long)st.st_nlink);
    if (!S_ISDIR(st.st_mode))
        printf(" size %lld", (long long)st.st_size);
    printf("\n");
    if (S_ISLNK(st.st_mode)) {
        char t[PATH_MAX];
        ssize_t n = readlink(P(rel), t, sizeof t);
        printf("  -> %.*s\n", (int)(n < 0 ? 0 : n), t);
        return;
    }
    if (S_ISREG(st.st_mode)) {
        show(rel);
        return;
    }
    size_t n;
    char **names = sorted_names(P(rel), &n);
    if (names == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        char sub[PATH_MAX];
        snprintf(sub, sizeof sub, "%s/%s", rel, names[i]);
        if (strncmp(sub, "./many/", 7) == 0 && i % 97 != 0) { /* a sample of the 2,000 */
            free(names[i]);
            continue;
        }
        dump(sub);
        free(names[i]);
    }
    free(names);
}

static void workload(void)
{
    char buf[64];
    int fd, fd2;
    struct stat st;

    puts("-- create, write, read back");
    DO(FD(fd = open(P("new.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644)));
    DO(write(fd, "first line\n", 11));
    DO(close(fd));
    DO(open(P("new.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644));
    show("new.txt");

    puts("-- copy-on-write of an embedded file: pwrite, read, append, truncate");
    DO(FD(fd = open(P("hello.txt"), O_RDWR)));
    DO(pwrite(fd, "J", 1, 0));
    DO(pread(fd, buf, sizeof buf, 0));
    DO(lseek(fd, 0, SEEK_END));
    DO(write(fd, "more\n", 5));
    DO(ftruncate(fd, 3));
    DO(ftruncate(fd, 8));
    DO(fstat(fd, &st) == 0 ? (long)st.st_size : -1);
    DO(close(fd));
    show("hello.txt");
    show("hard-link.txt"); /* the same file under its other name */
    DO(FD(fd = open(P("a/one.txt"), O_WRONLY | O_APPEND)));
    DO(write(fd, "appended\n", 9));
    DO(lseek(fd, 0, SEEK_CUR));
    DO(close(fd));
    show("a/one.txt");
    DO(FD(fd = open(P("a/b/c/deep.txt"), O_WRONLY | O_TRUNC)));
    DO(write(fd, "new deep\n", 9));
    DO(close(fd));
    show("a/b/c/deep.txt");
    DO(FD(fd = open(P("empty.txt"), O_RDONLY)));
    DO(write(fd, "x", 1));
    DO(close(fd));

    puts("-- two fds on one file");
    DO(FD(fd = open(P("two.txt"), O_RDWR | O_CREAT, 0644)));
    DO(FD(fd2 = open(P("two.txt"), O_RDWR)));
    DO(write(fd, "aaaa", 4));
    DO(pread(fd2, buf, 4, 0));
    DO(write(fd2, "bb", 2));
    DO(pread(fd, buf, sizeof buf, 0));
    DO(close(fd));
    DO(close(fd2));
    show("two.txt");

    puts("-- a write past the end leaves zeros; a big write");
    DO(FD(fd = open(P("holes.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644)));
    DO(pwrite(fd, "end", 3, 100000));
    static char big[1 << 20];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7 + i / 1000);
    DO(lseek(fd, 5, SEEK_SET));
    DO(write(fd, big, sizeof big));
    DO(close(fd));
    show("holes.bin");

    puts("-- directories");
    DO(mkdir(P("d"), 0755));
    DO(mkdir(P("d"), 0755));
    DO(mkdir(P("d/e"), 0755));
    DO(mkdir(P("nope/x"), 0755));
    DO(mkdir(P("hello.txt/x"), 0755));
    DO(mkdir(P("d/e/f/"), 0755));
    DO(rmdir(P("d")));
    DO(rmdir(P("hello.txt")));
    DO(rmdir(P("d/e/f")));
    DO(unlink(P("d/e")));
    DO(unlink(P("missing")));
    DO(rmdir(P("missing")));

    puts("-- renames");
    DO(rename(P("new.txt"), P("d/renamed.txt")));
    DO(rename(P("new.txt"), P("d/renamed.txt")));
    DO(rename(P("two.txt"), P("d/renamed.txt")));       /* replaces */
    DO(rename(P("d/e"), P("d/e2")));
    DO(rename(P("d"), P("d/e2/inside")));                /* into itself */
    DO(rename(P("d/renamed.txt"), P("d/e2")));           /* file over dir */
    DO(rename(P("d/e2"), P("d/renamed.txt")));           /* dir over file */
    DO(mkdir(P("empty-target"), 0755));
    DO(rename(P("d/e2"), P("empty-target")));            /* dir over empty dir */
    DO(rename(P("a"), P("empty-dir")));                  /* the embedded empty dir */
    DO(rename(P("empty-dir"), P("d")));                  /* over a non-empty dir */
    DO(rename(P("bytes.bin"), P("empty-dir/b/moved.bin")));
    DO(rename(P("hello.txt"), P("hard-link.txt")));      /* two names, one file */
    DO(rename(P("link-to-dir"), P("renamed-link")));
    DO(stat(P("renamed-link/c/deep.txt"), &st));

    puts("-- unlink while open");
    DO(FD(fd = open(P("doomed.txt"), O_RDWR | O_CREAT, 0644)));
    DO(write(fd, "doomed but alive\n", 17));
    DO(unlink(P("doomed.txt")));
    DO(access(P("doomed.txt"), F_OK));
    DO(fstat(fd, &st) == 0 ? (long)st.st_nlink : -1);
    DO(pread(fd, buf, sizeof buf, 0));
    DO(write(fd, "still\n", 6));
    DO(fstat(fd, &st) == 0 ? (long)st.st_size : -1);
    DO(close(fd));
    DO(FD(fd = open(P("big.bin"), O_RDONLY)));
    DO(unlink(P("big.bin")));
    DO(pread(fd, buf, 16, 5000000));
    DO(close(fd));

    puts("-- links");
    DO(symlink("d/renamed.txt", P("new-link")));
    DO(symlink("x", P("new-link")));
    DO(readlink(P("new-link"), buf, sizeof buf));
    show("new-link");
    DO(symlink("nowhere", P("dangling2")));
    DO(FD(fd = open(P("dangling2"), O_WRONLY | O_CREAT, 0644))); /* creates the target */
    DO(close(fd));
    DO(link(P("d/renamed.txt"), P("hard2")));
    DO(lstat(P("hard2"), &st) == 0 ? (long)st.st_nlink : -1);
    DO(link(P("d/renamed.txt"), P("hard2")));
    DO(link(P("d"), P("dirlink")));
    DO(unlink(P("d/renamed.txt")));
    DO(lstat(P("hard2"), &st) == 0 ? (long)st.st_nlink : -1);

    puts("-- times and modes (results only)");
    DO(utimensat(AT_FDCWD, P("hard2"), NULL, 0));
    DO(utimensat(AT_FDCWD, P("missing"), NULL, 0));

    puts("-- many files: create, delete half, list");
    DO(mkdir(P("lots"), 0755));
    for (int i = 0; i < 300; i++) {
        snprintf(buf, sizeof buf, "lots/f%03d", i);
        fd = open(P(buf), O_WRONLY | O_CREAT, 0644);
        if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
            printf("create %s: %s\n", buf, strerror(errno));
        close(fd);
    }
    for (int i = 0; i < 300; i += 2) {
        snprintf(buf, sizeof buf, "lots/f%03d", i);
        if (unlink(P(buf)) != 0)
            printf("unlink %s: %s\n", buf, strerror(errno));
    }

    /* List first, then delete: node:wasi skips entries when a directory is
     * changed mid-listing (overlay.c checks that we do not). */
    puts("-- remove a whole embedded subtree");
    DIR *dir = opendir(P("many"));
    struct dirent *e;
    static char names[2100][16];
    int n = 0, removed = 0;
    while (dir && (e = readdir(dir)) != NULL && n < 2100)
        if (e->d_name[0] != '.')
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    if (dir)
        closedir(dir);
    for (int i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "many/%s", names[i]);
        removed += unlink(P(buf)) == 0;
    }
    printf("removed %d\n", removed);
    DO(rmdir(P("many")));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: writes ROOT\n");
        return 2;
    }
    snprintf(root, sizeof root, "%s", argv[1]);
    workload();
    puts("-- the tree");
    dump(".");
    return 0;
}
