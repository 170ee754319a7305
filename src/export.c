/* export.c: every list a person can see, as CSV. One writer (RFC 4180: CRLF
 * line ends, fields with a comma, quote, CR or LF quoted, quotes doubled;
 * UTF-8; a header row; text cells that a spreadsheet would run as a formula,
 * starting with = + - @ TAB or CR, neutralised by a leading apostrophe) and
 * one table of the lists that export, with their columns.
 *
 * An export answers ?format=csv on the list's own API route, and is made of
 * that route's own JSON answers, page after page (500 rows each) through
 * the same handler with the same caller and filters: the permissions,
 * visibility and filters of a CSV can never drift from its list. The first
 * page runs in the request (so a 400/403/404 is answered as usual); the
 * rest is streamed through http.c, one page per piece, so memory stays
 * bounded by a page however long the list. This file never reads the
 * database itself. */
#include "remit.h"
#include <stdlib.h>
#include <string.h>

/* ---------- the writer ---------- */

/* csv_field: one cell of text (NULL is empty), after a comma unless first. */
void csv_field(Buf *b, const char *s, bool first) {
    if (!first) buf_putc(b, ',');
    if (!s) s = "";
    bool formula = strchr("=+-@\t\r", s[0]) && s[0];
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) buf_putc(b, '"');
    if (formula) buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote) buf_putc(b, '"');
}

void csv_end_row(Buf *b) { buf_puts(b, "\r\n"); }

/* ---------- the lists that export ---------- */

/* A column: its header and where its value is in one JSON item ("team.name"
 * is the member name of the object team). */
typedef struct Col { const char *header, *path; } Col;
typedef struct ExportList {
    const char *pattern;          /* the list's GET route */
    const char *file;             /* the download's name, without .csv */
    const char *const *filters;   /* query parameters kept (the list's filters) */
    const Col *cols;
} ExportList;

static const char *const NO_FILTERS[] = {NULL};
static const char *const PEOPLE_FILTERS[] = {"team_id", "status", "q", NULL};
static const char *const GOAL_FILTERS[] = {"parent_id", "status", NULL};
static const char *const RIGHT_FILTERS[] = {"role_id", "person_id", "domain", NULL};
static const char *const DECISION_FILTERS[] = {"status", "person_id", "team_id", "domain", "from", "to", NULL};
static const char *const IDEA_FILTERS[] = {"sort", NULL};
static const char *const AUDIT_FILTERS[] = {"action", NULL};
static const char *const SERIES_FILTERS[] = {"team_id", "from", "to", NULL};

static const Col PEOPLE_COLS[] = {{"id", "id"},           {"name", "name"},       {"email", "email"},           {"title", "title"},
                                  {"team_id", "team_id"}, {"team", "team.name"}, {"manager_id", "manager_id"}, {"manager", "manager.name"},
                                  {"access", "access"},   {"status", "status"},   {"started_on", "started_on"}, {"left_on", "left_on"},
                                  {"leave_reason", "leave_reason"}, {0}};
static const Col SERIES_COLS[] = {{"month", "month"}, {"value", "value"}, {"hidden", "hidden"}, {0}};
static const Col TEAM_COLS[] = {{"id", "id"},           {"name", "name"},           {"parent_id", "parent_id"},
                                {"lead_id", "lead_id"}, {"lead", "lead.name"},      {"member_count", "member_count"}, {0}};
static const Col GOAL_COLS[] = {{"id", "id"},         {"title", "title"},   {"parent_id", "parent_id"},          {"metric", "metric"},
                                {"target", "target"}, {"due_on", "due_on"}, {"owner_team_id", "owner_team_id"}, {"owner_team", "owner_team.name"},
                                {"status", "status"}, {0}};
static const Col RIGHT_COLS[] = {{"id", "id"},
                                 {"domain", "domain"},
                                 {"domain_label", "domain_label"},
                                 {"role_id", "role_id"},
                                 {"role", "role.name"},
                                 {"person_id", "person_id"},
                                 {"person", "person.name"},
                                 {"level", "level"},
                                 {"level_name", "level_name"},
                                 {"limit", "limit"},
                                 {"advisor_id", "advisor_id"},
                                 {"advisor", "advisor.name"},
                                 {"expires_on", "expires_on"},
                                 {"expired", "expired"},
                                 {"reason", "reason"},
                                 {"granted_by", "granted_by.name"},
                                 {"created_at", "created_at"},
                                 {"updated_at", "updated_at"},
                                 {0}};
static const Col DECISION_COLS[] = {{"id", "id"},
                                    {"requested_at", "requested_at"},
                                    {"author_id", "author.id"},
                                    {"author", "author.name"},
                                    {"domain", "domain"},
                                    {"title", "title"},
                                    {"amount", "amount"},
                                    {"verdict", "verdict"},
                                    {"status", "status"},
                                    {"route_to", "route_to.name"},
                                    {"answered_at", "answered_at"},
                                    {"answered_by", "answered_by.name"},
                                    {"risk", "risk"},
                                    {"reward", "reward"},
                                    {"review_on", "review_on"},
                                    {"outcome", "outcome"},
                                    {"context", "context"},
                                    {"rationale", "rationale"},
                                    {"learning", "learning"},
                                    {0}};
static const Col IDEA_COLS[] = {{"id", "id"},       {"title", "title"},     {"stage", "stage"},         {"votes", "votes"},
                                {"author", "author.name"}, {"anonymous", "anonymous"}, {"comment_count", "comment_count"},
                                {"created_at", "created_at"}, {"body", "body"}, {0}};
static const Col AUDIT_COLS[] = {{"id", "id"},         {"at", "at"},         {"actor_id", "actor.id"}, {"actor", "actor.name"},
                                 {"action", "action"}, {"object", "object"}, {"detail", "detail"},     {0}};

/* reports (reports.c): the list answers only what the caller may see, a confidential reporter's name only to its reviewers */
static const Col REPORT_COLS[] = {{"id", "id"}, {"kind", "kind"}, {"category", "category"}, {"team", "team.name"}, {"happened_on", "happened_on"}, {"harm", "harm"},
                                  {"identity", "identity"}, {"reporter", "reporter.name"}, {"status", "status"}, {"severity", "severity"}, {"received_on", "received_on"},
                                  {"ack_due", "ack_due"}, {"acknowledged_on", "acknowledged_on"}, {"body", "body"}, {"immediate_action", "immediate_action"}, {"answer", "answer"}, {0}};
static const char *const REPORT_FILTERS[] = {"kind", "status", "mine", NULL};

static const ExportList EXPORTS[] = {
    {"/api/v1/people", "people", PEOPLE_FILTERS, PEOPLE_COLS},
    {"/api/v1/teams", "teams", NO_FILTERS, TEAM_COLS},
    {"/api/v1/goals", "goals", GOAL_FILTERS, GOAL_COLS},
    {"/api/v1/rights", "rights", RIGHT_FILTERS, RIGHT_COLS},
    {"/api/v1/decisions", "decisions", DECISION_FILTERS, DECISION_COLS},
    {"/api/v1/challenges/{id}/ideas", "ideas", IDEA_FILTERS, IDEA_COLS},
    {"/api/v1/audit", "audit-log", AUDIT_FILTERS, AUDIT_COLS},
    {"/api/v1/reports", "reports", REPORT_FILTERS, REPORT_COLS},
    {"/api/v1/kpis/{id}/series", "kpi-series", SERIES_FILTERS, SERIES_COLS},
};
#define NEXPORTS (int)(sizeof EXPORTS / sizeof EXPORTS[0])
#define EXPORT_PAGE 500

static const ExportList *export_for(const char *pattern) {
    for (int i = 0; i < NEXPORTS; i++)
        if (strcmp(EXPORTS[i].pattern, pattern) == 0) return &EXPORTS[i];
    return NULL;
}

/* export_wanted: ?format= other than json on a GET list that exports. */
bool export_wanted(Req *r) {
    const char *f = req_query(r, "format");
    if (!f || !*f || strcmp(f, "json") == 0 || !r->route || strcmp(r->route->method, "GET") != 0) return false;
    return export_for(r->route->pattern) != NULL;
}

/* ---------- one page of JSON to CSV rows ---------- */

static json_t *at_path(json_t *item, const char *path) {
    const char *dot = strchr(path, '.');
    if (!dot) return json_object_get(item, path);
    char key[40];
    size_t n = (size_t)(dot - path);
    if (n >= sizeof key) return NULL;
    memcpy(key, path, n);
    key[n] = 0;
    json_t *o = json_object_get(item, key);
    return json_is_object(o) ? json_object_get(o, dot + 1) : NULL;
}

/* value_cell: strings go through csv_field (quoted, neutralised); numbers
 * and booleans are written by us and are never formulas. */
static void value_cell(Buf *b, json_t *v, bool first) {
    char num[40];
    if (json_is_string(v)) csv_field(b, json_string_value(v), first);
    else if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        if (!first) buf_putc(b, ',');
        buf_puts(b, num);
    } else if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.10g", json_real_value(v));
        if (!first) buf_putc(b, ',');
        buf_puts(b, num);
    } else if (json_is_boolean(v)) {
        if (!first) buf_putc(b, ',');
        buf_puts(b, json_is_true(v) ? "true" : "false");
    } else if (!first) buf_putc(b, ','); /* null, absent */
}

/* ---------- the stream ---------- */

/* Export: everything a page needs once the request is gone, malloc-owned. */
typedef struct Export {
    const ExportList *list;
    const Route *route;
    Arena *arena;        /* the caller's identity and filters, copied */
    Who who;
    int64_t params[4];
    int nparams;
    int64_t now;
    const char *path, *client_ip, *lang;
    KVList filters;
    int64_t after;       /* the next page starts after this id; 0: first */
    bool finished;
} Export;

static void export_free(void *p) {
    Export *x = p;
    if (!x) return;
    arena_free(x->arena);
    free(x);
}

/* export_page: the next page through the list's own handler; rows appended
 * to out. Returns 1 more to come, 0 the last page was written, or the
 * handler's HTTP status (>= 300) with its answer left in *failed (a
 * request the caller frees) when it refused. */
static int export_page(Export *x, Buf *out, Req **failed) {
    Req *s = req_new();
    s->method = "GET";
    s->path = x->path;
    s->is_api = true;
    s->route = x->route;
    s->who = x->who;
    s->now = x->now;
    s->client_ip = x->client_ip;
    memcpy(s->params, x->params, sizeof s->params);
    s->nparams = x->nparams;
    for (int i = 0; i < x->filters.n; i++) kv_add(s->arena, &s->query, x->filters.items[i].name, x->filters.items[i].value, x->filters.items[i].value_len);
    kv_add(s->arena, &s->query, "limit", arena_printf(s->arena, "%d", EXPORT_PAGE), 3);
    if (x->after) {
        char *a = arena_printf(s->arena, "%lld", (long long)x->after);
        kv_add(s->arena, &s->query, "after", a, strlen(a));
    }
    if (x->lang) kv_add(s->arena, &s->headers, "accept-language", x->lang, strlen(x->lang));
    s->db = db_thread();
    db_request_start(s->db);
    x->route->handler(s);
    if (s->db && db_in_tx(s->db)) db_rollback(s->db);
    if (!s->resp.sent || s->resp.status != 200) {
        if (!s->resp.sent) resp_error(s, 500, "internal", "The server did not produce an answer.");
        *failed = s;
        return s->resp.status;
    }
    json_t *page = json_loadb(s->resp.body.data ? s->resp.body.data : "", s->resp.body.len, 0, NULL);
    json_t *items = json_object_get(page, "items"), *next = json_object_get(page, "next_after");
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        for (int c = 0; x->list->cols[c].header; c++) value_cell(out, at_path(item, x->list->cols[c].path), c == 0);
        csv_end_row(out);
    }
    int more = json_is_integer(next) && json_integer_value(next) > 0 && json_array_size(items) > 0;
    x->after = more ? (int64_t)json_integer_value(next) : 0;
    json_decref(page);
    req_free(s);
    x->finished = !more;
    return more;
}

static int export_fill(void *ctx, Buf *out) {
    Export *x = ctx;
    if (x->finished) return 0;
    Req *failed = NULL;
    int rc = export_page(x, out, &failed);
    if (failed) { /* the list changed its mind mid-way (e.g. the caller was removed): cut the download */
        req_free(failed);
        return -1;
    }
    return rc == 1 ? 1 : 0;
}

static char *arena_strdup_or_null(Arena *a, const char *s) { return s ? arena_strdup(a, s) : NULL; }

/* export_list: GET <list>?format=csv (the list's own access level, checked
 * by the router): text/csv as an attachment, header row first. 400 for a
 * format other than csv or json; the list's own 400/403/404 otherwise. */
int export_list(Req *r) {
    const char *f = req_query(r, "format");
    if (strcmp(f, "csv") != 0) return resp_error(r, 400, "invalid_parameter", "format must be json or csv.");
    const ExportList *l = export_for(r->route->pattern);
    Export *x = calloc(1, sizeof *x);
    if (!x) abort();
    x->list = l;
    x->route = r->route;
    x->arena = arena_new();
    x->who = r->who;
    x->who.name = arena_strdup_or_null(x->arena, r->who.name);
    x->who.email = arena_strdup_or_null(x->arena, r->who.email);
    x->who.csrf = arena_strdup_or_null(x->arena, r->who.csrf);
    x->who.session_hash = arena_strdup_or_null(x->arena, r->who.session_hash);
    memcpy(x->params, r->params, sizeof x->params);
    x->nparams = r->nparams;
    x->now = r->now;
    x->path = arena_strdup(x->arena, r->path);
    x->client_ip = arena_strdup_or_null(x->arena, r->client_ip);
    x->lang = arena_strdup_or_null(x->arena, req_header(r, "accept-language"));
    for (int i = 0; i < r->query.n; i++)
        for (int k = 0; l->filters[k]; k++)
            if (strcmp(r->query.items[i].name, l->filters[k]) == 0)
                kv_add(x->arena, &x->filters, arena_strdup(x->arena, r->query.items[i].name), arena_strdup(x->arena, r->query.items[i].value),
                       r->query.items[i].value_len);

    Buf first = {0};
    for (int c = 0; l->cols[c].header; c++) csv_field(&first, l->cols[c].header, c == 0);
    csv_end_row(&first);
    Req *failed = NULL;
    int rc = export_page(x, &first, &failed);
    if (failed) { /* answered as the list would: its status and error envelope */
        buf_free(&first);
        r->resp.status = failed->resp.status;
        r->resp.content_type = failed->resp.content_type;
        r->resp.body.len = 0;
        buf_append(&r->resp.body, failed->resp.body.data ? failed->resp.body.data : "", failed->resp.body.len);
        r->resp.sent = true;
        req_free(failed);
        export_free(x);
        return -1;
    }
    r->resp.status = 200;
    r->resp.content_type = "text/csv; charset=utf-8";
    buf_free(&r->resp.body);
    r->resp.body = first;
    resp_header(r, "Content-Disposition", arena_printf(r->arena, "attachment; filename=\"%s-%s.csv\"", l->file, today_date(r->arena, r->now)));
    r->resp.sent = true;
    if (rc == 1) r->resp.stream = (RespStream){export_fill, export_free, x};
    else export_free(x);
    return 0;
}

/* export_link: see remit.h. Only the list's own filters are carried over,
 * never paging or flash parameters. */
void export_link(Req *r, const char *api_path) {
    const ExportList *l = NULL;
    for (int i = 0; i < NEXPORTS && !l; i++) {
        int64_t p[4];
        int np;
        if (router_match(EXPORTS[i].pattern, api_path, p, &np)) l = &EXPORTS[i];
    }
    if (!l) return;
    Buf href = {0};
    html_printf(&href, "%h?format=csv", api_path);
    for (int i = 0; i < r->query.n; i++)
        for (int k = 0; l->filters[k]; k++)
            if (strcmp(r->query.items[i].name, l->filters[k]) == 0 && *r->query.items[i].value)
                html_printf(&href, "&amp;%u=%u", r->query.items[i].name, r->query.items[i].value);
    html_printf(page(r), "<p class=\"export\"><a href=\"%s\" download>%h</a></p>", buf_cstr(&href), T(r, "Download CSV"));
    buf_free(&href);
}
