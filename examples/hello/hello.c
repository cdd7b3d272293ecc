/* hello.c — the demo: a program that reads its script from an embedded /src.
 *
 * Built with wasivfs-gen --mapdir /src::examples/hello/src, it runs with no
 * host directory at all: the files below /src are inside the .wasm.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/src/greeting.txt";
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    char line[256];
    while (fgets(line, sizeof line, f))
        fputs(line, stdout);
    fclose(f);

    DIR *d = opendir("/src");
    if (d == NULL) {
        perror("/src");
        return 1;
    }
    printf("-- files in /src:");
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            printf(" %s", e->d_name);
    printf("\n");
    closedir(d);
    return 0;
}
