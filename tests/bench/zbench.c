/* zbench.c — the compressed image's figures for `make bench`: each file under
 * ROOT opened, read whole (as an interpreter reads a module: its first read
 * decompresses it) and closed; time the process's first (which also decodes
 * the image's dictionary) apart, then all the others (MB/s of
 * decompression) and those of files between 8 and 12 KiB (latency), and of
 * those the .pyc files apart (what CPython's imports read).
 *
 *   zbench.wasm ROOT
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double first_t = -1, total_t, small_t, pyc_t;
static long long total_bytes;
static long files, small_files, pyc_files, failures;

static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        failures++;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *p = malloc(strlen(dir) + strlen(e->d_name) + 2);
        sprintf(p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk(p);
        } else if (S_ISREG(st.st_mode)) {
            char *buf = malloc((size_t)st.st_size + 1);
            double t = now();
            int fd = open(p, O_RDONLY);
            ssize_t got = fd < 0 || buf == NULL ? -1 : read(fd, buf, (size_t)st.st_size + 1);
            close(fd);
            t = now() - t;
            free(buf);
            if (got != st.st_size)
                failures++;
            if (first_t < 0 && st.st_size >= 4096) { /* a size --compress stores compressed */
                first_t = t;
                free(p);
                continue;
            }
            total_t += t;
            total_bytes += st.st_size;
            files++;
            if (st.st_size >= 8192 && st.st_size <= 12288) {
                small_t += t;
                small_files++;
                size_t n = strlen(p);
                if (n > 4 && strcmp(p + n - 4, ".pyc") == 0) {
                    pyc_t += t;
                    pyc_files++;
                }
            }
        }
        free(p);
    }
    if (d)
        closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    walk(argv[1]);
    /* a figure whose work failed, or that measured nothing, is no figure */
    if (failures > 0 || files == 0 || small_files == 0) {
        printf("FAIL zbench: %ld opens or reads failed, %ld files, %ld of 8-12 KiB\n", failures, files,
               small_files);
        return 1;
    }
    printf("first_open_first %.1f us (the dictionary decoded)\n", first_t * 1e6);
    printf("decompress_mbs %.1f MB/s (%ld files, %lld bytes)\n", total_bytes / total_t / 1e6, files,
           total_bytes);
    printf("first_open_10k %.1f us (%ld files of 8-12 KiB)\n",
           small_t / small_files * 1e6, small_files);
    if (pyc_files > 0)
        printf("first_open_10k_pyc %.1f us (%ld .pyc files of 8-12 KiB)\n", pyc_t / pyc_files * 1e6,
               pyc_files);
    return 0;
}
