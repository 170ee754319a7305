/* oneonone.c: one-to-ones between a manager and each direct report
 * (person.manager_id). A one-to-one is the pair, its rhythm (weekly, every
 * two weeks, monthly) and the next date; a shared agenda both add to, whose
 * items are ticked when discussed; private notes for each side; and action
 * items through actions_create (source kind "one_to_one", visible to the
 * pair through oneonone_may_see in actions.c's SOURCES).
 *
 * A one-to-one belongs to its two people alone: admins and owners do not
 * see it, and each side's notes are read by their author alone (the notes
 * query names the caller as the author; there is no other). Both are
 * reminded the day before the next date (oneonone_remind, from
 * people_remind). This file owns /one-to-ones and /api/v1/one-to-ones. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include "surveys.h" /* date_add */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OO_TEXT_MAX 500     /* an agenda item, characters */
#define OO_NOTE_MAX 5000
#define OO_ITEMS 200        /* agenda items a page shows */

static const char *const RHYTHMS[] = {N_("weekly"), N_("biweekly"), N_("monthly"), NULL};
static const char *const RHYTHM_LABELS[] = {N_("every week"), N_("every two weeks"), N_("every month"), NULL};

#define OO_COLS                                                                                                                  \
    "SELECT o.id, o.manager_id, mp.name, o.report_id, rp.name, o.rhythm, o.next_on FROM one_to_one o JOIN person mp ON mp.id = " \
    "o.manager_id JOIN person rp ON rp.id = o.report_id "
static const char SQL_OO_GET[] = OO_COLS "WHERE o.id = ? AND o.org_id = ? AND (o.manager_id = ? OR o.report_id = ?)";
static const char SQL_OO_MINE[] = OO_COLS "WHERE o.org_id = ? AND (o.manager_id = ? OR o.report_id = ?) ORDER BY o.next_on, o.id LIMIT 500";
static const char SQL_OO_PAIR[] = "SELECT id FROM one_to_one WHERE org_id = ? AND manager_id = ? AND report_id = ?";
static const char SQL_OO_ADD[] = "INSERT INTO one_to_one(org_id, manager_id, report_id, rhythm, next_on, created_at) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_OO_SET[] = "UPDATE one_to_one SET rhythm = ?, next_on = ? WHERE id = ? AND org_id = ?";
static const char SQL_REPORTS[] =
    "SELECT p.id, p.name, o.id, o.next_on, o.rhythm FROM person p LEFT JOIN one_to_one o ON o.org_id = p.org_id AND o.manager_id = p.manager_id AND "
    "o.report_id = p.id WHERE p.org_id = ? AND p.manager_id = ? AND p.status <> 'left' ORDER BY lower(p.name), p.id LIMIT 500";
static const char SQL_IS_REPORT[] = "SELECT id FROM person WHERE id = ? AND org_id = ? AND manager_id = ? AND status <> 'left'";
static const char SQL_ITEMS[] =
    "SELECT i.id, i.author_id, p.name, i.text, i.done_at FROM one_to_one_item i JOIN person p ON p.id = i.author_id WHERE i.one_to_one_id = ? "
    "ORDER BY i.done_at IS NOT NULL, i.done_at DESC, i.id LIMIT ?";
static const char SQL_ITEM_ADD[] = "INSERT INTO one_to_one_item(one_to_one_id, org_id, author_id, text, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_ITEM_GET[] = "SELECT id FROM one_to_one_item WHERE id = ? AND one_to_one_id = ?";
static const char SQL_ITEM_TICK[] = "UPDATE one_to_one_item SET done_at = ? WHERE id = ? AND one_to_one_id = ?";
/* notes: always the caller's own; no query here reads another author's */
static const char SQL_NOTES_MINE[] = "SELECT id, body, created_at FROM one_to_one_note WHERE one_to_one_id = ? AND author_id = ? ORDER BY id DESC LIMIT 100";
static const char SQL_NOTE_ADD[] = "INSERT INTO one_to_one_note(one_to_one_id, org_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_ACTIONS[] =
    "SELECT a.id, a.title, p.name, a.due_on, a.status FROM action_item a JOIN person p ON p.id = a.owner_id WHERE a.org_id = ? AND a.source_kind = "
    "'one_to_one' AND a.source_id = ? ORDER BY a.status <> 'open', a.id DESC LIMIT 100";

typedef struct OneOnOne {
    int64_t id, manager_id, report_id;
    char *manager_name, *report_name, *rhythm, *next_on;
} OneOnOne;

static void oo_row(Stmt *s, Arena *a, OneOnOne *o) {
    o->id = db_int(s, 0);
    o->manager_id = db_int(s, 1);
    o->manager_name = db_dup(s, 2, a);
    o->report_id = db_int(s, 3);
    o->report_name = db_dup(s, 4, a);
    o->rhythm = db_dup(s, 5, a);
    o->next_on = db_dup(s, 6, a);
}

static int oo_find(Req *r, int64_t id, OneOnOne *o) {
    Stmt *s = db_q(r->db, SQL_OO_GET, "iiii", id, r->who.org_id, r->who.person_id, r->who.person_id);
    int found = db_step(s) == DB_ROW;
    if (found) oo_row(s, r->arena, o);
    db_reset(s);
    return found;
}

static int oo_load(Req *r, OneOnOne *o) {
    if (r->nparams < 1 || !oo_find(r, r->params[0], o)) return resp_error(r, 404, "not_found", "There is no such one-to-one.");
    return 0;
}

/* oneonone_may_see: the manager and the report of one-to-one id (the
 * action items' "one_to_one" source). */
bool oneonone_may_see(Req *r, int64_t id) {
    OneOnOne o;
    return oo_find(r, id, &o) != 0;
}

static int rhythm_index(const char *s) {
    for (int i = 0; s && RHYTHMS[i]; i++)
        if (strcmp(s, RHYTHMS[i]) == 0) return i;
    return -1;
}

/* next_date: the day one rhythm after ymd (a month: the same day of the
 * next month, or its last day). Arena-owned. */
static char *next_date(Arena *a, const char *ymd, const char *rhythm) {
    int i = rhythm_index(rhythm);
    if (i == 0) return date_add(a, ymd, 7);
    if (i == 1) return date_add(a, ymd, 14);
    int y = atoi(ymd), m = atoi(ymd + 5), d = atoi(ymd + 8);
    if (++m > 12) m = 1, y++;
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = DAYS[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return arena_printf(a, "%04d-%02d-%02d", y, m, d > last ? last : d);
}

static json_t *oo_json(Req *r, const OneOnOne *o, bool full) {
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(o->id));
    json_object_set_new(j, "manager", json_ref(o->manager_id, o->manager_name));
    json_object_set_new(j, "report", json_ref(o->report_id, o->report_name));
    json_object_set_new(j, "rhythm", json_text(o->rhythm));
    json_object_set_new(j, "next_on", json_text(o->next_on));
    if (!full) return j;
    json_t *items = json_array(), *notes = json_array(), *actions = json_array();
    Stmt *s = db_q(r->db, SQL_ITEMS, "ii", o->id, (int64_t)OO_ITEMS);
    while (db_step(s) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I,s:o,s:s,s:b,s:o}", "id", (json_int_t)db_int(s, 0), "author", json_ref(db_int(s, 1), db_text(s, 2)), "text",
                                               db_text(s, 3), "done", !db_null(s, 4), "done_at", json_time(r->arena, db_int(s, 4))));
    db_reset(s);
    s = db_q(r->db, SQL_NOTES_MINE, "ii", o->id, r->who.person_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(notes, json_pack("{s:I,s:s,s:o}", "id", (json_int_t)db_int(s, 0), "body", db_text(s, 1), "created_at", json_time(r->arena, db_int(s, 2))));
    db_reset(s);
    s = db_q(r->db, SQL_ACTIONS, "ii", r->who.org_id, o->id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(actions, json_pack("{s:I,s:s,s:s,s:o,s:s}", "id", (json_int_t)db_int(s, 0), "title", db_text(s, 1), "owner", db_text(s, 2), "due_on",
                                                 json_text(db_null(s, 3) ? NULL : db_text(s, 3)), "status", db_text(s, 4)));
    db_reset(s);
    json_object_set_new(j, "agenda", items);
    json_object_set_new(j, "my_notes", notes);
    json_object_set_new(j, "actions", actions);
    return j;
}

/* ---------- the rules ---------- */

static int busy(Req *r, Errors *e) {
    db_rollback(r->db);
    err_busy(e);
    return -1;
}

/* oo_create: the caller (the report's manager) sets up a one-to-one with a
 * direct report. 403 for anyone else's report, 409 when it exists. */
static int oo_create(Req *r, int64_t report, const char *rhythm, const char *next_on, Errors *e, int64_t *id_out) {
    int64_t x;
    if (!report || !db_one_int(r->db, &x, SQL_IS_REPORT, "iii", report, r->who.org_id, r->who.person_id))
        err_add(e, 422, "invalid", "report_id", "Choose someone who reports to you.");
    else if (db_one_int(r->db, &x, SQL_OO_PAIR, "iii", r->who.org_id, r->who.person_id, report))
        err_add(e, 409, "conflict", "report_id", "You already have a one-to-one with this person.");
    if (!rhythm || !*rhythm) rhythm = "biweekly";
    if (rhythm_index(rhythm) < 0) err_add(e, 422, "invalid", "rhythm", "The rhythm is weekly, biweekly or monthly.");
    char *today = today_date(r->arena, r->now);
    if (!next_on || !*next_on) next_on = date_add(r->arena, today, 7);
    else if (!valid_date(next_on)) err_add(e, 422, "invalid", "next_on", "Give the date as YYYY-MM-DD.");
    else if (strcmp(next_on, today) < 0) err_add(e, 422, "invalid", "next_on", "The next date is today or later.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    if (db_exec(r->db, SQL_OO_ADD, "iiitti", r->who.org_id, r->who.person_id, report, rhythm, next_on, r->now) != DB_OK) return busy(r, e);
    int64_t id = db_last_id(r->db);
    const Lang *l = i18n_person_lang(r->db, report);
    notify(r->db, r->who.org_id, report, r->now, "oneonone.setup",
           arena_printf(r->arena, TP(l, "%s set up one-to-ones with you; the first is on %s."), r->who.name ? r->who.name : "", next_on),
           arena_printf(r->arena, "/one-to-ones/%lld", (long long)id));
    if (db_commit(r->db) != DB_OK) return err_busy(e), -1;
    *id_out = id;
    return 0;
}

static int oo_set(Req *r, const OneOnOne *o, const char *rhythm, const char *next_on, Errors *e) {
    if (!rhythm) rhythm = o->rhythm;
    if (!next_on) next_on = o->next_on;
    if (rhythm_index(rhythm) < 0) err_add(e, 422, "invalid", "rhythm", "The rhythm is weekly, biweekly or monthly.");
    if (!valid_date(next_on)) err_add(e, 422, "invalid", "next_on", "Give the date as YYYY-MM-DD.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    if (db_exec(r->db, SQL_OO_SET, "ttii", rhythm, next_on, o->id, r->who.org_id) != DB_OK || db_commit(r->db) != DB_OK) return busy(r, e);
    return 0;
}

/* oo_held: today's one-to-one took place: the next one is one rhythm on. */
static int oo_held(Req *r, const OneOnOne *o, Errors *e) {
    char *today = today_date(r->arena, r->now);
    const char *from = strcmp(o->next_on, today) > 0 ? o->next_on : today;
    return oo_set(r, o, o->rhythm, next_date(r->arena, from, o->rhythm), e);
}

static const char *text_ok(Req *r, const char *v, const char *field, int max, Errors *e) {
    const char *t = str_trim(r->arena, v ? v : "");
    if (str_empty(t)) err_add(e, 422, "invalid", field, "Write something first.");
    else if ((int)utf8_chars(t) > max) err_add(e, 422, "invalid", field, max == OO_TEXT_MAX ? "Keep it to 500 characters or fewer." : "Keep it to 5000 characters or fewer.");
    return t;
}

static int oo_item_add(Req *r, const OneOnOne *o, const char *text_in, Errors *e) {
    const char *text = text_ok(r, text_in, "text", OO_TEXT_MAX, e);
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    if (db_exec(r->db, SQL_ITEM_ADD, "iiiti", o->id, r->who.org_id, r->who.person_id, text, r->now) != DB_OK) return busy(r, e);
    int64_t other = o->manager_id == r->who.person_id ? o->report_id : o->manager_id;
    const Lang *l = i18n_person_lang(r->db, other);
    notify(r->db, r->who.org_id, other, r->now, "oneonone.agenda", arena_printf(r->arena, TP(l, "%s added to your one-to-one's agenda: %s"), r->who.name ? r->who.name : "", text),
           arena_printf(r->arena, "/one-to-ones/%lld", (long long)o->id));
    if (db_commit(r->db) != DB_OK) return err_busy(e), -1;
    return 0;
}

static int oo_item_tick(Req *r, const OneOnOne *o, int64_t item, bool done, Errors *e) {
    int64_t x;
    if (!db_one_int(r->db, &x, SQL_ITEM_GET, "ii", item, o->id)) {
        err_add(e, 404, "not_found", NULL, "There is no such agenda item.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc = done ? db_exec(r->db, SQL_ITEM_TICK, "iii", r->now, item, o->id) : db_exec(r->db, SQL_ITEM_TICK, "nii", item, o->id);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) return busy(r, e);
    return 0;
}

static int oo_note_add(Req *r, const OneOnOne *o, const char *body_in, Errors *e) {
    const char *body = text_ok(r, body_in, "body", OO_NOTE_MAX, e);
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    if (db_exec(r->db, SQL_NOTE_ADD, "iiiti", o->id, r->who.org_id, r->who.person_id, body, r->now) != DB_OK || db_commit(r->db) != DB_OK) return busy(r, e);
    return 0;
}

/* oo_action_add: an action item from the one-to-one for either side
 * (owner 0: the caller). */
static int oo_action_add(Req *r, const OneOnOne *o, const char *title_in, int64_t owner, const char *due, Errors *e, int64_t *id_out) {
    const char *title = str_trim(r->arena, title_in ? title_in : "");
    if (str_empty(title)) err_add(e, 422, "invalid", "title", "Say what is to be done.");
    else if (utf8_chars(title) > 200) err_add(e, 422, "invalid", "title", "Keep the title to 200 characters or fewer.");
    else if (has_control(title)) err_add(e, 422, "invalid", "title", "The title cannot contain line breaks or control characters.");
    if (!owner) owner = r->who.person_id;
    if (owner != o->manager_id && owner != o->report_id) err_add(e, 422, "invalid", "owner_id", "The owner is one of the two of you.");
    if (due && *due && !valid_date(due)) err_add(e, 422, "invalid", "due_on", "Give the due date as YYYY-MM-DD.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int64_t id = actions_create(r->db, r->arena, r->who.org_id, title, owner, due && *due ? due : NULL, "one_to_one", o->id, r->who.person_id, r->now);
    if (!id) return busy(r, e);
    if (db_commit(r->db) != DB_OK) return err_busy(e), -1;
    *id_out = id;
    return 0;
}

/* ---------- the API ---------- */

static const JField CREATE_FIELDS[] = {{"report_id", JF_ID_NULL, 0}, {"rhythm", JF_STRING_NULL, 20}, {"next_on", JF_DATE_NULL, 0}, {0}};
static const JField PATCH_FIELDS[] = {{"rhythm", JF_STRING, 20}, {"next_on", JF_DATE_NULL, 0}, {0}};
static const JField ITEM_FIELDS[] = {{"text", JF_STRING, 5000}, {0}};
static const JField TICK_FIELDS[] = {{"done", JF_BOOL, 0}, {0}};
static const JField NOTE_FIELDS[] = {{"body", JF_STRING, 50000}, {0}};
static const JField ACTION_FIELDS[] = {{"title", JF_STRING, 2000}, {"owner_id", JF_ID_NULL, 0}, {"due_on", JF_DATE_NULL, 0}, {0}};

static int answer(Req *r, int status, int64_t id) {
    OneOnOne o;
    if (!oo_find(r, id, &o)) return resp_error(r, 404, "not_found", "There is no such one-to-one.");
    resp_json(r, status, oo_json(r, &o, true));
    return 0;
}

/* GET /api/v1/one-to-ones?limit=: the caller's one-to-ones, as manager or
 * as report, soonest first, at most limit (member; they are few, so the
 * list does not page: next_after is null). */
int oneonone_api_list(Req *r) {
    int limit, n = 0;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    Stmt *s = db_q(r->db, SQL_OO_MINE, "iii", r->who.org_id, r->who.person_id, r->who.person_id);
    json_t *items = json_array();
    OneOnOne o;
    while (n++ < limit && db_step(s) == DB_ROW) {
        oo_row(s, r->arena, &o);
        json_array_append_new(items, oo_json(r, &o, false));
    }
    db_reset(s);
    resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_after"));
    return 0;
}

/* POST /api/v1/one-to-ones {"report_id","rhythm","next_on"}: a manager sets
 * up one-to-ones with a direct report (rhythm weekly, biweekly (default)
 * or monthly; next_on: default in a week). 201; 422 for someone who does
 * not report to the caller; 409 when it exists. */
int oneonone_api_create(Req *r) {
    json_t *j = req_json_object(r, CREATE_FIELDS);
    if (!j) return -1;
    Errors e = {0};
    int64_t id;
    if (oo_create(r, json_id(j, "report_id"), json_str(j, "rhythm"), json_str(j, "next_on"), &e, &id)) return err_send(r, &e);
    return answer(r, 201, id);
}

/* GET /api/v1/one-to-ones/{id}: the one-to-one with its agenda, the
 * caller's own private notes and its actions (its two people only). */
int oneonone_api_get(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    resp_json(r, 200, oo_json(r, &o, true));
    return 0;
}

/* PATCH /api/v1/one-to-ones/{id} {"rhythm","next_on"}: either side changes the rhythm or the next date. */
int oneonone_api_patch(Req *r) {
    json_t *j = req_json_object(r, PATCH_FIELDS);
    if (!j) return -1;
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    if (oo_set(r, &o, json_str(j, "rhythm"), json_str(j, "next_on"), &e)) return err_send(r, &e);
    return answer(r, 200, o.id);
}

/* POST /api/v1/one-to-ones/{id}/held: it took place: next_on moves one rhythm on (from today or the planned day, the later). */
int oneonone_api_held(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    if (oo_held(r, &o, &e)) return err_send(r, &e);
    return answer(r, 200, o.id);
}

/* POST /api/v1/one-to-ones/{id}/items {"text"}: adds to the shared agenda; the other side is told. 201. */
int oneonone_api_item(Req *r) {
    json_t *j = req_json_object(r, ITEM_FIELDS);
    if (!j) return -1;
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    if (oo_item_add(r, &o, json_str(j, "text"), &e)) return err_send(r, &e);
    return answer(r, 201, o.id);
}

/* PATCH /api/v1/one-to-ones/{id}/items/{item} {"done"}: ticks an agenda item as discussed (or not). */
int oneonone_api_tick(Req *r) {
    json_t *j = req_json_object(r, TICK_FIELDS);
    if (!j) return -1;
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    if (oo_item_tick(r, &o, r->params[1], json_is_true(json_object_get(j, "done")), &e)) return err_send(r, &e);
    return answer(r, 200, o.id);
}

/* POST /api/v1/one-to-ones/{id}/notes {"body"}: a private note, read by the caller alone. 201. */
int oneonone_api_note(Req *r) {
    json_t *j = req_json_object(r, NOTE_FIELDS);
    if (!j) return -1;
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    if (oo_note_add(r, &o, json_str(j, "body"), &e)) return err_send(r, &e);
    return answer(r, 201, o.id);
}

/* POST /api/v1/one-to-ones/{id}/actions {"title","owner_id","due_on"}: an
 * action item for either side (default: the caller), through the action
 * items service. 201 with the one-to-one. */
int oneonone_api_action(Req *r) {
    json_t *j = req_json_object(r, ACTION_FIELDS);
    if (!j) return -1;
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    int64_t id;
    if (oo_action_add(r, &o, json_str(j, "title"), json_id(j, "owner_id"), json_str(j, "due_on"), &e, &id)) return err_send(r, &e);
    return answer(r, 201, o.id);
}

/* ---------- pages ---------- */

static const char *rhythm_label(Req *r, const char *rh) {
    int i = rhythm_index(rh);
    return i < 0 ? rh : T(r, RHYTHM_LABELS[i]);
}

/* GET /one-to-ones: the caller's one-to-ones: as a manager, every direct
 * report with the next date (or a form to set one up); as a report, the
 * one with their manager (member). */
int oneonone_page_list(Req *r) {
    page_begin(r, "One-to-ones");
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "One-to-ones"),
                T(r, "Regular time between a manager and each report: a shared agenda, private notes for each of you, and actions."));
    if (req_query(r, "done")) page_flash(r, T(r, "Saved."));
    Stmt *s = db_q(r->db, SQL_REPORTS, "ii", r->who.org_id, r->who.person_id);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++)
            html_printf(b, "<section class=\"card\" aria-labelledby=\"reports-h\"><h2 id=\"reports-h\">%h</h2><table class=\"list\"><thead><tr><th scope=\"col\">%h</th>"
                           "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                        T(r, "Your reports"), T(r, "Person"), T(r, "Next"), T(r, "Rhythm"));
        if (db_null(s, 2)) {
            html_printf(b, "<tr><td>%h</td><td data-label=\"%h\" colspan=\"2\"><form method=\"post\" action=\"/one-to-ones\" class=\"inline\">"
                           "<input type=\"hidden\" name=\"csrf_token\" value=\"%h\"><input type=\"hidden\" name=\"report_id\" value=\"%D\">"
                           "<button type=\"submit\" class=\"secondary\">%h</button></form></td></tr>",
                        db_text(s, 1), T(r, "Next"), r->who.csrf ? r->who.csrf : "", db_int(s, 0), T(r, "Set up one-to-ones"));
        } else {
            html_printf(b, "<tr><td><a href=\"/one-to-ones/%D\">%h</a></td><td data-label=\"%h\"><time datetime=\"%h\">%h</time></td><td data-label=\"%h\">%h</td></tr>",
                        db_int(s, 2), db_text(s, 1), T(r, "Next"), db_text(s, 3), fmt_date(r, db_text(s, 3)), T(r, "Rhythm"), rhythm_label(r, db_text(s, 4)));
        }
    }
    db_reset(s);
    if (n) buf_puts(b, "</tbody></table></section>");
    s = db_q(r->db, SQL_OO_MINE, "iii", r->who.org_id, r->who.person_id, r->who.person_id);
    int m = 0;
    OneOnOne o;
    while (db_step(s) == DB_ROW) {
        oo_row(s, r->arena, &o);
        if (o.report_id != r->who.person_id) continue;
        if (!m++) html_printf(b, "<section class=\"card\" aria-labelledby=\"mine-h\"><h2 id=\"mine-h\">%h</h2><ul class=\"plain\">", T(r, "With your manager"));
        html_printf(b, "<li><a href=\"/one-to-ones/%D\">%h</a> · %h <time datetime=\"%h\">%h</time> (%h)</li>", o.id, o.manager_name, T(r, "next"), o.next_on,
                    fmt_date(r, o.next_on), rhythm_label(r, o.rhythm));
    }
    db_reset(s);
    if (m) buf_puts(b, "</ul></section>");
    if (!n && !m) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No one-to-ones yet. Your manager sets them up."));
    page_end(r);
    return 0;
}

static void oo_view(Req *r, const OneOnOne *o, const Errors *e, const char *failed) {
    page_begin(r, "One-to-one");
    Buf *b = page(r);
    bool mgr = o->manager_id == r->who.person_id;
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h · %h <time datetime=\"%h\">%h</time> (%h)</p>", mgr ? o->report_name : o->manager_name,
                T(r, "One-to-one"), T(r, "next"), o->next_on, fmt_date(r, o->next_on), rhythm_label(r, o->rhythm));
    if (req_query(r, "done")) page_flash(r, T(r, "Saved."));
    if (e && e->n && !e->items[0].field) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", T(r, e->items[0].msg));
    const char *csrf = r->who.csrf ? r->who.csrf : "";
    /* the agenda */
    html_printf(b, "<section class=\"card\" id=\"agenda\" aria-labelledby=\"agenda-h\"><h2 id=\"agenda-h\">%h</h2>", T(r, "Shared agenda"));
    Stmt *s = db_q(r->db, SQL_ITEMS, "ii", o->id, (int64_t)OO_ITEMS);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++) buf_puts(b, "<ul class=\"plain agenda\">");
        bool done = !db_null(s, 4);
        html_printf(b, "<li%s><form method=\"post\" action=\"/one-to-ones/%D/items/%D\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<input type=\"hidden\" name=\"done\" value=\"%s\"><button type=\"submit\" class=\"secondary\" aria-label=\"%h\">%s</button></form> %h "
                       "<span class=\"muted\">%h</span></li>",
                    done ? " class=\"done\"" : "", o->id, db_int(s, 0), csrf, done ? "0" : "1", done ? T(r, "Not discussed yet") : T(r, "Discussed"),
                    done ? "✓" : "○", db_text(s, 3), db_text(s, 2));
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    else html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "Nothing on the agenda yet."));
    form_begin(r, arena_printf(r->arena, "/one-to-ones/%lld/items", (long long)o->id), NULL);
    form_text(r, "text", "Add to the agenda", NULL, failed && strcmp(failed, "item") == 0 && e ? err_for(e, "text") : NULL, "text", true);
    form_end(r, "Add");
    buf_puts(b, "</section>");
    /* actions */
    html_printf(b, "<section class=\"card\" id=\"actions\" aria-labelledby=\"actions-h\"><h2 id=\"actions-h\">%h</h2>", T(r, "Actions"));
    s = db_q(r->db, SQL_ACTIONS, "ii", r->who.org_id, o->id);
    n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++) buf_puts(b, "<ul class=\"plain\">");
        html_printf(b, "<li>%h <span class=\"muted\">· %h", db_text(s, 1), db_text(s, 2));
        if (!db_null(s, 3)) html_printf(b, " · %h %h", T(r, "due"), fmt_date(r, db_text(s, 3)));
        html_printf(b, "</span>%s</li>", strcmp(db_text(s, 4), "open") ? " ✓" : "");
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    form_begin(r, arena_printf(r->arena, "/one-to-ones/%lld/actions", (long long)o->id), NULL);
    const char *aerr = failed && strcmp(failed, "action") == 0 && e ? err_for(e, "title") : NULL;
    form_text(r, "title", "New action", NULL, aerr, "text", true);
    Option who[2] = {{o->report_id, o->report_name}, {o->manager_id, o->manager_name}};
    form_select_id(r, "owner_id", "For", r->who.person_id, who, 2, NULL, NULL);
    form_text(r, "due_on", "Due (optional)", NULL, failed && strcmp(failed, "action") == 0 && e ? err_for(e, "due_on") : NULL, "date", false);
    form_end(r, "Add the action");
    buf_puts(b, "</section>");
    /* the caller's private notes */
    html_printf(b, "<section class=\"card\" id=\"notes\" aria-labelledby=\"notes-h\"><h2 id=\"notes-h\">%h</h2><p class=\"hint\">%h</p>", T(r, "Your private notes"),
                mgr ? T(r, "Only you see these: not your report, not admins.") : T(r, "Only you see these: not your manager, not admins."));
    s = db_q(r->db, SQL_NOTES_MINE, "ii", o->id, r->who.person_id);
    n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++) buf_puts(b, "<ul class=\"plain comments\">");
        html_printf(b, "<li><p class=\"muted\"><time datetime=\"%h\">%h</time></p>", iso_time(r->arena, db_int(s, 2)), fmt_time(r, db_int(s, 2)));
        html_markdown(b, db_text(s, 1));
        buf_puts(b, "</li>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</ul>");
    form_begin(r, arena_printf(r->arena, "/one-to-ones/%lld/notes", (long long)o->id), NULL);
    form_textarea(r, "body", "New note", NULL, failed && strcmp(failed, "note") == 0 && e ? err_for(e, "body") : NULL, NULL);
    form_end(r, "Save the note");
    buf_puts(b, "</section>");
    /* rhythm */
    html_printf(b, "<section class=\"card\" id=\"rhythm\" aria-labelledby=\"rhythm-h\"><h2 id=\"rhythm-h\">%h</h2>", T(r, "Rhythm"));
    html_printf(b, "<form method=\"post\" action=\"/one-to-ones/%D/held\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                   "<button type=\"submit\">%h</button></form>",
                o->id, csrf, T(r, "We met: plan the next one"));
    form_begin(r, arena_printf(r->arena, "/one-to-ones/%lld/rhythm", (long long)o->id), NULL);
    form_select_str(r, "rhythm", "Rhythm", o->rhythm, RHYTHMS, failed && strcmp(failed, "rhythm") == 0 && e ? err_for(e, "rhythm") : NULL);
    form_text(r, "next_on", "Next date", o->next_on, failed && strcmp(failed, "rhythm") == 0 && e ? err_for(e, "next_on") : NULL, "date", true);
    form_end(r, "Save");
    buf_puts(b, "</section>");
    html_printf(b, "<p><a href=\"/one-to-ones\">%h</a></p>", T(r, "All one-to-ones"));
    page_end(r);
}

/* GET /one-to-ones/{id}: the agenda, actions, the caller's private notes
 * and the rhythm (its two people only: 404 for everyone else). */
int oneonone_page_view(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    oo_view(r, &o, NULL, NULL);
    return 0;
}

static int after_form(Req *r, const OneOnOne *o, int rc, const Errors *e, const char *failed, const char *anchor) {
    if (rc) {
        if (e->status == 503 || e->status == 404) return resp_error(r, e->status, e->code, "%s", e->items[0].msg);
        oo_view(r, o, e, failed);
        r->resp.status = e->status ? e->status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/one-to-ones/%lld?done=1#%s", (long long)o->id, anchor));
    return 0;
}

/* POST /one-to-ones (report_id, rhythm, next_on): sets up one-to-ones with a direct report (member who manages them). */
int oneonone_page_create(Req *r) {
    int64_t report = 0, id;
    const char *rs = req_form(r, "report_id");
    if (rs && !parse_id(rs, &report)) report = 0;
    Errors e = {0};
    if (oo_create(r, report, req_form(r, "rhythm"), req_form(r, "next_on"), &e, &id)) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
    resp_redirect(r, arena_printf(r->arena, "/one-to-ones/%lld?done=1", (long long)id));
    return 0;
}

/* POST /one-to-ones/{id}/items (text): adds to the agenda. */
int oneonone_page_item(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    return after_form(r, &o, oo_item_add(r, &o, req_form(r, "text"), &e), &e, "item", "agenda");
}

/* POST /one-to-ones/{id}/items/{item} (done=1|0): ticks an agenda item. */
int oneonone_page_tick(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    const char *d = req_form(r, "done");
    return after_form(r, &o, oo_item_tick(r, &o, r->params[1], !d || strcmp(d, "0") != 0, &e), &e, "tick", "agenda");
}

/* POST /one-to-ones/{id}/notes (body): a private note. */
int oneonone_page_note(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    return after_form(r, &o, oo_note_add(r, &o, req_form(r, "body"), &e), &e, "note", "notes");
}

/* POST /one-to-ones/{id}/actions (title, owner_id, due_on): an action item. */
int oneonone_page_action(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    int64_t owner = 0, id;
    const char *os = req_form(r, "owner_id");
    if (os && *os && !parse_id(os, &owner)) owner = -1;
    Errors e = {0};
    return after_form(r, &o, oo_action_add(r, &o, req_form(r, "title"), owner, req_form(r, "due_on"), &e, &id), &e, "action", "actions");
}

/* POST /one-to-ones/{id}/rhythm (rhythm, next_on): changes the rhythm or the next date. */
int oneonone_page_rhythm(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    return after_form(r, &o, oo_set(r, &o, req_form(r, "rhythm"), req_form(r, "next_on"), &e), &e, "rhythm", "rhythm");
}

/* POST /one-to-ones/{id}/held: it took place; plan the next one. */
int oneonone_page_held(Req *r) {
    OneOnOne o;
    if (oo_load(r, &o)) return -1;
    Errors e = {0};
    return after_form(r, &o, oo_held(r, &o, &e), &e, "rhythm", "rhythm");
}

/* oneonone_home_items: one-to-ones of the caller today or tomorrow. */
void oneonone_home_items(Req *r, Home *h) {
    int64_t n = 0;
    char *today = today_date(r->arena, r->now), *tomorrow = date_add(r->arena, today, 1);
    db_one_int(r->db, &n, "SELECT count(*) FROM one_to_one WHERE org_id = ? AND (manager_id = ? OR report_id = ?) AND next_on >= ? AND next_on <= ?", "iiitt",
               r->who.org_id, r->who.person_id, r->who.person_id, today, tomorrow);
    home_item(h, "one_to_ones", TN(r, "one-to-one today or tomorrow", "one-to-ones today or tomorrow", n), n, "/one-to-ones", URGENCY_DUE);
}

/* oneonone_remind: tells both people the day before a one-to-one, once per
 * date. Returns how many were told, -1 when busy. */
int oneonone_remind(Db *db, int64_t now) {
    Arena *a = arena_new();
    char *tomorrow = date_add(a, today_date(a, now), 1);
    typedef struct { int64_t id, org, mgr, rep; char *mname, *rname; } Rem;
    Rem v[200];
    int n = 0, told = 0;
    Stmt *s = db_q(db,
                   "SELECT o.id, o.org_id, o.manager_id, o.report_id, mp.name, rp.name FROM one_to_one o JOIN person mp ON mp.id = o.manager_id "
                   "JOIN person rp ON rp.id = o.report_id WHERE o.next_on = ? AND (o.reminded_on IS NULL OR o.reminded_on <> o.next_on) ORDER BY o.id LIMIT 200",
                   "t", tomorrow);
    while (n < 200 && db_step(s) == DB_ROW)
        v[n] = (Rem){db_int(s, 0), db_int(s, 1), db_int(s, 2), db_int(s, 3), db_dup(s, 4, a), db_dup(s, 5, a)}, n++;
    db_reset(s);
    if (n && db_begin(db) != DB_OK) {
        arena_free(a);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *link = arena_printf(a, "/one-to-ones/%lld", (long long)v[i].id);
        const Lang *lm = i18n_person_lang(db, v[i].mgr), *lr = i18n_person_lang(db, v[i].rep);
        notify(db, v[i].org, v[i].mgr, now, "oneonone.reminder", arena_printf(a, TP(lm, "Your one-to-one with %s is tomorrow."), v[i].rname), link);
        notify(db, v[i].org, v[i].rep, now, "oneonone.reminder", arena_printf(a, TP(lr, "Your one-to-one with %s is tomorrow."), v[i].mname), link);
        db_exec(db, "UPDATE one_to_one SET reminded_on = next_on WHERE id = ?", "i", v[i].id);
        told += 2;
    }
    if (n && db_commit(db) != DB_OK) {
        db_rollback(db);
        told = -1;
    }
    arena_free(a);
    return told;
}
