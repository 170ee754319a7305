/* sys.c: the routes that are not a feature: health check, embedded static
 * assets and the OpenAPI document. */
#include "remit.h"
#include "handlers.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* GET /healthz: 200 "ok" (public). */
int sys_healthz(Req *r) {
    resp_text(r, 200, "text/plain; charset=utf-8", "ok");
    return 0;
}

const Asset *asset_find(const char *name) {
    for (int i = 0; i < g_nassets; i++)
        if (strcmp(g_assets[i].name, name) == 0) return &g_assets[i];
    return NULL;
}

static const char *mime(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".svg")) return "image/svg+xml";
    if (!strcmp(dot, ".png")) return "image/png";
    if (!strcmp(dot, ".json")) return "application/json";
    if (!strcmp(dot, ".csv")) return "text/csv; charset=utf-8";
    return "application/octet-stream";
}

/* Every asset's version: 16 hex digits of a 64-bit FNV-1a hash of its
 * embedded bytes, computed once for all assets (they never change while
 * the binary runs). */
#define MAX_ASSETS 64
static char asset_hash[MAX_ASSETS][17];
static char asset_urls[MAX_ASSETS][128];
static char asset_etags[MAX_ASSETS][24];
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static void hash_all(void) {
    for (int i = 0; i < g_nassets && i < MAX_ASSETS; i++) {
        uint64_t h = 1469598103934665603ULL;
        for (size_t j = 0; j < g_assets[i].len; j++) h = (h ^ g_assets[i].data[j]) * 1099511628211ULL;
        snprintf(asset_hash[i], sizeof asset_hash[i], "%016llx", (unsigned long long)h);
        snprintf(asset_urls[i], sizeof asset_urls[i], "/assets/%.80s?v=%.16s", g_assets[i].name, asset_hash[i]);
        snprintf(asset_etags[i], sizeof asset_etags[i], "\"%.16s\"", asset_hash[i]);
    }
}

static int asset_index(const Asset *a) {
    pthread_once(&hash_once, hash_all);
    int i = (int)(a - g_assets);
    return i >= 0 && i < g_nassets && i < MAX_ASSETS ? i : -1;
}

/* asset_url: see remit.h; the unversioned address for an unknown name. */
const char *asset_url(const char *name) {
    const Asset *a = asset_find(name);
    int i = a ? asset_index(a) : -1;
    return i >= 0 ? asset_urls[i] : "/assets/missing";
}

const char *asset_etag(const Asset *a) {
    int i = asset_index(a);
    return i >= 0 ? asset_etags[i] : "\"0\"";
}

/* etag_matches: If-None-Match holds etag (weak or strong), or is "*". */
static bool etag_matches(const char *inm, const char *etag) {
    if (!inm) return false;
    size_t el = strlen(etag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (*p == '*') return true;
        if (p[0] == 'W' && p[1] == '/') p += 2;
        if (strncmp(p, etag, el) == 0 && (p[el] == 0 || p[el] == ',' || p[el] == ' ' || p[el] == '\t')) return true;
        while (*p && *p != ',') p++;
    }
    return false;
}

/* send_embedded: a's bytes with its ETag, or 304 Not Modified without a
 * body when the client's copy (If-None-Match) is the same. */
static int send_embedded(Req *r, const Asset *a, const char *ctype, const char *cache) {
    const char *etag = asset_etag(a);
    resp_header(r, "ETag", etag);
    resp_header(r, "Cache-Control", cache);
    r->resp.content_type = ctype;
    r->resp.sent = true;
    if (etag_matches(req_header(r, "if-none-match"), etag)) {
        r->resp.status = 304;
        return 0;
    }
    r->resp.status = 200;
    buf_append(&r->resp.body, a->data, a->len);
    return 0;
}

/* GET /assets/{file}?v=: embedded css, js and images (public). With the
 * current version (?v= as asset_url writes it) a year and immutable; the
 * bare name, or a version from before an upgrade, an hour. Both carry an
 * ETag and answer If-None-Match with 304. */
int sys_asset(Req *r) {
    const char *name = r->path + strlen("/assets/");
    const Asset *a = strchr(name, '/') || strncmp(name, "migrations", 10) == 0 ? NULL : asset_find(name);
    if (!a) return resp_error(r, 404, "not_found", "There is nothing at this address.");
    const char *v = req_query(r, "v");
    int i = asset_index(a);
    bool current = v && i >= 0 && strcmp(v, asset_hash[i]) == 0;
    return send_embedded(r, a, mime(name), current ? "public, max-age=31536000, immutable" : "public, max-age=3600");
}

/* GET /api/openapi.json: the OpenAPI 3.1 description of the API (public),
 * revalidated by ETag on every use, since its address has no version. */
int sys_openapi(Req *r) {
    const Asset *a = asset_find("openapi.json");
    if (!a) return resp_error(r, 404, "not_found", "No API description is built in.");
    return send_embedded(r, a, "application/json", "public, no-cache");
}
