/* trampoline.c — the __imported_wasi_snapshot_preview1_* overrides.
 *
 * wasi-libc calls each WASI import through a symbol of that name; defining it
 * here binds libc to us at link time (plain -lwasi_vfs, no post-link step).
 * Each override translates the guest fd: host fds go to the real import with
 * the host's number, embedded fds to lib/.  Rows of wasi_calls.def marked
 * WASI_FD are expanded below; the rest are written by hand after them.
 * Invariant: every guest fd in use is a slot of the fd table; the host's own
 * fds at start-up keep their numbers, then one preopen per embedded mount.
 * An fd the table does not know goes to the host untouched, so the host
 * answers as if the library were not there (a program without an image
 * behaves exactly as before) — unless that number is the host's name of an
 * fd the guest knows by another number, which would alias it: EBADF.
 */
#include <stdlib.h>
#include <string.h>

#include "tramp.h"

struct wvfs_state wvfs__the_state;
int wvfs__ready;

/* A WASI_PASS row, so not declared by tramp.h: the overlay's timestamps need it. */
int32_t wvfs__host_clock_time_get(int32_t id, int64_t precision, int32_t time)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("clock_time_get")));

static uint64_t host_now(void)
{
    uint64_t t = 0;
    wvfs__host_clock_time_get(0 /* realtime */, 1000, (int32_t)(uintptr_t)&t);
    return t;
}

void wvfs_get_stats(struct wvfs_stats *st)
{
    *st = wvfs__state()->stats;
}

void wvfs_set_cache_budget(uint64_t bytes)
{
    wvfs__state()->cache_budget = bytes;
}

/* An image this library cannot serve: say why on the host's stderr and stop,
 * before main, rather than run with files missing. */
static void die(const char *why)
{
    static const char pre[] = "wasi-vfs: ", post[] = "\n";
    const char *part[3] = {pre, why, post};
    /* piece by piece to the end: a host may write less than asked (the
     * preview1 adapter of a component writes one iovec a call) */
    for (int i = 0; i < 3; i++)
        for (size_t left = strlen(part[i]); left > 0;) {
            struct wvfs_iovec iov = {(uint8_t *)(uintptr_t)part[i] + strlen(part[i]) - left, left};
            int32_t n = 0;
            if (wvfs__host_fd_write(2, (int32_t)(uintptr_t)&iov, 1, (int32_t)(uintptr_t)&n) != 0 || n <= 0)
                break;
            left -= (size_t)n;
        }
    __builtin_trap();
}

/* The leading decimal digits of s, saturating (strtoull would add libc's
 * whole number scanner to every program for this one variable). */
static uint64_t decimal(const char *s)
{
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 + (uint64_t)(*s - '0');
    return v;
}

/* Layers are merged only in programs that link wvfs_layers.c (images naming
 * layers reference it, as does a packable program); the rest do without its
 * code.  A packable program (pack.c) may carry a packed app image. */
const struct wvfs_image *wvfs__layers_merge(const struct wvfs_image *img, const struct wvfs_image *top,
                                            const struct wvfs_part **partsp, uint32_t *nparts,
                                            const char **err) __attribute__((weak));
#pragma weak wvfs__packed
#pragma weak wvfs__pack_passive

/* Adopt the host's fds (stdio, then its preopens: contiguous from 3, as every
 * host hands them out), then add our mounts after them. */
void wvfs__init(void)
{
    const struct wvfs_image *img = &wvfs_image; /* NULL when no filesystem.c is linked */
    const struct wvfs_image *top = wvfs__packed ? wvfs__packed() : NULL;
    const struct wvfs_part *parts = NULL;
    uint32_t nparts = 0;
    if ((img && img->abi != WVFS_IMAGE_ABI) || (top && top->abi != WVFS_IMAGE_ABI))
        die("filesystem.c was generated for another image ABI; regenerate it with this "
            "library's wasivfs-gen");
    const char *err;
    int merge = (img && img->nlayers > 0) || top;
    if (merge && wvfs__layers_merge == NULL)
        die("filesystem.c names layers but does not link their merge; regenerate it with this "
            "library's wasivfs-gen");
    if (merge && (img = wvfs__layers_merge(img, top, &parts, &nparts, &err)) == NULL)
        die(err);
    wvfs__state_init(&wvfs__the_state, img);
    wvfs__the_state.parts = parts;
    wvfs__the_state.nparts = nparts;
    wvfs__the_state.now = host_now;
    if (top && wvfs__pack_passive)
        wvfs__pack_passive(&wvfs__the_state);
    const char *budget = getenv("WVFS_CACHE_BYTES"); /* environ is not a file call */
    if (budget != NULL)
        wvfs__the_state.cache_budget = decimal(budget);
    if (getenv("WVFS_TRACE") != NULL)
        wvfs__trace_start(&wvfs__the_state);
    wvfs__ready = 1;
    for (uint32_t fd = 0;; fd++) {
        struct wvfs_fdstat st;
        uint32_t guest;
        if (fd >= 3 && wvfs__host_fd_fdstat_get((int32_t)fd, (int32_t)(uintptr_t)&st) != 0)
            break;
        if (wvfs__fd_add_host(&wvfs__the_state, fd, &guest) != WVFS_ESUCCESS)
            return;
    }
    wvfs__fd_add_mounts(&wvfs__the_state);
}

/* One call, not inlined: it stands in every override, and inline there it
 * would grow every program by half a kilobyte. */
static __attribute__((noinline)) struct wvfs_fd *lookup(int32_t fd)
{
    return wvfs__fd_get(wvfs__state(), (uint32_t)fd);
}

/* May an fd the table does not know be passed to the host as it is? */
static int forward_unknown(int32_t fd)
{
    return !wvfs__fd_host_named(wvfs__state(), (uint32_t)fd);
}

/* The one route of a call by its fd: the embedded fd it names; or NULL with
 * *host the number the host is called with (a host fd's own, an unknown fd's
 * as it is), or -1 when the call answers EBADF.  Out of line, as lookup. */
static __attribute__((noinline)) struct wvfs_fd *route(int32_t fd, int64_t *host)
{
    struct wvfs_fd *f = lookup(fd);
    if (f != NULL && f->kind != WVFS_FD_HOST)
        return f;
    *host = f != NULL ? (int64_t)f->host : forward_unknown(fd) ? (int64_t)(uint32_t)fd : -1;
    return NULL;
}

/* The rows routed by their fd: a host fd goes to the host translated (HOST:
 * the row's arguments with the host's number for the fd), an unknown one as
 * it is or EBADF, an embedded one through the row's checks to lib/'s
 * wvfs__<name> (WASI_FD) or to vfs_calls.c's wvfs__vfs_<name> (WASI_FDX). */
#define HOST_FD(n) (int32_t)host
#define HOST_I32 NAME_I32
#define HOST_I64 NAME_I64
#define HOST_U8 NAME_U8
#define HOST_U16 NAME_U16
#define HOST_U32 NAME_U32
#define HOST_U64 NAME_U64
#define HOST_S64 NAME_S64
#define HOST_BUF NAME_BUF
#define HOST_IOVS NAME_IOVS
#define HOST_OUT NAME_OUT
#define WASI_ROUTED(name, params, handler)                                                 \
    int32_t __imported_wasi_snapshot_preview1_##name(WVFS_MAP(DECL, WVFS_COMMA, params))   \
    {                                                                                      \
        int64_t host;                                                                      \
        struct wvfs_fd *f = route(fd, &host);                                              \
        if (f == NULL)                                                                     \
            return host < 0 ? WVFS_EBADF : wvfs__host_##name(WVFS_MAP(HOST, WVFS_COMMA, params)); \
        int32_t err = WVFS_CHECK(params);                                                  \
        if (err != WVFS_ESUCCESS)                                                          \
            return err;                                                                    \
        return handler(&wvfs__the_state, WVFS_MAP(ARG, WVFS_COMMA, params));               \
    }
#define WASI_FD(name, params) WASI_ROUTED(name, params, wvfs__##name)
#define WASI_FDX(name, params) WASI_ROUTED(name, params, wvfs__vfs_##name)
#include "wasi_calls.def"

/* The checks of the hand-written rows, from their declarations: check_<name>
 * takes the call's arguments and answers EFAULT, EINVAL or success. */
#define WASI_OWN(name, params)                                                             \
    static inline int32_t check_##name(WVFS_MAP(DECL, WVFS_COMMA, params))                 \
    {                                                                                      \
        WVFS_MAP(USED, WVFS_COMMA, params);                                                \
        return WVFS_CHECK(params);                                                         \
    }
#include "wasi_calls.def"

/* path_open and sock_accept on a host (or unknown) fd went to the host with
 * the guest's own result pointer, so the host checked every argument as it
 * would without us; on success the new host fd it stored at `out` is
 * recorded under the lowest free guest number, which replaces it there (or
 * the host fd is closed again when the table is full). */
static int32_t host_opened(int32_t err, int32_t out)
{
    if (err != WVFS_ESUCCESS)
        return err;
    int32_t host = *(int32_t *)WVFS_PTR(out);
    uint32_t guest;
    err = wvfs__fd_add_host(wvfs__state(), (uint32_t)host, &guest);
    if (err != WVFS_ESUCCESS) {
        wvfs__host_fd_close(host);
        return err;
    }
    *(int32_t *)WVFS_PTR(out) = (int32_t)guest;
    return WVFS_ESUCCESS;
}

int32_t __imported_wasi_snapshot_preview1_fd_close(int32_t fd)
{
    struct wvfs_fd *f = lookup(fd);
    if (f == NULL)
        return forward_unknown(fd) ? wvfs__host_fd_close(fd) : WVFS_EBADF;
    if (f->kind == WVFS_FD_HOST) {
        int32_t err = wvfs__host_fd_close((int32_t)f->host);
        if (err != WVFS_ESUCCESS && err != WVFS_EBADF)
            return err; /* still open on the host (e.g. EINTR): keep the slot */
        wvfs__fd_release(&wvfs__the_state, (uint32_t)fd);
        return err;
    }
    wvfs__fd_close(&wvfs__the_state, (uint32_t)fd);
    return WVFS_ESUCCESS;
}

int32_t __imported_wasi_snapshot_preview1_fd_renumber(int32_t fd, int32_t to)
{
    if (lookup(fd) == NULL && lookup(to) == NULL && forward_unknown(fd) && forward_unknown(to))
        return wvfs__host_fd_renumber(fd, to);
    struct wvfs_fd old;
    wvfs_errno_t err = wvfs__fd_renumber(wvfs__state(), (uint32_t)fd, (uint32_t)to, &old);
    if (err == WVFS_ESUCCESS && old.kind == WVFS_FD_HOST)
        wvfs__host_fd_close((int32_t)old.host);
    return err;
}

int32_t __imported_wasi_snapshot_preview1_path_open(int32_t fd, int32_t dirflags, int32_t path,
                                                    int32_t path_len, int32_t oflags,
                                                    int64_t fs_rights_base,
                                                    int64_t fs_rights_inheriting,
                                                    int32_t fdflags, int32_t opened_fd)
{
    int64_t host;
    struct wvfs_fd *f = route(fd, &host);
    if (f == NULL)
        return host < 0 ? WVFS_EBADF
                        : host_opened(wvfs__host_path_open((int32_t)host, dirflags, path, path_len,
                                                           oflags, fs_rights_base,
                                                           fs_rights_inheriting, fdflags, opened_fd),
                                      opened_fd);
    int32_t err = check_path_open(fd, dirflags, path, path_len, oflags, fs_rights_base,
                                  fs_rights_inheriting, fdflags, opened_fd);
    if (err != WVFS_ESUCCESS)
        return err;
    uint32_t guest;
    err = wvfs__path_open(&wvfs__the_state, f, (uint32_t)dirflags, WVFS_PTR(path),
                                      (uint32_t)path_len, (uint16_t)oflags,
                                      (wvfs_rights_t)fs_rights_base,
                                      (wvfs_rights_t)fs_rights_inheriting, (uint16_t)fdflags,
                                      &guest);
    if (err == WVFS_ESUCCESS)
        *(int32_t *)WVFS_PTR(opened_fd) = (int32_t)guest;
    return err;
}

int32_t __imported_wasi_snapshot_preview1_sock_accept(int32_t fd, int32_t flags, int32_t new_fd)
{
    int64_t host;
    struct wvfs_fd *f = route(fd, &host);
    if (f == NULL)
        return host < 0 ? WVFS_EBADF
                        : host_opened(wvfs__host_sock_accept((int32_t)host, flags, new_fd), new_fd);
    int32_t err = check_sock_accept(fd, flags, new_fd); /* no embedded fd is a socket, or has the right */
    return err != WVFS_ESUCCESS ? err : wvfs__gate(&wvfs__the_state, f, WVFS_RIGHT_SOCK_ACCEPT, 0, 0);
}

/* A call naming two directories: both host (forward), both embedded (lib/
 * checks they are one mount), or one of each: EXDEV, as across mounts.  Both
 * unknown: *fa and *fb stay NULL and the call goes to the host as it is. */
static int32_t two_dirs(int32_t a, int32_t b, struct wvfs_fd **fa, struct wvfs_fd **fb)
{
    *fa = lookup(a);
    *fb = lookup(b);
    if (*fa == NULL && *fb == NULL && forward_unknown(a) && forward_unknown(b))
        return WVFS_ESUCCESS;
    if (*fa == NULL || *fb == NULL)
        return WVFS_EBADF;
    if ((*fa)->kind != (*fb)->kind)
        return WVFS_EXDEV;
    return WVFS_ESUCCESS;
}

/* The host's number of a two_dirs() fd: the slot's, or the guest's as it is. */
static int32_t host_of(const struct wvfs_fd *f, int32_t fd)
{
    return f ? (int32_t)f->host : fd;
}

int32_t __imported_wasi_snapshot_preview1_path_link(int32_t old_fd, int32_t old_flags,
                                                    int32_t old_path, int32_t old_path_len,
                                                    int32_t new_fd, int32_t new_path,
                                                    int32_t new_path_len)
{
    struct wvfs_fd *a, *b;
    int32_t err = two_dirs(old_fd, new_fd, &a, &b);
    if (err != WVFS_ESUCCESS)
        return err;
    if (a == NULL || a->kind == WVFS_FD_HOST)
        return wvfs__host_path_link(host_of(a, old_fd), old_flags, old_path, old_path_len,
                                    host_of(b, new_fd), new_path, new_path_len);
    err = check_path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len);
    if (err != WVFS_ESUCCESS)
        return err;
    return wvfs__path_link(&wvfs__the_state, a, (uint32_t)old_flags, WVFS_PTR(old_path),
                          (uint32_t)old_path_len, b, WVFS_PTR(new_path), (uint32_t)new_path_len);
}

int32_t __imported_wasi_snapshot_preview1_path_rename(int32_t fd, int32_t old_path,
                                                      int32_t old_path_len, int32_t new_fd,
                                                      int32_t new_path, int32_t new_path_len)
{
    struct wvfs_fd *a, *b;
    int32_t err = two_dirs(fd, new_fd, &a, &b);
    if (err != WVFS_ESUCCESS)
        return err;
    if (a == NULL || a->kind == WVFS_FD_HOST)
        return wvfs__host_path_rename(host_of(a, fd), old_path, old_path_len, host_of(b, new_fd),
                                      new_path, new_path_len);
    err = check_path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len);
    if (err != WVFS_ESUCCESS)
        return err;
    return wvfs__path_rename(&wvfs__the_state, a, WVFS_PTR(old_path), (uint32_t)old_path_len, b,
                            WVFS_PTR(new_path), (uint32_t)new_path_len);
}

int32_t __imported_wasi_snapshot_preview1_path_symlink(int32_t old_path, int32_t old_path_len,
                                                       int32_t fd, int32_t new_path,
                                                       int32_t new_path_len)
{
    int64_t host;
    struct wvfs_fd *f = route(fd, &host);
    if (f == NULL)
        return host < 0 ? WVFS_EBADF
                        : wvfs__host_path_symlink(old_path, old_path_len, (int32_t)host, new_path,
                                                  new_path_len);
    int32_t err = check_path_symlink(old_path, old_path_len, fd, new_path, new_path_len);
    if (err != WVFS_ESUCCESS)
        return err;
    return wvfs__path_symlink(&wvfs__the_state, WVFS_PTR(old_path), (uint32_t)old_path_len, f,
                             WVFS_PTR(new_path), (uint32_t)new_path_len);
}
