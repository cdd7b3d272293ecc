/* report.c — where an image's bytes go (--report DEPTH, --report-json FILE).
 *
 * Each file is counted under its guest directory cut to DEPTH components
 * below its mount (0: the mount itself): files, raw bytes, stored bytes (what
 * the image holds for it: compressed size, raw size, or 0 for a file stored
 * once for several), and the share of all stored bytes.  The text form is
 * sorted by stored bytes, largest first, like `du | sort -rn`, with a total;
 * the JSON form holds the same rows.  The tables (entries, nodes, names,
 * hash tables) are one more row, and the dictionary another.  Run after emit().
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct row {
    char *path;
    uint64_t files, raw, stored;
};

static int by_stored(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->stored != y->stored)
        return x->stored < y->stored ? 1 : -1;
    return strcmp(x->path, y->path);
}

/* The guest directory file n is counted under: its mount path, then at most
 * `depth` components of the directory it is in. */
static char *bucket(const struct gen *g, uint32_t n, int depth)
{
    const struct hostinfo *h = &g->info[n];
    const char *mount = g->mounts[h->mount].path, *rel = h->rel, *end = rel;
    for (int d = 0; d < depth; d++) {
        const char *slash = strchr(end, '/');
        if (slash == NULL)
            break; /* the file's own name is not a directory */
        end = slash + 1;
    }
    size_t ml = strlen(mount), rl = end > rel ? (size_t)(end - rel) - 1 : 0;
    char *p = xrealloc(NULL, ml + rl + 2);
    memcpy(p, mount, ml);
    if (rl > 0) {
        size_t k = ml > 1 ? ml : 0; /* "/" + "a" is "/a", not "//a" */
        p[k] = '/';
        memcpy(p + k + 1, rel, rl);
        p[k + 1 + rl] = '\0';
    } else {
        p[ml] = '\0';
    }
    return p;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void report(const struct gen *g, uint64_t tables)
{
    struct row *rows = NULL;
    size_t nrows = 0, cap = 0;
    size_t dict_len;
    compress_dict(g, &dict_len);
    uint64_t files = 0, raw = 0, stored = tables + dict_len;
    for (uint32_t n = 0; n < g->nnodes; n++) {
        if (g->nodes[n].type != WVFS_FILETYPE_REGULAR_FILE)
            continue;
        uint64_t size = g->nodes[n].size;
        uint64_t kept = g->same[n] != n ? 0 : g->nodes[n].zsize ? g->nodes[n].zsize : size;
        char *path = bucket(g, n, g->report_depth);
        size_t i = 0;
        while (i < nrows && strcmp(rows[i].path, path) != 0)
            i++; /* rows are few (directories to a depth): a scan will do */
        if (i == nrows) {
            if (nrows == cap)
                rows = xrealloc(rows, (cap = cap ? cap * 2 : 64) * sizeof *rows);
            rows[nrows++] = (struct row){path, 0, 0, 0};
        } else {
            free(path);
        }
        rows[i].files++;
        rows[i].raw += size;
        rows[i].stored += kept;
        files++;
        raw += size;
        stored += kept;
    }
    if (nrows + 2 > cap)
        rows = xrealloc(rows, (cap + 2) * sizeof *rows);
    rows[nrows++] = (struct row){xstrdup("(tables: entries, nodes, names, hashes)"), 0, 0, tables};
    if (dict_len > 0) /* the files in it are counted in their rows, stored as a few bytes each */
        rows[nrows++] = (struct row){xstrdup("(dictionary: some of the files, and zstd's tables)"), 0, 0, dict_len};
    qsort(rows, nrows, sizeof *rows, by_stored);

    if (g->report_depth >= 0) {
        FILE *f = stderr;
        fprintf(f, "%12s %12s %7s %6s  %s\n", "stored", "raw", "files", "share", "directory");
        for (size_t i = 0; i < nrows; i++)
            fprintf(f, "%12llu %12llu %7llu %5.1f%%  %s\n", (unsigned long long)rows[i].stored,
                    (unsigned long long)rows[i].raw, (unsigned long long)rows[i].files,
                    stored ? 100.0 * (double)rows[i].stored / (double)stored : 0.0, rows[i].path);
        fprintf(f, "%12llu %12llu %7llu %5.1f%%  total (stored is %.1f%% of raw)\n",
                (unsigned long long)stored, (unsigned long long)raw, (unsigned long long)files,
                100.0, raw ? 100.0 * (double)stored / (double)raw : 0.0);
    }
    if (g->report_json) {
        FILE *f = fopen(g->report_json, "w");
        if (f == NULL)
            fail("--report-json %s: cannot write", g->report_json);
        fprintf(f, "{\"depth\": %d, \"files\": %llu, \"raw\": %llu, \"stored\": %llu, ",
                g->report_depth < 0 ? 0 : g->report_depth, (unsigned long long)files,
                (unsigned long long)raw, (unsigned long long)stored);
        if (g->room)
            fprintf(f, "\"room\": %llu, ", (unsigned long long)g->room);
        fputs("\"rows\": [", f);
        for (size_t i = 0; i < nrows; i++) {
            fputs(i ? ",\n  {\"path\": " : "\n  {\"path\": ", f);
            json_string(f, rows[i].path);
            fprintf(f, ", \"files\": %llu, \"raw\": %llu, \"stored\": %llu}",
                    (unsigned long long)rows[i].files, (unsigned long long)rows[i].raw,
                    (unsigned long long)rows[i].stored);
        }
        fputs("\n]}\n", f);
        if (fclose(f) != 0)
            fail("--report-json %s: write error", g->report_json);
    }
    for (size_t i = 0; i < nrows; i++)
        free(rows[i].path);
    free(rows);
}
