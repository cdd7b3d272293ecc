/* wvfs_abi.h — WASI preview1 numbers and memory layouts, as the witx defines them.
 *
 * What: errno, filetype, rights, flag values and the structs the guest reads
 * (filestat, fdstat, dirent, prestat, iovec).  Declared here rather than taken
 * from <wasi/api.h> so lib/ also builds for the host and host unit tests see
 * the same numbers and bytes as the wasm build.
 * Invariant: each struct has the witx size and field offsets on wasm32 (checked
 * below); on the host the same structs are used natively.
 */
#ifndef WVFS_ABI_H
#define WVFS_ABI_H

#include <stddef.h>
#include <stdint.h>

typedef uint16_t wvfs_errno_t;

enum {
    WVFS_ESUCCESS = 0, WVFS_E2BIG = 1, WVFS_EACCES = 2, WVFS_EAGAIN = 6, WVFS_EBADF = 8, WVFS_EBUSY = 10,
    WVFS_EEXIST = 20, WVFS_EFAULT = 21, WVFS_EFBIG = 22, WVFS_EILSEQ = 25, WVFS_EINVAL = 28,
    WVFS_EIO = 29, WVFS_EISDIR = 31, WVFS_ELOOP = 32, WVFS_EMFILE = 33,
    WVFS_ENAMETOOLONG = 37, WVFS_ENOBUFS = 42, WVFS_ENOENT = 44, WVFS_ENOMEM = 48,
    WVFS_ENOSPC = 51, WVFS_ENOSYS = 52, WVFS_ENOTDIR = 54, WVFS_ENOTEMPTY = 55,
    WVFS_ENOTSOCK = 57, WVFS_ENOTSUP = 58, WVFS_ENOTTY = 59, WVFS_EOVERFLOW = 61,
    WVFS_EPERM = 63, WVFS_EROFS = 69, WVFS_ESPIPE = 70, WVFS_EXDEV = 75,
    WVFS_ENOTCAPABLE = 76,
};

enum {
    WVFS_FILETYPE_UNKNOWN = 0, WVFS_FILETYPE_DIRECTORY = 3,
    WVFS_FILETYPE_REGULAR_FILE = 4, WVFS_FILETYPE_SYMBOLIC_LINK = 7,
};

enum { WVFS_WHENCE_SET = 0, WVFS_WHENCE_CUR = 1, WVFS_WHENCE_END = 2 };
enum { WVFS_LOOKUP_SYMLINK_FOLLOW = 1 };
enum {
    WVFS_O_CREAT = 1, WVFS_O_DIRECTORY = 2, WVFS_O_EXCL = 4, WVFS_O_TRUNC = 8,
    WVFS_O_ALL = 15,
};
enum {
    WVFS_FDFLAG_APPEND = 1, WVFS_FDFLAG_DSYNC = 2, WVFS_FDFLAG_NONBLOCK = 4,
    WVFS_FDFLAG_RSYNC = 8, WVFS_FDFLAG_SYNC = 16, WVFS_FDFLAGS_ALL = 31,
};
enum { WVFS_ADVICE_MAX = 5 }; /* normal, sequential, random, willneed, dontneed, noreuse */
enum {
    WVFS_FSTFLAG_ATIM = 1, WVFS_FSTFLAG_ATIM_NOW = 2, WVFS_FSTFLAG_MTIM = 4,
    WVFS_FSTFLAG_MTIM_NOW = 8, WVFS_FSTFLAGS_ALL = 15,
};
enum { WVFS_EVENTTYPE_CLOCK = 0, WVFS_EVENTTYPE_FD_READ = 1, WVFS_EVENTTYPE_FD_WRITE = 2 };

typedef uint64_t wvfs_rights_t;
#define WVFS_R(n) ((wvfs_rights_t)1 << (n))
#define WVFS_RIGHT_FD_DATASYNC WVFS_R(0)
#define WVFS_RIGHT_FD_READ WVFS_R(1)
#define WVFS_RIGHT_FD_SEEK WVFS_R(2)
#define WVFS_RIGHT_FD_FDSTAT_SET_FLAGS WVFS_R(3)
#define WVFS_RIGHT_FD_SYNC WVFS_R(4)
#define WVFS_RIGHT_FD_TELL WVFS_R(5)
#define WVFS_RIGHT_FD_WRITE WVFS_R(6)
#define WVFS_RIGHT_FD_ADVISE WVFS_R(7)
#define WVFS_RIGHT_FD_ALLOCATE WVFS_R(8)
#define WVFS_RIGHT_PATH_CREATE_DIRECTORY WVFS_R(9)
#define WVFS_RIGHT_PATH_CREATE_FILE WVFS_R(10)
#define WVFS_RIGHT_PATH_LINK_SOURCE WVFS_R(11)
#define WVFS_RIGHT_PATH_LINK_TARGET WVFS_R(12)
#define WVFS_RIGHT_PATH_OPEN WVFS_R(13)
#define WVFS_RIGHT_FD_READDIR WVFS_R(14)
#define WVFS_RIGHT_PATH_READLINK WVFS_R(15)
#define WVFS_RIGHT_PATH_RENAME_SOURCE WVFS_R(16)
#define WVFS_RIGHT_PATH_RENAME_TARGET WVFS_R(17)
#define WVFS_RIGHT_PATH_FILESTAT_GET WVFS_R(18)
#define WVFS_RIGHT_PATH_FILESTAT_SET_SIZE WVFS_R(19)
#define WVFS_RIGHT_PATH_FILESTAT_SET_TIMES WVFS_R(20)
#define WVFS_RIGHT_FD_FILESTAT_GET WVFS_R(21)
#define WVFS_RIGHT_FD_FILESTAT_SET_SIZE WVFS_R(22)
#define WVFS_RIGHT_FD_FILESTAT_SET_TIMES WVFS_R(23)
#define WVFS_RIGHT_PATH_SYMLINK WVFS_R(24)
#define WVFS_RIGHT_PATH_REMOVE_DIRECTORY WVFS_R(25)
#define WVFS_RIGHT_PATH_UNLINK_FILE WVFS_R(26)
#define WVFS_RIGHT_POLL_FD_READWRITE WVFS_R(27)
#define WVFS_RIGHT_SOCK_SHUTDOWN WVFS_R(28)
#define WVFS_RIGHT_SOCK_ACCEPT WVFS_R(29)

/* The most an fd of each type can hold; the same sets node:wasi (uvwasi) and
 * wasmtime grant, so fd_fdstat_get answers as a host would. */
#define WVFS_RIGHTS_FILE_BASE                                                          \
    (WVFS_RIGHT_FD_DATASYNC | WVFS_RIGHT_FD_READ | WVFS_RIGHT_FD_SEEK |                \
     WVFS_RIGHT_FD_FDSTAT_SET_FLAGS | WVFS_RIGHT_FD_SYNC | WVFS_RIGHT_FD_TELL |        \
     WVFS_RIGHT_FD_WRITE | WVFS_RIGHT_FD_ADVISE | WVFS_RIGHT_FD_ALLOCATE |             \
     WVFS_RIGHT_FD_FILESTAT_GET | WVFS_RIGHT_FD_FILESTAT_SET_SIZE |                    \
     WVFS_RIGHT_FD_FILESTAT_SET_TIMES | WVFS_RIGHT_POLL_FD_READWRITE)
#define WVFS_RIGHTS_DIR_BASE                                                           \
    (WVFS_RIGHT_FD_FDSTAT_SET_FLAGS | WVFS_RIGHT_FD_SYNC | WVFS_RIGHT_FD_ADVISE |      \
     WVFS_RIGHT_PATH_CREATE_DIRECTORY | WVFS_RIGHT_PATH_CREATE_FILE |                  \
     WVFS_RIGHT_PATH_LINK_SOURCE | WVFS_RIGHT_PATH_LINK_TARGET | WVFS_RIGHT_PATH_OPEN | \
     WVFS_RIGHT_FD_READDIR | WVFS_RIGHT_PATH_READLINK | WVFS_RIGHT_PATH_RENAME_SOURCE | \
     WVFS_RIGHT_PATH_RENAME_TARGET | WVFS_RIGHT_PATH_FILESTAT_GET |                    \
     WVFS_RIGHT_PATH_FILESTAT_SET_SIZE | WVFS_RIGHT_PATH_FILESTAT_SET_TIMES |          \
     WVFS_RIGHT_FD_FILESTAT_GET | WVFS_RIGHT_FD_FILESTAT_SET_TIMES |                   \
     WVFS_RIGHT_PATH_SYMLINK | WVFS_RIGHT_PATH_UNLINK_FILE |                           \
     WVFS_RIGHT_PATH_REMOVE_DIRECTORY | WVFS_RIGHT_POLL_FD_READWRITE)
#define WVFS_RIGHTS_DIR_INHERITING (WVFS_RIGHTS_DIR_BASE | WVFS_RIGHTS_FILE_BASE)
/* Rights that make an open a write open (the host would open O_WRONLY/O_RDWR). */
#define WVFS_RIGHTS_WRITE                                                              \
    (WVFS_RIGHT_FD_DATASYNC | WVFS_RIGHT_FD_WRITE | WVFS_RIGHT_FD_ALLOCATE |           \
     WVFS_RIGHT_FD_FILESTAT_SET_SIZE)

struct wvfs_iovec {      /* __wasi_iovec_t / __wasi_ciovec_t */
    uint8_t *buf;
    size_t buf_len;
};

struct wvfs_filestat {   /* __wasi_filestat_t, 64 bytes */
    uint64_t dev;
    uint64_t ino;
    uint8_t filetype;
    uint64_t nlink;
    uint64_t size;
    uint64_t atim;
    uint64_t mtim;
    uint64_t ctim;
};

struct wvfs_fdstat {     /* __wasi_fdstat_t, 24 bytes */
    uint8_t fs_filetype;
    uint16_t fs_flags;
    wvfs_rights_t fs_rights_base;
    wvfs_rights_t fs_rights_inheriting;
};

struct wvfs_dirent_hdr { /* __wasi_dirent_t, 24 bytes; the name follows it */
    uint64_t d_next;
    uint64_t d_ino;
    uint32_t d_namlen;
    uint8_t d_type;
};

struct wvfs_prestat {    /* __wasi_prestat_t, tag 0 = directory */
    uint8_t tag;
    uint32_t pr_name_len;
};

_Static_assert(sizeof(struct wvfs_filestat) == 64, "filestat layout");
_Static_assert(offsetof(struct wvfs_filestat, nlink) == 24, "filestat layout");
_Static_assert(sizeof(struct wvfs_fdstat) == 24, "fdstat layout");
_Static_assert(offsetof(struct wvfs_fdstat, fs_flags) == 2, "fdstat layout");
_Static_assert(offsetof(struct wvfs_fdstat, fs_rights_base) == 8, "fdstat layout");
_Static_assert(sizeof(struct wvfs_dirent_hdr) == 24, "dirent layout");
_Static_assert(offsetof(struct wvfs_dirent_hdr, d_type) == 20, "dirent layout");
_Static_assert(sizeof(struct wvfs_prestat) == 8, "prestat layout");
#if UINTPTR_MAX == 0xffffffffu
_Static_assert(sizeof(struct wvfs_iovec) == 8, "iovec layout");
#endif

#endif
