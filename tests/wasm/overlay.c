/* overlay.c — embedded-only checks of the writable overlay that node:wasi
 * cannot be the oracle for.
 *
 *   overlay.wasm     (linked with the test tree writable at /w and a --tmpdir /tmp)
 *
 *  - the embedded bytes never change: after writes, the image's data is as built;
 *  - readdir while deleting sees every entry exactly once (node:wasi skips some);
 *  - create / write 1 MB / delete, 10,000 times: the overlay's bytes and the
 *    linear memory stay flat (wvfs_get_stats from include/wasi_vfs.h);
 *  - the scratch /tmp starts empty and takes files and directories.
 * Last line: "N passed, N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_vfs.h"

#include "testlib.h"

/* The image's own bytes for /w/<name> (a file in the mount's root). */
static const char *image_bytes(const char *name)
{
    const struct wvfs_image *img = &wvfs_image;
    for (uint32_t m = 0; m < img->nmounts; m++) {
        if (strcmp(img->mounts[m].path, "/w") != 0)
            continue;
        const struct wvfs_node *root = &img->nodes[img->mounts[m].root];
        for (uint64_t i = 0; i < root->size; i++) {
            const struct wvfs_dirent *e = &img->ents[root->first + i];
            if (e->namelen == strlen(name) && memcmp(e->name, name, e->namelen) == 0)
                return img->nodes[e->node].data;
        }
    }
    return NULL;
}

static void check_image_untouched(void)
{
    int fd = open("/w/hello.txt", O_RDWR | O_TRUNC);
    CHECK(fd >= 0 && write(fd, "changed!", 8) == 8, "write: %s", strerror(errno));
    close(fd);
    fd = open("/w/bytes.bin", O_RDWR);
    CHECK(fd >= 0 && pwrite(fd, "XX", 2, 10) == 2, "pwrite: %s", strerror(errno));
    close(fd);
    const char *hello = image_bytes("hello.txt"), *bytes = image_bytes("bytes.bin");
    CHECK(hello && memcmp(hello, "hello\n", 6) == 0, "image hello.txt changed");
    CHECK(bytes && bytes[10] == 10 && bytes[11] == 11, "image bytes.bin changed");
    char buf[16] = {0};
    fd = open("/w/hello.txt", O_RDONLY);
    CHECK(read(fd, buf, sizeof buf) == 8 && memcmp(buf, "changed!", 8) == 0, "read back %s", buf);
    close(fd);
}

static void check_readdir_while_deleting(void)
{
    DIR *d = opendir("/w/many");
    CHECK(d != NULL, "opendir: %s", strerror(errno));
    static unsigned char seen[2000];
    int total = 0, unlinked = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int i = atoi(e->d_name + 1);
        if (i >= 0 && i < 2000)
            seen[i]++;
        total++;
        char p[64];
        snprintf(p, sizeof p, "/w/many/%s", e->d_name);
        unlinked += unlink(p) == 0;
        if (total % 100 == 0) { /* and create some while listing, too */
            snprintf(p, sizeof p, "/w/many/new%d", total);
            close(open(p, O_WRONLY | O_CREAT, 0644));
        }
    }
    if (d)
        closedir(d);
    int once = 0;
    for (int i = 0; i < 2000; i++)
        once += seen[i] == 1;
    CHECK(once == 2000, "%d of 2000 entries seen exactly once (%d listed)", once, total);
    CHECK(unlinked >= 2000, "unlinked %d", unlinked);
}

static void check_flat_memory(void)
{
    static char mb[1 << 20];
    memset(mb, 'z', sizeof mb);
    struct wvfs_stats st, first = {0, 0};
    size_t pages = 0;
    int grew = 0;
    for (int i = 0; i < 10000; i++) {
        int fd = open("/tmp/churn.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, mb, sizeof mb) != (ssize_t)sizeof mb) {
            CHECK(0, "iteration %d: %s", i, strerror(errno));
            break;
        }
        close(fd);
        if (unlink("/tmp/churn.bin") != 0) {
            CHECK(0, "unlink %d: %s", i, strerror(errno));
            break;
        }
        wvfs_get_stats(&st);
        if (i == 10) {
            first = st;
            pages = __builtin_wasm_memory_size(0);
        } else if (i > 10 && (st.bytes != first.bytes || st.nodes != first.nodes ||
                              __builtin_wasm_memory_size(0) != pages)) {
            grew = i;
            break;
        }
    }
    CHECK(grew == 0, "grew at iteration %d: %llu bytes %llu nodes (was %llu, %llu)", grew,
          (unsigned long long)st.bytes, (unsigned long long)st.nodes,
          (unsigned long long)first.bytes, (unsigned long long)first.nodes);
}

static void check_tmpdir(void)
{
    DIR *d = opendir("/tmp");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    CHECK(d != NULL && n == 0, "/tmp has %d entries", n);
    CHECK(mkdir("/tmp/sub", 0700) == 0, "mkdir: %s", strerror(errno));
    FILE *f = fopen("/tmp/sub/scratch.txt", "w+");
    CHECK(f && fputs("scratch", f) >= 0 && fseek(f, 0, SEEK_SET) == 0, "fopen: %s", strerror(errno));
    char buf[16] = {0};
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "scratch") == 0, "read back '%s'", buf);
    if (f)
        fclose(f);
    struct stat st;
    CHECK(stat("/tmp/sub/scratch.txt", &st) == 0 && st.st_size == 7, "stat");
}

int main(void)
{
    check_image_untouched();
    check_readdir_while_deleting();
    check_tmpdir();
    check_flat_memory();
    return report();
}
