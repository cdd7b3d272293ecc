/* trace.c — WVFS_TRACE: which embedded paths a run uses, for wasivfs-gen --keep.
 *
 * With WVFS_TRACE set (to anything) in the program's environment, every image
 * entry a path resolution finds (each directory passed, symlink followed, file
 * or directory named) is written once, as "wvfs-trace: /guest/path", to the
 * host's fd 2 directly: the program's own fds and output are untouched; and
 * every image directory whose entries it lists, once, as "wvfs-trace:
 * /guest/dir/" (--keep then keeps all of its entries, so a slim image lists
 * the same names); and every image file whose bytes it reads (or opens,
 * for a compressed one), once, as "wvfs-read: /guest/path" (--hot keeps
 * those from the dictionary).  Names are the image's; files the program
 * creates are not in the image, so not traced.  A name holding a newline
 * cannot be written on one line: skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "tramp.h"

static uint8_t *seen, *listed; /* one bit per image node */
static struct {                /* per image node, where it was first found */
    uint32_t dir, len;
    char *name;                /* a copy: the resolver's name lies in the caller's path */
} *found;
static void (*inner_fetch)(const struct wvfs_state *s, uint32_t n); /* pack's, if any */

/* Append the guest path of directory `dir` at buf[*n] (cap bytes); 0 if it
 * does not fit or cannot be named. */
static int dir_path(const struct wvfs_state *s, uint32_t dir, char *buf, size_t cap, size_t *n)
{
    for (uint32_t m = 0; m < s->img->nmounts; m++)
        if (s->img->mounts[m].root == dir) {
            const char *p = s->img->mounts[m].path;
            size_t k = strlen(p) == 1 ? 0 : strlen(p); /* "/" adds nothing before "/name" */
            if (*n + k > cap)
                return 0;
            memcpy(buf + *n, p, k);
            *n += k;
            return 1;
        }
    struct wvfs_view v;
    wvfs__view(s, dir, &v);
    if (v.parent == dir || !dir_path(s, v.parent, buf, cap, n))
        return 0;
    const char *name;
    uint32_t namelen, node;
    for (uint64_t pos = 0; (pos = wvfs__dir_next(s, v.parent, pos, &name, &namelen, &node)) != UINT64_MAX;
         pos++)
        if (node == dir) {
            if (*n + 1 + namelen > cap)
                return 0;
            buf[(*n)++] = '/';
            memcpy(buf + *n, name, namelen);
            *n += namelen;
            return 1;
        }
    return 0;
}

/* Is node's bit in set new?  Then set it. */
static int first_time(uint8_t *set, const struct wvfs_state *s, uint32_t node)
{
    if (node >= s->img->nnodes || (set[node / 8] & (1u << (node % 8))))
        return 0;
    set[node / 8] |= (uint8_t)(1u << (node % 8));
    return 1;
}

/* "PREFIX: DIR/NAME" on the host's stderr; with an empty name, the
 * directory's listing ("DIR/"). */
static void put_line(const struct wvfs_state *s, const char *prefix, uint32_t dir, const char *name,
                     size_t len)
{
    static char line[4096 + 32];
    size_t n = strlen(prefix);
    memcpy(line, prefix, n);
    if (memchr(name, '\n', len) || !dir_path(s, dir, line, sizeof line - 2, &n) ||
        n + 2 + len > sizeof line)
        return;
    line[n++] = '/';
    memcpy(line + n, name, len);
    n += len;
    line[n++] = '\n';
    struct wvfs_iovec iov = {(uint8_t *)line, n};
    int32_t written;
    wvfs__host_fd_write(2, (int32_t)(uintptr_t)&iov, 1, (int32_t)(uintptr_t)&written);
}

static void trace(const struct wvfs_state *s, uint32_t dir, const char *name, size_t len,
                  uint32_t node)
{
    if (!first_time(seen, s, node))
        return;
    if ((found[node].name = malloc(len > 0 ? len : 1)) != NULL) { /* else no read line for it */
        memcpy(found[node].name, name, len);
        found[node].dir = dir;
        found[node].len = (uint32_t)len;
    }
    put_line(s, "wvfs-trace: ", dir, name, len);
}

static void trace_list(const struct wvfs_state *s, uint32_t dir)
{
    if (first_time(listed, s, dir))
        put_line(s, "wvfs-trace: ", dir, "", 0);
}

/* A node's bytes are used for the first time (a file is resolved before it
 * is opened, so found[] names it). */
static void trace_read(const struct wvfs_state *s, uint32_t n)
{
    if (s->img->nodes[n].type == WVFS_FILETYPE_REGULAR_FILE && found[n].name != NULL)
        put_line(s, "wvfs-read: ", found[n].dir, found[n].name, found[n].len);
    if (inner_fetch != NULL)
        inner_fetch(s, n);
    else
        s->present[n >> 3] |= (uint8_t)(1u << (n & 7));
}

void wvfs__trace_start(struct wvfs_state *s)
{
    size_t bits = (size_t)s->img->nnodes / 8 + 1;
    seen = calloc(bits, 1);
    listed = calloc(bits, 1);
    found = calloc(s->img->nnodes + 1, sizeof *found);
    if (s->present == NULL) /* no passive segment: the reads' own record */
        s->present = calloc(bits + (s->nparts ? s->nparts : 1), 1);
    if (seen == NULL || listed == NULL || found == NULL || s->present == NULL)
        return;
    s->trace = trace;
    s->trace_list = trace_list;
    inner_fetch = s->fetch;
    s->fetch = trace_read;
}
