/* wasi_compat.h — Lua 5.4 on wasi-libc: temporary names come from mkstemp in
 * the (scratch) /tmp, as LUA_USE_POSIX would do; forced in with -include. */
#ifndef WVFS_LUA_COMPAT_H
#define WVFS_LUA_COMPAT_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b, e)                                                                   \
    {                                                                                      \
        strcpy(b, "/tmp/lua_XXXXXX");                                                      \
        e = mkstemp(b);                                                                    \
        if (e != -1)                                                                       \
            close(e);                                                                      \
        e = (e == -1);                                                                     \
    }
int mkstemp(char *template); /* compat.c: wasi-libc has neither */
FILE *tmpfile(void);
#endif
