/* fsdemo.c — a tiny shell over the embedded filesystem, for the browser page.
 *
 *   fsdemo.wasm CMD [ARGS] [; CMD [ARGS]]...
 *     tree DIR           list DIR recursively, with sizes
 *     cat FILE...        print files
 *     write FILE TEXT... write TEXT to FILE (creating it)
 *     append FILE TEXT.. append TEXT to FILE
 *     mkdir DIR | rm PATH | mv FROM TO
 * Every command works on the files packed into the .wasm (a writable /src and a
 * scratch /tmp): the runtime gives it no filesystem at all.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        printf("%s: %s\n", path, strerror(errno));
        return;
    }
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp);
    if (depth == 0)
        printf("%s\n", path);
    for (int i = 0; i < n; i++) {
        char sub[1024];
        snprintf(sub, sizeof sub, "%s/%s", path, names[i]);
        struct stat st;
        lstat(sub, &st);
        printf("%*s%s%s", 2 * depth + 2, "", names[i], S_ISDIR(st.st_mode) ? "/" : "");
        if (S_ISREG(st.st_mode))
            printf("  (%lld bytes)", (long long)st.st_size);
        printf("\n");
        if (S_ISDIR(st.st_mode))
            tree(sub, depth + 1);
        free(names[i]);
    }
}

static int cat(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("%s: %s\n", path, strerror(errno));
        return 1;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}

static int put(const char *path, const char *mode, char **words, int n)
{
    FILE *f = fopen(path, mode);
    if (f == NULL) {
        printf("%s: %s\n", path, strerror(errno));
        return 1;
    }
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? " " : "", words[i]);
    fputc('\n', f);
    return fclose(f) != 0;
}

static int report(int r, const char *what, const char *path)
{
    if (r != 0)
        printf("%s %s: %s\n", what, path, strerror(errno));
    return r != 0;
}

/* Run one command: argv[0..n-1]. */
static int run(char **argv, int n)
{
    const char *c = argv[0];
    if (strcmp(c, "tree") == 0 && n == 2)
        return tree(argv[1], 0), 0;
    if (strcmp(c, "cat") == 0 && n >= 2) {
        int bad = 0;
        for (int i = 1; i < n; i++)
            bad |= cat(argv[i]);
        return bad;
    }
    if ((strcmp(c, "write") == 0 || strcmp(c, "append") == 0) && n >= 2)
        return put(argv[1], c[0] == 'w' ? "w" : "a", argv + 2, n - 2);
    if (strcmp(c, "mkdir") == 0 && n == 2)
        return report(mkdir(argv[1], 0755), "mkdir", argv[1]);
    if (strcmp(c, "rm") == 0 && n == 2)
        return report(remove(argv[1]), "rm", argv[1]);
    if (strcmp(c, "mv") == 0 && n == 3)
        return report(rename(argv[1], argv[2]), "mv", argv[1]);
    printf("unknown command: %s (try: tree DIR; cat FILE; write FILE TEXT; append FILE TEXT;"
           " mkdir DIR; rm PATH; mv FROM TO)\n", c);
    return 2;
}

int main(int argc, char **argv)
{
    int status = 0, start = 1;
    if (argc < 2) {
        char *dflt[] = {"tree", "/src"};
        return run(dflt, 2);
    }
    for (int i = 1; i <= argc; i++)
        if (i == argc || strcmp(argv[i], ";") == 0) {
            if (i > start)
                status |= run(argv + start, i - start);
            start = i + 1;
        }
    return status;
}
