/* actions.c: action items: a piece of follow-up work with a title, an
 * owner, a due date, a status (open, done, or dropped with a reason) and the
 * place it came from (source kind + id, or none). Any feature creates them
 * (actions_create); an idea that enters piloting hands its owner the pilot.
 * Who may see an action follows its source: SOURCES below asks the source's
 * own feature "may this caller see X?", so this file never joins other
 * features' tables. Without a source: the owner, whoever made it, admins.
 * Owners are told when an action is assigned, due and overdue (once each),
 * through notify. This file owns /actions and /api/v1/actions. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include <string.h>

#define ACTION_TITLE_MAX 200
#define ACTION_REASON_MAX 2000
#define ACTION_SCAN 5000 /* rows looked at per list (visibility is checked in C) */

typedef bool (*SourceSee)(Req *r, int64_t id);
/* SOURCES: one line per source kind: may the caller see this source? */
static const struct { const char *kind; SourceSee see; } SOURCES[] = {
    {"idea", ideas_may_see},
    {"survey", surveys_may_see}, /* a survey's action plan (survey_plan id): whoever may see the result it came from */
    {"report", reports_may_see}, /* a blameless review's corrective actions: whoever may see the report */
    {"protocol", protocols_may_see}, /* a protocol's review date: everyone in the organisation */
    {"one_to_one", oneonone_may_see}, /* an action from a one-to-one: its manager and report */
    {"review360", review360_may_see}, /* a development plan's action: who may see the 360 report */
    {"programme", programme_may_see}, /* the empowerment programme's checklist: managers and up */
};
static const char *const STATUSES[] = {"open", "done", "dropped", NULL};

typedef struct Action {
    int64_t id, owner_id, source_id, created_by, created_at, updated_at;
    char *title, *owner_name, *due_on, *status, *reason, *source_kind;
} Action;

#define ACTION_COLS \
    "SELECT a.id, a.title, a.owner_id, p.name, a.due_on, a.status, a.reason, a.source_kind, a.source_id, a.created_by, a.created_at, a.updated_at " \
    "FROM action_item a JOIN person p ON p.id = a.owner_id AND p.org_id = a.org_id "
static const char SQL_ACTION_GET[] = ACTION_COLS "WHERE a.id = ? AND a.org_id = ?";
static const char SQL_ACTION_LIST[] =
    ACTION_COLS "WHERE a.org_id = ? AND a.id > ? AND (? = 0 OR a.owner_id = ?) AND (? IS NULL OR a.status = ?) AND (? IS NULL OR a.source_kind = ?) "
                "ORDER BY a.id LIMIT ?";
static const char SQL_ACTION_MINE[] =
    ACTION_COLS "WHERE a.org_id = ? AND a.owner_id = ? AND a.status = ? ORDER BY a.due_on IS NULL, a.due_on, a.id LIMIT ?";
static const char SQL_ACTION_ADD[] =
    "INSERT INTO action_item(org_id, title, owner_id, due_on, source_kind, source_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ACTION_SET[] =
    "UPDATE action_item SET status = ?, reason = ?, due_on = ?, owner_id = ?, updated_at = ? WHERE id = ? AND org_id = ?";
static const char SQL_PERSON_OK[] = "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'";
static const char SQL_DUE_TODAY[] =
    "SELECT id, org_id, owner_id, title FROM action_item WHERE status = 'open' AND due_on = ? AND due_told = 0 ORDER BY id LIMIT 500";
static const char SQL_OVERDUE[] =
    "SELECT id, org_id, owner_id, title, due_on FROM action_item WHERE status = 'open' AND due_on < ? AND overdue_told = 0 ORDER BY id LIMIT 500";

static bool is_one(const char *s, const char *const *v) {
    for (; *v; v++)
        if (s && strcmp(s, *v) == 0) return true;
    return false;
}

static SourceSee source_of(const char *kind) {
    for (size_t i = 0; i < sizeof SOURCES / sizeof SOURCES[0]; i++)
        if (kind && strcmp(kind, SOURCES[i].kind) == 0) return SOURCES[i].see;
    return NULL;
}

static void action_row(Stmt *s, Arena *a, Action *x) {
    x->id = db_int(s, 0);
    x->title = db_dup(s, 1, a);
    x->owner_id = db_int(s, 2);
    x->owner_name = db_dup(s, 3, a);
    x->due_on = db_dup(s, 4, a);
    x->status = db_dup(s, 5, a);
    x->reason = db_dup(s, 6, a);
    x->source_kind = db_dup(s, 7, a);
    x->source_id = db_int(s, 8);
    x->created_by = db_int(s, 9);
    x->created_at = db_int(s, 10);
    x->updated_at = db_int(s, 11);
}

/* action_visible: the owner, its maker and admins always; others when the
 * source's feature lets them see the source. */
static bool action_visible(Req *r, const Action *x) {
    if (x->owner_id == r->who.person_id || x->created_by == r->who.person_id || r->who.access >= ACCESS_ADMIN) return true;
    SourceSee see = source_of(x->source_kind);
    return see && x->source_id && see(r, x->source_id);
}

/* action_may_change: the owner, its maker, admins. */
static bool action_may_change(Req *r, const Action *x) {
    return x->owner_id == r->who.person_id || x->created_by == r->who.person_id || r->who.access >= ACCESS_ADMIN;
}

static int action_find(Req *r, int64_t id, Action *x) {
    Stmt *s = db_q(r->db, SQL_ACTION_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) action_row(s, r->arena, x);
    db_reset(s);
    return found && action_visible(r, x);
}

static json_t *action_json(Req *r, const Action *x) {
    json_t *src = x->source_kind ? json_pack("{s:s,s:I}", "kind", x->source_kind, "id", (json_int_t)x->source_id) : json_null();
    (void)r;
    return json_pack("{s:I,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)x->id, "title", x->title, "owner", json_ref(x->owner_id, x->owner_name),
                     "due_on", json_text(x->due_on), "status", x->status, "reason", json_text(x->reason), "source", src, "created_at",
                     json_time(r->arena, x->created_at), "updated_at", json_time(r->arena, x->updated_at));
}

int64_t actions_create(Db *db, Arena *a, int64_t org_id, const char *title, int64_t owner_id, const char *due_on, const char *source_kind,
                       int64_t source_id, int64_t created_by, int64_t now) {
    if (db_exec(db, SQL_ACTION_ADD, "itittIIii", org_id, title, owner_id, due_on, source_kind, source_kind ? source_id : 0, created_by, now, now) != DB_OK)
        return 0;
    int64_t id = db_last_id(db);
    if (owner_id != created_by) {
        const Lang *l = i18n_person_lang(db, owner_id); /* written once, in the reader's language */
        const char *text = due_on ? arena_printf(a, TP(l, "New action for you: %s (due %s)"), title, due_on)
                                  : arena_printf(a, TP(l, "New action for you: %s"), title);
        notify(db, org_id, owner_id, now, "action.assigned", text, "/actions");
    }
    return id;
}

int actions_remind(Db *db, int64_t now) {
    Arena *a = arena_new();
    char *today = today_date(a, now);
    int told = 0;
    typedef struct { int64_t id, org, owner; char *title, *due; } Rem;
    for (int pass = 0; pass < 2; pass++) {
        Rem v[500];
        int n = 0;
        Stmt *s = pass == 0 ? db_q(db, SQL_DUE_TODAY, "t", today) : db_q(db, SQL_OVERDUE, "t", today);
        while (n < 500 && db_step(s) == DB_ROW)
            v[n] = (Rem){db_int(s, 0), db_int(s, 1), db_int(s, 2), db_dup(s, 3, a), pass ? db_dup(s, 4, a) : NULL}, n++;
        db_reset(s);
        if (!n) continue;
        if (db_begin(db) != DB_OK) {
            arena_free(a);
            return -1;
        }
        for (int i = 0; i < n; i++) {
            const Lang *l = i18n_person_lang(db, v[i].owner);
            const char *text = pass == 0 ? arena_printf(a, TP(l, "Due today: %s"), v[i].title)
                                         : arena_printf(a, TP(l, "Overdue since %s: %s"), v[i].due, v[i].title);
            notify(db, v[i].org, v[i].owner, now, pass == 0 ? "action.due" : "action.overdue", text, "/actions");
            db_exec(db, pass == 0 ? "UPDATE action_item SET due_told = 1 WHERE id = ?" : "UPDATE action_item SET due_told = 1, overdue_told = 1 WHERE id = ?",
                    "i", v[i].id);
            told++;
        }
        if (db_commit(db) != DB_OK) {
            db_rollback(db);
            told = -1;
            break;
        }
    }
    arena_free(a);
    return told;
}

int actions_home_list(Req *r, ActionBrief *out, int max) {
    int n = 0;
    char *today = today_date(r->arena, r->now);
    Stmt *s = db_q(r->db, SQL_ACTION_MINE, "iiti", r->who.org_id, r->who.person_id, "open", (int64_t)100);
    ActionBrief later[100];
    int nl = 0;
    while (db_step(s) == DB_ROW) {
        Action x;
        action_row(s, r->arena, &x);
        bool overdue = x.due_on && strcmp(x.due_on, today) < 0;
        ActionBrief it = {x.title, "/actions", x.due_on ? arena_printf(r->arena, overdue ? T(r, "overdue since %s") : T(r, "due %s"), x.due_on) : NULL, overdue};
        if (overdue && n < max) out[n++] = it;
        else if (!overdue && nl < 100) later[nl++] = it;
    }
    db_reset(s);
    for (int i = 0; i < nl && n < max; i++) out[n++] = later[i];
    return n;
}

static const char SQL_HOME_COUNTS[] =
    "SELECT coalesce(sum(CASE WHEN due_on < ?3 THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN due_on = ?3 THEN 1 ELSE 0 END), 0), "
    "coalesce(sum(CASE WHEN due_on IS NULL OR due_on > ?3 THEN 1 ELSE 0 END), 0) "
    "FROM action_item WHERE org_id = ?1 AND owner_id = ?2 AND status = 'open'";

void actions_home_items(Req *r, Home *h) {
    Stmt *s = db_q(r->db, SQL_HOME_COUNTS, "iit", r->who.org_id, r->who.person_id, today_date(r->arena, r->now));
    if (db_step(s) == DB_ROW) {
        int64_t over = db_int(s, 0), today = db_int(s, 1), later = db_int(s, 2);
        home_item(h, "actions_overdue", TN(r, "action of yours, overdue", "actions of yours, overdue", over), over, "/actions", URGENCY_OVERDUE);
        home_item(h, "actions_due", TN(r, "action of yours due today", "actions of yours due today", today), today, "/actions", URGENCY_DUE);
        home_item(h, "actions_open", TN(r, "open action of yours", "open actions of yours", later), later, "/actions", URGENCY_INFO);
    }
    db_reset(s);
}

/* ---------- checks shared by the API and the page ---------- */

typedef struct ActionIn { const char *title, *due_on, *status, *reason, *source_kind; int64_t owner_id, source_id; bool has_due, has_owner; } ActionIn;

static void check_owner(Req *r, int64_t owner, Errors *e) {
    int64_t x;
    if (!owner || !db_one_int(r->db, &x, SQL_PERSON_OK, "ii", owner, r->who.org_id))
        err_add(e, 422, "invalid", "owner_id", T(r, "The owner must be a current person of the organisation."));
}

static void check_due(Req *r, const char *due, Errors *e) {
    if (due && !valid_date(due)) err_add(e, 422, "invalid", "due_on", T(r, "Give the due date as YYYY-MM-DD."));
}

static const JField CREATE_FIELDS[] = {{"title", JF_STRING, 1000}, {"owner_id", JF_INT, 0}, {"due_on", JF_DATE_NULL, 0}, {"source", JF_ANY, 0}, {0}};

/* POST /api/v1/actions {"title","owner_id","due_on","source":{"kind","id"}|null}:
 * a new open action (member). The caller must be able to see the source;
 * members give actions to themselves, managers and admins to anyone. */
int actions_api_create(Req *r) {
    json_t *o = req_json_object(r, CREATE_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    const char *title = str_trim(r->arena, json_str(o, "title") ? json_str(o, "title") : "");
    if (str_empty(title) || utf8_chars(title) > ACTION_TITLE_MAX || has_control(title))
        err_add(&e, 422, "invalid", "title", T(r, "Give the action a title of 1 to 200 characters on one line."));
    int64_t owner = json_integer_value(json_object_get(o, "owner_id"));
    check_owner(r, owner, &e);
    if (!e.n && owner != r->who.person_id && r->who.access < ACCESS_MANAGER)
        err_add(&e, 403, "forbidden", "owner_id", T(r, "Members give actions to themselves; managers and admins to anyone."));
    const char *due = json_str(o, "due_on");
    check_due(r, due, &e);
    json_t *src = json_object_get(o, "source");
    const char *kind = NULL;
    int64_t sid = 0;
    if (src && !json_is_null(src)) {
        json_t *k = json_object_get(src, "kind"), *i = json_object_get(src, "id");
        if (!json_is_object(src) || !json_is_string(k) || !json_is_integer(i) || json_object_size(src) != 2) {
            err_add(&e, 400, "bad_request", "source", T(r, "source must be {\"kind\": TEXT, \"id\": INTEGER} or null."));
            return err_send(r, &e);
        }
        kind = json_string_value(k);
        sid = json_integer_value(i);
        SourceSee see = source_of(kind);
        if (!see) err_add(&e, 422, "invalid", "source", T(r, "Unknown source kind."));
        else if (sid <= 0 || !see(r, sid)) err_add(&e, 404, "not_found", "source", T(r, "There is no such source."));
    }
    if (e.n) return err_send(r, &e);
    if (db_begin(r->db) != DB_OK) {
        err_busy(&e);
        return err_send(r, &e);
    }
    int64_t id = actions_create(r->db, r->arena, r->who.org_id, title, owner, due, kind, sid, r->who.person_id, r->now);
    if (id) audit(r, "action.create", arena_printf(r->arena, "action:%lld", (long long)id), "owner person:%lld", (long long)owner);
    if (!id || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(&e);
        return err_send(r, &e);
    }
    Action x;
    if (!action_find(r, id, &x)) return resp_error(r, 500, "internal", "The new action could not be read back.");
    resp_json(r, 201, action_json(r, &x));
    return 0;
}

/* GET /api/v1/actions?owner_id=&status=&source_kind=&limit=&after=: the
 * actions the caller may see (member). */
int actions_api_list(Req *r) {
    int limit;
    int64_t after, owner = 0;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *os = req_query(r, "owner_id"), *status = req_query(r, "status"), *kind = req_query(r, "source_kind");
    if (os && !parse_id(os, &owner)) return resp_error(r, 400, "bad_request", "owner_id must be a person id.");
    if (status && !is_one(status, STATUSES)) return resp_error(r, 400, "bad_request", "status must be open, done or dropped.");
    if (kind && (strlen(kind) > 40 || !*kind)) return resp_error(r, 400, "bad_request", "source_kind is too long.");
    /* ids first: the sources' visibility checks run SQL of their own */
    int64_t *ids = arena_alloc(r->arena, sizeof *ids * ACTION_SCAN);
    int nids = 0;
    Stmt *s = db_q(r->db, SQL_ACTION_LIST, "iiiittttI", r->who.org_id, after, owner, owner, status, status, kind, kind, (int64_t)ACTION_SCAN);
    while (nids < ACTION_SCAN && db_step(s) == DB_ROW) ids[nids++] = db_int(s, 0);
    db_reset(s);
    json_t *items = json_array();
    int n = 0;
    int64_t last = 0;
    bool more = false;
    for (int i = 0; i < nids; i++) {
        Action x;
        if (!action_find(r, ids[i], &x)) continue;
        if (n == limit) {
            more = true;
            break;
        }
        json_array_append_new(items, action_json(r, &x));
        last = x.id;
        n++;
    }
    resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_after", more ? json_integer(last) : json_null()));
    return 0;
}

/* action_change: status/reason/due_on/owner_id of an action (the owner,
 * its maker, admins); 0 ok, -1 with e. */
static int action_change(Req *r, Action *x, const ActionIn *in, Errors *e) {
    if (!action_may_change(r, x)) {
        err_add(e, 403, "forbidden", NULL, T(r, "Only the action's owner, whoever gave it and admins change it."));
        return -1;
    }
    const char *status = in->status ? in->status : x->status;
    if (!is_one(status, STATUSES)) err_add(e, 422, "invalid", "status", T(r, "The status is open, done or dropped."));
    const char *reason = in->reason ? str_trim(r->arena, in->reason) : NULL;
    if (reason && utf8_chars(reason) > ACTION_REASON_MAX) err_add(e, 422, "invalid", "reason", T(r, "The reason is too long."));
    if (status && strcmp(status, "dropped") == 0 && str_empty(reason) && !(x->reason && strcmp(x->status, "dropped") == 0))
        err_add(e, 422, "invalid", "reason", T(r, "Say why the action is dropped."));
    if (status && strcmp(status, "dropped") != 0) reason = NULL;
    else if (str_empty(reason)) reason = x->reason;
    const char *due = in->has_due ? in->due_on : x->due_on;
    check_due(r, due, e);
    int64_t owner = in->has_owner ? in->owner_id : x->owner_id;
    if (in->has_owner) check_owner(r, owner, e);
    if (e->n) return -1;
    bool due_changed = (due == NULL) != (x->due_on == NULL) || (due && strcmp(due, x->due_on) != 0);
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_ACTION_SET, "tttiiii", status, reason, due, owner, r->now, x->id, r->who.org_id);
    /* a new due date earns new reminders */
    if (rc == DB_OK && due_changed) rc = db_exec(r->db, "UPDATE action_item SET due_told = 0, overdue_told = 0 WHERE id = ? AND org_id = ?", "ii", x->id, r->who.org_id);
    if (rc == DB_OK && owner != x->owner_id && owner != r->who.person_id)
        notify(r->db, r->who.org_id, owner, r->now, "action.assigned", arena_printf(r->arena, T(r, "%s handed you an action: %s"), r->who.name, x->title),
               "/actions");
    if (rc == DB_OK) audit(r, "action.update", arena_printf(r->arena, "action:%lld", (long long)x->id), "status %s", status);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

static const JField PATCH_FIELDS[] = {{"status", JF_STRING, 20}, {"reason", JF_STRING_NULL, 10000}, {"due_on", JF_DATE_NULL, 0}, {"owner_id", JF_INT, 0}, {0}};

/* PATCH /api/v1/actions/{id} {"status","reason","due_on","owner_id"}:
 * changes an action (its owner, whoever gave it, admins; others who may see
 * it get 403, the rest 404). dropped needs a reason. */
int actions_api_patch(Req *r) {
    json_t *o = req_json_object(r, PATCH_FIELDS); /* the body's form first: 415/400 before 404, like every route */
    if (!o) return -1;
    Action x;
    if (!action_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such action.");
    ActionIn in = {.status = json_str(o, "status"), .reason = json_str(o, "reason"), .due_on = json_str(o, "due_on"), .has_due = json_has(o, "due_on"),
                   .has_owner = json_has(o, "owner_id"), .owner_id = json_integer_value(json_object_get(o, "owner_id"))};
    Errors e = {0};
    if (action_change(r, &x, &in, &e)) return err_send(r, &e);
    action_find(r, x.id, &x);
    resp_json(r, 200, action_json(r, &x));
    return 0;
}

/* ---------- the page ---------- */

static void action_li(Req *r, const Action *x, const char *today) {
    Buf *b = page(r);
    bool overdue = strcmp(x->status, "open") == 0 && x->due_on && strcmp(x->due_on, today) < 0;
    html_printf(b, "<li class=\"action%s\"><strong>%h</strong>", overdue ? " overdue" : "", x->title);
    if (x->due_on) html_printf(b, " <span class=\"%s\">%h %h</span>", overdue ? "badge" : "muted", overdue ? T(r, "overdue since") : T(r, "due"), x->due_on);
    if (x->source_kind && strcmp(x->source_kind, "idea") == 0) html_printf(b, " <a href=\"/ideas/%D\">%h</a>", x->source_id, T(r, "where it came from"));
    if (strcmp(x->status, "dropped") == 0 && x->reason) html_printf(b, " <span class=\"muted\">%h: %h</span>", T(r, "dropped"), x->reason);
    if (strcmp(x->status, "open") == 0) {
        html_printf(b, "<form method=\"post\" action=\"/actions/%D\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<input type=\"hidden\" name=\"status\" value=\"done\"><button type=\"submit\">%h</button></form>",
                    x->id, r->who.csrf ? r->who.csrf : "", T(r, "Done"));
        html_printf(b, "<form method=\"post\" action=\"/actions/%D\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<input type=\"hidden\" name=\"status\" value=\"dropped\"><label for=\"reason-%D\">%h</label> "
                       "<input id=\"reason-%D\" name=\"reason\" type=\"text\" required> <button type=\"submit\" class=\"danger\">%h</button></form>",
                    x->id, r->who.csrf ? r->who.csrf : "", x->id, T(r, "Reason"), x->id, T(r, "Drop"));
    }
    buf_puts(b, "</li>");
}

static void actions_page_render(Req *r, const char *flash, const char *error) {
    page_begin(r, T(r, "My actions"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "My actions"));
    page_flash(r, flash);
    if (error) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);
    char *today = today_date(r->arena, r->now);
    static const char *const HEAD[] = {N_("Open"), N_("Done"), N_("Dropped")};
    for (int k = 0; k < 3; k++) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, HEAD[k]));
        Stmt *s = db_q(r->db, SQL_ACTION_MINE, "iiti", r->who.org_id, r->who.person_id, STATUSES[k], (int64_t)(k == 0 ? 200 : 20));
        Action v[200];
        int n = 0;
        while (n < 200 && db_step(s) == DB_ROW) action_row(s, r->arena, &v[n++]);
        db_reset(s);
        if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "None."));
        else {
            buf_puts(b, "<ul class=\"plain actions-list\">");
            /* overdue first */
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i < n; i++) {
                    bool overdue = k == 0 && v[i].due_on && strcmp(v[i].due_on, today) < 0;
                    if ((pass == 0) == overdue) action_li(r, &v[i], today);
                }
            buf_puts(b, "</ul>");
        }
        buf_puts(b, "</section>");
    }
    page_end(r);
}

/* GET /actions: the caller's actions, open (overdue first), done, dropped (member). */
int actions_page(Req *r) {
    const char *done = req_query(r, "done");
    actions_page_render(r, done ? T(r, "Saved.") : NULL, NULL);
    return 0;
}

/* POST /actions/{id} (status, reason): done or dropped from the page (member). */
int actions_page_update(Req *r) {
    Action x;
    if (!action_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such action.");
    ActionIn in = {.status = req_form(r, "status"), .reason = req_form(r, "reason")};
    Errors e = {0};
    if (action_change(r, &x, &in, &e)) {
        actions_page_render(r, NULL, e.items[0].msg);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/actions?done=1");
    return 0;
}
