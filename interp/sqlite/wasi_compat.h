/* wasi_compat.h — what SQLite 3.40's os_unix.c and shell.c expect of POSIX that
 * WASI does not have: file owners and modes (always "ours"), byte-range locks
 * (the unix-none VFS never takes them; these only let the code compile), and
 * no processes (system() and popen() report failure).  Forced into each file
 * with -include by interp/sqlite/build.sh.
 */
#ifndef WVFS_SQLITE_COMPAT_H
#define WVFS_SQLITE_COMPAT_H
#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

static inline int fchmod(int fd, mode_t mode) { (void)fd, (void)mode; return 0; }
static inline int fchown(int fd, uid_t u, gid_t g) { (void)fd, (void)u, (void)g; return 0; }
static inline uid_t geteuid(void) { return 0; }
static inline uid_t getuid(void) { return 0; }
static inline int chmod(const char *p, mode_t mode) { (void)p, (void)mode; return 0; }
#ifndef F_RDLCK
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#endif
#ifndef F_GETLK
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#endif
#endif
