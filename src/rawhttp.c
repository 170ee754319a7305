/* rawhttp.c: `remit http --db FILE` answers one HTTP/1.1 request read from
 * standard input and writes the response to standard output, as Fossil's
 * `fossil http` does. The same router and handlers run as under the server,
 * so tests and fuzzers can exercise the whole request path without sockets. */
#include "remit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *reason(int s) {
    switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    default: return s >= 500 ? N_("Server Error") : N_("Status");
    }
}

/* rawhttp_handle: parses the raw request in data[0..len) into a Req, runs
 * it against db and writes the response to out. A malformed request gets
 * 400. Shared with the fuzz target. */
void rawhttp_handle(Db *db, const char *data, size_t len, Buf *out);
void rawhttp_handle(Db *db, const char *data, size_t len, Buf *out) {
    Req *r = req_new();
    r->db = db;
    r->client_ip = "127.0.0.1";
    const char *end = data + len, *p = data;
    const char *le = memchr(p, '\n', (size_t)(end - p));
    bool bad = !le;
    if (!bad) {
        char *line = arena_strndup(r->arena, p, (size_t)(le - p));
        line[strcspn(line, "\r")] = 0;
        char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
        if (!sp1 || !sp2 || sp1 == line) bad = true;
        else {
            *sp1 = *sp2 = 0;
            r->method = line;
            char *target = sp1 + 1, *q = strchr(target, '?');
            r->bad_target = url_path_has_control(target);
            if (q) {
                *q = 0;
                r->query_raw = q + 1;
                req_parse_query(r->arena, &r->query, q + 1, strlen(q + 1));
            }
            r->path = url_decode(r->arena, target, strlen(target), false);
            if (r->path[0] != '/') bad = true;
        }
        p = le + 1;
    }
    while (!bad && p < end) {
        le = memchr(p, '\n', (size_t)(end - p));
        if (!le) le = end;
        size_t n = (size_t)(le - p);
        if (n && p[n - 1] == '\r') n--;
        if (n == 0) {
            p = le < end ? le + 1 : end;
            break;
        }
        const char *colon = memchr(p, ':', n);
        if (!colon || colon == p) {
            bad = true;
            break;
        }
        char *name = str_lower(r->arena, arena_strndup(r->arena, p, (size_t)(colon - p)));
        char *val = str_trim(r->arena, arena_strndup(r->arena, colon + 1, n - (size_t)(colon + 1 - p)));
        kv_add(r->arena, &r->headers, name, val, strlen(val));
        p = le + 1;
    }
    if (bad) {
        r->is_api = true;
        resp_error(r, 400, "bad_request", "Malformed HTTP request.");
    } else {
        req_parse_cookies(r->arena, &r->cookies, req_header(r, "cookie"));
        size_t avail = p < end ? (size_t)(end - p) : 0;
        const char *cl = req_header(r, "content-length");
        size_t want = cl ? strtoull(cl, NULL, 10) : avail;
        if (want > REMIT_MAX_BODY) {
            r->is_api = strncmp(r->path, "/api/", 5) == 0;
            resp_error(r, 413, "too_large", "The request body is larger than 1 MiB.");
        } else {
            r->body = arena_strndup(r->arena, p < end ? p : "", want < avail ? want : avail);
            r->body_len = want < avail ? want : avail;
            router_handle(r);
        }
    }
    resp_stream_drain(r);
    buf_printf(out, "HTTP/1.1 %d %s\r\n", r->resp.status, reason(r->resp.status));
    if (r->resp.content_type) buf_printf(out, "Content-Type: %s\r\n", r->resp.content_type);
    for (int i = 0; i < r->resp.headers.n; i++) buf_printf(out, "%s: %s\r\n", r->resp.headers.items[i].name, r->resp.headers.items[i].value);
    buf_printf(out, "Content-Length: %zu\r\n\r\n", r->resp.body.len);
    if (r->resp.body.len) buf_append(out, r->resp.body.data, r->resp.body.len);
    req_free(r);
}

int rawhttp_main(int argc, char **argv);
int rawhttp_main(int argc, char **argv) {
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            puts("usage: remit http --db FILE < request\n  answers one HTTP request from standard input on standard output");
            return 0;
        }
        if (!strcmp(argv[i], "--db") && i + 1 < argc) path = argv[++i];
        else {
            fprintf(stderr, "usage: remit http --db FILE < request\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "remit http: --db is required\n");
        return 2;
    }
    if (db_global_init(path, false)) return 1;
    Buf in = {0}, out = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0 && in.len <= REMIT_MAX_BODY + 65536) buf_append(&in, chunk, n);
    rawhttp_handle(db_thread(), in.data ? in.data : "", in.len, &out);
    fwrite(out.data, 1, out.len, stdout);
    buf_free(&in);
    buf_free(&out);
    db_close_all();
    return 0;
}
