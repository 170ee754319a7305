/* compress.c: gzip for answers, the only file that includes <zlib.h>.
 * Decides whether a client accepts gzip (Accept-Encoding with q-values),
 * which content types are worth compressing, and compresses whole bodies or
 * streams (CSV exports) at a fast level. It never decides caching or
 * headers other than what http.c asks it. */
#include "remit.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* Level 1 (zlib's fast path): on the large demo's decision log page (43 KB)
 * it gives 7.3 KB in 84 us, level 4 7.0 KB in 159 us, level 6 6.4 KB in
 * 338 us (Debian's zlib, one core, best of 60). The 5% it loses is worth
 * less than half the CPU on a 2-core box that renders the page in ~300 us. */
#define GZ_LEVEL 1

/* token_q: the q-value of one Accept-Encoding element "name;q=0.5" (1 when
 * absent, 0 when malformed so that garbage never turns gzip on). */
static double token_q(const char *params, size_t n) {
    const char *p = params, *end = params + n;
    while (p < end) {
        while (p < end && (*p == ';' || *p == ' ' || *p == '\t')) p++;
        if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            char tmp[16];
            size_t l = 0;
            for (p += 2; p < end && *p != ';' && *p != ' ' && l < sizeof tmp - 1;) tmp[l++] = *p++;
            tmp[l] = 0;
            char *e;
            double q = strtod(tmp, &e);
            if (e == tmp || *e || q < 0 || q > 1) return 0;
            return q;
        }
        while (p < end && *p != ';') p++;
    }
    return 1;
}

/* gzip_accepted: whether Accept-Encoding allows gzip: "gzip" or "x-gzip"
 * with a q above 0, or "*" with a q above 0 when gzip is not named.
 * "gzip;q=0", "identity" alone and no header at all mean no. */
bool gzip_accepted(const char *ae) {
    if (!ae) return false;
    double named = -1, star = -1;
    for (const char *p = ae; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        const char *start = p;
        while (*p && *p != ',') p++;
        const char *semi = memchr(start, ';', (size_t)(p - start));
        const char *name_end = semi ? semi : p;
        while (name_end > start && (name_end[-1] == ' ' || name_end[-1] == '\t')) name_end--;
        size_t nl = (size_t)(name_end - start);
        double q = semi ? token_q(semi, (size_t)(p - semi)) : 1;
        if ((nl == 4 && strncasecmp(start, "gzip", 4) == 0) || (nl == 6 && strncasecmp(start, "x-gzip", 6) == 0)) named = q;
        else if (nl == 1 && *start == '*') star = q;
    }
    if (named >= 0) return named > 0;
    return star > 0;
}

/* gzip_worth: text, JSON, JavaScript and SVG compress well; images,
 * archives and anything already compressed do not. */
bool gzip_worth(const char *ctype) {
    if (!ctype) return false;
    return strncasecmp(ctype, "text/", 5) == 0 || strncasecmp(ctype, "application/json", 16) == 0 ||
           strncasecmp(ctype, "application/javascript", 22) == 0 || strncasecmp(ctype, "image/svg+xml", 13) == 0;
}

struct Gz {
    z_stream z;
};

/* gz_new: a gzip stream (header and trailer included); aborts on OOM like
 * every allocation. Free with gz_free. */
Gz *gz_new(void) {
    Gz *g = calloc(1, sizeof *g);
    if (!g) abort();
    if (deflateInit2(&g->z, GZ_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    return g;
}

/* gz_feed: compresses n bytes of in onto out; last ends the stream (and
 * writes the trailer). Output may be empty until enough input arrived. */
void gz_feed(Gz *g, const void *in, size_t n, bool last, Buf *out) {
    g->z.next_in = (Bytef *)(uintptr_t)in;
    g->z.avail_in = (uInt)n;
    int flush = last ? Z_FINISH : Z_NO_FLUSH;
    for (;;) {
        if (out->cap - out->len < 16384) {
            size_t cap = out->cap ? out->cap * 2 : 32768;
            while (cap - out->len < 16384) cap *= 2;
            char *d = realloc(out->data, cap);
            if (!d) abort();
            out->data = d;
            out->cap = cap;
        }
        g->z.next_out = (Bytef *)out->data + out->len;
        g->z.avail_out = (uInt)(out->cap - out->len - 1);
        size_t before = g->z.avail_out;
        int rc = deflate(&g->z, flush);
        out->len += before - g->z.avail_out;
        out->data[out->len] = 0;
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) abort(); /* a broken invariant, not input */
        if (!last && g->z.avail_in == 0 && g->z.avail_out > 0) break;
    }
}

void gz_free(Gz *g) {
    if (!g) return;
    deflateEnd(&g->z);
    free(g);
}

/* gzip_body: body replaced by its gzip form; the caller sets the headers. */
void gzip_body(Buf *body) {
    Gz *g = gz_new();
    Buf out = {0};
    gz_feed(g, body->data, body->len, true, &out);
    gz_free(g);
    buf_free(body);
    *body = out;
}
