/* reads.c — WVFS_TRACE's read lines name the file, not whatever the path
 * buffer it was opened by holds later: each file named is opened from one
 * buffer, which is then overwritten before the file's first read.  Prints
 * each file's first line. */
#include <stdio.h>
#include <string.h>

#include "testlib.h"

int main(int argc, char **argv)
{
    char path[256], line[128];
    CHECK(argc >= 2, "usage: reads.wasm FILE...");
    for (int i = 1; i < argc; i++) {
        CHECK(strlen(argv[i]) < sizeof path, "%s: too long", argv[i]);
        strcpy(path, argv[i]);
        FILE *f = fopen(path, "r");
        CHECK(f != NULL, "%s: not opened", argv[i]);
        memset(path, 'Z', sizeof path - 1); /* what the library saw is gone */
        path[sizeof path - 1] = '\0';
        CHECK(fgets(line, sizeof line, f) != NULL, "%s: not read", argv[i]);
        printf("%s: %s", argv[i], line);
        fclose(f);
    }
    return 0;
}
