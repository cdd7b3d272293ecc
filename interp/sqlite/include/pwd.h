/* pwd.h — WASI has no user database; the sqlite3 shell only asks it for a home
 * directory (for ~/.sqliterc), and gets none. */
#ifndef WVFS_PWD_H
#define WVFS_PWD_H
#include <sys/types.h>
struct passwd {
    char *pw_name;
    char *pw_dir;
    char *pw_shell;
    uid_t pw_uid;
    gid_t pw_gid;
};
static inline struct passwd *getpwuid(uid_t uid) { (void)uid; return 0; }
#endif
