/* req.c: the transport-neutral request and response. http.c (sockets) and
 * `remit http` (stdin) both build a Req and read back its Resp; this file
 * parses what every transport delivers (query strings, cookies, form and
 * multipart bodies) and holds the response helpers. */
#include "remit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

Req *req_new(void) {
    Arena *a = arena_new();
    Req *r = arena_alloc(a, sizeof *r);
    r->arena = a;
    r->resp.status = 200;
    r->now = now_seconds();
    return r;
}

/* req_free: rolls back a transaction left open, frees the body and arena. */
void req_free(Req *r) {
    if (!r) return;
    if (r->db && db_in_tx(r->db)) db_rollback(r->db);
    if (r->resp.stream.done) r->resp.stream.done(r->resp.stream.ctx);
    buf_free(&r->resp.body);
    arena_free(r->arena);
}

void kv_add(Arena *a, KVList *l, const char *name, const char *value, size_t len) {
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        KV *items = arena_alloc(a, sizeof(KV) * (size_t)cap);
        if (l->n) memcpy(items, l->items, sizeof(KV) * (size_t)l->n);
        l->items = items;
        l->cap = cap;
    }
    KV *kv = &l->items[l->n++];
    kv->name = name;
    kv->value = value;
    kv->value_len = len;
    kv->filename = NULL;
}

const KV *kv_find(const KVList *l, const char *name) {
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0) return &l->items[i];
    return NULL;
}

const char *kv_get(const KVList *l, const char *name) {
    const KV *kv = kv_find(l, name);
    return kv ? kv->value : NULL;
}

const char *req_header(Req *r, const char *lname) { return kv_get(&r->headers, lname); }
const char *req_query(Req *r, const char *name) { return kv_get(&r->query, name); }
const char *req_form(Req *r, const char *name) { return kv_get(&r->form, name); }

/* req_form_ids: every non-empty value of the repeated form field name as
 * an id (one that is not an id as 0, which callers' rules refuse). */
int64_t *req_form_ids(Req *r, const char *name, int *n) {
    int64_t *v = arena_alloc(r->arena, sizeof *v * (size_t)(r->form.n + 1));
    *n = 0;
    for (int i = 0; i < r->form.n; i++)
        if (strcmp(r->form.items[i].name, name) == 0 && *r->form.items[i].value) {
            int64_t id = 0;
            if (!parse_id(r->form.items[i].value, &id)) id = 0;
            v[(*n)++] = id;
        }
    return v;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* url_decode: percent-decoding; a malformed escape is kept literally. NUL
 * bytes decode to nothing so C strings stay whole. */
char *url_decode(Arena *a, const char *s, size_t len, bool plus_is_space) {
    char *out = arena_alloc(a, len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            char v = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            if (v) *o++ = v;
            i += 2;
        } else if (c == '+' && plus_is_space) {
            *o++ = ' ';
        } else if (c) {
            *o++ = c;
        }
    }
    *o = 0;
    return out;
}

/* url_path_has_control: the path of a raw request target (up to '?' or
 * the end) holds a control character, as it is or percent-encoded (%00 to
 * %1F, %7F). Decoded, a NUL would silently cut the path short, and a tab or
 * line break has no place in any of our addresses. */
bool url_path_has_control(const char *target) {
    for (const unsigned char *c = (const unsigned char *)target; *c && *c != '?'; c++) {
        if (*c < 0x20 || *c == 0x7f) return true;
        if (*c == '%' && hexval((char)c[1]) >= 0 && hexval((char)c[2]) >= 0) {
            int v = hexval((char)c[1]) * 16 + hexval((char)c[2]);
            if (v < 0x20 || v == 0x7f) return true;
            c += 2;
        }
    }
    return false;
}

/* req_parse_query: application/x-www-form-urlencoded pairs into out. */
void req_parse_query(Arena *a, KVList *out, const char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '&') j++;
        size_t eq = i;
        while (eq < j && s[eq] != '=') eq++;
        if (j > i) {
            char *name = url_decode(a, s + i, eq - i, true);
            char *val = eq < j ? url_decode(a, s + eq + 1, j - eq - 1, true) : arena_strdup(a, "");
            if (*name) kv_add(a, out, name, val, strlen(val));
        }
        i = j + 1;
    }
}

/* req_parse_cookies: "a=b; c=d" into out; values are not decoded. */
void req_parse_cookies(Arena *a, KVList *out, const char *s) {
    if (!s) return;
    while (*s) {
        while (*s == ' ' || *s == ';') s++;
        const char *start = s;
        while (*s && *s != ';') s++;
        const char *eq = memchr(start, '=', (size_t)(s - start));
        if (eq && eq > start) {
            char *name = arena_strndup(a, start, (size_t)(eq - start));
            char *val = arena_strndup(a, eq + 1, (size_t)(s - eq - 1));
            kv_add(a, out, name, val, strlen(val));
        }
    }
}

static const char *memmem_s(const char *h, size_t hl, const char *n, size_t nl) {
    if (nl == 0 || hl < nl) return NULL;
    for (size_t i = 0; i + nl <= hl; i++)
        if (h[i] == n[0] && memcmp(h + i, n, nl) == 0) return h + i;
    return NULL;
}

/* header_param: the value of param (e.g. boundary, name, filename) in a
 * header such as `form-data; name="x"; filename="y"`; arena copy or NULL. */
static char *header_param(Arena *a, const char *h, size_t hl, const char *param) {
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl < hl; i++) {
        if (strncasecmp(h + i, param, pl) == 0 && h[i + pl] == '=' && (i == 0 || h[i - 1] == ' ' || h[i - 1] == ';')) {
            const char *v = h + i + pl + 1, *end = h + hl;
            if (v < end && *v == '"') {
                v++;
                const char *q = memchr(v, '"', (size_t)(end - v));
                return q ? arena_strndup(a, v, (size_t)(q - v)) : NULL;
            }
            const char *e = v;
            while (e < end && *e != ';' && *e != ' ' && *e != '\r') e++;
            return arena_strndup(a, v, (size_t)(e - v));
        }
    }
    return NULL;
}

/* req_parse_multipart: multipart/form-data into r->form. File parts keep
 * their bytes in value/value_len and their name in filename. 0 ok, -1 when
 * the body does not follow the format. */
int req_parse_multipart(Req *r, const char *ctype) {
    char *b = header_param(r->arena, ctype, strlen(ctype), "boundary");
    if (!b || !*b || strlen(b) > 200) return -1;
    char *delim = arena_printf(r->arena, "--%s", b);
    size_t dl = strlen(delim);
    const char *p = r->body, *end = r->body + r->body_len;
    const char *d = memmem_s(p, (size_t)(end - p), delim, dl);
    if (!d) return -1;
    p = d + dl;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return 0; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return -1;
        p += 2;
        const char *hend = memmem_s(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend) return -1;
        char *name = NULL, *filename = NULL;
        for (const char *line = p; line < hend;) {
            const char *le = memmem_s(line, (size_t)(hend - line), "\r\n", 2);
            if (!le) le = hend;
            if ((size_t)(le - line) > 20 && strncasecmp(line, "content-disposition:", 20) == 0) {
                name = header_param(r->arena, line + 20, (size_t)(le - line - 20), "name");
                filename = header_param(r->arena, line + 20, (size_t)(le - line - 20), "filename");
            }
            line = le + 2;
        }
        const char *data = hend + 4;
        char *sep = arena_printf(r->arena, "\r\n%s", delim);
        const char *next = memmem_s(data, (size_t)(end - data), sep, dl + 2);
        if (!next) return -1;
        if (name && *name) {
            size_t n = (size_t)(next - data);
            char *val = arena_strndup(r->arena, data, n);
            kv_add(r->arena, &r->form, name, val, n);
            r->form.items[r->form.n - 1].filename = filename;
        }
        p = next + dl + 2;
    }
}

void resp_header(Req *r, const char *name, const char *value) {
    kv_add(r->arena, &r->resp.headers, name, arena_strdup(r->arena, value), strlen(value));
}

void resp_text(Req *r, int status, const char *ctype, const char *text) {
    r->resp.status = status;
    r->resp.content_type = ctype;
    r->resp.body.len = 0;
    buf_puts(&r->resp.body, text);
    r->resp.sent = true;
}

void resp_redirect(Req *r, const char *location) {
    r->resp.status = 303;
    r->resp.content_type = "text/plain; charset=utf-8";
    r->resp.body.len = 0;
    resp_header(r, "Location", location);
    r->resp.sent = true;
}

static void json_decref_cb(void *p) { json_decref(p); }

void resp_json(Req *r, int status, json_t *v) {
    r->resp.status = status;
    r->resp.content_type = "application/json";
    r->resp.body.len = 0;
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
    json_decref(v);
    if (!s) abort();
    buf_append(&r->resp.body, s, strlen(s)); /* not a msgid */
    free(s);
    r->resp.sent = true;
}

/* resp_error: see remit.h. HTML errors are a full page with the layout. */
int resp_error(Req *r, int status, const char *code, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, T(r, fmt), ap); /* translations keep the msgid's conversions (tests/unit/i18n_test.c) */
    va_end(ap);
    utf8_scrub(msg); /* messages quote what was sent, or cut it mid-character: JSON needs UTF-8 */
    if (r->is_api) {
        json_t *e = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
        resp_json(r, status, e);
    } else {
        r->resp.body.len = 0;
        page_begin(r, status == 404 ? N_("Not found") : N_("Something is not right"));
        html_printf(page(r), "<h1>%h</h1><p class=\"lead\">%h</p><p><a href=\"/\">Back to the start page</a></p>",
                    T(r, status == 404 ? N_("Not found") : status == 403 ? N_("Not allowed") : N_("Something is not right")), msg);
        page_end(r);
        r->resp.status = status;
    }
    r->resp.sent = true;
    return -1;
}

/* resp_stream_drain: for transports that send one buffer (remit http):
 * the rest of a streamed answer appended to resp.body, the stream freed. */
void resp_stream_drain(Req *r) {
    RespStream st = r->resp.stream;
    if (!st.fill) return;
    r->resp.stream = (RespStream){0};
    while (st.fill(st.ctx, &r->resp.body) > 0) {}
    if (st.done) st.done(st.ctx);
}

/* req_defer_json: the arena drops its reference to v when the request ends. */
void req_defer_json(Req *r, json_t *v) { arena_defer(r->arena, json_decref_cb, v); }
