/* auditlog.c: reading the audit log (who changed what, and when) of the
 * caller's organisation, as JSON (/api/v1/audit) and as a page (/audit);
 * admins only. Writing entries is audit.c's job, inside the transaction of
 * each change; this file only reads: the table is append-only (triggers in
 * the schema refuse UPDATE and DELETE), and these views must never write. */
#include "remit.h"
#include "handlers.h"
#include <string.h>

#define AUDIT_PAGE_ROWS 100

/* Newest first. `after` is an id bound: 0 means "from the newest", any
 * other value means "only ids lower than it" (see auditlog_api_list). */
static const char SQL_AUDIT_LIST[] =
    "SELECT a.id, a.at, a.actor_id, p.name, a.action, a.object, a.detail FROM audit a "
    "LEFT JOIN person p ON p.id = a.actor_id AND p.org_id = a.org_id "
    "WHERE a.org_id = ? AND (? = 0 OR a.id < ?) AND (? IS NULL OR a.action = ?) ORDER BY a.id DESC LIMIT ?";

typedef struct Entry {
    int64_t id, at, actor_id; /* actor_id 0: the system (command line) */
    char *actor_name;         /* NULL when the actor is not (or no longer) in the org */
    char *action, *object, *detail;
} Entry;

static void entry_row(Stmt *s, Arena *a, Entry *e) {
    e->id = db_int(s, 0);
    e->at = db_int(s, 1);
    e->actor_id = db_int(s, 2);
    e->actor_name = db_dup(s, 3, a);
    e->action = arena_strdup(a, db_text(s, 4));
    e->object = arena_strdup(a, db_text(s, 5));
    e->detail = arena_strdup(a, db_text(s, 6));
}

/* action_param: ?action= (exact match), NULL when absent or empty; -1 after
 * sending 400 for an absurdly long one. */
static int action_param(Req *r, const char **action) {
    *action = req_query(r, "action");
    if (*action && !**action) *action = NULL;
    if (*action && utf8_chars(*action) > 100) return resp_error(r, 400, "invalid_parameter", "action is at most 100 characters.");
    return 0;
}

/* GET /api/v1/audit?limit=&after=&action=: the audit log, newest first
 * (admin). Paging keeps the ?after= contract of every other list, read in
 * this list's order: ids are descending, so after=N returns the entries with
 * ids lower than N (older ones), and next_after is the id of the oldest
 * entry returned. action= keeps only entries with exactly that action. */
int auditlog_api_list(Req *r) {
    int limit;
    int64_t after;
    const char *action;
    if (parse_limit_after(r, &limit, &after) || action_param(r, &action)) return -1;
    json_t *items = json_array();
    int64_t last = 0;
    Stmt *s = db_q(r->db, SQL_AUDIT_LIST, "iiitti", r->who.org_id, after, after, action, action, (int64_t)limit);
    while (db_step(s) == DB_ROW) {
        Entry e;
        entry_row(s, r->arena, &e);
        json_t *actor = e.actor_id ? json_pack("{s:I,s:o}", "id", (json_int_t)e.actor_id, "name", e.actor_name ? json_string(e.actor_name) : json_null())
                                   : json_null();
        json_array_append_new(items, json_pack("{s:I,s:s,s:o,s:s,s:s,s:s}", "id", (json_int_t)e.id, "at", iso_time(r->arena, e.at), "actor", actor,
                                               "action", e.action, "object", e.object, "detail", e.detail));
        last = e.id;
    }
    db_reset(s);
    resp_json(r, 200, json_page(items, limit, last));
    return 0;
}

/* object_cell: the object an entry is about, linked to its page when it
 * names a kind of thing that has one ("goal:12" -> /goals/12). */
static void object_cell(Buf *b, const char *object) {
    static const struct { const char *prefix, *href; } kinds[] = {
        {"goal:", "/goals/"}, {"team:", "/teams/"}, {"person:", "/people/"}, {"decision:", "/decisions/"},
        {"role:", "/roles/"}, {"right:", "/rights/"}, {"suggestion:", "/autonomy/"},
    };
    int64_t id;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(object, kinds[i].prefix, n) == 0 && parse_id(object + n, &id)) {
            html_printf(b, "<a href=\"%s%D\">%h</a>", kinds[i].href, id, object);
            return;
        }
    }
    if (strncmp(object, "org:", 4) == 0) html_printf(b, "<a href=\"/org\">%h</a>", object);
    else html_printf(b, "%h", object);
}

/* GET /audit?after=&action=: the newest 100 entries of the audit log as a
 * table, a link to older ones, and a filter by action (admin). */
int auditlog_page(Req *r) {
    int64_t after = 0;
    const char *a = req_query(r, "after"), *action;
    if (a && *a && strcmp(a, "0") != 0 && !parse_id(a, &after)) return resp_error(r, 400, "invalid_parameter", "after must be an entry id.");
    if (action_param(r, &action)) return -1;

    page_begin(r, "Audit log");
    Buf *b = page(r);
    buf_puts(b, "<div class=\"title-row\"><h1>Audit log</h1></div>"
                "<p class=\"muted\">Who changed what, newest first. Entries cannot be edited or removed.</p>");
    buf_puts(b, "<form method=\"get\" action=\"/audit\" class=\"filter\" role=\"search\">");
    form_text(r, "action", "Action", action, NULL, "text", false);
    buf_puts(b, "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">Filter</button>");
    if (action) buf_puts(b, " <a href=\"/audit\">Show all actions</a>");
    buf_puts(b, "</div></form>");
    export_link(r, "/api/v1/audit");

    /* One row more than shown tells whether there are older entries. */
    Stmt *s = db_q(r->db, SQL_AUDIT_LIST, "iiitti", r->who.org_id, after, after, action, action, (int64_t)(AUDIT_PAGE_ROWS + 1));
    int n = 0;
    int64_t last = 0;
    bool more = false;
    while (db_step(s) == DB_ROW) {
        if (n == AUDIT_PAGE_ROWS) {
            more = true;
            break;
        }
        Entry e;
        entry_row(s, r->arena, &e);
        if (n++ == 0)
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Who</th><th scope=\"col\">Action</th>"
                        "<th scope=\"col\">Object</th><th scope=\"col\">Detail</th></tr></thead><tbody>");
        char *iso = iso_time(r->arena, e.at);
        char *shown = arena_strdup(r->arena, iso);
        shown[10] = ' ';
        shown[16] = 0; /* "2026-11-23 10:00" */
        html_printf(b, "<tr><td><time datetime=\"%h\">%h</time></td><td>", iso, shown);
        if (e.actor_id && e.actor_name) html_printf(b, "<a href=\"/people/%D\">%h</a>", e.actor_id, e.actor_name);
        else if (e.actor_id) html_printf(b, "person %D", e.actor_id);
        else buf_puts(b, "<span class=\"muted\">system</span>");
        html_printf(b, "</td><td><code>%h</code></td><td>", e.action);
        object_cell(b, e.object);
        html_printf(b, "</td><td>%h</td></tr>", e.detail);
        last = e.id;
    }
    db_reset(s);
    if (n) buf_puts(b, "</tbody></table>");
    else if (action) html_printf(b, "<p class=\"muted empty\">No entries with the action \"%h\"%s.</p>", action, after ? " before these" : "");
    else html_printf(b, "<p class=\"muted empty\">%s</p>", after ? N_("No older entries.") : N_("Nothing has been recorded yet."));

    if (more || after) {
        buf_puts(b, "<nav class=\"pager\" aria-label=\"Audit log pages\"><ul class=\"plain\">");
        if (after) html_printf(b, "<li><a href=\"/audit%s%u\">Newest</a></li>", action ? "?action=" : "", action ? action : "");
        if (more) html_printf(b, "<li><a href=\"/audit?after=%D%s%u\">Older</a></li>", last, action ? "&amp;action=" : "", action ? action : "");
        buf_puts(b, "</ul></nav>");
    }
    page_end(r);
    return 0;
}
