/* compat.c — what Lua's io and os libraries need that wasi-libc lacks ("WASI
 * has no temp directories"): mkstemp, and tmpfile() as a file made by it in
 * /tmp (a --tmpdir mount in our images) and unlinked at once, so it goes with
 * its last close; and system(), which reports that there is no shell (as C
 * allows: os.execute() then returns false). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mkstemp(char *template)
{
    size_t n = strlen(template);
    if (n < 6 || strcmp(template + n - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return -1;
    }
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int tries = 0; tries < 100; tries++) {
        unsigned char r[6];
        if (getentropy(r, sizeof r) != 0)
            return -1;
        for (int i = 0; i < 6; i++)
            template[n - 6 + i] = chars[r[i] % 36];
        int fd = open(template, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

FILE *tmpfile(void)
{
    char name[] = "/tmp/tmpfile_XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0)
        return NULL;
    unlink(name);
    FILE *f = fdopen(fd, "w+");
    if (f == NULL)
        close(fd);
    return f;
}

int system(const char *command)
{
    if (command == NULL)
        return 0; /* no command processor */
    errno = ENOSYS;
    return -1;
}
