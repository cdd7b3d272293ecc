/* wasivfs-gen — walk host directories and emit filesystem.c, a C source that
 * holds them as a static image for libwasi_vfs (layout: include/wasi_vfs.h).
 *
 *   wasivfs-gen --mapdir GUEST::HOST [--mapdir ...] [-o FILE] [--data FILE]
 *
 * This file: the options (one table, which --help is printed from), then the
 * run: every mapping validated before any tree is read, the walk, the checks,
 * the emission.  Output is deterministic: entries sorted bytewise, nodes
 * numbered depth-first, no host paths or times other than the files' mtimes
 * (clamped to SOURCE_DATE_EPOCH when set).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

enum {
    OPT_MAPDIR, OPT_TMPDIR, OPT_READONLY, OPT_COMPRESS, OPT_NO_COMPRESS, OPT_DICT_MAX, OPT_ROOM, OPT_OUT, OPT_DATA, OPT_REPORT,
    OPT_REPORT_JSON, OPT_REPORT_HTML, OPT_KEEP, OPT_HOT, OPT_LAYER, OPT_BASE, OPT_HELP,
};

static const struct option {
    const char *name, *alias; /* alias: a short form, or NULL */
    const char *value;        /* what follows it (also as --name=VALUE), NULL: a flag */
    int id;
    const char *help;         /* lines of at most 54 columns */
} options[] = {
    {"--mapdir", NULL, "GUEST::HOST", OPT_MAPDIR,
     "embed host directory HOST so the program sees it as the\n"
     "preopened directory GUEST (an absolute guest path);\n"
     "repeatable, each GUEST once; writable by the program\n"
     "(changes stay in memory; the embedded bytes never change)"},
    {"--tmpdir", NULL, "GUEST", OPT_TMPDIR,
     "an empty writable directory at GUEST, with no host\n"
     "directory behind it (a scratch /tmp, in a browser too)"},
    {"--readonly", NULL, "GUEST", OPT_READONLY,
     "make the mount at GUEST read-only: every change\n"
     "answers EROFS"},
    {"--compress", NULL, NULL, OPT_COMPRESS,
     "store files zstd-compressed where that saves a tenth or\n"
     "more; they are decompressed on first open. Link the\n"
     "program with -lzstd_dec too (make zstd builds it)"},
    {"--no-compress", NULL, NULL, OPT_NO_COMPRESS,
     "with pack, store the files raw (pack compresses by\n"
     "default when the module links zstd's decoder)"},
    {"--dict-max", NULL, "BYTES", OPT_DICT_MAX,
     "with --compress, a tree of 100 files of 256 bytes or\n"
     "more gets a dictionary made of some of its files (a\n"
     "fifth of the tree at most), decoded on the program's\n"
     "first compressed open and kept in memory: at most BYTES\n"
     "(a number, K or M for KiB, MiB; default 4M, 0: none)"},
    {"-o", NULL, "FILE", OPT_OUT,
     "write to FILE (default: standard output); FILE is\n"
     "replaced only when generation succeeds (a FIFO or a\n"
     "device is written in place). A FILE ending\n"
     "in .o is a wasm32 object for wasm-ld: no C compiler\n"
     "needed, and the fastest way for large trees"},
    {"--room", NULL, "BYTES", OPT_ROOM,
     "with -o NAME.o, the image takes BYTES and its struct\n"
     "comes last (zeros between), or, outgrown, a quarter more\n"
     "in 64K steps (--report-json says which as \"room\"): a\n"
     "program relinked with a changed image of the same room\n"
     "keeps every other address (tools/wasm-relink)"},
    {"--data", NULL, "FILE", OPT_DATA,
     "write the file contents to FILE instead of into the C\n"
     "source, which pulls them in with the assembler's\n"
     ".incbin: compiles several times faster and in less\n"
     "memory for large trees. The source names FILE as given:\n"
     "compile from the directory FILE is relative to, or\n"
     "add -I with its folder"},
    {"--keep", NULL, "FILE", OPT_KEEP,
     "pack only the paths FILE lists (one a line; a trace's\n"
     "'wvfs-trace: PATH' lines as they are) and globs\n"
     "(* ? [..], * crossing '/'), with every directory above\n"
     "them and the targets of kept symlinks; DIR/ keeps every\n"
     "name in DIR (a trace lists so what a run listed); the\n"
     "rest is left out (ENOENT, and not listed)"},
    {"--hot", NULL, "FILE", OPT_HOT,
     "store the files FILE lists (paths and globs, or a\n"
     "trace's 'wvfs-read: PATH' lines) raw (from 1 MiB:\n"
     "compressed without the dictionary): a start that reads\n"
     "only them runs no decoder"},
    {"--layer", NULL, "NAME", OPT_LAYER,
     "make a layer: the image is wvfs_layer_NAME (NAME a C\n"
     "identifier), to link beside an image made with --base"},
    {"--base", NULL, "NAME", OPT_BASE,
     "this image names the layer NAME (repeatable): its mounts\n"
     "come first, and the program links both objects; with\n"
     "--base, this image may have no mounts of its own"},
    {"--report", NULL, "DEPTH", OPT_REPORT,
     "print where the image's bytes go to standard error:\n"
     "files, raw and stored bytes and share per guest\n"
     "directory, DEPTH levels below each mount (0: per\n"
     "mount), largest first, with the total"},
    {"--report-json", NULL, "FILE", OPT_REPORT_JSON,
     "the same rows as JSON in FILE (DEPTH from --report, else 0;\n"
     "2 with --report-html)"},
    {"--report-html", NULL, "FILE", OPT_REPORT_HTML,
     "the same rows drawn as a treemap, one page with no\n"
     "network: area by stored bytes, colour by share of raw"},
    {"--help", "-h", NULL, OPT_HELP, "show this help"},
};
#define NOPTIONS (sizeof options / sizeof *options)

static void usage(FILE *f)
{
    fputs("usage: wasivfs-gen [--mapdir GUEST::HOST | --tmpdir GUEST]... [--readonly GUEST]...\n"
          "                   [--compress [--dict-max BYTES]] [-o FILE] [--data FILE]\n"
          "                   [--keep FILE] [--hot FILE] [--layer NAME | --base NAME...] [--room BYTES]\n"
          "                   [--report DEPTH] [--report-json FILE]\n"
          "       wasivfs-gen pack IN.wasm [--mapdir GUEST::HOST | --tmpdir GUEST]...\n"
          "                   [--no-compress] [--keep FILE] [--hot FILE] [--report ...] -o OUT.wasm\n"
          "\n"
          "Embed host directories into a C source file, or a wasm32 object, for\n"
          "libwasi_vfs.  pack puts them into a finished module instead (one linked\n"
          "with -lwasi_vfs -Wl,-u,wvfs_pack, as the prebuilt interpreters are): no\n"
          "compiler or linker runs, the module's own mounts stay, and a module that\n"
          "was packed before loses its earlier app whole.\n\n",
          f);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option *o = &options[i];
        char left[40];
        snprintf(left, sizeof left, "%s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "",
                 o->name, o->value ? " " : "", o->value ? o->value : "");
        const char *h = o->help;
        fprintf(f, "  %-20s  ", left);
        for (;;) {
            const char *nl = strchr(h, '\n');
            fprintf(f, "%.*s\n", (int)(nl ? nl - h : (long)strlen(h)), h);
            if (nl == NULL)
                break;
            h = nl + 1;
            fprintf(f, "%24s", "");
        }
    }
    fputs("\n"
          "Embeds regular files, directories and symlinks that stay inside their\n"
          "directory (absolute ones are made relative). FIFOs, sockets and devices\n"
          "are refused. SOURCE_DATE_EPOCH, when set, clamps every mtime to it.\n"
          "Compile the output (or link the object) with your program and link\n"
          "-lwasi_vfs.\n",
          f);
}

/* A size: a number, K or M for KiB or MiB, at most 1 GiB. */
static uint64_t size_arg(const char *opt, const char *value)
{
    char *end;
    unsigned long long v = strtoull(value, &end, 10);
    unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : 0;
    if (*value < '0' || *value > '9' || end[shift != 0] != '\0' || v > (1ull << 30) >> shift)
        fail("%s takes a size of at most 1G (e.g. 4M, 512K, 0), got '%s'", opt, value);
    return (uint64_t)v << shift;
}

/* The option `arg` names (as --name, its alias, or --name=VALUE), or NULL. */
static const struct option *find_option(const char *arg, const char **inline_value)
{
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option *o = &options[i];
        if ((strlen(o->name) == len && strncmp(arg, o->name, len) == 0) ||
            (o->alias && strcmp(arg, o->alias) == 0)) {
            *inline_value = eq && o->value ? eq + 1 : NULL;
            return eq && !o->value ? NULL : o;
        }
    }
    return NULL;
}

static uint64_t source_date_epoch(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch == NULL || *epoch == '\0')
        return UINT64_MAX;
    char *end;
    errno = 0;
    unsigned long long e = strtoull(epoch, &end, 10);
    if (*end || errno || e > UINT64_MAX / 1000000000u)
        fail("SOURCE_DATE_EPOCH='%s' is not a time in seconds", epoch);
    return (uint64_t)e * 1000000000u;
}

/* The command line as read: what is applied once it is known good. */
struct cmdline {
    struct {
        int id;
        const char *value;
    } *todo;                    /* mounts and read-only flags, in order */
    int ntodo, nmaps, no_compress;
    const char *pack_in;        /* pack IN.wasm; NULL: an image of its own */
};

/* Read the options into g (and c, what waits for the rest); --help exits. */
static void parse(struct gen *g, int argc, char **argv, struct cmdline *c)
{
    c->todo = xrealloc(NULL, (size_t)argc * sizeof *c->todo);
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "pack") == 0) {
        if (argc < 3 || argv[2][0] == '-')
            fail("pack: usage: wasivfs-gen pack IN.wasm [--mapdir GUEST::HOST]... -o OUT.wasm");
        c->pack_in = argv[2];
        g->packing = 1;
        first = 3;
    }
    for (int i = first; i < argc; i++) {
        const char *value;
        const struct option *o = find_option(argv[i], &value);
        if (o == NULL)
            fail("unknown argument '%s' (see --help)", argv[i]);
        if (o->value && value == NULL) {
            if (i + 1 >= argc)
                fail("%s needs a value (see --help)", argv[i]);
            value = argv[++i];
        }
        switch (o->id) {
        case OPT_HELP:
            usage(stdout);
            exit(0);
        case OPT_COMPRESS:
            if (!compress_available())
                fail("--compress: this wasivfs-gen was built without zstd (install libzstd-dev, rebuild)");
            g->compress = 1;
            break;
        case OPT_NO_COMPRESS:
            c->no_compress = 1;
            break;
        case OPT_DICT_MAX:
            g->dict_max = (size_t)size_arg(o->name, value);
            break;
        case OPT_ROOM:
            g->room = (size_arg(o->name, value) + 7) & ~(uint64_t)7;
            break;
        case OPT_REPORT: {
            char *end;
            long d = strtol(value, &end, 10);
            if (*value == '\0' || *end || d < 0 || d > 1000)
                fail("--report takes a depth from 0 to 1000, got '%s'", value);
            g->report_depth = (int)d;
            break;
        }
        case OPT_REPORT_JSON:
            g->report_json = value;
            break;
        case OPT_REPORT_HTML:
            g->report_html = value;
            break;
        case OPT_LAYER:
        case OPT_BASE:
            if (value[strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] != '\0' ||
                value[0] == '\0' || (value[0] >= '0' && value[0] <= '9') || strlen(value) > 64)
                fail("%s %s: a layer's name is a C identifier of at most 64 characters", o->name, value);
            if (o->id == OPT_LAYER) {
                if (g->layer)
                    fail("--layer given twice");
                g->layer = value;
            } else {
                g->bases = xrealloc(g->bases, (g->nbases + 1) * sizeof *g->bases);
                g->bases[g->nbases++] = value;
            }
            break;
        case OPT_KEEP:
            if (g->keep)
                fail("--keep given twice");
            g->keep = value;
            break;
        case OPT_HOT:
            if (g->hot_list)
                fail("--hot given twice");
            g->hot_list = value;
            break;
        case OPT_OUT:
        case OPT_DATA: {
            const char **to = o->id == OPT_OUT ? &g->outpath : &g->data_path;
            if (*to)
                fail("%s given twice", o->name);
            *to = value;
            break;
        }
        default:
            c->nmaps += o->id != OPT_READONLY;
            c->todo[c->ntodo].id = o->id;
            c->todo[c->ntodo++].value = value;
        }
    }
}

/* The options against one another, the module to pack read, the writer
 * chosen: everything refused here is refused before any tree is read. */
static void settle(struct gen *g, const struct cmdline *c)
{
    if (g->packing) {
        if (g->layer || g->nbases || g->room || g->data_path)
            fail("pack: --layer, --base, --room and --data make objects and sources, not packed modules");
        if (g->outpath == NULL)
            fail("pack: -o OUT.wasm is needed");
        if (c->no_compress && g->compress)
            fail("pack: --compress and --no-compress both given");
        pack_open(g, c->pack_in);
        if (g->compress && g->pack_codec == 0)
            fail("--compress: %s links no zstd decoder (link it with -lzstd_dec, or pack with --no-compress)",
                 c->pack_in);
        g->compress = !c->no_compress && g->pack_codec != 0 && compress_available();
    } else if (c->no_compress) {
        fail("--no-compress goes with pack (files are stored raw unless --compress)");
    }
    if (g->dict_max != SIZE_MAX && !g->compress)
        fail("--dict-max goes with --compress");
    if (g->dict_max == SIZE_MAX)
        g->dict_max = (size_t)4 << 20;
    if (c->nmaps == 0 && g->nbases == 0 && !g->packing)
        fail("no --mapdir or --tmpdir given (see --help)");
    if (g->layer && g->nbases > 0)
        fail("--layer %s: a layer names no other layers (--base goes with the image that links them)", g->layer);
    if (g->data_path && strpbrk(g->data_path, "\"\\\n") != NULL)
        fail("--data %s: the name may not hold a quote, a backslash or a newline", g->data_path);
    if (g->data_path && g->outpath && strcmp(g->data_path, g->outpath) == 0)
        fail("--data %s: the same file as -o", g->data_path);
    size_t olen = g->outpath ? strlen(g->outpath) : 0;
    g->writer = g->packing || (olen > 2 && strcmp(g->outpath + olen - 2, ".o") == 0) ? &obj_writer : &c_writer;
    if (g->room && g->writer != &obj_writer)
        fail("--room goes with an object (-o NAME.o)");
    if (g->writer == &obj_writer && g->data_path)
        fail("--data %s: an object (-o %s) holds the file contents itself", g->data_path, g->outpath);
}

/* Every mapping validated, then the read-only flags, before any tree is read. */
static void mount_all(struct gen *g, const struct cmdline *c)
{
    for (int i = 0; i < c->ntodo; i++)
        if (c->todo[i].id != OPT_READONLY)
            add_mount(g, c->todo[i].value, c->todo[i].id == OPT_TMPDIR);
    for (int i = 0; i < c->ntodo; i++)
        if (c->todo[i].id == OPT_READONLY)
            set_readonly(g, c->todo[i].value);
    if (g->packing)
        pack_check_mounts(g);
}

int main(int argc, char **argv)
{
    static struct gen gen;
    struct gen *g = &gen;
    g->clamp_ns = source_date_epoch();
    g->report_depth = -1;
    g->dict_max = SIZE_MAX; /* not given */
    struct cmdline c = {0};
    parse(g, argc, argv, &c);
    settle(g, &c);
    mount_all(g, &c);
    free(c.todo);

    walk_mounts(g);
    if (g->keep)
        keep_only(g, g->keep);
    if (g->hot_list)
        mark_hot(g, g->hot_list);
    build_htabs(g);
    check_symlinks(g);

    g->out = g->outpath ? open_tmp(0, g->outpath) : stdout;
    if (g->data_path)
        g->data_out = open_tmp(1, g->data_path);
    emit(g);
    /* The data file first, so a source in place never names a missing one. */
    if (g->data_path)
        commit_tmp(1, g->data_out, g->data_path);
    if (g->outpath)
        commit_tmp(0, g->out, g->outpath);
    else if (fflush(g->out) != 0 || ferror(g->out))
        fail("<stdout>: write error: %s", strerror(errno));
    if (g->report_depth >= 0 || g->report_json || g->report_html)
        report(g, g->table_bytes);
    if (g->any_compressed && !g->packing) /* else the link fails on ZSTD_createDCtx */
        fprintf(stderr, "wasivfs-gen: %s holds compressed files: link it with -lwasi_vfs -lzstd_dec\n",
                g->outpath ? g->outpath : "the image");
    return 0;
}
