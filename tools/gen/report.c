/* report.c — where an image's bytes go (--report DEPTH, --report-json FILE).
 *
 * Each file is counted under its guest directory cut to DEPTH components
 * below its mount (0: the mount itself): files, raw bytes, stored bytes (what
 * the image holds for it: compressed size, raw size, or 0 for a file stored
 * once for several), and the share of all stored bytes.  The text form is
 * sorted by stored bytes, largest first, like `du | sort -rn`, with a total;
 * the JSON form holds the same rows, and the HTML form (--report-html) draws
 * them as a treemap in one page with no network (the rows inline, a few lines
 * of script).  The tables (entries, nodes, names, hash tables) are one more
 * row, and the dictionary another.  Run after emit().
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
        else if (*p < 0x20 || *p == '<') /* '<': no path can end the page's script */
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* The rows as JSON: {"depth": ..., "rows": [...]} (the --report-json file). */
static void write_json(FILE *f, const struct gen *g, int depth, const struct row *rows, size_t nrows,
                       uint64_t files, uint64_t raw, uint64_t stored)
{
    fprintf(f, "{\"depth\": %d, \"files\": %llu, \"raw\": %llu, \"stored\": %llu, ", depth,
            (unsigned long long)files, (unsigned long long)raw, (unsigned long long)stored);
    if (g->room)
        fprintf(f, "\"room\": %llu, ", (unsigned long long)g->room);
    fputs("\"rows\": [", f);
    for (size_t i = 0; i < nrows; i++) {
        fputs(i ? ",\n  {\"path\": " : "\n  {\"path\": ", f);
        json_string(f, rows[i].path);
        fprintf(f, ", \"files\": %llu, \"raw\": %llu, \"stored\": %llu}", (unsigned long long)rows[i].files,
                (unsigned long long)rows[i].raw, (unsigned long long)rows[i].stored);
    }
    fputs("\n]}\n", f);
}

/* The page: the rows inline (json_string escapes '<'), laid out as a treemap by the script below them: each row a
 * box of area in proportion to its stored bytes, its colour its share of raw
 * (green: stored small, red: stored as it is; grey: tables and dictionary). */
static const char html_head[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>wasi-vfs image: where the bytes go</title>\n<style>\n"
    "body { font: 14px system-ui, sans-serif; margin: 1em; }\n"
    "#map { position: relative; width: 100%; height: 480px; border: 1px solid #888; }\n"
    ".box { position: absolute; box-sizing: border-box; border: 1px solid #fff; overflow: hidden;\n"
    "  font-size: 12px; padding: 2px; color: #111; }\n"
    "</style></head><body>\n<h1>Where the image's bytes go</h1>\n<p id=\"total\"></p>\n"
    "<div id=\"map\"></div>\n<script id=\"rows\" type=\"application/json\">\n";
static const char html_tail[] =
    "</script>\n<script>\n"
    "const r = JSON.parse(document.getElementById('rows').textContent);\n"
    "const mb = (b) => (b / 1e6).toFixed(2) + ' MB';\n"
    "document.getElementById('total').textContent = `${r.files} files, ${mb(r.raw)} raw, stored in ` +\n"
    "  `${mb(r.stored)} (${(100 * r.stored / Math.max(r.raw, 1)).toFixed(1)}% of raw); each box is a ` +\n"
    "  `directory ${r.depth} level(s) below its mount, its area its stored bytes, green where it compressed well`;\n"
    "const map = document.getElementById('map'), W = map.clientWidth, H = map.clientHeight;\n"
    "const rows = r.rows.filter((x) => x.stored > 0);\n"
    "// slice and dice, the larger side cut: rows are sorted largest first\n"
    "function lay(items, x, y, w, h) {\n"
    "  if (items.length === 0) return;\n"
    "  if (items.length === 1) { draw(items[0], x, y, w, h); return; }\n"
    "  const sum = items.reduce((a, b) => a + b.stored, 0);\n"
    "  let half = 0, k = 0;\n"
    "  while (k < items.length - 1 && half + items[k].stored <= sum / 2) half += items[k++].stored;\n"
    "  if (k === 0) half = items[k++].stored;\n"
    "  const f = half / sum;\n"
    "  if (w >= h) { lay(items.slice(0, k), x, y, w * f, h); lay(items.slice(k), x + w * f, y, w * (1 - f), h); }\n"
    "  else { lay(items.slice(0, k), x, y, w, h * f); lay(items.slice(k), x, y + h * f, w, h * (1 - f)); }\n"
    "}\n"
    "function draw(row, x, y, w, h) {\n"
    "  const b = document.createElement('div');\n"
    "  b.className = 'box';\n"
    "  Object.assign(b.style, { left: x + 'px', top: y + 'px', width: w + 'px', height: h + 'px' });\n"
    "  const share = row.raw > 0 ? row.stored / row.raw : -1;\n"
    "  b.style.background = share < 0 ? '#bbb' : `hsl(${Math.round(120 * (1 - Math.min(share, 1)))}, 60%, 70%)`;\n"
    "  b.dataset.path = row.path; b.dataset.stored = row.stored;\n"
    "  b.title = `${row.path}: ${mb(row.stored)} stored of ${mb(row.raw)} raw, ${row.files} files`;\n"
    "  b.textContent = `${row.path} ${mb(row.stored)}`;\n"
    "  map.append(b);\n"
    "}\n"
    "lay(rows, 0, 0, W, H);\n"
    "document.body.dataset.ready = '1';\n"
    "</script></body></html>\n";

/* The rows as --report-html's page. */
static void write_html(const struct gen *g, int depth, const struct row *rows, size_t nrows, uint64_t files,
                       uint64_t raw, uint64_t stored)
{
    FILE *f = fopen(g->report_html, "w");
    if (f == NULL)
        fail("--report-html %s: cannot write", g->report_html);
    fputs(html_head, f);
    write_json(f, g, depth, rows, nrows, files, raw, stored);
    fputs(html_tail, f);
    if (fclose(f) != 0)
        fail("--report-html %s: write error", g->report_html);
}

void report(const struct gen *g, uint64_t tables)
{
    int depth = g->report_depth >= 0 ? g->report_depth : g->report_html ? 2 : 0;
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
        char *path = bucket(g, n, depth);
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
        write_json(f, g, depth, rows, nrows, files, raw, stored);
        if (fclose(f) != 0)
            fail("--report-json %s: write error", g->report_json);
    }
    if (g->report_html)
        write_html(g, depth, rows, nrows, files, raw, stored);
    for (size_t i = 0; i < nrows; i++)
        free(rows[i].path);
    free(rows);
}
