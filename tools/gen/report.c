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
    uint64_t dropped_files, dropped_raw; /* --keep: what the full tree had beside */
};

static int by_stored(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->stored != y->stored)
        return x->stored < y->stored ? 1 : -1;
    return strcmp(x->path, y->path);
}

/* The guest directory a file is counted under: its mount path, then at most
 * `depth` components of the directory it is in. */
static char *bucket(const struct gen *g, const struct hostinfo *h, int depth)
{
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

/* The rows as JSON: {"depth": ..., "rows": [...]} (the --report-json file);
 * a slim image's rows also say what the full tree had that was left out. */
static void write_json(FILE *f, const struct gen *g, int depth, const struct row *rows, size_t nrows,
                       uint64_t files, uint64_t raw, uint64_t stored)
{
    fprintf(f, "{\"depth\": %d, \"files\": %llu, \"raw\": %llu, \"stored\": %llu, ", depth,
            (unsigned long long)files, (unsigned long long)raw, (unsigned long long)stored);
    if (g->room)
        fprintf(f, "\"room\": %llu, ", (unsigned long long)g->room);
    if (g->keep)
        fputs("\"slim\": true, ", f);
    fputs("\"rows\": [", f);
    for (size_t i = 0; i < nrows; i++) {
        fputs(i ? ",\n  {\"path\": " : "\n  {\"path\": ", f);
        json_string(f, rows[i].path);
        fprintf(f, ", \"files\": %llu, \"raw\": %llu, \"stored\": %llu", (unsigned long long)rows[i].files,
                (unsigned long long)rows[i].raw, (unsigned long long)rows[i].stored);
        if (g->keep)
            fprintf(f, ", \"dropped_files\": %llu, \"dropped_raw\": %llu",
                    (unsigned long long)rows[i].dropped_files, (unsigned long long)rows[i].dropped_raw);
        fputc('}', f);
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
    ".fbox { position: absolute; box-sizing: border-box; border: 1px solid #fff; overflow: hidden;\n"
    "  font-size: 12px; padding: 2px; color: #111; }\n"
    "#full { position: relative; width: 100%; height: 320px; border: 1px solid #888; }\n"
    "</style></head><body>\n<h1>Where the image's bytes go</h1>\n<p id=\"total\"></p>\n"
    "<div id=\"map\"></div>\n<div id=\"slim\" hidden><h2>Kept against the full tree</h2><p id=\"kept\"></p>\n"
    "<div id=\"full\"></div></div>\n<script id=\"rows\" type=\"application/json\">\n";
static const char html_tail[] =
    "</script>\n<script>\n"
    "const r = JSON.parse(document.getElementById('rows').textContent);\n"
    "const mb = (b) => (b / 1e6).toFixed(2) + ' MB';\n"
    "document.getElementById('total').textContent = `${r.files} files, ${mb(r.raw)} raw, stored in ` +\n"
    "  `${mb(r.stored)} (${(100 * r.stored / Math.max(r.raw, 1)).toFixed(1)}% of raw); each box is a ` +\n"
    "  `directory ${r.depth} level(s) below its mount, its area its stored bytes, green where it compressed well`;\n"
    "const mapOf = (id) => document.getElementById(id);\n"
    "// slice and dice, the larger side cut: items are sorted largest first\n"
    "function lay(items, x, y, w, h, draw) {\n"
    "  if (items.length === 0) return;\n"
    "  if (items.length === 1) { draw(items[0], x, y, w, h); return; }\n"
    "  const sum = items.reduce((a, b) => a + b.v, 0);\n"
    "  let half = 0, k = 0;\n"
    "  while (k < items.length - 1 && half + items[k].v <= sum / 2) half += items[k++].v;\n"
    "  if (k === 0) half = items[k++].v;\n"
    "  const f = half / sum;\n"
    "  if (w >= h) { lay(items.slice(0, k), x, y, w * f, h, draw); lay(items.slice(k), x + w * f, y, w * (1 - f), h, draw); }\n"
    "  else { lay(items.slice(0, k), x, y, w, h * f, draw); lay(items.slice(k), x, y + h * f, w, h * (1 - f), draw); }\n"
    "}\n"
    "function box(map, cls, x, y, w, h, colour, text, title) {\n"
    "  const b = document.createElement('div');\n"
    "  b.className = cls;\n"
    "  Object.assign(b.style, { left: x + 'px', top: y + 'px', width: w + 'px', height: h + 'px', background: colour });\n"
    "  b.title = title; b.textContent = text;\n"
    "  map.append(b);\n"
    "  return b;\n"
    "}\n"
    "// the image: each row a box of area its stored bytes, green where it compressed well\n"
    "const map = mapOf('map');\n"
    "lay(r.rows.filter((x) => x.stored > 0).map((x) => ({ ...x, v: x.stored })), 0, 0, map.clientWidth, map.clientHeight,\n"
    "  (row, x, y, w, h) => {\n"
    "    const share = row.raw > 0 ? row.stored / row.raw : -1;\n"
    "    const b = box(map, 'box', x, y, w, h, share < 0 ? '#bbb' : `hsl(${Math.round(120 * (1 - Math.min(share, 1)))}, 60%, 70%)`,\n"
    "      `${row.path} ${mb(row.stored)}`, `${row.path}: ${mb(row.stored)} stored of ${mb(row.raw)} raw, ${row.files} files`);\n"
    "    b.dataset.path = row.path; b.dataset.stored = row.stored;\n"
    "  });\n"
    "// a slim image (--keep): the full tree by raw bytes, what was kept blue, what was left out grey\n"
    "if (r.slim) {\n"
    "  mapOf('slim').hidden = false;\n"
    "  const kept = r.rows.reduce((a, x) => a + x.raw, 0), left = r.rows.reduce((a, x) => a + x.dropped_raw, 0);\n"
    "  const nleft = r.rows.reduce((a, x) => a + x.dropped_files, 0);\n"
    "  mapOf('kept').textContent = `kept ${r.files} files, ${mb(kept)} raw; left out ${nleft} files, ${mb(left)} raw`;\n"
    "  const full = mapOf('full'), items = [];\n"
    "  for (const x of r.rows) {\n"
    "    if (x.raw > 0) items.push({ path: x.path, v: x.raw, kept: true, files: x.files });\n"
    "    if (x.dropped_raw > 0) items.push({ path: x.path, v: x.dropped_raw, kept: false, files: x.dropped_files });\n"
    "  }\n"
    "  items.sort((a, b) => b.v - a.v);\n"
    "  lay(items, 0, 0, full.clientWidth, full.clientHeight, (it, x, y, w, h) => {\n"
    "    const b = box(full, 'fbox', x, y, w, h, it.kept ? '#9cc3e6' : '#d0d0d0', `${it.path} ${mb(it.v)}`,\n"
    "      `${it.path}: ${it.files} files, ${mb(it.v)} raw, ${it.kept ? 'kept' : 'left out'}`);\n"
    "    b.dataset.path = it.path; b.dataset.raw = it.v; b.dataset.kept = it.kept;\n"
    "  });\n"
    "}\n"
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

/* The row of guest directory `path` (taken), made when new: rows are few
 * (directories to a depth), so a scan will do. */
static struct row *row_of(struct row **rows, size_t *nrows, size_t *cap, char *path)
{
    for (size_t i = 0; i < *nrows; i++)
        if (strcmp((*rows)[i].path, path) == 0) {
            free(path);
            return &(*rows)[i];
        }
    if (*nrows == *cap)
        *rows = xrealloc(*rows, (*cap = *cap ? *cap * 2 : 64) * sizeof **rows);
    (*rows)[*nrows] = (struct row){path, 0, 0, 0, 0, 0};
    return &(*rows)[(*nrows)++];
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
        struct row *r = row_of(&rows, &nrows, &cap, bucket(g, &g->info[n], depth));
        r->files++;
        r->raw += size;
        r->stored += kept;
        files++;
        raw += size;
        stored += kept;
    }
    for (uint32_t i = 0; i < g->ndropped; i++) {
        struct row *r = row_of(&rows, &nrows, &cap, bucket(g, &g->dropped[i], depth));
        r->dropped_files++;
        r->dropped_raw += (uint64_t)g->dropped[i].st.st_size;
    }
    row_of(&rows, &nrows, &cap, xstrdup("(tables: entries, nodes, names, hashes)"))->stored = tables;
    if (dict_len > 0) /* the files in it are counted in their rows, stored as a few bytes each */
        row_of(&rows, &nrows, &cap, xstrdup("(dictionary: some of the files, and zstd's tables)"))->stored = dict_len;
    qsort(rows, nrows, sizeof *rows, by_stored);

    if (g->report_depth >= 0) {
        FILE *f = stderr;
        fprintf(f, "%12s %12s %7s %6s  %s\n", "stored", "raw", "files", "share", "directory");
        uint64_t left = 0, left_raw = 0;
        for (size_t i = 0; i < nrows; i++) {
            left += rows[i].dropped_files, left_raw += rows[i].dropped_raw;
            if (rows[i].files == 0 && rows[i].stored == 0)
                continue; /* a directory --keep left out whole */
            fprintf(f, "%12llu %12llu %7llu %5.1f%%  %s\n", (unsigned long long)rows[i].stored,
                    (unsigned long long)rows[i].raw, (unsigned long long)rows[i].files,
                    stored ? 100.0 * (double)rows[i].stored / (double)stored : 0.0, rows[i].path);
        }
        fprintf(f, "%12llu %12llu %7llu %5.1f%%  total (stored is %.1f%% of raw)\n",
                (unsigned long long)stored, (unsigned long long)raw, (unsigned long long)files,
                100.0, raw ? 100.0 * (double)stored / (double)raw : 0.0);
        if (g->keep)
            fprintf(f, "%12s %12llu %7llu %6s  left out by --keep\n", "", (unsigned long long)left_raw,
                    (unsigned long long)left, "");
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
