/* walk.c — the image from the host trees: mounts, the walk (entries sorted,
 * nodes numbered depth-first, hard links as one node), symlinks made relative
 * and resolved with the library's own resolver, and the hash tables of the
 * larger directories.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

static uint32_t new_node(struct gen *g)
{
    if (g->nnodes == UINT32_MAX - 1)
        fail("too many files");
    if (g->nnodes == g->capnodes) {
        g->capnodes = g->capnodes ? g->capnodes * 2 : 64;
        g->nodes = xrealloc(g->nodes, g->capnodes * sizeof *g->nodes);
        g->info = xrealloc(g->info, g->capnodes * sizeof *g->info);
    }
    memset(&g->nodes[g->nnodes], 0, sizeof *g->nodes);
    memset(&g->info[g->nnodes], 0, sizeof *g->info);
    return g->nnodes++;
}

static uint64_t mtime_ns(const struct gen *g, const struct stat *st)
{
    uint64_t ns = st->st_mtim.tv_sec < 0 ? 0
                                         : (uint64_t)st->st_mtim.tv_sec * 1000000000u +
                                               (uint64_t)st->st_mtim.tv_nsec;
    return ns < g->clamp_ns ? ns : g->clamp_ns;
}

/* qsort's order of names: the image's (wvfs__name_cmp). */
static int name_order(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return wvfs__name_cmp(x, strlen(x), y, strlen(y));
}

/* Files with more than one link inside a mount become one node (a hard link). */
static uint32_t find_hardlink(const struct gen *g, uint32_t mount, const struct stat *st)
{
    for (uint32_t i = 0; i < g->nlinked; i++) {
        const struct hostinfo *h = &g->info[g->linked[i]];
        if (h->mount == mount && h->st.st_dev == st->st_dev && h->st.st_ino == st->st_ino)
            return g->linked[i];
    }
    return UINT32_MAX;
}

/* Fill node `dir` (already created) from host directory g->info[dir].host. */
static void walk_dir(struct gen *g, uint32_t dir)
{
    const char *host = g->info[dir].host;
    DIR *d = opendir(host);
    if (d == NULL)
        fail("%s: cannot read directory: %s", host, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    if (errno != 0)
        fail("%s: cannot read directory: %s", host, strerror(errno));
    closedir(d);
    qsort(names, n, sizeof *names, name_order);

    if (n > UINT32_MAX - g->nents)
        fail("too many directory entries");
    uint32_t first = g->nents;
    g->nents += (uint32_t)n;
    if (g->nents > g->capents) {
        while (g->capents < g->nents)
            g->capents = g->capents ? g->capents * 2 : 256;
        g->ents = xrealloc(g->ents, g->capents * sizeof *g->ents);
    }
    g->nodes[dir].first = first;
    g->nodes[dir].size = n;
    g->nodes[dir].nlink = 2;

    for (size_t i = 0; i < n; i++) {
        char *path = join(host, names[i]);
        struct stat st;
        if (lstat(path, &st) != 0)
            fail("%s: %s", path, strerror(errno));
        uint32_t c = UINT32_MAX;
        if (S_ISREG(st.st_mode) && st.st_nlink > 1)
            c = find_hardlink(g, g->info[dir].mount, &st);
        if (c != UINT32_MAX) {
            g->nodes[c].nlink++;
            free(path);
        } else {
            c = new_node(g);
            g->info[c].host = path;
            g->info[c].rel = join(g->info[dir].rel, names[i]);
            g->info[c].mount = g->info[dir].mount;
            g->info[c].st = st;
            g->nodes[c].mtim = mtime_ns(g, &st);
            g->nodes[c].nlink = 1;
            if (S_ISREG(st.st_mode)) {
                g->nodes[c].type = WVFS_FILETYPE_REGULAR_FILE;
                g->nodes[c].size = (uint64_t)st.st_size;
                g->nodes[c].data = ""; /* read at emission time */
                if (st.st_nlink > 1) {
                    g->linked = xrealloc(g->linked, (g->nlinked + 1) * sizeof *g->linked);
                    g->linked[g->nlinked++] = c;
                }
            } else if (S_ISDIR(st.st_mode)) {
                g->nodes[c].type = WVFS_FILETYPE_DIRECTORY;
                g->nodes[c].parent = dir;
                g->nodes[dir].nlink++;
            } else if (S_ISLNK(st.st_mode)) {
                g->nodes[c].type = WVFS_FILETYPE_SYMBOLIC_LINK;
            } else {
                const char *what = S_ISFIFO(st.st_mode)   ? "a FIFO"
                                   : S_ISSOCK(st.st_mode) ? "a socket"
                                   : S_ISCHR(st.st_mode)  ? "a character device"
                                   : S_ISBLK(st.st_mode)  ? "a block device"
                                                          : "a special file";
                fail("%s: is %s; only regular files, directories and symlinks can be embedded",
                     path, what);
            }
        }
        g->ents[first + i].name = names[i];
        g->ents[first + i].namelen = (uint32_t)strlen(names[i]);
        g->ents[first + i].node = c;
    }
    free(names);
    /* Recurse after the entries are placed, so each directory's block is contiguous. */
    for (size_t i = 0; i < n; i++) {
        uint32_t c = g->ents[first + i].node;
        if (g->nodes[c].type == WVFS_FILETYPE_DIRECTORY)
            walk_dir(g, c);
    }
}

/* Read a symlink; make an absolute target that points inside its mount relative
 * (WASI resolves only relative links); refuse one that leaves the mount. */
static void fix_symlink(struct gen *g, uint32_t n)
{
    const struct hostinfo *h = &g->info[n];
    char buf[PATH_MAX + 1];
    ssize_t len = readlink(h->host, buf, PATH_MAX);
    if (len < 0)
        fail("%s: cannot read symlink: %s", h->host, strerror(errno));
    buf[len] = '\0';
    if (len == 0)
        fail("%s: symlink with an empty target", h->host);
    char *target;
    size_t depth = 0; /* directories between the mount root and the link */
    for (const char *p = h->rel; *p; p++)
        depth += *p == '/';
    if (buf[0] == '/') {
        const char *root = g->info[g->mounts[h->mount].root].host;
        char real[PATH_MAX];
        if (realpath(root, real) == NULL)
            fail("%s: %s", root, strerror(errno));
        size_t rl = strlen(real);
        const char *rest;
        if (strncmp(buf, real, rl) == 0 && (buf[rl] == '/' || buf[rl] == '\0'))
            rest = buf + rl + (buf[rl] == '/');
        else if (strncmp(buf, root, strlen(root)) == 0 &&
                 (buf[strlen(root)] == '/' || buf[strlen(root)] == '\0'))
            rest = buf + strlen(root) + (buf[strlen(root)] == '/');
        else
            fail("%s: symlink target '%s' is outside the mapped directory %s", h->host, buf, root);
        target = xrealloc(NULL, depth * 3 + strlen(rest) + 2);
        target[0] = '\0';
        for (size_t i = 0; i < depth; i++)
            strcat(target, "../");
        strcat(target, *rest ? rest : ".");
    } else {
        target = xstrdup(buf);
    }
    g->nodes[n].data = target;
    g->nodes[n].size = strlen(target);
}

/* Resolve each symlink from its mount root with the library's resolver. */
static void check_symlink(const struct gen *g, const struct wvfs_state *st, uint32_t n)
{
    const struct hostinfo *h = &g->info[n];
    const char *slash = strrchr(h->rel, '/');
    size_t dirlen = slash ? (size_t)(slash - h->rel) : 0;
    char *path = xrealloc(NULL, dirlen + (size_t)g->nodes[n].size + 2);
    memcpy(path, h->rel, dirlen);
    path[dirlen] = '/';
    memcpy(path + dirlen + (dirlen > 0), g->nodes[n].data, (size_t)g->nodes[n].size + 1);

    struct wvfs_where w;
    wvfs_errno_t err = wvfs__resolve(st, g->mounts[h->mount].root, path, strlen(path), WVFS_FOLLOW, &w);
    if (err == WVFS_ENOTCAPABLE)
        fail("%s: symlink target '%s' leaves the mapped directory", h->host, g->nodes[n].data);
    if (err == WVFS_ELOOP)
        fail("%s: symlink loop (or more than %d links in a row)", h->host, WVFS_SYMLOOP_MAX - 1);
    if (err == WVFS_ENOENT || err == WVFS_ENOTDIR) {
        /* Dangling links are kept, but even so must not point outside lexically. */
        long depth = 0;
        for (char *c = strtok(path, "/"); c; c = strtok(NULL, "/")) {
            if (strcmp(c, "..") == 0 && --depth < 0)
                fail("%s: symlink target '%s' leaves the mapped directory", h->host,
                     g->nodes[n].data);
            else if (strcmp(c, ".") != 0 && strcmp(c, "..") != 0)
                depth++;
        }
    }
    free(path);
}

/* "/a//b/" -> "/a/b"; refuses relative paths and "." or ".." components. */
static char *guest_path(const char *g, const char *arg)
{
    if (g[0] != '/')
        fail("--mapdir %s: guest path '%s' must be absolute", arg, g);
    char *r = xrealloc(NULL, strlen(g) + 2);
    size_t k = 0;
    for (const char *p = g; *p;) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        if (e == p)
            break;
        if ((e - p == 1 && p[0] == '.') || (e - p == 2 && p[0] == '.' && p[1] == '.'))
            fail("--mapdir %s: guest path may not contain '.' or '..'", arg);
        r[k++] = '/';
        memcpy(r + k, p, (size_t)(e - p));
        k += (size_t)(e - p);
        p = e;
    }
    if (k == 0)
        r[k++] = '/';
    r[k] = '\0';
    return r;
}

/* Add a mount: `arg` is GUEST::HOST (--mapdir) or GUEST (--tmpdir: empty, no host dir). */
void add_mount(struct gen *g, const char *arg, int tmp)
{
    const char *sep = tmp ? arg + strlen(arg) : strstr(arg, "::");
    if (sep == NULL)
        fail("--mapdir takes GUEST::HOST, got '%s'", arg);
    char *guest = xrealloc(NULL, (size_t)(sep - arg) + 1);
    memcpy(guest, arg, (size_t)(sep - arg));
    guest[sep - arg] = '\0';
    const char *host = tmp ? NULL : sep + 2;
    if (host && *host == '\0')
        fail("--mapdir %s: empty host path", arg);
    char *path = guest_path(guest, arg);
    free(guest);
    for (uint32_t m = 0; m < g->nmounts; m++)
        if (strcmp(g->mounts[m].path, path) == 0)
            fail("%s %s: guest path %s is mapped twice", tmp ? "--tmpdir" : "--mapdir", arg, path);
    struct stat st;
    memset(&st, 0, sizeof st);
    if (host) {
        if (stat(host, &st) != 0)
            fail("%s: %s", host, strerror(errno));
        if (!S_ISDIR(st.st_mode))
            fail("%s: not a directory", host);
        if (access(host, R_OK | X_OK) != 0)
            fail("%s: cannot read directory: %s", host, strerror(errno));
    }
    g->mounts = xrealloc(g->mounts, (g->nmounts + 1) * sizeof *g->mounts);
    uint32_t root = new_node(g);
    g->mounts[g->nmounts].path = path;
    g->mounts[g->nmounts].root = root;
    g->mounts[g->nmounts].flags = 0;
    g->info[root].host = host ? xstrdup(host) : NULL;
    g->info[root].rel = xstrdup("");
    g->info[root].mount = g->nmounts;
    g->info[root].st = st;
    g->nodes[root].type = WVFS_FILETYPE_DIRECTORY;
    g->nodes[root].parent = root;
    g->nodes[root].nlink = 2;
    g->nodes[root].mtim = host ? mtime_ns(g, &st) : (g->clamp_ns == UINT64_MAX ? 0 : g->clamp_ns);
    g->nmounts++;
}

void set_readonly(struct gen *g, const char *arg)
{
    char *path = guest_path(arg, arg);
    for (uint32_t m = 0; m < g->nmounts; m++)
        if (strcmp(g->mounts[m].path, path) == 0) {
            g->mounts[m].flags |= WVFS_MOUNT_READONLY;
            free(path);
            return;
        }
    fail("--readonly %s: no --mapdir or --tmpdir has guest path %s", arg, path);
}

/* Hash tables for directories of WVFS_HTAB_MIN entries or more, so a lookup
 * costs one probe however large the directory (a binary search costs one name
 * comparison per halving); then the path index, so a path costs one probe
 * however deep it is. */
void build_htabs(struct gen *g)
{
    for (uint32_t n = 0; n < g->nnodes; n++) {
        struct wvfs_node *d = &g->nodes[n];
        if (d->type != WVFS_FILETYPE_DIRECTORY || d->size < WVFS_HTAB_MIN)
            continue;
        uint32_t cap = wvfs__htab_size(d->size);
        if (cap > UINT32_MAX - 1 - g->nhtab)
            fail("too many directory entries");
        g->htab = xrealloc(g->htab, ((size_t)g->nhtab + cap) * sizeof *g->htab);
        wvfs__htab_fill(g->htab + g->nhtab, cap, g->ents + d->first, (uint32_t)d->size);
        d->htab = g->nhtab + 1;
        g->nhtab += cap;
    }
    /* then the path index (wasi_vfs.h), where there are directories below a root */
    struct wvfs_image img;
    image_so_far(g, &img);
    uint32_t ndirs = wvfs__pidx_count(&img);
    if (ndirs == 0)
        return;
    uint32_t cap = wvfs__htab_size(ndirs);
    uint32_t words;
    uint32_t *idx = wvfs__pidx_build(&img, cap, &words);
    if (idx == NULL)
        fail("out of memory");
    if (words > UINT32_MAX - 1 - g->nhtab)
        fail("too many directories");
    g->htab = xrealloc(g->htab, ((size_t)g->nhtab + words) * sizeof *g->htab);
    memcpy(g->htab + g->nhtab, idx, (size_t)words * sizeof *idx);
    free(idx);
    g->pidx = g->nhtab + 1;
    g->npidx = cap;
    g->nhtab += words;
}

void image_so_far(const struct gen *g, struct wvfs_image *img)
{
    *img = (struct wvfs_image){.abi = WVFS_IMAGE_ABI, .nmounts = g->nmounts, .nnodes = g->nnodes,
                               .nents = g->nents, .mounts = g->mounts, .nodes = g->nodes,
                               .ents = g->ents, .htab = g->htab, .nhtab = g->nhtab,
                               .pidx = g->pidx, .npidx = g->npidx};
}

void walk_mounts(struct gen *g)
{
    for (uint32_t m = 0; m < g->nmounts; m++)
        if (g->info[g->mounts[m].root].host != NULL)
            walk_dir(g, g->mounts[m].root);
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (g->nodes[n].type == WVFS_FILETYPE_SYMBOLIC_LINK)
            fix_symlink(g, n);
}

/* Every symlink (made relative by walk_mounts) resolved from its mount root on
 * the image as built: the guest will see exactly what this checked. */
void check_symlinks(struct gen *g)
{
    struct wvfs_image img;
    image_so_far(g, &img);
    struct wvfs_state st;
    wvfs__state_init(&st, &img);
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (g->nodes[n].type == WVFS_FILETYPE_SYMBOLIC_LINK)
            check_symlink(g, &st, n);
    const char *bad = wvfs_image_check(&img);
    if (bad)
        fail("internal error: image fails its check: %s", bad);
}
