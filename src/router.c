/* router.c: the one dispatcher every request goes through, in this order:
 * security headers, route match (404/405), caller (session or token), access
 * level (401/redirect/403), body parsing, CSRF (403), then the handler
 * (for ?format=csv on a list, export.c, which runs the list's handler page
 * by page). A 405 names the methods the path accepts in Allow.
 * Handlers never repeat these checks; they only add their own rules (such as
 * "an admin may not raise anyone above admin"). */
#include "remit.h"
#include <string.h>
#include <strings.h>

/* router_match: pattern segments match literally except {name}, which takes
 * a positive integer id into params. 1 on match. */
int router_match(const char *pattern, const char *path, int64_t *params, int *nparams) {
    *nparams = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *se = s;
            while (*se && *se != '/') se++;
            char tmp[24];
            size_t n = (size_t)(se - s);
            if (n == 0 || n >= sizeof tmp || *nparams >= 4) return 0;
            memcpy(tmp, s, n);
            tmp[n] = 0;
            if (strcmp(p, "{file}") == 0 || strncmp(p, "{file}", 6) == 0) {
                /* asset names: letters, digits, dot, dash; checked by the handler */
            } else if (!parse_id(tmp, &params[*nparams])) return 0;
            else (*nparams)++;
            p = pe + 1;
            s = se;
            continue;
        }
        if (*p != *s) return 0;
        p++;
        s++;
    }
    return *p == 0 && *s == 0;
}

static void security_headers(Req *r) {
    resp_header(r, "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
                "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    resp_header(r, "X-Content-Type-Options", "nosniff");
    resp_header(r, "Referrer-Policy", "same-origin");
    resp_header(r, "X-Frame-Options", "DENY");
}

static bool unsafe_method(const char *m) {
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static bool is_form(const char *ct) {
    return ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

static bool is_multipart(const char *ct) {
    return ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

/* allowed_methods: the methods the route table accepts for r->path, for
 * the Allow header of a 405 ("GET, HEAD, POST"); HEAD goes with GET. */
static const char *allowed_methods(Req *r) {
    Buf b = {0};
    for (int i = 0; i < g_nroutes; i++) {
        int np;
        int64_t params[4];
        if (!router_match(g_routes[i].pattern, r->path, params, &np)) continue;
        const char *m = g_routes[i].method;
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(g_routes[j].method, m) == 0 && router_match(g_routes[j].pattern, r->path, params, &np);
        if (seen) continue;
        if (b.len) buf_puts(&b, ", ");
        buf_puts(&b, m);
        if (strcmp(m, "GET") == 0) buf_puts(&b, ", HEAD");
    }
    char *out = arena_strdup(r->arena, b.len ? buf_cstr(&b) : "");
    buf_free(&b);
    return out;
}

void router_handle(Req *r) {
    r->is_api = strncmp(r->path, "/api/", 5) == 0;
    security_headers(r);
    /* Nothing but the static assets and the OpenAPI document (sys.c sets
     * theirs) may be kept by a cache: pages and answers can hold personal
     * data, and error pages are no different. */
    if (strncmp(r->path, "/assets/", 8) != 0 && strcmp(r->path, "/api/openapi.json") != 0) resp_header(r, "Cache-Control", "no-store");
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    if (r->bad_target) {
        resp_error(r, 400, "bad_request", "%s", T(r, "The address holds a control character (such as %00, a tab or a line break); no address of remit does."));
        return;
    }

    const Route *route = NULL;
    bool path_known = false;
    for (int i = 0; i < g_nroutes; i++) {
        int np;
        int64_t params[4];
        if (!router_match(g_routes[i].pattern, r->path, params, &np)) continue;
        path_known = true;
        if (strcmp(g_routes[i].method, method) != 0) continue;
        route = &g_routes[i];
        memcpy(r->params, params, sizeof params);
        r->nparams = np;
        break;
    }
    if (!route) {
        if (path_known) {
            resp_header(r, "Allow", allowed_methods(r));
            resp_error(r, 405, "method_not_allowed", "This address does not accept %s.", r->method);
            return;
        }
        if (!r->is_api) { /* a lost person still sees their navigation */
            if (!r->db) r->db = db_thread();
            auth_resolve(r);
        }
        resp_error(r, 404, "not_found", "There is nothing at this address.");
        return;
    }
    r->route = route;
    bool is_asset = strncmp(route->pattern, "/assets/", 8) == 0;
    if (!r->db) r->db = db_thread();
    db_request_start(r->db);

    if (!is_asset) auth_resolve(r);
    if (route->needs > ACCESS_NONE) {
        if (!r->who.person_id) {
            if (r->is_api) {
                resp_error(r, 401, "unauthenticated", "Log in or send an API token (Authorization: Bearer ...).");
            } else {
                const char *next = strcmp(r->method, "GET") == 0 ? r->path : "/";
                Buf b = {0};
                html_printf(&b, "/login?next=%u", next);
                resp_redirect(r, buf_cstr(&b));
                buf_free(&b);
            }
            return;
        }
        if (r->who.access < route->needs) {
            resp_error(r, 403, "forbidden", "This needs %s access; you have %s access.", access_name(route->needs), access_name(r->who.access));
            return;
        }
    }

    const char *ct = req_header(r, "content-type");
    if (is_form(ct)) req_parse_query(r->arena, &r->form, r->body, r->body_len);
    else if (is_multipart(ct) && req_parse_multipart(r, ct) != 0) {
        resp_error(r, 400, "bad_request", "The form upload is malformed.");
        return;
    }

    /* Text must be UTF-8 before any handler stores or echoes it (uploaded
     * files are checked by whoever reads them). */
    for (int i = 0; i < r->form.n; i++)
        if (!r->form.items[i].filename && !utf8_valid(r->form.items[i].value)) {
            resp_error(r, 400, "bad_encoding", "The form holds text that is not valid UTF-8.");
            return;
        }
    for (int i = 0; i < r->query.n; i++)
        if (!utf8_valid(r->query.items[i].value)) {
            resp_error(r, 400, "bad_encoding", "The address holds text that is not valid UTF-8.");
            return;
        }

    /* CSRF: cookie sessions must prove the request came from our own page.
     * Bearer tokens are not sent by browsers on their own, so they need no
     * proof. Public routes (the login itself) have no session to bind to. */
    if (unsafe_method(r->method) && r->who.via_cookie && route->needs > ACCESS_NONE) {
        const char *t = req_header(r, "x-csrf-token");
        if (!t) t = req_form(r, "csrf_token");
        if (!auth_equal(t, r->who.csrf)) {
            resp_error(r, 403, "csrf", "The form has expired or did not come from remit; reload the page and try again.");
            return;
        }
    }

    if (export_wanted(r)) export_list(r);
    else route->handler(r);
    if (!r->resp.sent) resp_error(r, 500, "internal", "The server did not produce an answer.");
    if (r->db && db_in_tx(r->db)) db_rollback(r->db); /* a handler that forgot: nothing half-done stays */
    if (r->db) auth_touch(r); /* after the handler, which may ask for no trace */
}
