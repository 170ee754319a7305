/* recognition.c: thanks tied to the organisation's values. Anyone
 * recognises one or more colleagues, or a team, tagging at least one of the
 * org's values (org.values_json), with a short markdown message; public
 * ones are in the organisation's feed and its chat channel (notify_chat),
 * private ones are seen only by the recipients, their managers and the
 * giver. Recipients are told (notify); others who may see it add a "+1",
 * once each. A recognition may cite what it is for (CITES below: kind ->
 * may_see, title), and cites only what its giver may see; a viewer who may
 * not see a cited item sees no title for it.
 *
 * No points and no scores: the only per-person figure is the monthly prompt
 * to a manager naming the people in their team nobody has recognised for 60
 * days (recognition_prompts, from `remit notify run` and the sender's
 * jobs). The fairness audit counts recognition received in groups only
 * (its own process line in fairness.c).
 * This file owns /recognitions and /api/v1/recognitions; it does not
 * render or change what it cites. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include <stdlib.h>
#include <string.h>

#define REC_BODY_MAX 2000       /* characters */
#define REC_RECIPIENTS_MAX 50   /* people named in one recognition */
#define REC_TEAM_MAX 500        /* members a team recognition reaches */
#define REC_CITES_MAX 5
#define REC_PAGE 30             /* the feed page */
#define REC_PROMPT_DAYS 60

/* ---------- what a recognition may cite ---------- */

/* CiteKind: one line per kind of thing a recognition may cite. may_see
 * says whether the caller may see item id (the source feature's rule);
 * title gives its title (arena-owned, NULL when gone), asked only after
 * may_see said yes. A report may be cited only when it is named: thanking
 * the author of a confidential or anonymous report in a recognition would
 * name them. A review is citable once its lesson is shared with the
 * organisation (its id is the review's). */
typedef struct CiteKind {
    const char *kind;
    bool (*may_see)(Req *r, int64_t id);
    char *(*title)(Req *r, int64_t id);
} CiteKind;

static char *title_of(Req *r, const char *sql, int64_t id) {
    char *t = NULL;
    Stmt *s = db_q(r->db, sql, "ii", id, r->who.org_id);
    if (db_step(s) == DB_ROW) t = db_dup(s, 0, r->arena);
    db_reset(s);
    return t;
}
static char *decision_title(Req *r, int64_t id) { return title_of(r, "SELECT title FROM decision WHERE id = ? AND org_id = ?", id); }
static char *idea_title(Req *r, int64_t id) { return title_of(r, "SELECT title FROM idea WHERE id = ? AND org_id = ?", id); }

static char *report_title(Req *r, int64_t id) {
    return title_of(r, "SELECT category || ', ' || happened_on FROM report WHERE id = ? AND org_id = ? AND identity = 'named'", id);
}
static bool report_citable(Req *r, int64_t id) { return reports_may_see(r, id) && report_title(r, id) != NULL; }
static char *review_title(Req *r, int64_t id) {
    return title_of(r, "SELECT coalesce(shared_title, '') FROM report_review WHERE id = ? AND org_id = ? AND shared = 1", id);
}
static bool review_citable(Req *r, int64_t id) { return review_title(r, id) != NULL; }

static const CiteKind CITES[] = {
    {"decision", decisions_may_see, decision_title},
    {"idea", ideas_may_see, idea_title},
    {"report", report_citable, report_title},
    {"review", review_citable, review_title},
};
#define NCITES (int)(sizeof CITES / sizeof CITES[0])

static const CiteKind *cite_kind(const char *k) {
    for (int i = 0; k && i < NCITES; i++)
        if (strcmp(CITES[i].kind, k) == 0) return &CITES[i];
    return NULL;
}

static const char *cite_href(Arena *a, const char *kind, int64_t id) {
    if (strcmp(kind, "decision") == 0) return arena_printf(a, "/decisions/%lld", (long long)id);
    if (strcmp(kind, "idea") == 0) return arena_printf(a, "/ideas/%lld", (long long)id);
    if (strcmp(kind, "report") == 0) return arena_printf(a, "/reports/%lld", (long long)id);
    if (strcmp(kind, "review") == 0) return "/learning";
    return NULL;
}

/* ---------- SQL ---------- */

/* Who may see a recognition: public ones everyone in the organisation;
 * private ones the giver, the recipients and the recipients' managers.
 * Three parameters: the caller, three times. */
#define REC_VISIBLE                                                                                                        \
    "(g.visibility = 'public' OR g.giver_id = ? OR EXISTS (SELECT 1 FROM recognition_recipient rr JOIN person rp ON rp.id = " \
    "rr.person_id WHERE rr.recognition_id = g.id AND (rr.person_id = ? OR rp.manager_id = ?))) "
#define REC_COLS                                                                                                                 \
    "SELECT g.id, g.giver_id, gp.name, g.team_id, t.name, g.body, g.visibility, g.values_json, g.cites_json, g.created_at, "      \
    "(SELECT count(*) FROM recognition_plus x WHERE x.recognition_id = g.id), "                                                  \
    "EXISTS (SELECT 1 FROM recognition_plus x WHERE x.recognition_id = g.id AND x.person_id = ?) "                              \
    "FROM recognition g JOIN person gp ON gp.id = g.giver_id LEFT JOIN team t ON t.id = g.team_id AND t.org_id = g.org_id "
static const char SQL_REC_GET[] = REC_COLS "WHERE g.id = ? AND g.org_id = ? AND " REC_VISIBLE;
static const char SQL_REC_LIST[] =
    REC_COLS "WHERE g.org_id = ? AND (? = 0 OR g.id < ?) AND " REC_VISIBLE
             "AND (? = 0 OR EXISTS (SELECT 1 FROM recognition_recipient f WHERE f.recognition_id = g.id AND f.person_id = ?)) "
             "AND (? = 0 OR g.team_id = ? OR EXISTS (SELECT 1 FROM recognition_recipient f JOIN person fp ON fp.id = f.person_id "
             "WHERE f.recognition_id = g.id AND fp.team_id = ?)) "
             "AND (? IS NULL OR EXISTS (SELECT 1 FROM recognition_value v WHERE v.recognition_id = g.id AND v.value = ?)) "
             "ORDER BY g.id DESC LIMIT ?";
static const char SQL_RECIPIENTS[] =
    "SELECT p.id, p.name FROM recognition_recipient rr JOIN person p ON p.id = rr.person_id WHERE rr.recognition_id = ? ORDER BY lower(p.name), p.id LIMIT 600";
static const char SQL_ORG_VALUES[] = "SELECT values_json FROM org WHERE id = ?";
static const char SQL_PERSON_OK[] = "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'";
static const char SQL_TEAM_OK[] = "SELECT id FROM team WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_MEMBERS[] = "SELECT id FROM person WHERE org_id = ? AND team_id = ? AND status <> 'left' ORDER BY id LIMIT ?";
static const char SQL_REC_ADD[] =
    "INSERT INTO recognition(org_id, giver_id, team_id, body, visibility, values_json, cites_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_RECIPIENT_ADD[] =
    "INSERT OR IGNORE INTO recognition_recipient(recognition_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)";
static const char SQL_VALUE_ADD[] = "INSERT OR IGNORE INTO recognition_value(recognition_id, org_id, value) VALUES (?, ?, ?)";
static const char SQL_PLUS_ADD[] = "INSERT OR IGNORE INTO recognition_plus(recognition_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)";
static const char SQL_IS_RECIPIENT[] = "SELECT 1 FROM recognition_recipient WHERE recognition_id = ? AND person_id = ?";
static const char SQL_PEOPLE_OPTIONS[] = "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 5000";
static const char SQL_TEAM_OPTIONS[] = "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 2000";

/* ---------- loading ---------- */

typedef struct Recognition {
    int64_t id, giver_id, team_id, created_at;
    char *giver_name, *team_name, *body, *visibility, *values_json, *cites_json;
    int plus_ones;
    bool plus_oned;
} Recognition;

static void rec_row(Stmt *s, Arena *a, Recognition *g) {
    memset(g, 0, sizeof *g);
    g->id = db_int(s, 0);
    g->giver_id = db_int(s, 1);
    g->giver_name = db_dup(s, 2, a);
    g->team_name = db_dup(s, 4, a);
    g->team_id = g->team_name ? db_int(s, 3) : 0;
    g->body = arena_strdup(a, db_text(s, 5));
    g->visibility = db_dup(s, 6, a);
    g->values_json = db_dup(s, 7, a);
    g->cites_json = db_dup(s, 8, a);
    g->created_at = db_int(s, 9);
    g->plus_ones = (int)db_int(s, 10);
    g->plus_oned = db_int(s, 11) != 0;
}

static int rec_find(Req *r, int64_t id, Recognition *g) {
    int64_t me = r->who.person_id;
    Stmt *s = db_q(r->db, SQL_REC_GET, "iiiiii", me, id, r->who.org_id, me, me, me);
    int found = db_step(s) == DB_ROW;
    if (found) rec_row(s, r->arena, g);
    db_reset(s);
    return found;
}

static int rec_load(Req *r, Recognition *g) {
    if (r->nparams < 1 || !rec_find(r, r->params[0], g)) return resp_error(r, 404, "not_found", "There is no such recognition.");
    return 0;
}

typedef struct Filter { int64_t person, team, after; const char *value; } Filter;

static Recognition *rec_list(Req *r, const Filter *f, int limit, int *n) {
    int64_t me = r->who.person_id;
    Stmt *s = db_q(r->db, SQL_REC_LIST, "iiiiiiiiiiiitti", me, r->who.org_id, f->after, f->after, me, me, me, f->person, f->person, f->team, f->team,
                   f->team, f->value, f->value, (int64_t)limit);
    int cap = 16;
    Recognition *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    *n = 0;
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        rec_row(s, r->arena, &v[(*n)++]);
    }
    db_reset(s);
    return v;
}

static bool is_recipient(Req *r, int64_t rec, int64_t person) {
    int64_t x;
    return db_one_int(r->db, &x, SQL_IS_RECIPIENT, "ii", rec, person) == 1;
}

static json_t *org_values(Req *r) {
    json_t *v = NULL;
    Stmt *s = db_q(r->db, SQL_ORG_VALUES, "i", r->who.org_id);
    v = json_list_decode(db_step(s) == DB_ROW ? db_text(s, 0) : NULL);
    db_reset(s);
    req_defer_json(r, v);
    return v;
}

static bool value_known(json_t *values, const char *v) {
    size_t i;
    json_t *x;
    json_array_foreach(values, i, x) if (strcmp(json_string_value(x), v) == 0) return true;
    return false;
}

/* ---------- JSON ---------- */

/* Recipients of a page of recognitions, read in one query (ids lo..hi)
 * rather than one per recognition. */
typedef struct RecPeople { int64_t rec, id; char *name; } RecPeople;
typedef struct RecBatch { RecPeople *v; int n; bool on; } RecBatch;
static const char SQL_RECIPIENTS_RANGE[] =
    "SELECT rr.recognition_id, p.id, p.name FROM recognition_recipient rr JOIN person p ON p.id = rr.person_id "
    "WHERE rr.recognition_id BETWEEN ? AND ? AND rr.org_id = ? ORDER BY rr.recognition_id, lower(p.name), p.id LIMIT 100000";

static void batch_load(Req *r, RecBatch *b, int64_t lo, int64_t hi) {
    int cap = 64;
    b->v = arena_alloc(r->arena, sizeof *b->v * (size_t)cap);
    b->n = 0;
    b->on = true;
    Stmt *s = db_q(r->db, SQL_RECIPIENTS_RANGE, "iii", lo, hi, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (b->n == cap) b->v = arena_grow(r->arena, b->v, &cap, sizeof *b->v);
        b->v[b->n++] = (RecPeople){db_int(s, 0), db_int(s, 1), db_dup(s, 2, r->arena)};
    }
    db_reset(s);
}

static json_t *recipients_json(Req *r, int64_t id, const RecBatch *b) {
    json_t *a = json_array();
    if (b && b->on) {
        int lo = 0, hi = b->n; /* the first row of id */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (b->v[mid].rec < id) lo = mid + 1;
            else hi = mid;
        }
        for (int i = lo; i < b->n && b->v[i].rec == id; i++) json_array_append_new(a, json_ref(b->v[i].id, b->v[i].name));
        return a;
    }
    Stmt *s = db_q(r->db, SQL_RECIPIENTS, "i", id);
    while (db_step(s) == DB_ROW) json_array_append_new(a, json_ref(db_int(s, 0), db_text(s, 1)));
    db_reset(s);
    return a;
}

/* cites_json: the stored cites with a title for those the caller may see
 * (null otherwise: the id alone says nothing the viewer could not guess). */
static json_t *cites_json(Req *r, const char *stored) {
    json_t *in = json_list_decode(stored), *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(in, i, c) {
        const char *kind = json_str(c, "kind");
        int64_t id = json_id(c, "id");
        const CiteKind *k = cite_kind(kind);
        char *title = k && k->may_see(r, id) ? k->title(r, id) : NULL;
        json_array_append_new(out, json_pack("{s:s,s:I,s:o}", "kind", kind ? kind : "", "id", (json_int_t)id, "title", json_text(title)));
    }
    json_decref(in);
    return out;
}

static json_t *rec_json(Req *r, const Recognition *g, const RecBatch *b) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(g->id));
    json_object_set_new(o, "giver", json_ref(g->giver_id, g->giver_name));
    json_object_set_new(o, "recipients", recipients_json(r, g->id, b));
    json_object_set_new(o, "team", json_ref(g->team_id, g->team_name));
    json_object_set_new(o, "values", json_list_decode(g->values_json));
    json_object_set_new(o, "body", json_text(g->body));
    json_object_set_new(o, "visibility", json_text(g->visibility));
    json_object_set_new(o, "cites", strcmp(g->cites_json, "[]") ? cites_json(r, g->cites_json) : json_array());
    json_object_set_new(o, "plus_ones", json_integer(g->plus_ones));
    json_object_set_new(o, "plus_oned", json_boolean(g->plus_oned));
    json_object_set_new(o, "created_at", json_time(r->arena, g->created_at));
    return o;
}

/* ---------- the rules, shared by the API and the form ---------- */

typedef struct RecIn {
    int64_t *recipients;
    int nrecipients;
    int64_t team_id;
    const char **values;
    int nvalues;
    const char *body, *visibility;
    const char **cite_kinds;
    int64_t *cite_ids;
    int ncites;
} RecIn;

/* rec_create: checks in (422 with the field's name) and writes the
 * recognition, its recipients (the named people and the team's members),
 * values and cites in one transaction; tells each recipient and, when it is
 * public, the organisation's chat channel. 0 ok (*id_out), -1 with e
 * filled and nothing written. */
static int rec_create(Req *r, const RecIn *in, Errors *e, int64_t *id_out) {
    int64_t me = r->who.person_id, x;
    if (in->nrecipients == 0 && !in->team_id) err_add(e, 422, "invalid", "recipient_ids", "Name at least one colleague, or a team.");
    if (in->nrecipients > REC_RECIPIENTS_MAX) err_add(e, 422, "invalid", "recipient_ids", "Name at most 50 colleagues.");
    for (int i = 0; i < in->nrecipients && !err_for(e, "recipient_ids"); i++) {
        if (in->recipients[i] == me) err_add(e, 422, "invalid", "recipient_ids", "You cannot recognise yourself.");
        else if (in->recipients[i] <= 0 || !db_one_int(r->db, &x, SQL_PERSON_OK, "ii", in->recipients[i], r->who.org_id))
            err_add(e, 422, "invalid", "recipient_ids", "Each recipient must be a current colleague.");
    }
    if (in->team_id && !db_one_int(r->db, &x, SQL_TEAM_OK, "ii", in->team_id, r->who.org_id)) err_add(e, 422, "invalid", "team_id", "There is no such team.");
    json_t *known = org_values(r);
    if (in->nvalues == 0) err_add(e, 422, "invalid", "values", "Tag at least one of the organisation's values.");
    for (int i = 0; i < in->nvalues && !err_for(e, "values"); i++)
        if (!value_known(known, in->values[i])) err_add(e, 422, "invalid", "values", "Tag only the organisation's own values.");
    const char *body = str_trim(r->arena, in->body ? in->body : "");
    if (str_empty(body)) err_add(e, 422, "invalid", "body", "Say what they did, in a sentence or two.");
    else if (utf8_chars(body) > REC_BODY_MAX) err_add(e, 422, "invalid", "body", "Keep the message to 2000 characters or fewer.");
    const char *vis = in->visibility ? in->visibility : "public";
    if (strcmp(vis, "public") && strcmp(vis, "private")) err_add(e, 422, "invalid", "visibility", "Visibility is public or private.");
    if (in->ncites > REC_CITES_MAX) err_add(e, 422, "invalid", "cites", "Cite at most 5 things.");
    for (int i = 0; i < in->ncites && !err_for(e, "cites"); i++) {
        const CiteKind *k = cite_kind(in->cite_kinds[i]);
        if (!k) err_add(e, 422, "invalid", "cites", "A cite's kind is decision, idea, report or review.");
        else if (in->cite_ids[i] <= 0 || !k->may_see(r, in->cite_ids[i])) err_add(e, 422, "invalid", "cites", "You may cite only what you can see.");
    }
    if (e->n) return -1;
    json_t *vals = json_array(), *cites = json_array();
    req_defer_json(r, vals);
    req_defer_json(r, cites);
    for (int i = 0; i < in->nvalues; i++) json_array_append_new(vals, json_string(in->values[i]));
    for (int i = 0; i < in->ncites; i++)
        json_array_append_new(cites, json_pack("{s:s,s:I}", "kind", in->cite_kinds[i], "id", (json_int_t)in->cite_ids[i]));
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_REC_ADD, "iiIttttI", r->who.org_id, me, in->team_id, body, vis, json_list_encode(r->arena, vals),
                     json_list_encode(r->arena, cites), r->now);
    int64_t id = db_last_id(r->db);
    /* the recipients: the named people, then the team's members at this time */
    int64_t *to = arena_alloc(r->arena, sizeof *to * (size_t)(in->nrecipients + REC_TEAM_MAX));
    int nto = 0;
    for (int i = 0; i < in->nrecipients; i++) to[nto++] = in->recipients[i];
    if (in->team_id) {
        Stmt *s = db_q(r->db, SQL_TEAM_MEMBERS, "iii", r->who.org_id, in->team_id, (int64_t)REC_TEAM_MAX);
        while (db_step(s) == DB_ROW && nto < in->nrecipients + REC_TEAM_MAX)
            if (db_int(s, 0) != me) to[nto++] = db_int(s, 0);
        db_reset(s);
    }
    for (int i = 0; rc == DB_OK && i < nto; i++) rc = db_exec(r->db, SQL_RECIPIENT_ADD, "iiii", id, to[i], r->who.org_id, r->now);
    for (int i = 0; rc == DB_OK && i < in->nvalues; i++) rc = db_exec(r->db, SQL_VALUE_ADD, "iit", id, r->who.org_id, in->values[i]);
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    const char *link = arena_printf(r->arena, "/recognitions/%lld", (long long)id);
    for (int i = 0; i < nto; i++) {
        bool dup = false;
        for (int j = 0; j < i && !dup; j++) dup = to[j] == to[i];
        if (dup) continue;
        const Lang *l = i18n_person_lang(r->db, to[i]);
        notify(r->db, r->who.org_id, to[i], r->now, "recognition.received",
               arena_printf(r->arena, TP(l, "%s recognised you: %s"), r->who.name ? r->who.name : "", in->values[0]), link);
    }
    if (strcmp(vis, "public") == 0) {
        /* the organisation's chat: who thanked whom, for which value (a team by its name) */
        char *names = NULL;
        Stmt *s = in->team_id ? db_q(r->db, "SELECT name FROM team WHERE id = ? AND org_id = ?", "ii", in->team_id, r->who.org_id)
                              : db_q(r->db, "SELECT name FROM person WHERE id = ? AND org_id = ?", "ii", in->recipients[0], r->who.org_id);
        if (db_step(s) == DB_ROW) names = db_dup(s, 0, r->arena);
        db_reset(s);
        if (names && !in->team_id && in->nrecipients > 1) names = arena_printf(r->arena, "%s +%d", names, in->nrecipients - 1);
        notify_chat(r->db, r->who.org_id, 0, r->now, "recognition.public",
                    arena_printf(r->arena, T(r, "%s recognised %s: %s"), r->who.name ? r->who.name : "", names ? names : "", in->values[0]), link);
    }
    audit(r, "recognition.create", arena_printf(r->arena, "recognition:%lld", (long long)id), "%s", vis);
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* rec_plus_one: the caller's "+1" (once however often sent); not by the
 * giver or a recipient (403). */
static int rec_plus_one(Req *r, const Recognition *g, Errors *e) {
    if (g->giver_id == r->who.person_id || is_recipient(r, g->id, r->who.person_id)) {
        err_add(e, 403, "forbidden", NULL, "A +1 is for others: not the giver, not the recipients.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    if (db_exec(r->db, SQL_PLUS_ADD, "iiii", g->id, r->who.person_id, r->who.org_id, r->now) != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- the API ---------- */

static const JField CREATE_FIELDS[] = {{"recipient_ids", JF_ANY, 0}, {"team_id", JF_ID_NULL, 0}, {"values", JF_STRING_LIST, 200},
                                       {"body", JF_STRING, 20000},   {"visibility", JF_STRING, 20}, {"cites", JF_ANY, 0}, {0}};

/* api_in: the body's lists into in; 400 (sent, -1) for a list of the wrong shape. */
static int api_in(Req *r, json_t *o, RecIn *in) {
    memset(in, 0, sizeof *in);
    json_t *ids = json_object_get(o, "recipient_ids"), *vals = json_object_get(o, "values"), *cites = json_object_get(o, "cites");
    if (ids && !json_is_null(ids)) {
        if (!json_is_array(ids) || json_array_size(ids) > 100) return resp_error(r, 400, "invalid_field", "Field \"recipient_ids\" must be a list of ids.");
        in->recipients = arena_alloc(r->arena, sizeof(int64_t) * (json_array_size(ids) + 1));
        size_t i;
        json_t *v;
        json_array_foreach(ids, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) <= 0) return resp_error(r, 400, "invalid_field", "Field \"recipient_ids\" must be a list of ids.");
            in->recipients[in->nrecipients++] = json_integer_value(v);
        }
    }
    if (vals) {
        in->values = arena_alloc(r->arena, sizeof(char *) * (json_array_size(vals) + 1));
        size_t i;
        json_t *v;
        json_array_foreach(vals, i, v) in->values[in->nvalues++] = json_string_value(v);
    }
    if (cites && !json_is_null(cites)) {
        if (!json_is_array(cites) || json_array_size(cites) > 100) return resp_error(r, 400, "invalid_field", "Field \"cites\" must be a list of {\"kind\",\"id\"}.");
        size_t n = json_array_size(cites), i;
        in->cite_kinds = arena_alloc(r->arena, sizeof(char *) * (n + 1));
        in->cite_ids = arena_alloc(r->arena, sizeof(int64_t) * (n + 1));
        json_t *c;
        json_array_foreach(cites, i, c) {
            json_t *id = json_object_get(c, "id");
            if (!json_is_object(c) || !json_is_string(json_object_get(c, "kind")) || !json_is_integer(id) || json_object_size(c) != 2)
                return resp_error(r, 400, "invalid_field", "Field \"cites\" must be a list of {\"kind\",\"id\"}.");
            in->cite_kinds[in->ncites] = json_str(c, "kind");
            in->cite_ids[in->ncites++] = json_integer_value(id);
        }
    }
    in->team_id = json_id(o, "team_id");
    in->body = json_str(o, "body");
    in->visibility = json_str(o, "visibility");
    return 0;
}

/* POST /api/v1/recognitions {"recipient_ids","team_id","values","body",
 * "visibility","cites"}: recognises colleagues or a team (member). values:
 * at least one of the organisation's; visibility public (default) or
 * private; cites [{"kind":"decision"|"idea","id"}], each one the caller may
 * see. 201 with the recognition; 422 naming the field otherwise. */
int recognition_api_create(Req *r) {
    json_t *o = req_json_object(r, CREATE_FIELDS);
    if (!o) return -1;
    RecIn in;
    if (api_in(r, o, &in)) return -1;
    Errors e = {0};
    int64_t id;
    if (rec_create(r, &in, &e, &id)) return err_send(r, &e);
    Recognition g;
    if (!rec_find(r, id, &g)) return resp_error(r, 500, "internal", "The recognition could not be read back.");
    resp_json(r, 201, rec_json(r, &g, NULL));
    return 0;
}

/* filter_read: ?person_id= ?team_id= ?value= (400 for a malformed id). */
static int filter_read(Req *r, Filter *f) {
    memset(f, 0, sizeof *f);
    const char *p = req_query(r, "person_id"), *t = req_query(r, "team_id"), *v = req_query(r, "value");
    if (p && *p && !parse_id(p, &f->person)) return resp_error(r, 400, "invalid_parameter", "person_id must be an id.");
    if (t && *t && !parse_id(t, &f->team)) return resp_error(r, 400, "invalid_parameter", "team_id must be an id.");
    f->value = v && *v ? v : NULL;
    return 0;
}

/* GET /api/v1/recognitions?person_id=&team_id=&value=&limit=&after=: the
 * recognitions the caller may see, newest first (member); after=N gives
 * those older than N. team_id: of the team or of people in it. */
int recognition_api_list(Req *r) {
    int limit;
    Filter f;
    if (parse_limit_after(r, &limit, &f.after)) return -1;
    int64_t after = f.after;
    if (filter_read(r, &f)) return -1;
    f.after = after;
    int n;
    Recognition *v = rec_list(r, &f, limit, &n);
    RecBatch batch = {0};
    if (n) batch_load(r, &batch, v[n - 1].id, v[0].id); /* newest first */
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, rec_json(r, &v[i], &batch));
    resp_json(r, 200, json_page(items, limit, n ? v[n - 1].id : 0));
    return 0;
}

/* GET /api/v1/recognitions/{id}: one recognition (member who may see it: 404 otherwise). */
int recognition_api_get(Req *r) {
    Recognition g;
    if (rec_load(r, &g)) return -1;
    resp_json(r, 200, rec_json(r, &g, NULL));
    return 0;
}

/* POST /api/v1/recognitions/{id}/plus-one: the caller's +1, once however
 * often sent (member who may see it; 403 for its giver and recipients).
 * 200 with the recognition. */
int recognition_api_plus_one(Req *r) {
    Recognition g;
    if (rec_load(r, &g)) return -1;
    Errors e = {0};
    if (rec_plus_one(r, &g, &e)) return err_send(r, &e);
    rec_find(r, g.id, &g);
    resp_json(r, 200, rec_json(r, &g, NULL));
    return 0;
}

/* ---------- pages ---------- */

static void values_badges(Req *r, const char *values_json) {
    json_t *v = json_list_decode(values_json);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) html_printf(page(r), "<span class=\"badge\">%h</span> ", json_string_value(x));
    json_decref(v);
}

static void recipients_line(Req *r, const Recognition *g) {
    Buf *b = page(r);
    Stmt *s = db_q(r->db, SQL_RECIPIENTS, "i", g->id);
    int n = 0;
    if (g->team_id) html_printf(b, "<a href=\"/teams/%D\">%h</a>", g->team_id, g->team_name), n = 1;
    else
        while (db_step(s) == DB_ROW && n < 12) {
            html_printf(b, "%s<a href=\"/people/%D\">%h</a>", n ? ", " : "", db_int(s, 0), db_text(s, 1));
            n++;
        }
    db_reset(s);
}

static void plus_form(Req *r, const Recognition *g, const char *back) {
    Buf *b = page(r);
    html_printf(b, "<span class=\"muted\">%h</span>", arena_printf(r->arena, TN(r, "+1 from %d colleague", "+1 from %d colleagues", g->plus_ones), g->plus_ones));
    if (g->giver_id != r->who.person_id && !g->plus_oned && !is_recipient(r, g->id, r->who.person_id)) {
        html_printf(b, " <form method=\"post\" action=\"/recognitions/%D/plus-one\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<input type=\"hidden\" name=\"back\" value=\"%h\"><button type=\"submit\" class=\"secondary\">+1</button></form>",
                    g->id, r->who.csrf ? r->who.csrf : "", back);
    }
}

static void cites_list(Req *r, const Recognition *g) {
    json_t *c = cites_json(r, g->cites_json);
    req_defer_json(r, c);
    if (!json_array_size(c)) return;
    Buf *b = page(r);
    html_printf(b, "<p class=\"muted\">%h ", T(r, "For:"));
    size_t i;
    json_t *x;
    json_array_foreach(c, i, x) {
        const char *t = json_str(x, "title");
        if (i) buf_puts(b, ", ");
        if (t) html_printf(b, "<a href=\"%h\">%h</a>", cite_href(r->arena, json_str(x, "kind"), json_id(x, "id")), t);
        else {
            const char *k = json_str(x, "kind");
            html_printf(b, "%h", strcmp(k, "decision") == 0 ? T(r, "a decision you cannot see")
                                 : strcmp(k, "idea") == 0   ? T(r, "an idea you cannot see")
                                                            : T(r, "a report you cannot see"));
        }
    }
    buf_puts(b, "</p>");
}

static void rec_card(Req *r, const Recognition *g, bool link, const char *back) {
    Buf *b = page(r);
    html_printf(b, "<article class=\"card recognition\" id=\"recognition-%D\"><p>", g->id);
    html_printf(b, "<a href=\"/people/%D\">%h</a> → ", g->giver_id, g->giver_name);
    recipients_line(r, g);
    if (strcmp(g->visibility, "private") == 0) html_printf(b, " <span class=\"badge\">%h</span>", T(r, "private"));
    buf_puts(b, "</p><p>");
    values_badges(r, g->values_json);
    buf_puts(b, "</p>");
    html_markdown(b, g->body);
    cites_list(r, g);
    html_printf(b, "<div class=\"muted\"><time datetime=\"%h\">%h</time>", iso_time(r->arena, g->created_at), fmt_time(r, g->created_at));
    if (link) html_printf(b, " · <a href=\"/recognitions/%D\">%h</a>", g->id, T(r, "link"));
    buf_puts(b, " · ");
    plus_form(r, g, back);
    buf_puts(b, "</div></article>");
}

/* multi_select: a <select multiple> of l with the chosen ids selected. */
static void multi_select(Req *r, const char *name, const char *label, const OptionList *l, const int64_t *chosen, int nchosen, const char *error) {
    Buf *b = page(r);
    html_printf(b, "<div class=\"field%s\"><label for=\"f-%h\">%h</label><p class=\"hint\" id=\"f-%h-hint\">%h</p>", error ? " has-error" : "", name,
                T(r, label), name, T(r, "Hold Ctrl (or Cmd) to choose several."));
    html_printf(b, "<select id=\"f-%h\" name=\"%h\" multiple size=\"6\" aria-describedby=\"f-%h-hint%s%h%s\"%s>", name, name, name, error ? " f-" : "",
                error ? name : "", error ? "-err" : "", error ? " aria-invalid=\"true\"" : "");
    size_t at = 0;
    for (int i = 0; i < l->n; i++) {
        bool sel = false;
        for (int j = 0; j < nchosen && !sel; j++) sel = chosen[j] == l->v[i].id;
        if (!sel) continue;
        buf_append(b, l->html + at, l->mark[i] - at);
        buf_append(b, " selected", 9);
        at = l->mark[i];
    }
    buf_append(b, l->html + at, l->len - at);
    buf_puts(b, "</select>");
    if (error) html_printf(b, "<p class=\"error\" id=\"f-%h-err\">%h</p>", name, T(r, error));
    buf_puts(b, "</div>");
}

static void rec_form(Req *r, const RecIn *typed, const Errors *e) {
    Buf *b = page(r);
    html_printf(b, "<section class=\"card\" aria-labelledby=\"recognise-h\"><h2 id=\"recognise-h\">%h</h2>", T(r, "Recognise a colleague"));
    if (e) form_error_summary(r, e->n);
    form_begin(r, "/recognitions", NULL);
    multi_select(r, "recipient_ids", N_("Who"), options_cached(r, SQL_PEOPLE_OPTIONS), typed ? typed->recipients : NULL, typed ? typed->nrecipients : 0,
                 e ? err_for(e, "recipient_ids") : NULL);
    form_select_list(r, "recognised_team", "Or a whole team", typed ? typed->team_id : 0, options_cached(r, SQL_TEAM_OPTIONS), "No team", e ? err_for(e, "team_id") : NULL);
    json_t *vals = org_values(r);
    const char *verr = e ? err_for(e, "values") : NULL;
    html_printf(b, "<fieldset class=\"field%s\"><legend>%h</legend>", verr ? " has-error" : "", T(r, "Which of our values it shows"));
    size_t i;
    json_t *v;
    json_array_foreach(vals, i, v) {
        bool on = false;
        for (int j = 0; typed && j < typed->nvalues && !on; j++) on = strcmp(typed->values[j], json_string_value(v)) == 0;
        html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"values\" value=\"%h\"%s> %h</label>", json_string_value(v), on ? " checked" : "",
                    json_string_value(v));
    }
    if (!json_array_size(vals)) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "The organisation has no values yet; an admin adds them on the organisation page."));
    if (verr) html_printf(b, "<p class=\"error\">%h</p>", T(r, verr));
    buf_puts(b, "</fieldset>");
    form_textarea(r, "body", "What they did", typed ? typed->body : NULL, e ? err_for(e, "body") : NULL, "A sentence or two. Markdown works.");
    static const char *const VIS[] = {N_("public"), N_("private"), NULL};
    form_select_str(r, "visibility", "Who sees it", typed && typed->visibility ? typed->visibility : "public", VIS, e ? err_for(e, "visibility") : NULL);
    html_printf(b, "<p class=\"hint\">%h</p>", T(r, "Public: everyone in the feed and the chat channel. Private: only them, their managers and you."));
    const char *cerr = e ? err_for(e, "cites") : NULL;
    html_printf(b, "<div class=\"field%s\"><label for=\"f-cite_decision\">%h</label><input id=\"f-cite_decision\" name=\"cite_decision\" type=\"text\" "
                   "inputmode=\"numeric\" value=\"\"></div>",
                cerr ? " has-error" : "", T(r, "For a decision (its number, optional)"));
    html_printf(b, "<div class=\"field\"><label for=\"f-cite_idea\">%h</label><input id=\"f-cite_idea\" name=\"cite_idea\" type=\"text\" inputmode=\"numeric\" value=\"\">",
                T(r, "For an idea (its number, optional)"));
    html_printf(b, "<label for=\"f-cite_report\">%h</label><input id=\"f-cite_report\" name=\"cite_report\" type=\"text\" inputmode=\"numeric\" value=\"\">",
                T(r, "For a named report (its number, optional)"));
    if (cerr) html_printf(b, "<p class=\"error\">%h</p>", T(r, cerr));
    buf_puts(b, "</div>");
    form_end(r, "Recognise");
    buf_puts(b, "</section>");
}

static const char *feed_href(Req *r, const Filter *f, int64_t after) {
    Buf q = {0};
    buf_printf(&q, "/recognitions?");
    if (f->person) buf_printf(&q, "person_id=%lld&", (long long)f->person);
    if (f->team) buf_printf(&q, "team_id=%lld&", (long long)f->team);
    if (after) buf_printf(&q, "after=%lld&", (long long)after);
    char *s = arena_strndup(r->arena, q.data, q.len - 1);
    buf_free(&q);
    return s;
}

static void feed_page(Req *r, const RecIn *typed, const Errors *e) {
    Filter f;
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after) || filter_read(r, &f)) return;
    f.after = after;
    page_begin(r, "Recognition");
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Recognition"),
                T(r, "Thank a colleague or a team for something they did, and say which of our values it shows. No points, no scores: just thanks."));
    if (req_query(r, "done")) page_flash(r, T(r, "Thank you. They have been told."));
    rec_form(r, typed, e);
    html_printf(b, "<section aria-labelledby=\"feed-h\"><h2 id=\"feed-h\">%h</h2>", T(r, "The feed"));
    html_printf(b, "<form method=\"get\" action=\"/recognitions\" class=\"filters\">");
    form_select_list(r, "person_id", "Person", f.person, options_cached(r, SQL_PEOPLE_OPTIONS), "Anyone", NULL);
    form_select_list(r, "team_id", "Team", f.team, options_cached(r, SQL_TEAM_OPTIONS), "All teams", NULL);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%h</button></div></form>", T(r, "Show"));
    int n;
    Recognition *v = rec_list(r, &f, REC_PAGE, &n);
    const char *back = feed_href(r, &f, after);
    for (int i = 0; i < n; i++) rec_card(r, &v[i], true, back);
    if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No recognition here yet."));
    if (n == REC_PAGE) html_printf(b, "<p><a href=\"%h\">%h</a></p>", feed_href(r, &f, v[n - 1].id), T(r, "Older"));
    buf_puts(b, "</section>");
    page_end(r);
}

/* GET /recognitions?person_id=&team_id=&after=&done=: the feed the caller
 * may see, newest first, 30 at a time, and the form to recognise someone
 * (member). */
int recognition_page_list(Req *r) {
    feed_page(r, NULL, NULL);
    return 0;
}

/* POST /recognitions (recipient_ids*, team_id, values*, body, visibility,
 * cite_decision, cite_idea): the form's way to recognise (member); the
 * feed with the problems otherwise. */
int recognition_page_create(Req *r) {
    RecIn in = {0};
    in.recipients = req_form_ids(r, "recipient_ids", &in.nrecipients);
    const char *t = req_form(r, "recognised_team");
    if (t && *t && !parse_id(t, &in.team_id)) in.team_id = -1;
    in.values = arena_alloc(r->arena, sizeof(char *) * (size_t)(r->form.n + 1));
    for (int i = 0; i < r->form.n; i++)
        if (strcmp(r->form.items[i].name, "values") == 0) in.values[in.nvalues++] = r->form.items[i].value;
    in.body = req_form(r, "body");
    in.visibility = req_form(r, "visibility");
    in.cite_kinds = arena_alloc(r->arena, sizeof(char *) * 3);
    in.cite_ids = arena_alloc(r->arena, sizeof(int64_t) * 3);
    static const char *const FIELDS[][2] = {{"cite_decision", "decision"}, {"cite_idea", "idea"}, {"cite_report", "report"}};
    for (int i = 0; i < 3; i++) {
        const char *c = req_form(r, FIELDS[i][0]);
        if (!c || !*str_trim(r->arena, c)) continue;
        int64_t id = 0;
        if (!parse_id(str_trim(r->arena, c), &id)) id = 0;
        in.cite_kinds[in.ncites] = FIELDS[i][1];
        in.cite_ids[in.ncites++] = id;
    }
    Errors e = {0};
    if (in.team_id < 0) {
        in.team_id = 0;
        err_add(&e, 422, "invalid", "team_id", "There is no such team.");
    }
    int64_t id;
    if (e.n || rec_create(r, &in, &e, &id)) {
        if (e.status == 503) return resp_error(r, 503, e.code, "%s", e.items[0].msg);
        feed_page(r, &in, &e);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, "/recognitions?done=1");
    return 0;
}

/* GET /recognitions/{id}: one recognition (member who may see it; 404 otherwise). */
int recognition_page_view(Req *r) {
    Recognition g;
    if (rec_load(r, &g)) return -1;
    page_begin(r, "Recognition");
    html_printf(page(r), "<h1>%h</h1>", T(r, "Recognition"));
    if (req_query(r, "done")) page_flash(r, T(r, "Your +1 is added."));
    rec_card(r, &g, false, arena_printf(r->arena, "/recognitions/%lld?done=1", (long long)g.id));
    html_printf(page(r), "<p><a href=\"/recognitions\">%h</a></p>", T(r, "All recognition"));
    page_end(r);
    return 0;
}

/* safe_back: the form's back path, on this site only. */
static const char *safe_back(Req *r) {
    const char *s = req_form(r, "back");
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\' || strlen(s) > 500) return NULL;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\') return NULL;
    return s;
}

/* POST /recognitions/{id}/plus-one (back): the caller's +1 from a page
 * (member who may see it); then back where it came from. */
int recognition_page_plus_one(Req *r) {
    Recognition g;
    if (rec_load(r, &g)) return -1;
    Errors e = {0};
    if (rec_plus_one(r, &g, &e)) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
    const char *back = safe_back(r);
    resp_redirect(r, back ? back : arena_printf(r->arena, "/recognitions/%lld?done=1", (long long)g.id));
    return 0;
}

/* ---------- home, the monthly prompt, the fairness audit ---------- */

/* recognition_home_items: recognition the caller received in the last
 * seven days (a pleasant "info" item, for everyone). */
void recognition_home_items(Req *r, Home *h) {
    int64_t n = 0;
    db_one_int(r->db, &n, "SELECT count(*) FROM recognition_recipient WHERE org_id = ? AND person_id = ? AND created_at >= ?", "iii", r->who.org_id,
               r->who.person_id, r->now - 7 * 86400);
    home_item(h, "recognition", TN(r, "recognition for you this week", "recognitions for you this week", n), n,
              arena_printf(r->arena, "/recognitions?person_id=%lld", (long long)r->who.person_id), URGENCY_INFO);
}

/* recognition_prompts: once a calendar month per manager, a notification
 * naming the people who report to them and have not been recognised
 * (publicly or privately) for 60 days: a prompt, never a score. People
 * who started less than 60 days ago (by started_on, else by when their
 * record was made) are left out, so a new organisation is not prompted
 * about everyone on its first day. Returns how many
 * managers were told, -1 when the database was busy. */
int recognition_prompts(Db *db, int64_t now) {
    Arena *a = arena_new();
    char *today = today_date(a, now), *month = arena_strndup(a, today, 7);
    char *since_day = today_date(a, now - REC_PROMPT_DAYS * 86400);
    int64_t mgr[200], org[200];
    int n = 0, told = 0;
    Stmt *s = db_q(db,
                   "SELECT DISTINCT p.org_id, p.manager_id FROM person p LEFT JOIN recognition_prompt q ON q.manager_id = p.manager_id "
                   "JOIN person m ON m.id = p.manager_id AND m.status = 'active' "
                   "WHERE p.manager_id IS NOT NULL AND p.status = 'active' AND (q.month IS NULL OR q.month <> ?) ORDER BY p.manager_id LIMIT 200",
                   "t", month);
    while (n < 200 && db_step(s) == DB_ROW) org[n] = db_int(s, 0), mgr[n] = db_int(s, 1), n++;
    db_reset(s);
    for (int i = 0; i < n; i++) {
        if (db_begin(db) != DB_OK) {
            arena_free(a);
            return -1;
        }
        const Lang *l = i18n_person_lang(db, mgr[i]);
        Buf names = {0};
        int k = 0;
        s = db_q(db,
                 "SELECT p.name FROM person p WHERE p.org_id = ? AND p.manager_id = ? AND p.status = 'active' AND (p.started_on <= ? OR (p.started_on IS NULL AND p.created_at <= ?)) "
                 "AND NOT EXISTS (SELECT 1 FROM recognition_recipient rr WHERE rr.org_id = p.org_id AND rr.person_id = p.id AND rr.created_at >= ?) "
                 "ORDER BY lower(p.name), p.id LIMIT 30",
                 "iitii", org[i], mgr[i], since_day, now - REC_PROMPT_DAYS * 86400, now - REC_PROMPT_DAYS * 86400);
        while (db_step(s) == DB_ROW) buf_printf(&names, "%s%s", k++ ? ", " : "", db_text(s, 0));
        db_reset(s);
        if (k) {
            notify(db, org[i], mgr[i], now, "recognition.prompt",
                   arena_printf(a, TPN(l, "Nobody has recognised %s for 60 days. Is there something to thank them for?",
                                       "Nobody has recognised these people in your team for 60 days: %s. Is there something to thank them for?", k),
                                buf_cstr(&names)),
                   "/recognitions");
            told++;
        }
        buf_free(&names);
        db_exec(db, "INSERT INTO recognition_prompt(manager_id, org_id, month) VALUES (?, ?, ?) ON CONFLICT(manager_id) DO UPDATE SET month = excluded.month",
                "iit", mgr[i], org[i], month);
        if (db_commit(db) != DB_OK) {
            db_rollback(db);
            arena_free(a);
            return -1;
        }
    }
    arena_free(a);
    return told;
}

/* people_remind: see handlers.h (with the 360 reminders and closing). The count of notifications sent, -1 when busy. */
int people_remind(Db *db, int64_t now) {
    int a = recognition_prompts(db, now), b = oneonone_remind(db, now), c = review360_tick(db, now);
    return a < 0 || b < 0 || c < 0 ? -1 : a + b + c;
}
