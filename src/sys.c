/* sys.c: the routes that are not a feature: health check, embedded static
 * assets and the OpenAPI document. */
#include "remit.h"
#include "handlers.h"
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

/* GET /assets/{file}: embedded css, js and images (public, cacheable). */
int sys_asset(Req *r) {
    const char *name = r->path + strlen("/assets/");
    const Asset *a = strchr(name, '/') || strncmp(name, "migrations", 10) == 0 ? NULL : asset_find(name);
    if (!a) return resp_error(r, 404, "not_found", "There is nothing at this address.");
    r->resp.status = 200;
    r->resp.content_type = mime(name);
    buf_append(&r->resp.body, a->data, a->len);
    resp_header(r, "Cache-Control", "public, max-age=3600");
    r->resp.sent = true;
    return 0;
}

/* GET /api/openapi.json: the OpenAPI 3.1 description of the API (public). */
int sys_openapi(Req *r) {
    const Asset *a = asset_find("openapi.json");
    if (!a) return resp_error(r, 404, "not_found", "No API description is built in.");
    r->resp.status = 200;
    r->resp.content_type = "application/json";
    buf_append(&r->resp.body, a->data, a->len);
    r->resp.sent = true;
    return 0;
}
