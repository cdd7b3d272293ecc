/* testlib.h — shared by the wasm test programs: a CHECK that counts and
 * reports, the closing "N passed, N failed" line, and a sorted listing.
 * Header-only (static functions) so each test stays one .c file. */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (cond) {                                                                        \
            passed++;                                                                      \
        } else {                                                                           \
            failed++;                                                                      \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                         \
            printf(__VA_ARGS__);                                                           \
            printf("\n");                                                                  \
        }                                                                                  \
    } while (0)

/* Print the closing line; the exit status main should return. */
static inline int report(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory `path` without "." and "..", sorted (so a listing
 * compares across hosts); NULL if it cannot be opened.  Free each and the array. */
static inline char **sorted_names(const char *path, size_t *count)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return NULL;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

#endif
