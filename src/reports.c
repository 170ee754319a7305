/* reports.c: reports of incidents, near-misses and concerns (issue 13,
 * "just culture"): the JSON API under /api/v1/reports, the follow link
 * /api/v1/report-follow, the organisation's settings (time to acknowledge,
 * categories, which roles review reports), and the pages /reports,
 * /reports/new, /reports/{id}, /reports/settings and /report-follow. The
 * assessments, reviews and evidence are in reportreview.c; protocols in
 * protocols.c; the pure logic in culpability.c.
 *
 * Who sees a report: its author (named or confidential), its reviewers and
 * the owners. Its reviewers are the holders of the roles marked as
 * reviewing reports for the report's team or a team above it; when no such
 * role has holders, the holders of roles marked for the whole organisation;
 * when there are none, the admins and owners. Everyone else gets 404.
 *
 * Three identities. Named: the author's name is shown to whoever sees the
 * report. Confidential: the author is stored, and shown only to the
 * report's reviewers and the author: never to owners who are not
 * reviewers, and in no list, export, API answer, notification, search
 * index or audit line for anybody else (no audit line names its author at
 * all: the audit log is read by admins). Anonymous: no author, no address
 * and no time finer than the day are stored; the report waits in
 * report_pending, seen only through its private follow link, until its
 * UTC day is over, then anon.c releases the day's reports together
 * (reports_release_pending), so timing cannot point at the author. Every
 * report, of any identity, has a random id and only a day of arrival.
 *
 * A "severe" anonymous report gets no exception: it is held back like any
 * other (at most until midnight UTC), because an exception would date it.
 * The form says plainly that anyone in danger now must be told at once, in
 * person, and that an anonymous report is read the next day. */
#include "remit.h"
#include "handlers.h"
#include "reports.h"
#include <string.h>

#define REPORT_TEXT_MAX 10000
#define REPORT_SCAN 5000
#define REPORT_PAGE 200

static const char *const KINDS[] = {"incident", "near_miss", "concern", NULL};
static const char *const KIND_LABELS[] = {N_("Incident"), N_("Near-miss"), N_("Concern")};
static const char *const HARMS[] = {"none", "minor", "moderate", "severe", NULL};
static const char *const HARM_LABELS[] = {N_("No harm"), N_("Minor harm"), N_("Moderate harm"), N_("Severe harm")};
static const char *const IDENTITIES[] = {"named", "confidential", "anonymous", NULL};
static const char *const SEVERITIES[] = {"low", "medium", "high", "critical", NULL};
static const char *const SEVERITY_LABELS[] = {N_("Low"), N_("Medium"), N_("High"), N_("Critical")};
static const char *const STATUS_LABELS[][2] = {{"new", N_("New")}, {"acknowledged", N_("Acknowledged")}, {"triaged", N_("Triaged")},
                                               {"reviewing", N_("Under review")}, {"closed", N_("Closed")}};
static const char *const DEFAULT_CATEGORIES[] = {N_("food safety"), N_("customer"), N_("equipment"), N_("people"), N_("data"), N_("other")};
static const char *const STEP_LABELS[][2] = {
    {"received", N_("Received")}, {"acknowledged", N_("Acknowledged")}, {"triaged", N_("Triaged")}, {"answered", N_("Answered")},
    {"review", N_("Blameless review started")}, {"shared", N_("Lesson shared with the organisation")}, {"action", N_("Corrective action agreed")},
    {"closed", N_("Closed")}};

int reports_default_categories(const char *const **out) {
    *out = DEFAULT_CATEGORIES;
    return (int)(sizeof DEFAULT_CATEGORIES / sizeof DEFAULT_CATEGORIES[0]);
}

static int idx_of(const char *s, const char *const *v) {
    for (int i = 0; s && v[i]; i++)
        if (strcmp(s, v[i]) == 0) return i;
    return -1;
}
static const char *label_of(Req *r, const char *s, const char *const *codes, const char *const *labels) {
    int i = idx_of(s, codes);
    return i < 0 ? (s ? s : "") : T(r, labels[i]);
}
static const char *status_label(Req *r, const char *s) {
    for (size_t i = 0; i < sizeof STATUS_LABELS / sizeof STATUS_LABELS[0]; i++)
        if (s && strcmp(s, STATUS_LABELS[i][0]) == 0) return T(r, STATUS_LABELS[i][1]);
    return s ? s : "";
}
static const char *step_label(Req *r, const char *s) {
    for (size_t i = 0; i < sizeof STEP_LABELS / sizeof STEP_LABELS[0]; i++)
        if (s && strcmp(s, STEP_LABELS[i][0]) == 0) return T(r, STEP_LABELS[i][1]);
    return s ? s : "";
}
const char *reports_kind_label(Req *r, const char *kind) { return label_of(r, kind, KINDS, KIND_LABELS); }
/* a category: translated when it is one of the defaults, else as the organisation wrote it */
const char *reports_category_label(Req *r, const char *c) {
    for (size_t i = 0; c && i < sizeof DEFAULT_CATEGORIES / sizeof DEFAULT_CATEGORIES[0]; i++)
        if (strcmp(c, DEFAULT_CATEGORIES[i]) == 0) return T(r, DEFAULT_CATEGORIES[i]);
    return c ? c : "";
}

/* ---------- settings ---------- */

typedef struct Settings { int ack_days; json_t *categories; } Settings; /* categories owned via the arena */

static void settings_load(Db *db, Arena *a, int64_t org, Settings *s) {
    (void)a;
    s->ack_days = 2;
    s->categories = NULL;
    Stmt *q = db_q(db, "SELECT ack_days, categories_json FROM report_settings WHERE org_id = ?", "i", org);
    if (db_step(q) == DB_ROW) {
        s->ack_days = (int)db_int(q, 0);
        if (!db_null(q, 1)) s->categories = json_list_decode(db_text(q, 1));
    }
    db_reset(q);
    if (s->categories && json_array_size(s->categories) == 0) json_decref(s->categories), s->categories = NULL;
    if (!s->categories) {
        s->categories = json_array();
        for (size_t i = 0; i < sizeof DEFAULT_CATEGORIES / sizeof DEFAULT_CATEGORIES[0]; i++) json_array_append_new(s->categories, json_string(DEFAULT_CATEGORIES[i]));
    }
    arena_defer(a, (void (*)(void *))json_decref, s->categories);
}

static bool category_ok(const Settings *s, const char *c) {
    size_t i;
    json_t *v;
    json_array_foreach(s->categories, i, v) if (c && strcmp(json_string_value(v), c) == 0) return true;
    return false;
}

/* ---------- reviewers ---------- */

static const char SQL_TEAM_REVIEWERS[] =
    "WITH RECURSIVE up(id) AS (SELECT ?1 UNION ALL SELECT t.parent_id FROM team t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL AND t.org_id = ?2) "
    "SELECT DISTINCT h.person_id FROM report_reviewer rr JOIN role_holder h ON h.role_id = rr.role_id JOIN person p ON p.id = h.person_id AND p.status <> 'left' "
    "WHERE rr.org_id = ?2 AND rr.team_id IN (SELECT id FROM up) ORDER BY h.person_id LIMIT 200";
static const char SQL_ORG_REVIEWERS[] =
    "SELECT DISTINCT h.person_id FROM report_reviewer rr JOIN role_holder h ON h.role_id = rr.role_id JOIN person p ON p.id = h.person_id AND p.status <> 'left' "
    "WHERE rr.org_id = ? AND rr.team_id IS NULL ORDER BY h.person_id LIMIT 200";
static const char SQL_ADMIN_REVIEWERS[] = "SELECT id FROM person WHERE org_id = ? AND access IN ('admin','owner') AND status <> 'left' ORDER BY id LIMIT 200";

/* reports_reviewers: the reviewers of a report in team (0: none), as ids
 * in *out (arena-owned); their count. */
int reports_reviewers(Db *db, Arena *a, int64_t org, int64_t team, int64_t **out) {
    int64_t *v = arena_alloc(a, sizeof *v * 200);
    int n = 0;
    for (int tier = team ? 0 : 1; tier < 3 && n == 0; tier++) {
        Stmt *s = tier == 0 ? db_q(db, SQL_TEAM_REVIEWERS, "ii", team, org) : db_q(db, tier == 1 ? SQL_ORG_REVIEWERS : SQL_ADMIN_REVIEWERS, "i", org);
        while (n < 200 && db_step(s) == DB_ROW) v[n++] = db_int(s, 0);
        db_reset(s);
    }
    *out = v;
    return n;
}

/* A tiny per-request memo: team -> is the caller a reviewer. Lists ask for
 * many reports of few teams. */
typedef struct RevMemo { int64_t team[64]; bool yes[64]; int n; } RevMemo;

static bool is_reviewer_memo(Req *r, int64_t team, RevMemo *m) {
    for (int i = 0; m && i < m->n; i++)
        if (m->team[i] == team) return m->yes[i];
    int64_t *v;
    int n = reports_reviewers(r->db, r->arena, r->who.org_id, team, &v);
    bool yes = false;
    for (int i = 0; i < n && !yes; i++) yes = v[i] == r->who.person_id;
    if (m && m->n < 64) m->team[m->n] = team, m->yes[m->n++] = yes;
    return yes;
}

bool reports_is_reviewer(Req *r, int64_t team_id) { return is_reviewer_memo(r, team_id, NULL); }

/* ---------- one report ---------- */

/* Report: see reports.h */

#define REPORT_COLS \
    "SELECT r.id, r.org_id, r.kind, r.body, r.team_id, t.name, r.happened_on, r.harm, r.category, r.immediate_action, r.self_report, r.identity, " \
    "r.author_id, p.name, r.received_on, r.ack_due, r.acknowledged_at, r.acknowledged_by, a.name, r.severity, r.review_needed, r.answer, r.status, r.closed_at " \
    "FROM report r LEFT JOIN team t ON t.id = r.team_id LEFT JOIN person p ON p.id = r.author_id LEFT JOIN person a ON a.id = r.acknowledged_by "
static const char SQL_REPORT_GET[] = REPORT_COLS "WHERE r.id = ? AND r.org_id = ?";
static const char SQL_REPORT_FOLLOW[] = REPORT_COLS "WHERE r.follow_hash = ?";
static const char SQL_PENDING_FOLLOW[] =
    "SELECT r.id, r.org_id, r.kind, r.body, r.team_id, t.name, r.happened_on, r.harm, r.category, r.immediate_action, r.self_report, r.day "
    "FROM report_pending r LEFT JOIN team t ON t.id = r.team_id WHERE r.follow_hash = ?";
static const char SQL_ID_TAKEN[] = "SELECT (SELECT count(*) FROM report WHERE id = ?) + (SELECT count(*) FROM report_pending WHERE id = ?)";

int64_t reports_new_id(Db *db) { return anon_new_id(db, SQL_ID_TAKEN); }

static void report_row(Stmt *s, Arena *a, Report *x) {
    memset(x, 0, sizeof *x);
    x->id = db_int(s, 0);
    x->org_id = db_int(s, 1);
    x->kind = db_dup(s, 2, a);
    x->body = db_dup(s, 3, a);
    x->team_id = db_int(s, 4);
    x->team_name = db_dup(s, 5, a);
    x->happened_on = db_dup(s, 6, a);
    x->harm = db_dup(s, 7, a);
    x->category = db_dup(s, 8, a);
    x->immediate_action = db_dup(s, 9, a);
    x->self_report = db_int(s, 10) != 0;
    x->identity = db_dup(s, 11, a);
    x->author_id = db_int(s, 12);
    x->author_name = db_dup(s, 13, a);
    x->received_on = db_int(s, 14);
    x->ack_due = db_dup(s, 15, a);
    x->acknowledged_at = db_int(s, 16);
    x->acknowledged_by = db_int(s, 17);
    x->ack_name = db_dup(s, 18, a);
    x->severity = db_dup(s, 19, a);
    x->review_needed = db_null(s, 20) ? -1 : (int)db_int(s, 20);
    x->answer = db_dup(s, 21, a);
    x->status = db_dup(s, 22, a);
    x->closed_at = db_int(s, 23);
}

static bool is_anon(const Report *x) { return strcmp(x->identity, "anonymous") == 0; }

/* report_relate: fills the caller's relation; true when the caller may see it. */
static bool report_relate(Req *r, Report *x, RevMemo *m) {
    x->author = x->author_id && x->author_id == r->who.person_id;
    x->owner = r->who.access >= ACCESS_OWNER;
    x->reviewer = is_reviewer_memo(r, x->team_id, m);
    return x->author || x->owner || x->reviewer;
}

/* name_shown: the reporter's name for this caller, or NULL. */
static const char *name_shown(const Report *x) {
    if (is_anon(x) || !x->author_id) return NULL;
    if (strcmp(x->identity, "named") == 0) return x->author_name;
    return x->reviewer || x->author ? x->author_name : NULL; /* confidential */
}

/* report_find: the report id if the caller may see it; 1 found, 0 not. */
int reports_find(Req *r, int64_t id, Report *x) {
    Stmt *s = db_q(r->db, SQL_REPORT_GET, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) report_row(s, r->arena, x);
    db_reset(s);
    return found && report_relate(r, x, NULL);
}

bool reports_may_see(Req *r, int64_t id) {
    Report x;
    return reports_find(r, id, &x);
}

/* report_by_token: an anonymous report by its follow link, released or
 * still held back; any organisation (the token is the key). */
static int report_by_token(Req *r, const char *token, Report *x) {
    if (!token || strlen(token) < 20 || strlen(token) > 100) return 0;
    char hash[65];
    auth_token_hash(token, hash);
    Stmt *s = db_q(r->db, SQL_REPORT_FOLLOW, "t", hash);
    int found = db_step(s) == DB_ROW;
    if (found) report_row(s, r->arena, x);
    db_reset(s);
    if (found) return 1;
    s = db_q(r->db, SQL_PENDING_FOLLOW, "t", hash);
    if (db_step(s) == DB_ROW) {
        memset(x, 0, sizeof *x);
        x->id = db_int(s, 0), x->org_id = db_int(s, 1), x->kind = db_dup(s, 2, r->arena), x->body = db_dup(s, 3, r->arena);
        x->team_id = db_int(s, 4), x->team_name = db_dup(s, 5, r->arena), x->happened_on = db_dup(s, 6, r->arena), x->harm = db_dup(s, 7, r->arena);
        x->category = db_dup(s, 8, r->arena), x->immediate_action = db_dup(s, 9, r->arena), x->self_report = db_int(s, 10) != 0;
        x->received_on = db_int(s, 11);
        x->identity = arena_strdup(r->arena, "anonymous"), x->status = arena_strdup(r->arena, "new");
        x->ack_due = arena_strdup(r->arena, "");
        x->review_needed = -1;
        x->pending = true;
        found = 1;
    }
    db_reset(s);
    return found;
}

/* ---------- steps: what the reporter sees ---------- */

typedef struct Step { int64_t at; char *what, *note, *actor; } Step;

static Step *report_steps(Req *r, int64_t org, int64_t id, int *n) {
    Stmt *s = db_q(r->db, "SELECT s.at, s.what, s.note, p.name FROM report_step s LEFT JOIN person p ON p.id = s.actor_id WHERE s.report_id = ? AND s.org_id = ? ORDER BY s.id LIMIT 200",
                   "ii", id, org);
    Step *v = arena_alloc(r->arena, sizeof *v * 200);
    *n = 0;
    while (*n < 200 && db_step(s) == DB_ROW) v[*n] = (Step){db_int(s, 0), db_dup(s, 1, r->arena), db_dup(s, 2, r->arena), db_dup(s, 3, r->arena)}, (*n)++;
    db_reset(s);
    return v;
}

/* reports_step: records a step and tells a named or confidential reporter
 * (never an anonymous one: they read it on the follow link). Inside the
 * caller's transaction. */
int reports_step(Req *r, int64_t report_id, int64_t author_id, const char *what, const char *note) {
    int rc = db_exec(r->db, "INSERT INTO report_step(org_id, report_id, at, actor_id, what, note) VALUES (?, ?, ?, ?, ?, ?)", "iiiItt", r->who.org_id,
                     report_id, r->now, r->who.person_id, what, note ? note : "");
    if (rc == DB_OK && author_id && author_id != r->who.person_id) {
        const Lang *l = i18n_person_lang(r->db, author_id);
        const char *text = NULL;
        for (size_t i = 0; i < sizeof STEP_LABELS / sizeof STEP_LABELS[0]; i++)
            if (strcmp(what, STEP_LABELS[i][0]) == 0) text = arena_printf(r->arena, TP(l, "Your report: %s."), TP(l, STEP_LABELS[i][1]));
        if (text) notify(r->db, r->who.org_id, author_id, r->now, "report.step", text, arena_printf(r->arena, "/reports/%lld", (long long)report_id));
    }
    return rc;
}

/* ---------- the release of anonymous reports (anon.c) ---------- */

static const char SQL_PENDING_DUE[] = "SELECT count(*) FROM (SELECT 1 FROM report_pending WHERE day < ? LIMIT 1)";

/* reports_release_pending: anon.c's releaser. Every anonymous report sent
 * before today moves into view in one transaction, in random-id order, with
 * its "received" step dated to its day, and the reviewers are told through
 * notify_anon (kept to the day, no e-mail at once). -1 when busy. */
int reports_release_pending(Db *db, int64_t today) {
    int64_t due = 0;
    if (!db_one_int(db, &due, SQL_PENDING_DUE, "i", today) || !due) return 0;
    if (db_begin(db) != DB_OK) return -1;
    Arena *a = arena_new();
    typedef struct { int64_t id, org, team, day; char *kind; } P;
    P *v = arena_alloc(a, sizeof *v * 1000);
    int n = 0, rc = DB_OK;
    Stmt *s = db_q(db, "SELECT id, org_id, team_id, day, kind FROM report_pending WHERE day < ? ORDER BY id LIMIT 1000", "i", today);
    while (n < 1000 && db_step(s) == DB_ROW) v[n] = (P){db_int(s, 0), db_int(s, 1), db_int(s, 2), db_int(s, 3), db_dup(s, 4, a)}, n++;
    db_reset(s);
    for (int i = 0; i < n && rc == DB_OK; i++) {
        Settings st;
        settings_load(db, a, v[i].org, &st);
        char *ack = anon_date(a, workdays_after(v[i].day + 86400, st.ack_days));
        rc = db_exec(db,
                     "INSERT INTO report(id, org_id, kind, body, team_id, happened_on, harm, category, immediate_action, self_report, identity, author_id, "
                     "follow_hash, received_on, ack_due) SELECT id, org_id, kind, body, team_id, happened_on, harm, category, immediate_action, self_report, "
                     "'anonymous', NULL, follow_hash, day, ? FROM report_pending WHERE id = ?",
                     "ti", ack, v[i].id);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO report_step(org_id, report_id, at, actor_id, what) VALUES (?, ?, ?, NULL, 'received')", "iii", v[i].org, v[i].id, v[i].day);
        if (rc == DB_OK) rc = db_exec(db, "DELETE FROM report_pending WHERE id = ?", "i", v[i].id);
        int64_t *rev;
        int nr = rc == DB_OK ? reports_reviewers(db, a, v[i].org, v[i].team, &rev) : 0;
        for (int j = 0; j < nr; j++) {
            const Lang *l = i18n_person_lang(db, rev[j]);
            notify_anon(db, v[i].org, rev[j], today, "report.new",
                        arena_printf(a, TP(l, "An anonymous report arrived: %s."), TP(l, KIND_LABELS[idx_of(v[i].kind, KINDS) < 0 ? 0 : idx_of(v[i].kind, KINDS)])),
                        arena_printf(a, "/reports/%lld", (long long)v[i].id), 0);
        }
    }
    arena_free(a);
    if (rc != DB_OK) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == DB_OK ? n : -1;
}

/* ---------- creating a report ---------- */

typedef struct ReportIn {
    const char *kind, *body, *happened_on, *harm, *category, *immediate_action, *identity;
    int64_t team_id;
    bool self_report;
} ReportIn;

static void text_field(Req *r, const char **v, const char *field, bool required, Errors *e) {
    const char *s = *v ? str_trim(r->arena, *v) : NULL;
    if (s && (utf8_chars(s) > REPORT_TEXT_MAX || !utf8_valid(s))) err_add(e, 422, "invalid", field, "The text is too long (at most 10,000 characters).");
    else if (required && str_empty(s)) err_add(e, 422, "invalid", field, "Say what happened.");
    *v = s ? s : "";
}

static int report_check(Req *r, ReportIn *in, const Settings *st, Errors *e) {
    if (idx_of(in->kind, KINDS) < 0) err_add(e, 422, "invalid", "kind", "Choose incident, near-miss or concern.");
    text_field(r, &in->body, "body", true, e);
    text_field(r, &in->immediate_action, "immediate_action", false, e);
    if (!in->happened_on || !valid_date(in->happened_on)) err_add(e, 422, "invalid", "happened_on", "Give the day it happened as YYYY-MM-DD.");
    else if (strcmp(in->happened_on, today_date(r->arena, r->now)) > 0) err_add(e, 422, "invalid", "happened_on", "The day it happened cannot be in the future.");
    if (idx_of(in->harm, HARMS) < 0) err_add(e, 422, "invalid", "harm", "Choose the harm: none, minor, moderate or severe.");
    if (!category_ok(st, in->category)) err_add(e, 422, "invalid", "category", "Choose a category from the organisation's list.");
    if (idx_of(in->identity, IDENTITIES) < 0) err_add(e, 422, "invalid", "identity", "Choose named, confidential or anonymous.");
    int64_t x;
    if (in->team_id && !db_one_int(r->db, &x, "SELECT id FROM team WHERE id = ? AND org_id = ?", "ii", in->team_id, r->who.org_id))
        err_add(e, 422, "invalid", "team_id", "There is no such team.");
    return e->n ? -1 : 0;
}

/* report_create: stores the report. Named and confidential: the author and
 * the day, a "received" step, the reviewers told. Anonymous: into
 * report_pending with the day and the follow link's hash only; nothing
 * else is written (no step, no notification, no audit, no trace). */
static int report_create(Req *r, ReportIn *in, Errors *e, int64_t *id_out, char token[44]) {
    token[0] = 0;
    Settings st;
    settings_load(r->db, r->arena, r->who.org_id, &st);
    if (report_check(r, in, &st, e)) return -1;
    bool anon = strcmp(in->identity, "anonymous") == 0;
    char hash[65] = "";
    if (anon) auth_random_token(token), auth_token_hash(token, hash);
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t id = reports_new_id(r->db), day = anon_day(r->now);
    int rc = !id ? DB_BUSY
             : anon ? db_exec(r->db,
                              "INSERT INTO report_pending(id, org_id, kind, body, team_id, happened_on, harm, category, immediate_action, self_report, follow_hash, day) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              "iittIttttiti", id, r->who.org_id, in->kind, in->body, in->team_id, in->happened_on, in->harm, in->category,
                              in->immediate_action, (int64_t)in->self_report, hash, day)
                    : db_exec(r->db,
                              "INSERT INTO report(id, org_id, kind, body, team_id, happened_on, harm, category, immediate_action, self_report, identity, author_id, "
                              "received_on, ack_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              "iittIttttitiit", id, r->who.org_id, in->kind, in->body, in->team_id, in->happened_on, in->harm, in->category,
                              in->immediate_action, (int64_t)in->self_report, in->identity, r->who.person_id, day,
                              anon_date(r->arena, workdays_after(day, st.ack_days)));
    if (rc == DB_OK && !anon) {
        rc = db_exec(r->db, "INSERT INTO report_step(org_id, report_id, at, actor_id, what) VALUES (?, ?, ?, NULL, 'received')", "iii", r->who.org_id, id, r->now);
        int64_t *rev;
        int nr = reports_reviewers(r->db, r->arena, r->who.org_id, in->team_id, &rev);
        for (int j = 0; j < nr && rc == DB_OK; j++) {
            if (rev[j] == r->who.person_id) continue;
            const Lang *l = i18n_person_lang(r->db, rev[j]);
            /* never the name: a confidential reporter's name is for the report's page */
            notify(r->db, r->who.org_id, rev[j], r->now, "report.new",
                   arena_printf(r->arena, TP(l, "A new report to acknowledge: %s (%s)."), TP(l, KIND_LABELS[idx_of(in->kind, KINDS)]), TP(l, in->category)),
                   arena_printf(r->arena, "/reports/%lld", (long long)id));
        }
        /* an audit line only for a named report: its actor would name a confidential one */
        if (strcmp(in->identity, "named") == 0) audit(r, "report.create", arena_printf(r->arena, "report:%lld", (long long)id), "%s", in->kind);
    }
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    if (anon) r->no_trace = true; /* not even the session's last-used time (anon.c) */
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* ---------- acknowledge and triage ---------- */

static int report_ack(Req *r, Report *x, Errors *e) {
    if (!x->reviewer) {
        err_add(e, 403, "forbidden", NULL, "Only the report's reviewers acknowledge it.");
        return -1;
    }
    if (x->acknowledged_at) {
        err_add(e, 409, "conflict", NULL, "This report was acknowledged already.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "UPDATE report SET acknowledged_at = ?, acknowledged_by = ?, status = CASE WHEN status = 'new' THEN 'acknowledged' ELSE status END "
                            "WHERE id = ? AND org_id = ? AND acknowledged_at IS NULL",
                     "iiii", r->now, r->who.person_id, x->id, r->who.org_id);
    if (rc == DB_OK) rc = reports_step(r, x->id, x->author_id, "acknowledged", NULL);
    if (rc == DB_OK) audit(r, "report.acknowledge", arena_printf(r->arena, "report:%lld", (long long)x->id), "%s", "");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

typedef struct TriageIn { const char *severity, *answer, *status; int review_needed; /* -1 not given */ } TriageIn;


static int report_triage(Req *r, Report *x, const TriageIn *in, Errors *e) {
    if (!x->reviewer) {
        err_add(e, 403, "forbidden", NULL, "Only the report's reviewers triage it.");
        return -1;
    }
    if (in->severity && idx_of(in->severity, SEVERITIES) < 0) err_add(e, 422, "invalid", "severity", "The severity is low, medium, high or critical.");
    const char *answer = in->answer ? str_trim(r->arena, in->answer) : NULL;
    if (answer && utf8_chars(answer) > REPORT_TEXT_MAX) err_add(e, 422, "invalid", "answer", "The text is too long (at most 10,000 characters).");
    if (in->status && strcmp(in->status, "closed") != 0) err_add(e, 422, "invalid", "status", "A report's status changes only to closed here.");
    int review = in->review_needed >= 0 ? in->review_needed : x->review_needed;
    if (!e->n && in->status && strcmp(x->status, "closed") == 0) err_add(e, 409, "conflict", "status", "This report is closed already.");
    /* a report that needs a review closes with its review (reportreview.c) */
    if (!e->n && in->status && review != 0) err_add(e, 409, "conflict", "status", "Close a report after triage, and after its review when it needs one.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = DB_OK;
    bool triaged = in->severity || in->review_needed >= 0;
    if (triaged)
        rc = db_exec(r->db,
                     "UPDATE report SET severity = coalesce(?, severity), review_needed = coalesce(?, review_needed), "
                     "acknowledged_at = coalesce(acknowledged_at, ?), acknowledged_by = coalesce(acknowledged_by, ?), "
                     "status = CASE WHEN status IN ('new','acknowledged') THEN 'triaged' ELSE status END WHERE id = ? AND org_id = ?",
                     "tIiiii", in->severity, in->review_needed >= 0 ? (int64_t)in->review_needed : 0, r->now, r->who.person_id, x->id, r->who.org_id);
    if (rc == DB_OK && in->review_needed == 0) /* "I" binds 0 as NULL: a given "no" needs its own write */
        rc = db_exec(r->db, "UPDATE report SET review_needed = 0 WHERE id = ? AND org_id = ?", "ii", x->id, r->who.org_id);
    if (rc == DB_OK && triaged && !x->acknowledged_at) rc = reports_step(r, x->id, x->author_id, "acknowledged", NULL);
    if (rc == DB_OK && triaged) {
        const char *note = arena_printf(r->arena, "%s%s%s", in->severity ? in->severity : "", in->severity && in->review_needed >= 0 ? ", " : "",
                                        in->review_needed == 1 ? "review" : in->review_needed == 0 ? "no review" : "");
        rc = reports_step(r, x->id, x->author_id, "triaged", note);
    }
    if (rc == DB_OK && answer && *answer) {
        rc = db_exec(r->db, "UPDATE report SET answer = ? WHERE id = ? AND org_id = ?", "tii", answer, x->id, r->who.org_id);
        if (rc == DB_OK) rc = reports_step(r, x->id, x->author_id, "answered", answer);
    }
    if (rc == DB_OK && in->status) {
        rc = db_exec(r->db, "UPDATE report SET status = 'closed', closed_at = ? WHERE id = ? AND org_id = ?", "iii", r->now, x->id, r->who.org_id);
        if (rc == DB_OK) rc = reports_step(r, x->id, x->author_id, "closed", NULL);
    }
    if (rc == DB_OK) audit(r, "report.triage", arena_printf(r->arena, "report:%lld", (long long)x->id), "%s", in->status ? "closed" : "triaged");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- JSON ---------- */


static json_t *steps_json(Req *r, int64_t org, int64_t id) {
    int n;
    Step *v = report_steps(r, org, id, &n);
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:o,s:s}", "what", v[i].what, "on", json_string(anon_date(r->arena, v[i].at)), "note", v[i].note));
    return a;
}

static json_t *report_json(Req *r, const Report *x, bool detail) {
    const char *name = name_shown(x);
    json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:s,s:b,s:s,s:o,s:s,s:o,s:o,s:o}", "id", (json_int_t)x->id, "kind", x->kind, "category", x->category,
                          "team", json_ref(x->team_id, x->team_name), "happened_on", x->happened_on, "harm", x->harm, "identity", x->identity,
                          "self_report", x->self_report, "status", x->status, "reporter", name ? json_ref(x->author_id, name) : json_null(), "received_on",
                          anon_date(r->arena, x->received_on), "ack_due", x->pending ? json_null() : json_string(x->ack_due), "acknowledged_on",
                          x->acknowledged_at ? json_string(anon_date(r->arena, x->acknowledged_at)) : json_null(), "severity", json_text(x->severity));
    json_object_set_new(o, "review_needed", x->review_needed < 0 ? json_null() : json_boolean(x->review_needed));
    json_object_set_new(o, "you_review", json_boolean(x->reviewer)); /* the caller may acknowledge, triage, assess and review it */
    json_object_set_new(o, "body", json_string(x->body));
    json_object_set_new(o, "immediate_action", json_string(x->immediate_action ? x->immediate_action : ""));
    json_object_set_new(o, "answer", json_text(x->answer));
    if (x->pending) json_object_set_new(o, "visible_from", json_string(anon_date(r->arena, anon_release_on(x->received_on))));
    if (detail && !x->pending) {
        json_object_set_new(o, "steps", steps_json(r, x->org_id, x->id));
        json_object_set_new(o, "review", reports_review_json(r, x->id, x->reviewer || x->owner));
        if (!is_anon(x) && r->who.person_id) json_object_set_new(o, "assessments", reports_assessments_json(r, x->id));
    }
    return o;
}

/* ---------- JSON API ---------- */

static const JField CREATE_FIELDS[] = {{"kind", JF_STRING, 20},          {"body", JF_STRING, 20000},   {"team_id", JF_ID_NULL, 0},
                                       {"happened_on", JF_STRING, 20},   {"harm", JF_STRING, 20},      {"category", JF_STRING, 200},
                                       {"immediate_action", JF_STRING_NULL, 20000}, {"self_report", JF_BOOL, 0}, {"identity", JF_STRING, 20}, {0}};

/* POST /api/v1/reports {"kind","body","team_id","happened_on","harm",
 * "category","immediate_action","self_report","identity"}: a new report
 * (member). 201 with the report; an anonymous one with its "follow_token"
 * and "follow_url", shown this once, and held back until its day is over. */
int reports_api_create(Req *r) {
    json_t *o = req_json_object(r, CREATE_FIELDS);
    if (!o) return -1;
    ReportIn in = {json_str(o, "kind"), json_str(o, "body"), json_str(o, "happened_on"), json_str(o, "harm"), json_str(o, "category"),
                   json_str(o, "immediate_action"), json_str(o, "identity"), json_id(o, "team_id"), json_is_true(json_object_get(o, "self_report"))};
    if (!in.identity) in.identity = "named";
    Errors e = {0};
    int64_t id;
    char token[44];
    if (report_create(r, &in, &e, &id, token)) return err_send(r, &e);
    Report x;
    if (token[0] ? !report_by_token(r, token, &x) : !reports_find(r, id, &x)) return resp_error(r, 500, "internal", "The new report could not be read back.");
    if (token[0]) report_relate(r, &x, NULL), x.reviewer = false, x.owner = false; /* the author's own view: nobody's name */
    json_t *j = report_json(r, &x, false);
    if (token[0]) {
        json_object_set_new(j, "follow_token", json_string(token));
        json_object_set_new(j, "follow_url", json_string(arena_printf(r->arena, "/report-follow?token=%s", token)));
    }
    resp_json(r, 201, j);
    return 0;
}

static const char SQL_LIST[] = REPORT_COLS "WHERE r.org_id = ? AND r.id > ? AND (? IS NULL OR r.kind = ?) AND (? IS NULL OR r.status = ?) ORDER BY r.id LIMIT ?";

/* GET /api/v1/reports?kind=&status=&mine=1&limit=&after=: the reports the
 * caller may see (member), in id order (ids are random: paging, not time). */
int reports_api_list(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *kind = req_query(r, "kind"), *status = req_query(r, "status"), *mine = req_query(r, "mine");
    if (kind && idx_of(kind, KINDS) < 0) return resp_error(r, 400, "bad_request", "kind must be incident, near_miss or concern.");
    if (status && !(strcmp(status, "new") == 0 || strcmp(status, "acknowledged") == 0 || strcmp(status, "triaged") == 0 || strcmp(status, "reviewing") == 0 ||
                    strcmp(status, "closed") == 0))
        return resp_error(r, 400, "bad_request", "status must be new, acknowledged, triaged, reviewing or closed.");
    Stmt *s = db_q(r->db, SQL_LIST, "iittttI", r->who.org_id, after, kind, kind, status, status, (int64_t)REPORT_SCAN);
    Report *v = arena_alloc(r->arena, sizeof *v * (size_t)(limit + 1));
    int n = 0;
    RevMemo m = {0};
    while (n <= limit && db_step(s) == DB_ROW) {
        report_row(s, r->arena, &v[n]);
        if (!report_relate(r, &v[n], &m)) continue;
        if (mine && !v[n].author) continue;
        n++;
    }
    db_reset(s);
    bool more = n > limit;
    if (more) n = limit;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, report_json(r, &v[i], false));
    resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_after", more ? json_integer(v[n - 1].id) : json_null()));
    return 0;
}

static int report_load(Req *r, Report *x) {
    if (r->nparams < 1 || !reports_find(r, r->params[0], x)) return resp_error(r, 404, "not_found", "There is no such report.");
    return 0;
}

/* GET /api/v1/reports/{id}: one report with its steps, review and the
 * assessments the caller may see (author, reviewers, owners; 404 else). */
int reports_api_get(Req *r) {
    Report x;
    if (report_load(r, &x)) return -1;
    resp_json(r, 200, report_json(r, &x, true));
    return 0;
}

static const JField PATCH_FIELDS[] = {{"severity", JF_STRING, 20}, {"review_needed", JF_BOOL, 0}, {"answer", JF_STRING, 20000}, {"status", JF_STRING, 20}, {0}};

/* PATCH /api/v1/reports/{id} {"severity","review_needed","answer","status":"closed"}:
 * triage, answer the reporter, close (the report's reviewers). */
int reports_api_patch(Req *r) {
    json_t *o = req_json_object(r, PATCH_FIELDS);
    if (!o) return -1;
    Report x;
    if (report_load(r, &x)) return -1;
    json_t *rv = json_object_get(o, "review_needed");
    TriageIn in = {json_str(o, "severity"), json_str(o, "answer"), json_str(o, "status"), rv ? json_is_true(rv) : -1};
    Errors e = {0};
    if (report_triage(r, &x, &in, &e)) return err_send(r, &e);
    reports_find(r, x.id, &x);
    resp_json(r, 200, report_json(r, &x, true));
    return 0;
}

/* POST /api/v1/reports/{id}/acknowledge: the reviewer confirms it was read
 * (409 when it was already). */
int reports_api_acknowledge(Req *r) {
    if (r->body_len && !req_json_body(r)) return -1;
    Report x;
    if (report_load(r, &x)) return -1;
    Errors e = {0};
    if (report_ack(r, &x, &e)) return err_send(r, &e);
    reports_find(r, x.id, &x);
    resp_json(r, 200, report_json(r, &x, true));
    return 0;
}

/* GET /api/v1/report-follow?token=: an anonymous report by its private link
 * (public): the report, its steps, the answer and the shared lesson. */
int reports_api_follow(Req *r) {
    Report x;
    if (!report_by_token(r, req_query(r, "token"), &x)) return resp_error(r, 404, "not_found", "There is no report at this link.");
    r->no_trace = true;
    json_t *o = report_json(r, &x, false);
    if (!x.pending) {
        json_object_set_new(o, "steps", steps_json(r, x.org_id, x.id));
        r->who.org_id = x.org_id; /* no login: the link's organisation, for its shared lesson only (person_id stays 0) */
        json_object_set_new(o, "review", reports_review_json(r, x.id, false));
    }
    resp_json(r, 200, o);
    return 0;
}

/* GET /api/v1/report-settings: the time to acknowledge, the categories and
 * the reviewing roles (member: the form needs the categories). */
static json_t *settings_json(Req *r) {
    Settings st;
    settings_load(r->db, r->arena, r->who.org_id, &st);
    json_t *roles = json_array();
    Stmt *s = db_q(r->db, "SELECT rr.role_id, ro.name, rr.team_id, t.name FROM report_reviewer rr JOIN role ro ON ro.id = rr.role_id LEFT JOIN team t ON t.id = rr.team_id "
                          "WHERE rr.org_id = ? ORDER BY rr.id LIMIT 500", "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(roles, json_pack("{s:o,s:o}", "role", json_ref(db_int(s, 0), db_text(s, 1)), "team", json_ref(db_int(s, 2), db_null(s, 3) ? NULL : db_text(s, 3))));
    db_reset(s);
    return json_pack("{s:i,s:O,s:o}", "ack_days", st.ack_days, "categories", st.categories, "reviewer_roles", roles);
}

int reports_api_settings(Req *r) {
    resp_json(r, 200, settings_json(r));
    return 0;
}

static const JField SETTINGS_FIELDS[] = {{"ack_days", JF_INT, 0}, {"categories", JF_STRING_LIST, 2000}, {"reviewer_roles", JF_ANY, 0}, {0}};

typedef struct SettingsIn { int ack_days; json_t *categories; int64_t roles[64], teams[64]; int nroles; bool has_roles; } SettingsIn;

static int settings_save(Req *r, SettingsIn *in, Errors *e) {
    if (in->ack_days && (in->ack_days < 1 || in->ack_days > 30)) err_add(e, 422, "invalid", "ack_days", "The time to acknowledge is 1 to 30 working days.");
    if (in->categories) {
        size_t i;
        json_t *v;
        if (json_array_size(in->categories) < 1 || json_array_size(in->categories) > 30)
            err_add(e, 422, "invalid", "categories", "Give 1 to 30 categories.");
        json_array_foreach(in->categories, i, v) {
            const char *c = json_string_value(v);
            if (str_empty(c) || utf8_chars(c) > 60 || has_control(c)) err_add(e, 422, "invalid", "categories", "Each category has 1 to 60 characters on one line.");
        }
    }
    for (int i = 0; i < in->nroles; i++) {
        int64_t x;
        if (!db_one_int(r->db, &x, "SELECT id FROM role WHERE id = ? AND org_id = ?", "ii", in->roles[i], r->who.org_id))
            err_add(e, 422, "invalid", "reviewer_roles", "There is no such role.");
        if (in->teams[i] && !db_one_int(r->db, &x, "SELECT id FROM team WHERE id = ? AND org_id = ?", "ii", in->teams[i], r->who.org_id))
            err_add(e, 422, "invalid", "reviewer_roles", "There is no such team.");
    }
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    Settings st;
    settings_load(r->db, r->arena, r->who.org_id, &st);
    int64_t have = 0;
    db_one_int(r->db, &have, "SELECT count(*) FROM report_settings WHERE org_id = ?", "i", r->who.org_id);
    const char *cats = in->categories ? json_list_encode(r->arena, in->categories) : json_list_encode(r->arena, st.categories);
    int rc = have ? db_exec(r->db, "UPDATE report_settings SET ack_days = ?, categories_json = ? WHERE org_id = ?", "iti",
                            (int64_t)(in->ack_days ? in->ack_days : st.ack_days), cats, r->who.org_id)
                  : db_exec(r->db, "INSERT INTO report_settings(org_id, ack_days, categories_json) VALUES (?, ?, ?)", "iit", r->who.org_id,
                            (int64_t)(in->ack_days ? in->ack_days : st.ack_days), cats);
    if (rc == DB_OK && in->has_roles) {
        rc = db_exec(r->db, "DELETE FROM report_reviewer WHERE org_id = ?", "i", r->who.org_id);
        for (int i = 0; i < in->nroles && rc == DB_OK; i++) {
            int64_t dup = 0;
            db_one_int(r->db, &dup, "SELECT count(*) FROM report_reviewer WHERE role_id = ? AND coalesce(team_id, 0) = ?", "ii", in->roles[i], in->teams[i]);
            if (!dup) rc = db_exec(r->db, "INSERT INTO report_reviewer(org_id, role_id, team_id) VALUES (?, ?, ?)", "iiI", r->who.org_id, in->roles[i], in->teams[i]);
        }
    }
    if (rc == DB_OK) audit(r, "report.settings", "report_settings", "ack_days %d", in->ack_days ? in->ack_days : st.ack_days);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* PUT /api/v1/report-settings {"ack_days","categories":[..],"reviewer_roles":[{"role_id","team_id"}]} (admin). */
int reports_api_settings_put(Req *r) {
    json_t *o = req_json_object(r, SETTINGS_FIELDS);
    if (!o) return -1;
    SettingsIn in = {.ack_days = (int)json_integer_value(json_object_get(o, "ack_days")), .categories = json_object_get(o, "categories")};
    if (json_has(o, "ack_days") && in.ack_days == 0) in.ack_days = -1;
    json_t *roles = json_object_get(o, "reviewer_roles");
    Errors e = {0};
    if (roles) {
        in.has_roles = true;
        size_t i;
        json_t *v;
        if (!json_is_array(roles) || json_array_size(roles) > 64) {
            err_add(&e, 400, "bad_request", "reviewer_roles", "reviewer_roles must be a list of {\"role_id\", \"team_id\"}.");
            return err_send(r, &e);
        }
        json_array_foreach(roles, i, v) {
            json_t *ro = json_object_get(v, "role_id"), *te = json_object_get(v, "team_id");
            if (!json_is_object(v) || !json_is_integer(ro) || (te && !json_is_null(te) && !json_is_integer(te))) {
                err_add(&e, 400, "bad_request", "reviewer_roles", "reviewer_roles must be a list of {\"role_id\", \"team_id\"}.");
                return err_send(r, &e);
            }
            in.roles[in.nroles] = json_integer_value(ro), in.teams[in.nroles++] = te ? json_integer_value(te) : 0;
        }
    }
    if (settings_save(r, &in, &e)) return err_send(r, &e);
    resp_json(r, 200, settings_json(r));
    return 0;
}

/* ---------- home: overdue acknowledgements for reviewers ---------- */

static const char SQL_HOME_WAITING[] = "SELECT team_id, ack_due FROM report WHERE org_id = ? AND acknowledged_at IS NULL AND status <> 'closed' ORDER BY id LIMIT 2000";


void reports_home_items(Req *r, Home *h) {
    protocols_home_items(r, h);
    Stmt *s = db_q(r->db, SQL_HOME_WAITING, "i", r->who.org_id);
    typedef struct { int64_t team; char due[11]; } W;
    W v[256];
    int n = 0;
    while (n < 256 && db_step(s) == DB_ROW) {
        v[n].team = db_int(s, 0);
        snprintf(v[n].due, sizeof v[n].due, "%s", db_text(s, 1));
        n++;
    }
    db_reset(s);
    if (!n) return;
    RevMemo m = {0};
    char *today = today_date(r->arena, r->now);
    int64_t over = 0, waiting = 0;
    for (int i = 0; i < n; i++) {
        if (!is_reviewer_memo(r, v[i].team, &m)) continue;
        if (strcmp(v[i].due, today) < 0) over++;
        else waiting++;
    }
    home_item(h, "reports_ack_overdue", TN(r, "report waiting for acknowledgement, overdue", "reports waiting for acknowledgement, overdue", over), over,
              "/reports#to-review", URGENCY_OVERDUE);
    home_item(h, "reports_ack", TN(r, "report to acknowledge", "reports to acknowledge", waiting), waiting, "/reports#to-review", URGENCY_WAITING);
}

/* ---------- pages ---------- */

static void kind_badge(Req *r, Buf *b, const char *kind) { html_printf(b, "<span class=\"badge kind-%h\">%h</span>", kind, reports_kind_label(r, kind)); }

static void report_li(Req *r, const Report *x, const char *today) {
    Buf *b = page(r);
    bool overdue = !x->acknowledged_at && strcmp(x->status, "closed") != 0 && strcmp(x->ack_due, today) < 0;
    html_printf(b, "<li class=\"report%s\">", overdue ? " overdue" : "");
    kind_badge(r, b, x->kind);
    html_printf(b, " <a href=\"/reports/%D\">%h · %h</a> <span class=\"muted\">%h · %h</span>", x->id, reports_category_label(r, x->category), fmt_date(r, x->happened_on),
                status_label(r, x->status), label_of(r, x->harm, HARMS, HARM_LABELS));
    if (overdue) html_printf(b, " <span class=\"badge\">%h</span>", T(r, "acknowledgement overdue"));
    buf_puts(b, "</li>");
}

/* GET /reports: the caller's own reports and the ones to review (member). */
int reports_page_list(Req *r) {
    page_begin(r, T(r, "Reports"));
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1><div><a class=\"button\" href=\"/reports/new\">%h</a></div></div>", T(r, "Reports"),
                T(r, "Report something"));
    html_printf(b, "<p class=\"lead\">%h</p>", T(r, "Mistakes, near-misses and hazards, reported without blame, so that we fix the system rather than the person."));
    if (req_query(r, "sent")) page_flash(r, "Thank you. Your report was sent.");
    char *today = today_date(r->arena, r->now);
    Stmt *s = db_q(r->db, REPORT_COLS "WHERE r.org_id = ? ORDER BY r.received_on DESC, r.id LIMIT ?", "iI", r->who.org_id, (int64_t)REPORT_SCAN);
    Report *mine = arena_alloc(r->arena, sizeof *mine * REPORT_PAGE), *rev = arena_alloc(r->arena, sizeof *rev * REPORT_PAGE);
    int nm = 0, nr = 0;
    RevMemo m = {0};
    Report x;
    while (db_step(s) == DB_ROW) {
        report_row(s, r->arena, &x);
        if (x.author_id == r->who.person_id && nm < REPORT_PAGE) report_relate(r, &x, &m), mine[nm++] = x;
        else if (nr < REPORT_PAGE && x.author_id != r->who.person_id && report_relate(r, &x, &m)) rev[nr++] = x;
        if (nm >= REPORT_PAGE && nr >= REPORT_PAGE) break;
    }
    db_reset(s);
    html_printf(b, "<section class=\"card\" id=\"mine\"><h2>%h</h2>", T(r, "Your reports"));
    if (!nm) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "You have sent no named or confidential reports. Anonymous ones you follow through their private link."));
    else {
        buf_puts(b, "<ul class=\"plain\">");
        for (int i = 0; i < nm; i++) report_li(r, &mine[i], today);
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</section>");
    if (nr) {
        html_printf(b, "<section class=\"card\" id=\"to-review\"><h2>%h</h2><ul class=\"plain\">", T(r, "Reports you review"));
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < nr; i++)
                if ((strcmp(rev[i].status, "closed") == 0) == (pass == 1)) report_li(r, &rev[i], today);
        buf_puts(b, "</ul></section>");
    }
    html_printf(b, "<p><a href=\"/protocols\">%h</a>", T(r, "Protocols and guidelines"));
    if (r->who.access >= ACCESS_MANAGER) html_printf(b, " · <a href=\"/reports/insights\">%h</a>", T(r, "Report evidence"));
    if (r->who.access >= ACCESS_ADMIN) html_printf(b, " · <a href=\"/reports/settings\">%h</a>", T(r, "Report settings"));
    buf_puts(b, "</p>");
    page_end(r);
    return 0;
}

static void radio(Req *r, const char *name, const char *value, const char *label, const char *hint, bool checked) {
    html_printf(page(r), "<div class=\"choice\"><input type=\"radio\" id=\"f-%h-%h\" name=\"%h\" value=\"%h\"%s> <label for=\"f-%h-%h\"><strong>%h</strong>", name, value,
                name, value, checked ? " checked" : "", name, value, label);
    if (hint) html_printf(page(r), " <span class=\"muted\">%h</span>", hint);
    buf_puts(page(r), "</label></div>");
}

static void report_form(Req *r, const ReportIn *in, const Errors *e) {
    page_begin(r, T(r, "Report something"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Report something"),
                T(r, "What went wrong, what almost did, or what worries you. Reports are about systems, not blame."));
    html_printf(b, "<p class=\"notice\" role=\"note\">%h</p>",
                T(r, "If someone is in danger now, do not wait for a report: tell your lead in person or call for help. An anonymous report is read the next day."));
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/reports/new", NULL);
    const char *kind = in ? in->kind : "near_miss";
    html_printf(b, "<fieldset class=\"field%s\"><legend>%h</legend>", e && err_for(e, "kind") ? " has-error" : "", T(r, "What are you reporting?"));
    radio(r, "kind", "incident", T(r, "Incident"), T(r, "something went wrong"), kind && strcmp(kind, "incident") == 0);
    radio(r, "kind", "near_miss", T(r, "Near-miss"), T(r, "it almost went wrong"), kind && strcmp(kind, "near_miss") == 0);
    radio(r, "kind", "concern", T(r, "Concern"), T(r, "a hazard or an unsafe practice"), kind && strcmp(kind, "concern") == 0);
    if (e && err_for(e, "kind")) html_printf(b, "<p class=\"error\">%h</p>", T(r, err_for(e, "kind")));
    buf_puts(b, "</fieldset>");
    form_textarea(r, "body", "What happened?", in ? in->body : NULL, e ? err_for(e, "body") : NULL, "Markdown works. Describe what happened, not who is to blame.");
    form_text(r, "happened_on", "The day it happened", in ? in->happened_on : today_date(r->arena, r->now), e ? err_for(e, "happened_on") : NULL, "date", true);
    const OptionList *teams = options_cached(r, "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 5000");
    form_select_list(r, "team_id", "Where (team)", in ? in->team_id : 0, teams, "Not said", e ? err_for(e, "team_id") : NULL);
    html_printf(b, "<fieldset class=\"field%s\"><legend>%h</legend>", e && err_for(e, "harm") ? " has-error" : "", T(r, "Harm done"));
    for (int i = 0; HARMS[i]; i++) radio(r, "harm", HARMS[i], T(r, HARM_LABELS[i]), NULL, in ? in->harm && strcmp(in->harm, HARMS[i]) == 0 : i == 0);
    buf_puts(b, "</fieldset>");
    Settings st;
    settings_load(r->db, r->arena, r->who.org_id, &st);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-category\">%h</label><select id=\"f-category\" name=\"category\">", e && err_for(e, "category") ? " has-error" : "",
                T(r, "Category"));
    size_t i;
    json_t *v;
    json_array_foreach(st.categories, i, v) {
        const char *c = json_string_value(v);
        html_printf(b, "<option value=\"%h\"%s>%h</option>", c, in && in->category && strcmp(in->category, c) == 0 ? " selected" : "", reports_category_label(r, c));
    }
    buf_puts(b, "</select>");
    if (e && err_for(e, "category")) html_printf(b, "<p class=\"error\">%h</p>", T(r, err_for(e, "category")));
    buf_puts(b, "</div>");
    form_textarea(r, "immediate_action", "What was done at once?", in ? in->immediate_action : NULL, NULL, NULL);
    html_printf(b, "<div class=\"field\"><input type=\"checkbox\" id=\"f-self\" name=\"self_report\" value=\"1\"%s> <label for=\"f-self\">%h</label></div>",
                in && in->self_report ? " checked" : "", T(r, "I was involved myself (a self-report)"));
    const char *id = in ? in->identity : "named";
    html_printf(b, "<fieldset class=\"field%s\"><legend>%h</legend>", e && err_for(e, "identity") ? " has-error" : "", T(r, "Who may know it was you?"));
    radio(r, "identity", "named", T(r, "Named"), T(r, "Everyone who sees the report sees your name, and you follow it under Reports."), id && strcmp(id, "named") == 0);
    radio(r, "identity", "confidential", T(r, "Confidential"),
          T(r, "Only the report's reviewers see your name: nobody else, in no page, export or answer of the API. You follow it under Reports."),
          id && strcmp(id, "confidential") == 0);
    radio(r, "identity", "anonymous", T(r, "Anonymous"),
          T(r, "Nobody can tell it was you, not even an administrator with the database: no name, no address, only the day is kept. It is read the next "
               "day. You get a private link, shown once, to follow it."),
          id && strcmp(id, "anonymous") == 0);
    buf_puts(b, "</fieldset>");
    form_end(r, "Send the report");
    page_end(r);
}

/* GET /reports/new: the report form (member). */
int reports_page_new(Req *r) {
    report_form(r, NULL, NULL);
    return 0;
}

static const char *follow_address(Req *r, const char *path) {
    if (g_config.public_url) return arena_printf(r->arena, "%s%s", g_config.public_url, path);
    const char *host = req_header(r, "host");
    return host ? arena_printf(r->arena, "http://%s%s", host, path) : path;
}

/* POST /reports/new: sends a report (member); an anonymous one shows its
 * private follow link, this once. */
int reports_page_new_post(Req *r) {
    int64_t team = 0;
    Errors e = {0};
    form_id_field(r, "team_id", &team, &e, "There is no such team.");
    ReportIn in = {req_form(r, "kind"), req_form(r, "body"), req_form(r, "happened_on"), req_form(r, "harm"), req_form(r, "category"),
                   req_form(r, "immediate_action"), req_form(r, "identity"), team, req_form(r, "self_report") != NULL};
    int64_t id = 0;
    char token[44];
    if (e.n || report_create(r, &in, &e, &id, token)) {
        report_form(r, &in, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    if (!token[0]) {
        resp_redirect(r, arena_printf(r->arena, "/reports/%lld?sent=1", (long long)id));
        return 0;
    }
    const char *path = arena_printf(r->arena, "/report-follow?token=%s", token);
    page_begin(r, T(r, "Your anonymous report"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Thank you. Your anonymous report was sent."),
                T(r, "It is read tomorrow, together with the day's other anonymous reports, so that nobody can tell when it was sent."));
    html_printf(b, "<section class=\"card follow-link\" aria-labelledby=\"keep-h\"><h2 id=\"keep-h\">%h</h2><p>%h</p>"
                   "<div class=\"field\"><label for=\"follow-url\">%h</label><input id=\"follow-url\" type=\"text\" readonly value=\"%h\"></div>"
                   "<p><a href=\"%h\">%h</a></p></section>",
                T(r, "Keep this private link"),
                T(r, "It is shown only now and is the only way to follow your report: every step, the answer and the lesson. Anyone with the link can read that page."),
                T(r, "Your private link"), follow_address(r, path), path, T(r, "Open your report's page"));
    page_end(r);
    return 0;
}

static void steps_render(Req *r, int64_t org, int64_t id) {
    Buf *b = page(r);
    int n;
    Step *v = report_steps(r, org, id, &n);
    html_printf(b, "<section class=\"card\" id=\"steps\"><h2>%h</h2><ol class=\"timeline\">", T(r, "What happened to this report"));
    for (int i = 0; i < n; i++) {
        html_printf(b, "<li><strong>%h</strong> <span class=\"muted\">%h</span>", step_label(r, v[i].what), fmt_date(r, anon_date(r->arena, v[i].at)));
        if (strcmp(v[i].what, "answered") == 0 && *v[i].note) html_markdown(b, v[i].note);
        buf_puts(b, "</li>");
    }
    if (!n) html_printf(b, "<li>%h</li>", T(r, "Waiting to be read."));
    buf_puts(b, "</ol></section>");
}

static void report_header(Req *r, const Report *x) {
    Buf *b = page(r);
    html_printf(b, "<h1>%h: %h</h1><p class=\"muted\">", reports_kind_label(r, x->kind), reports_category_label(r, x->category));
    kind_badge(r, b, x->kind);
    html_printf(b, " %h · %h %h", label_of(r, x->harm, HARMS, HARM_LABELS), T(r, "happened on"), fmt_date(r, x->happened_on));
    if (x->team_name) html_printf(b, " · %h", x->team_name);
    html_printf(b, " · %h</p>", status_label(r, x->status));
}


/* GET /reports/{id}: one report (its author, reviewers, owners); for
 * anyone else in the organisation its shared lesson when there is one. */
int reports_page_view(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) {
        int64_t shared = 0;
        if (db_one_int(r->db, &shared, "SELECT count(*) FROM report_review WHERE report_id = ? AND org_id = ? AND shared = 1", "ii", r->params[0], r->who.org_id) && shared) {
            page_begin(r, T(r, "A shared lesson"));
            html_printf(page(r), "<h1>%h</h1>", T(r, "A shared lesson"));
            reports_render_review(r, r->params[0], false, false);
            page_end(r);
            return 0;
        }
        return resp_error(r, 404, "not_found", "There is no such report.");
    }
    page_begin(r, reports_kind_label(r, x.kind));
    Buf *b = page(r);
    if (req_query(r, "sent")) page_flash(r, "Thank you. Your report was sent.");
    if (req_query(r, "done")) page_flash(r, "Saved.");
    report_header(r, &x);
    const char *name = name_shown(&x);
    html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "What happened"));
    html_markdown(b, x.body);
    if (x.immediate_action && *x.immediate_action) {
        html_printf(b, "<h3>%h</h3>", T(r, "Done at once"));
        html_markdown(b, x.immediate_action);
    }
    html_printf(b, "<p class=\"muted\">%h: ", T(r, "Reported by"));
    if (name) html_printf(b, "%h", name);
    else html_printf(b, "%h", is_anon(&x) ? T(r, "anonymous") : T(r, "confidential (only the reviewers see the name)"));
    if (strcmp(x.identity, "confidential") == 0 && name) html_printf(b, " <span class=\"badge\">%h</span>", T(r, "confidential"));
    if (x.self_report) html_printf(b, " · %h", T(r, "self-reported"));
    html_printf(b, " · %h %h</p>", T(r, "received"), fmt_date(r, anon_date(r->arena, x.received_on)));
    if (x.answer) {
        html_printf(b, "<h3>%h</h3>", T(r, "Answer to the reporter"));
        html_markdown(b, x.answer);
    }
    buf_puts(b, "</section>");
    steps_render(r, x.org_id, x.id);
    if (x.reviewer && strcmp(x.status, "closed") != 0) {
        html_printf(b, "<section class=\"card\" id=\"triage\"><h2>%h</h2>", T(r, "Triage"));
        if (!x.acknowledged_at) {
            html_printf(b, "<p>%h %h.</p>", T(r, "Acknowledge by"), fmt_date(r, x.ack_due));
            form_begin(r, arena_printf(r->arena, "/reports/%lld/acknowledge", (long long)x.id), NULL);
            form_end(r, "Acknowledge");
        } else html_printf(b, "<p class=\"muted\">%h %h, %h.</p>", T(r, "Acknowledged by"), x.ack_name ? x.ack_name : "", fmt_date(r, anon_date(r->arena, x.acknowledged_at)));
        form_begin(r, arena_printf(r->arena, "/reports/%lld/triage", (long long)x.id), NULL);
        html_printf(b, "<div class=\"field\"><label for=\"f-severity\">%h</label><select id=\"f-severity\" name=\"severity\"><option value=\"\">%h</option>",
                    T(r, "Severity"), T(r, "Not set"));
        for (int i = 0; SEVERITIES[i]; i++)
            html_printf(b, "<option value=\"%h\"%s>%h</option>", SEVERITIES[i], x.severity && strcmp(x.severity, SEVERITIES[i]) == 0 ? " selected" : "",
                        T(r, SEVERITY_LABELS[i]));
        html_printf(b, "</select></div><div class=\"field\"><label for=\"f-review\">%h</label><select id=\"f-review\" name=\"review_needed\">"
                       "<option value=\"\">%h</option><option value=\"1\"%s>%h</option><option value=\"0\"%s>%h</option></select></div>",
                    T(r, "Does it need a blameless review?"), T(r, "Not decided"), x.review_needed == 1 ? " selected" : "", T(r, "Yes"),
                    x.review_needed == 0 ? " selected" : "", T(r, "No"));
        form_textarea(r, "answer", "Answer to the reporter", NULL, NULL, "The reporter sees it on their page or follow link.");
        html_printf(b, "<div class=\"field\"><input type=\"checkbox\" id=\"f-close\" name=\"close\" value=\"1\"> <label for=\"f-close\">%h</label></div>",
                    T(r, "Close the report"));
        form_end(r, "Save the triage");
        buf_puts(b, "</section>");
    }
    reports_render_assessments(r, x.id, x.reviewer, is_anon(&x));
    reports_render_review(r, x.id, x.reviewer || x.owner, x.reviewer && (x.review_needed == 1));
    page_end(r);
    return 0;
}

static int page_error(Req *r, const Errors *e) {
    if (e->status == 404) return resp_error(r, 404, "not_found", "There is no such report.");
    return resp_error(r, e->status ? e->status : 422, e->code ? e->code : "invalid", "%s", T(r, e->items[0].msg));
}

/* POST /reports/{id}/acknowledge (reviewer). */
int reports_page_acknowledge(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    Errors e = {0};
    if (report_ack(r, &x, &e)) return page_error(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/reports/%lld?done=1", (long long)x.id));
    return 0;
}

/* POST /reports/{id}/triage (severity, review_needed, answer, close) (reviewer). */
int reports_page_triage(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    const char *sev = req_form(r, "severity"), *rv = req_form(r, "review_needed"), *ans = req_form(r, "answer");
    TriageIn in = {sev && *sev ? sev : NULL, ans && *ans ? ans : NULL, req_form(r, "close") ? "closed" : NULL, rv && *rv ? (strcmp(rv, "1") == 0) : -1};
    Errors e = {0};
    if (report_triage(r, &x, &in, &e)) return page_error(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/reports/%lld?done=1", (long long)x.id));
    return 0;
}

/* GET /report-follow?token=: the private page of an anonymous report (public). */
int reports_page_follow(Req *r) {
    Report x;
    if (!report_by_token(r, req_query(r, "token"), &x)) return resp_error(r, 404, "not_found", "There is no report at this link.");
    r->no_trace = true;
    page_begin(r, T(r, "Your anonymous report"));
    Buf *b = page(r);
    report_header(r, &x);
    html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "What you reported"));
    html_markdown(b, x.body);
    if (x.answer) {
        html_printf(b, "<h3>%h</h3>", T(r, "Answer to you"));
        html_markdown(b, x.answer);
    }
    buf_puts(b, "</section>");
    if (x.pending) {
        html_printf(b, "<p class=\"notice\">%h %h.</p>", T(r, "Held back so that nobody can tell when it was sent; the reviewers see it from"),
                    fmt_date(r, anon_date(r->arena, anon_release_on(x.received_on))));
    } else {
        steps_render(r, x.org_id, x.id);
        r->who.org_id = x.org_id; /* no login: the link's organisation, for its shared lesson only (person_id stays 0) */
        reports_render_review(r, x.id, false, false);
    }
    page_end(r);
    return 0;
}

/* GET /reports/settings: the time to acknowledge, the categories and the
 * reviewing roles (admin). */
int reports_page_settings(Req *r) {
    Settings st;
    settings_load(r->db, r->arena, r->who.org_id, &st);
    page_begin(r, T(r, "Report settings"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "Report settings"));
    if (req_query(r, "done")) page_flash(r, "Saved.");
    form_begin(r, "/reports/settings", NULL);
    form_text(r, "ack_days", "Working days to acknowledge a report", arena_printf(r->arena, "%d", st.ack_days), NULL, "number", true);
    Buf cats = {0};
    size_t i;
    json_t *v;
    json_array_foreach(st.categories, i, v) {
        buf_puts(&cats, json_string_value(v));
        buf_putc(&cats, '\n');
    }
    form_textarea(r, "categories", "Categories", cats.len ? buf_cstr(&cats) : "", NULL, "One a line.");
    buf_free(&cats);
    html_printf(b, "<h2>%h</h2><p class=\"muted\">%h</p>", T(r, "Who reviews reports"),
                T(r, "Holders of a role marked for a team review that team's reports and its sub-teams'; without one, the roles marked for the whole "
                     "organisation; without those, the admins and owners."));
    Stmt *s = db_q(r->db, "SELECT ro.id, ro.name, rr.team_id, t.name FROM report_reviewer rr JOIN role ro ON ro.id = rr.role_id LEFT JOIN team t ON t.id = rr.team_id "
                          "WHERE rr.org_id = ? ORDER BY ro.name LIMIT 200", "i", r->who.org_id);
    buf_puts(b, "<ul>");
    int n = 0;
    while (db_step(s) == DB_ROW) {
        html_printf(b, "<li><input type=\"checkbox\" id=\"keep-%d\" name=\"keep\" value=\"%D:%D\" checked> <label for=\"keep-%d\">%h · %h</label></li>", n,
                    db_int(s, 0), db_int(s, 2), n, db_text(s, 1), db_null(s, 3) ? T(r, "the whole organisation") : db_text(s, 3));
        n++;
    }
    db_reset(s);
    buf_puts(b, "</ul>");
    const OptionList *roles = options_cached(r, "SELECT id, name FROM role WHERE org_id = ? ORDER BY lower(name), id LIMIT 5000");
    form_select_list(r, "role_id", "Add a reviewing role", 0, roles, "None", NULL);
    const OptionList *teams = options_cached(r, "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 5000");
    form_select_list(r, "team_id", "For the team (and the teams below it)", 0, teams, "The whole organisation", NULL);
    form_end(r, "Save");
    page_end(r);
    return 0;
}

/* POST /reports/settings (admin). */
int reports_page_settings_post(Req *r) {
    SettingsIn in = {0};
    const char *days = req_form(r, "ack_days"), *cats = req_form(r, "categories");
    Errors e = {0};
    int64_t d = 0;
    if (days && !parse_id(days, &d)) err_add(&e, 422, "invalid", "ack_days", "The time to acknowledge is 1 to 30 working days.");
    in.ack_days = (int)(d > 100 ? 100 : d);
    json_t *list = NULL;
    if (cats) {
        list = json_array();
        req_defer_json(r, list);
        char *copy = arena_strdup(r->arena, cats), *save = NULL;
        for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
            char *t = str_trim(r->arena, line);
            if (*t) json_array_append_new(list, json_string(t));
        }
        in.categories = list;
    }
    in.has_roles = true;
    for (int i = 0; i < r->form.n && in.nroles < 63; i++) {
        if (strcmp(r->form.items[i].name, "keep") != 0) continue;
        long long ro = 0, te = 0;
        if (sscanf(r->form.items[i].value, "%lld:%lld", &ro, &te) == 2) in.roles[in.nroles] = ro, in.teams[in.nroles++] = te;
    }
    int64_t role = 0, team = 0;
    form_id_field(r, "role_id", &role, &e, "There is no such role.");
    form_id_field(r, "team_id", &team, &e, "There is no such team.");
    if (role) in.roles[in.nroles] = role, in.teams[in.nroles++] = team;
    if (e.n || settings_save(r, &in, &e)) return page_error(r, &e);
    resp_redirect(r, "/reports/settings?done=1");
    return 0;
}
