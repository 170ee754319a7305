/* common.c: the helpers every fuzz target links (see fuzz.h). The harness
 * may use SQLite directly for what remit itself never does (copying a whole
 * database to reset it between inputs); everything else goes through the
 * interfaces of src/. */
#include "fuzz.h"
#include <sqlite3.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define FUZZ_DB_URI "file:/remit-fuzz?vfs=memdb"

void fuzz_fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("\n==FUZZ INVARIANT== ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

char *fuzz_cstr(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* The run's database: db is remit's connection (its statement cache lives
 * as long as the run); raw is the harness's own connection to the same
 * memdb, used to write the snapshot back; seed holds the snapshot. */
static Db *g_db;
static sqlite3 *g_raw, *g_seed;

Db *fuzz_db_open(void) {
    if (g_db) return g_db;
    char *err = NULL;
    g_db = db_open(FUZZ_DB_URI, &err);
    if (!g_db) fuzz_fail("db_open: %s", err ? err : "?");
    if (sqlite3_open_v2(FUZZ_DB_URI, &g_raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL) != SQLITE_OK) fuzz_fail("memdb: %s", sqlite3_errmsg(g_raw));
    return g_db;
}

static void copy_db(sqlite3 *to, sqlite3 *from) {
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) fuzz_fail("backup: %s", sqlite3_errmsg(to));
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) fuzz_fail("backup step: %d %s", rc, sqlite3_errmsg(to));
}

void fuzz_db_snapshot(void) {
    if (!g_seed && sqlite3_open(":memory:", &g_seed) != SQLITE_OK) fuzz_fail("snapshot: cannot open");
    copy_db(g_seed, g_raw);
}

void fuzz_db_restore(void) {
    if (db_in_tx(g_db)) fuzz_fail("a transaction was left open after the previous input");
    copy_db(g_raw, g_seed);
}

int64_t fuzz_db_int(Db *db, const char *sql) {
    int64_t v = 0;
    if (!db_one_int(db, &v, sql, "")) fuzz_fail("no row: %s", sql);
    return v;
}

static int saved_stdout = -1;

void fuzz_quiet(void) {
    fflush(stdout);
    saved_stdout = dup(1);
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
        dup2(fd, 1);
        close(fd);
    }
}

void fuzz_loud(void) {
    fflush(stdout);
    if (saved_stdout >= 0) {
        dup2(saved_stdout, 1);
        close(saved_stdout);
        saved_stdout = -1;
    }
}

size_t fuzz_count_ci(const char *s, size_t len, const char *needle) {
    size_t n = strlen(needle), count = 0;
    for (size_t i = 0; n && i + n <= len; i++)
        if (strncasecmp(s + i, needle, n) == 0) count++;
    return count;
}

/* url_ok: an attribute value as a browser reads it: tabs and newlines are
 * dropped anywhere, leading spaces and controls are dropped, and what comes
 * before the first / ? # is the scheme part. When that part holds a colon,
 * or an ampersand (a character reference could spell one), the URL must be
 * http, https or mailto. */
static bool url_ok(const char *v, size_t n) {
    char clean[64];
    size_t k = 0, i = 0;
    while (i < n && (unsigned char)v[i] <= 0x20) i++;
    for (; i < n && k < sizeof clean - 1; i++) {
        if (v[i] == '\t' || v[i] == '\n' || v[i] == '\r') continue;
        if (v[i] == '/' || v[i] == '?' || v[i] == '#') break;
        clean[k++] = v[i];
    }
    clean[k] = 0;
    if (!strchr(clean, ':') && !strchr(clean, '&')) return true;
    return strncasecmp(clean, "http:", 5) == 0 || strncasecmp(clean, "https:", 6) == 0 || strncasecmp(clean, "mailto:", 7) == 0;
}

void fuzz_check_urls(const char *html, size_t len, const char *what) {
    static const char *const attrs[] = {"href=\"", "src=\"", "action=\"", "formaction=\""};
    for (size_t a = 0; a < sizeof attrs / sizeof attrs[0]; a++) {
        size_t al = strlen(attrs[a]);
        for (size_t i = 1; i + al <= len; i++) {
            if (strncasecmp(html + i, attrs[a], al) != 0) continue;
            char before = html[i - 1];
            if (before != ' ' && before != '\t' && before != '\n') continue;
            const char *v = html + i + al, *e = memchr(v, '"', len - (i + al));
            size_t n = e ? (size_t)(e - v) : len - (i + al);
            if (!url_ok(v, n)) fuzz_fail("%s: an unsafe URL in %.*s\"%.*s\"", what, (int)al, attrs[a], (int)(n > 200 ? 200 : n), v);
        }
    }
}

/* fuzz_check_tags: reads html as a browser's tokenizer would, roughly: in
 * each tag, outside quoted values, no attribute may be an event handler
 * (on...=) and no attribute name may hold a quote (the mark of markup that
 * was cut or spliced). Comments and text are skipped. */
void fuzz_check_tags(const char *h, size_t len, const char *what) {
    for (size_t i = 0; i < len; i++) {
        if (h[i] != '<') continue;
        if (i + 4 <= len && memcmp(h + i, "<!--", 4) == 0) {
            const char *end = memmem(h + i, len - i, "-->", 3);
            if (!end) return;
            i = (size_t)(end - h) + 2;
            continue;
        }
        size_t p = i + 1;
        if (p >= len || !((h[p] >= 'a' && h[p] <= 'z') || (h[p] >= 'A' && h[p] <= 'Z'))) continue; /* "<" as text */
        while (p < len && h[p] != '>' && h[p] != ' ' && h[p] != '\t' && h[p] != '\n' && h[p] != '/') p++;
        for (;;) { /* attributes */
            while (p < len && (h[p] == ' ' || h[p] == '\t' || h[p] == '\n' || h[p] == '\r' || h[p] == '/')) p++;
            if (p >= len || h[p] == '>') break;
            size_t a0 = p;
            while (p < len && h[p] != '=' && h[p] != '>' && h[p] != ' ' && h[p] != '\t' && h[p] != '\n' && h[p] != '/') p++;
            size_t an = p - a0;
            if (an >= 2 && strncasecmp(h + a0, "on", 2) == 0)
                fuzz_fail("%s: an event handler attribute in \"%.*s\"", what, (int)(len - i < 120 ? len - i : 120), h + i);
            if (memchr(h + a0, '"', an) || memchr(h + a0, '\'', an) || memchr(h + a0, '<', an))
                fuzz_fail("%s: a broken attribute in \"%.*s\"", what, (int)(len - i < 120 ? len - i : 120), h + i);
            if (p < len && h[p] == '=') {
                p++;
                if (p < len && (h[p] == '"' || h[p] == '\'')) {
                    const char *q = memchr(h + p + 1, h[p], len - p - 1);
                    if (!q) return;
                    p = (size_t)(q - h) + 1;
                } else
                    while (p < len && h[p] != ' ' && h[p] != '>' && h[p] != '\t' && h[p] != '\n') p++;
            }
        }
        i = p;
    }
}
