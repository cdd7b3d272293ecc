/* keep.c — path lists from a trace: --keep FILE, a slim image of only what a
 * program uses; --hot FILE, the files a start reads, kept from the dictionary.
 *
 * FILE lists guest paths, one a line (blank lines and '#' comments skipped;
 * a trace's "wvfs-trace: PATH" and "wvfs-read: PATH" lines are taken as
 * they are; --hot takes only the reads), or globs with
 * * ? [..] (fnmatch, '*' crossing '/').  An entry is kept when its guest path
 * is listed or matched, or when the directory it is in is listed with a
 * trailing slash ("/src/": the run listed it, so every name in it stays); then, until nothing changes, every kept symlink's
 * target is resolved on the full tree with the library's own resolver, which
 * keeps every entry the resolution passes; and every directory holding a kept
 * entry is kept, up to its mount.  The image is then rebuilt from the kept
 * entries alone, in the same order, so a left-out path answers ENOENT and no
 * listing shows it.  Hard links keep only their kept names.
 *
 * A hot file is one every start reads: stored raw (from SEEKABLE_MIN bytes,
 * compressed on its own without the image's dictionary), outside any block,
 * so a start that reads only hot files runs no decoder and never decodes the
 * dictionary (megabytes, the largest decode it would otherwise pay for a
 * handful of small files).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct keep {
    char **exact, **globs, **dirs; /* dirs: "/guest/dir/", whose every entry is kept */
    size_t nexact, nglobs, ndirs;
    uint8_t *ent;         /* per entry: kept */
    uint32_t *owner;      /* per entry: the directory it is in */
    uint32_t *named_by;   /* per directory node: its entry in its parent, or WVFS_NONE */
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The list in FILE: --keep's, or with hot --hot's (the reads only). */
static void read_list(struct keep *k, const char *file, int hot)
{
    const char *opt = hot ? "--hot" : "--keep"; /* for errors */
    FILE *f = fopen(file, "r");
    if (f == NULL)
        fail("%s %s: %s", opt, file, strerror(errno));
    char *line = NULL;
    size_t cap = 0, capx = 0, capg = 0;
    ssize_t len;
    static const char resolved[] = "wvfs-trace: ", read[] = "wvfs-read: ";
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *p = line;
        if (strncmp(p, resolved, sizeof resolved - 1) == 0) {
            if (hot)
                continue; /* resolved, not necessarily read */
            p += sizeof resolved - 1;
        } else if (strncmp(p, read, sizeof read - 1) == 0)
            p += sizeof read - 1;
        if (*p == '\0' || *p == '#')
            continue;
        if (*p != '/')
            fail("%s %s: '%s' is not an absolute guest path", opt, file, p);
        size_t n = strlen(p);
        int listing = p[n - 1] == '/';
        if (listing && hot)
            fail("%s %s: '%s' names a directory; list its files, or a glob", opt, file, p);
        while (n > 1 && p[n - 1] == '/')
            p[--n] = '\0';
        if (listing && !strpbrk(p, "*?[")) {
            k->dirs = xrealloc(k->dirs, (k->ndirs + 1) * sizeof *k->dirs);
            k->dirs[k->ndirs++] = join(p, ""); /* one trailing slash, "/" for the root */
            if (strcmp(p, "/") == 0)
                k->dirs[k->ndirs - 1][1] = '\0';
        } else if (strpbrk(p, "*?[")) {
            if (k->nglobs == capg)
                k->globs = xrealloc(k->globs, (capg = capg ? capg * 2 : 16) * sizeof *k->globs);
            k->globs[k->nglobs++] = xstrdup(p);
        } else {
            if (k->nexact == capx)
                k->exact = xrealloc(k->exact, (capx = capx ? capx * 2 : 256) * sizeof *k->exact);
            k->exact[k->nexact++] = xstrdup(p);
        }
    }
    if (ferror(f))
        fail("%s %s: read error", opt, file);
    free(line);
    fclose(f);
    qsort(k->exact, k->nexact, sizeof *k->exact, cmp_str);
    qsort(k->dirs, k->ndirs, sizeof *k->dirs, cmp_str);
}

static int listed(const struct keep *k, const char *path)
{
    if (bsearch(&path, k->exact, k->nexact, sizeof *k->exact, cmp_str))
        return 1;
    for (size_t i = 0; i < k->nglobs; i++)
        if (fnmatch(k->globs[i], path, 0) == 0)
            return 1;
    return 0;
}

/* The guest path of directory d's entry called `name`. */
static char *entry_path(const struct gen *g, uint32_t d, const char *name)
{
    const char *mount = g->mounts[g->info[d].mount].path, *rel = g->info[d].rel;
    if (strcmp(mount, "/") == 0)
        mount = ""; /* the root mount's entries are "/name" */
    size_t ml = strlen(mount), rl = strlen(rel), nl = strlen(name);
    char *p = xrealloc(NULL, ml + rl + nl + 3), *q = p;
    memcpy(q, mount, ml);
    q += ml;
    if (rl > 0) {
        *q++ = '/';
        memcpy(q, rel, rl);
        q += rl;
    }
    *q++ = '/';
    memcpy(q, name, nl + 1);
    return p;
}

/* The entry of directory d named name[0..len), or WVFS_NONE. */
static uint32_t find_entry(const struct gen *g, uint32_t d, const char *name, size_t len)
{
    uint32_t lo = g->nodes[d].first, hi = lo + (uint32_t)g->nodes[d].size;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = wvfs__name_cmp(g->ents[mid].name, g->ents[mid].namelen, name, len);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return WVFS_NONE;
}

/* The resolver's trace hook while a kept symlink's target is resolved: every
 * entry it passes is kept.  The hook is given the state, which is the first
 * member of this, so it finds what it keeps beside it. */
struct following {
    struct wvfs_state st;
    const struct gen *g;
    struct keep *k;
    int more; /* an entry was kept this round */
};
static void keep_passed(const struct wvfs_state *s, uint32_t dir, const char *name, size_t len,
                        uint32_t node)
{
    (void)node;
    struct following *fl = (struct following *)(uintptr_t)s;
    uint32_t e = find_entry(fl->g, dir, name, len);
    if (e != WVFS_NONE && !fl->k->ent[e]) {
        fl->k->ent[e] = 1;
        fl->more = 1;
    }
}

static void follow_links(struct gen *g, struct keep *k)
{
    struct wvfs_image img; /* before build_htabs: no hash tables yet */
    image_so_far(g, &img);
    struct following fl = {.g = g, .k = k};
    wvfs__state_init(&fl.st, &img);
    fl.st.trace = keep_passed;
    uint8_t *done = xrealloc(NULL, g->nents);
    memset(done, 0, g->nents);
    do {
        fl.more = 0;
        for (uint32_t e = 0; e < g->nents; e++) {
            uint32_t n = g->ents[e].node;
            if (!k->ent[e] || done[e] || g->nodes[n].type != WVFS_FILETYPE_SYMBOLIC_LINK)
                continue;
            done[e] = 1;
            /* the target, from the directory the link is in, as the guest resolves it */
            uint32_t d = k->owner[e];
            const char *rel = g->info[d].rel;
            size_t rl = strlen(rel), tl = (size_t)g->nodes[n].size;
            char *path = xrealloc(NULL, rl + tl + 2);
            memcpy(path, rel, rl);
            path[rl] = '/';
            memcpy(path + rl + (rl > 0), g->nodes[n].data, tl);
            struct wvfs_where w;
            wvfs__resolve(&fl.st, g->mounts[g->info[d].mount].root, path, rl + (rl > 0) + tl,
                          WVFS_FOLLOW, &w); /* a dangling target keeps what exists of it */
            free(path);
        }
    } while (fl.more);
    free(done);
}

/* Mark the entries the list keeps: listed or matched, or in a directory
 * listed with a trailing slash; note each entry's directory and each
 * directory's entry on the way. */
static void mark_listed(const struct gen *g, struct keep *k)
{
    k->ent = xrealloc(NULL, (size_t)g->nents + 1);
    memset(k->ent, 0, (size_t)g->nents + 1);
    k->owner = xrealloc(NULL, ((size_t)g->nents + 1) * sizeof *k->owner);
    k->named_by = xrealloc(NULL, ((size_t)g->nnodes + 1) * sizeof *k->named_by);
    for (uint32_t n = 0; n < g->nnodes; n++)
        k->named_by[n] = WVFS_NONE;
    for (uint32_t d = 0; d < g->nnodes; d++) {
        if (g->nodes[d].type != WVFS_FILETYPE_DIRECTORY)
            continue;
        char *dp = entry_path(g, d, "");
        int all = bsearch(&dp, k->dirs, k->ndirs, sizeof *k->dirs, cmp_str) != NULL;
        free(dp);
        for (uint32_t e = g->nodes[d].first; e < g->nodes[d].first + g->nodes[d].size; e++) {
            k->owner[e] = d;
            if (g->nodes[g->ents[e].node].type == WVFS_FILETYPE_DIRECTORY)
                k->named_by[g->ents[e].node] = e;
            char *p = entry_path(g, d, g->ents[e].name);
            k->ent[e] = (uint8_t)(all || listed(k, p));
            free(p);
        }
    }
}

/* Keep the directories above kept entries: children are numbered after
 * their parents, so one pass from the last node up settles every level. */
static void keep_parents(const struct gen *g, struct keep *k)
{
    for (uint32_t d = g->nnodes; d-- > 0;) {
        if (g->nodes[d].type != WVFS_FILETYPE_DIRECTORY || k->named_by[d] == WVFS_NONE)
            continue;
        for (uint32_t e = g->nodes[d].first; e < g->nodes[d].first + g->nodes[d].size; e++)
            if (k->ent[e]) {
                k->ent[k->named_by[d]] = 1;
                break;
            }
    }
}

/* Rebuild the image from the kept nodes, in their old order, each
 * directory with its kept entries alone; the files left out go to
 * g->dropped for the report. */
static void rebuild(struct gen *g, const struct keep *k)
{
    uint32_t *renum = xrealloc(NULL, ((size_t)g->nnodes + 1) * sizeof *renum);
    uint32_t *links = xrealloc(NULL, ((size_t)g->nnodes + 1) * sizeof *links);
    for (uint32_t n = 0; n < g->nnodes; n++)
        renum[n] = WVFS_NONE, links[n] = 0;
    for (uint32_t m = 0; m < g->nmounts; m++)
        renum[g->mounts[m].root] = 0;
    for (uint32_t e = 0; e < g->nents; e++)
        if (k->ent[e]) {
            renum[g->ents[e].node] = 0;
            links[g->ents[e].node]++;
        }
    uint32_t nn = 0;
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (renum[n] != WVFS_NONE)
            renum[n] = nn++;
    struct wvfs_node *nodes = xrealloc(NULL, (size_t)nn * sizeof *nodes);
    struct hostinfo *info = xrealloc(NULL, (size_t)nn * sizeof *info);
    struct wvfs_dirent *ents = xrealloc(NULL, ((size_t)g->nents + 1) * sizeof *ents);
    uint32_t ne = 0;
    for (uint32_t n = 0; n < g->nnodes; n++) {
        if (renum[n] == WVFS_NONE) {
            if (g->nodes[n].type != WVFS_FILETYPE_REGULAR_FILE) {
                free(g->info[n].host);
                free(g->info[n].rel);
            } else { /* the report counts it against the full tree (st_size is its size) */
                g->dropped = xrealloc(g->dropped, (g->ndropped + 1) * sizeof *g->dropped);
                g->dropped[g->ndropped++] = g->info[n];
            }
            continue;
        }
        struct wvfs_node *x = &nodes[renum[n]];
        *x = g->nodes[n];
        info[renum[n]] = g->info[n];
        if (x->type != WVFS_FILETYPE_DIRECTORY) {
            x->nlink = links[n];
            continue;
        }
        x->parent = renum[x->parent];
        x->first = ne;
        x->nlink = 2;
        for (uint32_t e = g->nodes[n].first; e < g->nodes[n].first + g->nodes[n].size; e++) {
            if (!k->ent[e])
                continue;
            ents[ne] = g->ents[e];
            ents[ne].node = renum[g->ents[e].node];
            x->nlink += g->nodes[g->ents[e].node].type == WVFS_FILETYPE_DIRECTORY;
            ne++;
        }
        x->size = ne - x->first;
    }
    for (uint32_t m = 0; m < g->nmounts; m++)
        g->mounts[m].root = renum[g->mounts[m].root];
    free(g->nodes);
    free(g->info);
    free(g->ents);
    g->nodes = nodes;
    g->info = info;
    g->ents = ents;
    g->nnodes = g->capnodes = nn;
    g->nents = g->capents = ne;
    free(renum);
    free(links);
}

/* What the list named, freed. */
static void free_keep(struct keep *k)
{
    free(k->ent);
    free(k->owner);
    free(k->named_by);
    for (size_t i = 0; i < k->nexact; i++)
        free(k->exact[i]);
    for (size_t i = 0; i < k->nglobs; i++)
        free(k->globs[i]);
    for (size_t i = 0; i < k->ndirs; i++)
        free(k->dirs[i]);
    free(k->exact);
    free(k->globs);
    free(k->dirs);
}

void keep_only(struct gen *g, const char *listfile)
{
    struct keep k = {0};
    read_list(&k, listfile, 0);
    mark_listed(g, &k);
    follow_links(g, &k);
    keep_parents(g, &k);
    rebuild(g, &k);
    free_keep(&k);
}

void mark_hot(struct gen *g, const char *listfile)
{
    struct keep k = {0};
    read_list(&k, listfile, 1);
    g->hot = xrealloc(NULL, (size_t)g->nnodes + 1);
    memset(g->hot, 0, (size_t)g->nnodes + 1);
    for (uint32_t d = 0; d < g->nnodes; d++) {
        if (g->nodes[d].type != WVFS_FILETYPE_DIRECTORY)
            continue;
        for (uint32_t e = g->nodes[d].first; e < g->nodes[d].first + g->nodes[d].size; e++) {
            uint32_t n = g->ents[e].node;
            if (g->nodes[n].type != WVFS_FILETYPE_REGULAR_FILE || g->hot[n])
                continue;
            char *p = entry_path(g, d, g->ents[e].name);
            g->hot[n] = (uint8_t)listed(&k, p);
            free(p);
        }
    }
    free_keep(&k);
}
