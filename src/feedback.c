/* feedback.c: feedback between colleagues. Anyone asks anyone for feedback
 * on something specific (a feedback request: the asked person sees it on
 * their home and answers or declines it), or gives feedback unasked.
 *
 * Feedback goes to its recipient alone: not their manager, not admins, not
 * owners. The giver sees what they gave; the recipient may share one given
 * feedback with their manager (person.manager_id at the time of reading),
 * and then that manager sees that one, and may stop sharing it again. The
 * one rule is FB_VISIBLE below, used by every query that reads feedback, so
 * pages and the API cannot drift apart. Notifications name the giver and
 * never carry the text. This file owns /feedback, /feedback-requests and
 * their API. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include <string.h>

#define FB_BODY_MAX 5000   /* characters */
#define FB_ABOUT_MAX 200
#define FB_LIST 50         /* rows a list shows */

/* FB_VISIBLE: the giver, the recipient, or the recipient's manager once it
 * is shared. Parameters: the caller, three times. */
#define FB_VISIBLE "(f.giver_id = ? OR f.recipient_id = ? OR (f.shared_at IS NOT NULL AND rp.manager_id = ?)) "
#define FB_COLS                                                                                                            \
    "SELECT f.id, f.giver_id, gp.name, f.recipient_id, rp.name, f.request_id, f.about, f.body, f.shared_at, f.created_at " \
    "FROM feedback f JOIN person gp ON gp.id = f.giver_id JOIN person rp ON rp.id = f.recipient_id "
static const char SQL_FB_GET[] = FB_COLS "WHERE f.id = ? AND f.org_id = ? AND " FB_VISIBLE;
static const char SQL_FB_RECEIVED[] = FB_COLS "WHERE f.org_id = ? AND f.recipient_id = ? AND (? = 0 OR f.id < ?) AND " FB_VISIBLE "ORDER BY f.id DESC LIMIT ?";
static const char SQL_FB_GIVEN[] = FB_COLS "WHERE f.org_id = ? AND f.giver_id = ? AND (? = 0 OR f.id < ?) AND " FB_VISIBLE "ORDER BY f.id DESC LIMIT ?";
static const char SQL_FB_SHARED[] =
    FB_COLS "WHERE f.org_id = ? AND rp.manager_id = ? AND f.shared_at IS NOT NULL AND (? = 0 OR f.id < ?) AND " FB_VISIBLE "ORDER BY f.id DESC LIMIT ?";
static const char SQL_FB_ADD[] = "INSERT INTO feedback(org_id, giver_id, recipient_id, request_id, about, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_FB_SHARE[] = "UPDATE feedback SET shared_at = ? WHERE id = ? AND org_id = ? AND recipient_id = ?";
#define RQ_COLS                                                                                                 \
    "SELECT q.id, q.asker_id, ap.name, q.asked_id, kp.name, q.about, q.status, q.created_at FROM feedback_request q " \
    "JOIN person ap ON ap.id = q.asker_id JOIN person kp ON kp.id = q.asked_id "
static const char SQL_RQ_GET[] = RQ_COLS "WHERE q.id = ? AND q.org_id = ? AND (q.asker_id = ? OR q.asked_id = ?)";
static const char SQL_RQ_TO_ME[] = RQ_COLS "WHERE q.org_id = ? AND q.asked_id = ? AND q.status = 'open' AND (? = 0 OR q.id < ?) ORDER BY q.id DESC LIMIT ?";
static const char SQL_RQ_MINE[] = RQ_COLS "WHERE q.org_id = ? AND q.asker_id = ? AND (? = 0 OR q.id < ?) ORDER BY q.id DESC LIMIT ?";
static const char SQL_RQ_ADD[] = "INSERT INTO feedback_request(org_id, asker_id, asked_id, about, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_RQ_SET[] = "UPDATE feedback_request SET status = ? WHERE id = ? AND org_id = ? AND asked_id = ? AND status = 'open'";
static const char SQL_PERSON_OK[] = "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'";
static const char SQL_MANAGER_OF[] = "SELECT manager_id FROM person WHERE id = ? AND org_id = ? AND manager_id IS NOT NULL";
static const char SQL_PEOPLE_OPTIONS[] = "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 5000";

typedef struct Feedback {
    int64_t id, giver_id, recipient_id, request_id, shared_at, created_at;
    char *giver_name, *recipient_name, *about, *body;
} Feedback;
typedef struct FbRequest {
    int64_t id, asker_id, asked_id, created_at;
    char *asker_name, *asked_name, *about, *status;
} FbRequest;

static void fb_row(Stmt *s, Arena *a, Feedback *f) {
    f->id = db_int(s, 0);
    f->giver_id = db_int(s, 1);
    f->giver_name = db_dup(s, 2, a);
    f->recipient_id = db_int(s, 3);
    f->recipient_name = db_dup(s, 4, a);
    f->request_id = db_int(s, 5);
    f->about = arena_strdup(a, db_text(s, 6));
    f->body = arena_strdup(a, db_text(s, 7));
    f->shared_at = db_int(s, 8);
    f->created_at = db_int(s, 9);
}

static void rq_row(Stmt *s, Arena *a, FbRequest *q) {
    q->id = db_int(s, 0);
    q->asker_id = db_int(s, 1);
    q->asker_name = db_dup(s, 2, a);
    q->asked_id = db_int(s, 3);
    q->asked_name = db_dup(s, 4, a);
    q->about = db_dup(s, 5, a);
    q->status = db_dup(s, 6, a);
    q->created_at = db_int(s, 7);
}

static int fb_find(Req *r, int64_t id, Feedback *f) {
    int64_t me = r->who.person_id;
    Stmt *s = db_q(r->db, SQL_FB_GET, "iiiii", id, r->who.org_id, me, me, me);
    int found = db_step(s) == DB_ROW;
    if (found) fb_row(s, r->arena, f);
    db_reset(s);
    return found;
}

static int rq_find(Req *r, int64_t id, FbRequest *q) {
    Stmt *s = db_q(r->db, SQL_RQ_GET, "iiii", id, r->who.org_id, r->who.person_id, r->who.person_id);
    int found = db_step(s) == DB_ROW;
    if (found) rq_row(s, r->arena, q);
    db_reset(s);
    return found;
}

enum { BOX_RECEIVED, BOX_GIVEN, BOX_SHARED };
static const char *const BOXES[] = {"received", "given", "shared", NULL};

static Feedback *fb_list(Req *r, int box, int64_t after, int limit, int *n) {
    int64_t me = r->who.person_id;
    const char *sql = box == BOX_GIVEN ? SQL_FB_GIVEN : box == BOX_SHARED ? SQL_FB_SHARED : SQL_FB_RECEIVED;
    Stmt *s = db_q(r->db, sql, "iiiiiiii", r->who.org_id, me, after, after, me, me, me, (int64_t)limit);
    int cap = 16;
    Feedback *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    *n = 0;
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        fb_row(s, r->arena, &v[(*n)++]);
    }
    db_reset(s);
    return v;
}

static FbRequest *rq_list(Req *r, bool mine, int64_t after, int limit, int *n) {
    Stmt *s = db_q(r->db, mine ? SQL_RQ_MINE : SQL_RQ_TO_ME, "iiiii", r->who.org_id, r->who.person_id, after, after, (int64_t)limit);
    int cap = 16;
    FbRequest *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    *n = 0;
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        rq_row(s, r->arena, &v[(*n)++]);
    }
    db_reset(s);
    return v;
}

static json_t *fb_json(Req *r, const Feedback *f) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(f->id));
    json_object_set_new(o, "giver", json_ref(f->giver_id, f->giver_name));
    json_object_set_new(o, "recipient", json_ref(f->recipient_id, f->recipient_name));
    json_object_set_new(o, "request_id", f->request_id ? json_integer(f->request_id) : json_null());
    json_object_set_new(o, "about", json_text(f->about));
    json_object_set_new(o, "body", json_text(f->body));
    json_object_set_new(o, "shared_with_manager", json_boolean(f->shared_at != 0));
    json_object_set_new(o, "created_at", json_time(r->arena, f->created_at));
    return o;
}

static json_t *rq_json(Req *r, const FbRequest *q) {
    return json_pack("{s:I,s:o,s:o,s:s,s:s,s:o}", "id", (json_int_t)q->id, "asker", json_ref(q->asker_id, q->asker_name), "asked", json_ref(q->asked_id, q->asked_name),
                     "about", q->about, "status", q->status, "created_at", json_time(r->arena, q->created_at));
}

/* ---------- the rules ---------- */

static const char *text_in(Req *r, const char *v, const char *field, int max, bool required, Errors *e) {
    const char *t = str_trim(r->arena, v ? v : "");
    if (required && str_empty(t)) err_add(e, 422, "invalid", field, strcmp(field, "body") == 0 ? "Write the feedback first." : "Say what it is about.");
    else if ((int)utf8_chars(t) > max)
        err_add(e, 422, "invalid", field, max == FB_ABOUT_MAX ? "Keep it to 200 characters or fewer." : "Keep it to 5000 characters or fewer.");
    else if (max == FB_ABOUT_MAX && has_control(t)) err_add(e, 422, "invalid", field, "One line, without control characters.");
    return t;
}

/* fb_give: feedback from the caller, either answering request_id (an open
 * request asked of the caller: its asker receives it) or unasked to
 * recipient_id. 0 ok (*id_out), -1 with e filled and nothing written. */
static int fb_give(Req *r, int64_t request_id, int64_t recipient_id, const char *about_in, const char *body_in, Errors *e, int64_t *id_out) {
    int64_t x;
    FbRequest q = {0};
    if (request_id) {
        if (!rq_find(r, request_id, &q) || q.asked_id != r->who.person_id) err_add(e, 422, "invalid", "request_id", "There is no such request for you.");
        else if (strcmp(q.status, "open")) err_add(e, 409, "conflict", "request_id", "This request is already answered or declined.");
        else recipient_id = q.asker_id;
    } else if (!recipient_id || !db_one_int(r->db, &x, SQL_PERSON_OK, "ii", recipient_id, r->who.org_id))
        err_add(e, 422, "invalid", "recipient_id", "Choose a current colleague.");
    else if (recipient_id == r->who.person_id) err_add(e, 422, "invalid", "recipient_id", "Feedback is for someone else.");
    const char *about = request_id ? q.about : text_in(r, about_in, "about", FB_ABOUT_MAX, false, e);
    const char *body = text_in(r, body_in, "body", FB_BODY_MAX, true, e);
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_FB_ADD, "iiiItti", r->who.org_id, r->who.person_id, recipient_id, request_id, about ? about : "", body, r->now);
    int64_t id = db_last_id(r->db);
    if (rc == DB_OK && request_id) {
        rc = db_exec(r->db, SQL_RQ_SET, "tiii", "answered", request_id, r->who.org_id, r->who.person_id);
        if (rc == DB_OK && db_changes(r->db) != 1) rc = DB_CONSTRAINT;
    }
    if (rc != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "conflict", "request_id", "This request is already answered or declined.");
        else err_busy(e);
        return -1;
    }
    const Lang *l = i18n_person_lang(r->db, recipient_id);
    notify(r->db, r->who.org_id, recipient_id, r->now, "feedback.received", arena_printf(r->arena, TP(l, "%s gave you feedback."), r->who.name ? r->who.name : ""),
           "/feedback");
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

static int rq_ask(Req *r, int64_t asked_id, const char *about_in, Errors *e, int64_t *id_out) {
    int64_t x;
    if (!asked_id || !db_one_int(r->db, &x, SQL_PERSON_OK, "ii", asked_id, r->who.org_id)) err_add(e, 422, "invalid", "asked_id", "Choose a current colleague.");
    else if (asked_id == r->who.person_id) err_add(e, 422, "invalid", "asked_id", "Ask someone else.");
    const char *about = text_in(r, about_in, "about", FB_ABOUT_MAX, true, e);
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, SQL_RQ_ADD, "iiiti", r->who.org_id, r->who.person_id, asked_id, about, r->now);
    int64_t id = db_last_id(r->db);
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    const Lang *l = i18n_person_lang(r->db, asked_id);
    notify(r->db, r->who.org_id, asked_id, r->now, "feedback.request",
           arena_printf(r->arena, TP(l, "%s asks for your feedback on: %s"), r->who.name ? r->who.name : "", about), "/feedback#requests");
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

static int rq_decline(Req *r, const FbRequest *q, Errors *e) {
    if (q->asked_id != r->who.person_id) {
        err_add(e, 403, "forbidden", NULL, "Only the person asked may decline.");
        return -1;
    }
    if (strcmp(q->status, "open")) {
        err_add(e, 409, "conflict", NULL, "This request is already answered or declined.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    if (db_exec(r->db, SQL_RQ_SET, "tiii", "declined", q->id, r->who.org_id, r->who.person_id) != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* fb_share: the recipient shares one feedback with their manager (on) or
 * stops sharing it; 403 for anyone else (the giver, a manager). */
static int fb_share(Req *r, const Feedback *f, bool on, Errors *e) {
    int64_t mgr = 0;
    if (f->recipient_id != r->who.person_id) {
        err_add(e, 403, "forbidden", NULL, "Only its recipient may share feedback.");
        return -1;
    }
    if (on && !db_one_int(r->db, &mgr, SQL_MANAGER_OF, "ii", r->who.person_id, r->who.org_id)) {
        err_add(e, 409, "conflict", NULL, "You have no manager to share it with.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = on ? db_exec(r->db, SQL_FB_SHARE, "iiii", f->shared_at ? f->shared_at : r->now, f->id, r->who.org_id, r->who.person_id)
                : db_exec(r->db, SQL_FB_SHARE, "niii", f->id, r->who.org_id, r->who.person_id);
    if (rc == DB_OK && on && !f->shared_at) {
        const Lang *l = i18n_person_lang(r->db, mgr);
        notify(r->db, r->who.org_id, mgr, r->now, "feedback.shared",
               arena_printf(r->arena, TP(l, "%s shared feedback they received with you."), r->who.name ? r->who.name : ""), "/feedback#shared");
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- the API ---------- */

static const JField GIVE_FIELDS[] = {{"recipient_id", JF_ID_NULL, 0}, {"request_id", JF_ID_NULL, 0}, {"about", JF_STRING_NULL, 2000}, {"body", JF_STRING, 50000}, {0}};
static const JField ASK_FIELDS[] = {{"asked_id", JF_ID_NULL, 0}, {"about", JF_STRING, 2000}, {0}};

static int box_of(Req *r, int *box) {
    const char *b = req_query(r, "box");
    *box = BOX_RECEIVED;
    if (!b || !*b) return 0;
    for (int i = 0; BOXES[i]; i++)
        if (strcmp(b, BOXES[i]) == 0) return *box = i, 0;
    return resp_error(r, 400, "invalid_parameter", "box is received, given or shared.");
}

/* GET /api/v1/feedback?box=received|given|shared&limit=&after=: feedback
 * the caller received (default), gave, or that their reports shared with
 * them, newest first (member). Nobody else's, whatever their access. */
int feedback_api_list(Req *r) {
    int limit, box;
    int64_t after;
    if (parse_limit_after(r, &limit, &after) || box_of(r, &box)) return -1;
    int n;
    Feedback *v = fb_list(r, box, after, limit, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, fb_json(r, &v[i]));
    resp_json(r, 200, json_page(items, limit, n ? v[n - 1].id : 0));
    return 0;
}

/* POST /api/v1/feedback {"recipient_id","about","body"} or {"request_id",
 * "body"}: gives feedback unasked, or answers a request asked of the caller
 * (member). 201 with it; 422 naming the field; 409 for a request already
 * answered or declined. */
int feedback_api_create(Req *r) {
    json_t *o = req_json_object(r, GIVE_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    int64_t id;
    if (fb_give(r, json_id(o, "request_id"), json_id(o, "recipient_id"), json_str(o, "about"), json_str(o, "body"), &e, &id)) return err_send(r, &e);
    Feedback f;
    if (!fb_find(r, id, &f)) return resp_error(r, 500, "internal", "The feedback could not be read back.");
    resp_json(r, 201, fb_json(r, &f));
    return 0;
}

/* GET /api/v1/feedback/{id}: one feedback (its giver, its recipient, or the
 * recipient's manager once shared; 404 for everyone else, admins too). */
int feedback_api_get(Req *r) {
    Feedback f;
    if (!fb_find(r, r->params[0], &f)) return resp_error(r, 404, "not_found", "There is no such feedback.");
    resp_json(r, 200, fb_json(r, &f));
    return 0;
}

static int api_share(Req *r, bool on) {
    Feedback f;
    if (!fb_find(r, r->params[0], &f)) return resp_error(r, 404, "not_found", "There is no such feedback.");
    Errors e = {0};
    if (fb_share(r, &f, on, &e)) return err_send(r, &e);
    fb_find(r, f.id, &f);
    resp_json(r, 200, fb_json(r, &f));
    return 0;
}

/* PUT /api/v1/feedback/{id}/share: the recipient shares it with their
 * manager (403 for anyone else who may see it; 409 without a manager). */
int feedback_api_share(Req *r) { return api_share(r, true); }

/* DELETE /api/v1/feedback/{id}/share: the recipient stops sharing it. */
int feedback_api_unshare(Req *r) { return api_share(r, false); }

/* GET /api/v1/feedback-requests?box=to_answer|mine: the open requests asked
 * of the caller (default) or the caller's own requests (member). */
int feedback_api_requests(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    const char *b = req_query(r, "box");
    if (b && *b && strcmp(b, "to_answer") && strcmp(b, "mine")) return resp_error(r, 400, "invalid_parameter", "box is to_answer or mine.");
    int n;
    FbRequest *v = rq_list(r, b && strcmp(b, "mine") == 0, after, limit, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, rq_json(r, &v[i]));
    resp_json(r, 200, json_page(items, limit, n ? v[n - 1].id : 0));
    return 0;
}

/* POST /api/v1/feedback-requests {"asked_id","about"}: asks a colleague for
 * feedback on something specific (member); they are told. 201. */
int feedback_api_ask(Req *r) {
    json_t *o = req_json_object(r, ASK_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    int64_t id;
    if (rq_ask(r, json_id(o, "asked_id"), json_str(o, "about"), &e, &id)) return err_send(r, &e);
    FbRequest q;
    rq_find(r, id, &q);
    resp_json(r, 201, rq_json(r, &q));
    return 0;
}

/* POST /api/v1/feedback-requests/{id}/decline: the person asked declines
 * (403 for the asker; 409 when no longer open). 200 with the request. */
int feedback_api_decline(Req *r) {
    FbRequest q;
    if (!rq_find(r, r->params[0], &q)) return resp_error(r, 404, "not_found", "There is no such request.");
    Errors e = {0};
    if (rq_decline(r, &q, &e)) return err_send(r, &e);
    rq_find(r, q.id, &q);
    resp_json(r, 200, rq_json(r, &q));
    return 0;
}

/* ---------- pages ---------- */

typedef struct Typed { const char *form, *about, *body; int64_t person, request; const Errors *e; } Typed;

static const char *err_of(const Typed *t, const char *form, const char *field) {
    return t && t->e && t->form && strcmp(t->form, form) == 0 ? err_for(t->e, field) : NULL;
}

static void fb_item(Req *r, const Feedback *f, int box) {
    Buf *b = page(r);
    html_printf(b, "<li id=\"feedback-%D\"><p class=\"muted\">", f->id);
    if (box == BOX_GIVEN) html_printf(b, "%h <strong>%h</strong>", T(r, "To"), f->recipient_name);
    else if (box == BOX_SHARED) html_printf(b, "%h → %h", f->giver_name, f->recipient_name);
    else html_printf(b, "%h <strong>%h</strong>", T(r, "From"), f->giver_name);
    html_printf(b, " · <time datetime=\"%h\">%h</time>", iso_time(r->arena, f->created_at), fmt_time(r, f->created_at));
    if (*f->about) html_printf(b, " · %h %h", T(r, "about"), f->about);
    buf_puts(b, "</p>");
    html_markdown(b, f->body);
    if (box == BOX_RECEIVED) {
        html_printf(b, "<form method=\"post\" action=\"/feedback/%D/share\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<input type=\"hidden\" name=\"share\" value=\"%s\"><button type=\"submit\" class=\"secondary\">%h</button></form>",
                    f->id, r->who.csrf ? r->who.csrf : "", f->shared_at ? "0" : "1",
                    f->shared_at ? T(r, "Stop sharing with your manager") : T(r, "Share with your manager"));
        if (f->shared_at) html_printf(b, " <span class=\"badge\">%h</span>", T(r, "shared with your manager"));
    }
    buf_puts(b, "</li>");
}

static void fb_section(Req *r, int box, const char *id, const char *title, const char *empty) {
    Buf *b = page(r);
    int n;
    Feedback *v = fb_list(r, box, 0, FB_LIST, &n);
    if (!n && box == BOX_SHARED) return;
    html_printf(b, "<section class=\"card\" id=\"%s\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">%h</h2>", id, id, id, T(r, title));
    if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, empty));
    else {
        buf_puts(b, "<ul class=\"plain comments\">");
        for (int i = 0; i < n; i++) fb_item(r, &v[i], box);
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</section>");
}

static void feedback_render(Req *r, const Typed *t) {
    page_begin(r, "Feedback");
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Feedback"),
                T(r, "Feedback goes to the person it is for, and to nobody else: not their manager, not admins. They may share it with their manager."));
    const char *done = req_query(r, "done");
    if (done) page_flash(r, T(r, "Saved."));
    if (t && t->e && (t->e->status == 409 || t->e->status == 403) && t->e->n)
        html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", T(r, t->e->items[0].msg));
    /* requests waiting for the caller */
    int n;
    FbRequest *q = rq_list(r, false, 0, FB_LIST, &n);
    html_printf(b, "<section class=\"card\" id=\"requests\" aria-labelledby=\"requests-h\"><h2 id=\"requests-h\">%h</h2>", T(r, "Asked of you"));
    if (!n) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "Nobody is waiting for your feedback."));
    for (int i = 0; i < n; i++) {
        html_printf(b, "<div class=\"request\"><p><strong>%h</strong> %h: %h</p>", q[i].asker_name, T(r, "asks for your feedback on"), q[i].about);
        form_begin(r, "/feedback", NULL);
        html_printf(b, "<input type=\"hidden\" name=\"request_id\" value=\"%D\">", q[i].id);
        bool mine = t && t->request == q[i].id;
        html_printf(b, "<div class=\"field%s\"><label for=\"answer-%D\">%h</label><textarea id=\"answer-%D\" name=\"body\" rows=\"4\">%h</textarea>",
                    mine && err_of(t, "answer", "body") ? " has-error" : "", q[i].id, T(r, "Your feedback"), q[i].id, mine && t->body ? t->body : "");
        if (mine && err_of(t, "answer", "body")) html_printf(b, "<p class=\"error\">%h</p>", T(r, err_of(t, "answer", "body")));
        buf_puts(b, "</div>");
        form_end(r, "Send feedback");
        html_printf(b, "<form method=\"post\" action=\"/feedback-requests/%D/decline\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<button type=\"submit\" class=\"secondary\">%h</button></form></div>",
                    q[i].id, r->who.csrf ? r->who.csrf : "", T(r, "Decline"));
    }
    buf_puts(b, "</section>");
    /* give, ask */
    const OptionList *people = options_cached(r, SQL_PEOPLE_OPTIONS);
    html_printf(b, "<section class=\"card\" id=\"give\" aria-labelledby=\"give-h\"><h2 id=\"give-h\">%h</h2>", T(r, "Give feedback"));
    form_begin(r, "/feedback", NULL);
    form_select_list(r, "recipient_id", "To", t && t->form && strcmp(t->form, "give") == 0 ? t->person : 0, people, "Choose a colleague",
                     err_of(t, "give", "recipient_id"));
    form_text(r, "about", "About (optional)", t && t->form && strcmp(t->form, "give") == 0 ? t->about : NULL, err_of(t, "give", "about"), "text", false);
    form_textarea(r, "body", "Your feedback", t && t->form && strcmp(t->form, "give") == 0 ? t->body : NULL, err_of(t, "give", "body"),
                  "Specific and kind: what you saw, its effect, what might help. Markdown works.");
    form_end(r, "Send feedback");
    buf_puts(b, "</section>");
    html_printf(b, "<section class=\"card\" id=\"ask\" aria-labelledby=\"ask-h\"><h2 id=\"ask-h\">%h</h2>", T(r, "Ask for feedback"));
    form_begin(r, "/feedback-requests", NULL);
    /* ids of this form's fields differ from the give form's: prefix them */
    html_printf(b, "<div class=\"field%s\"><label for=\"f-asked_id\">%h</label><select id=\"f-asked_id\" name=\"asked_id\"><option value=\"\">%h</option>",
                err_of(t, "ask", "asked_id") ? " has-error" : "", T(r, "Whom"), T(r, "Choose a colleague"));
    buf_append(b, people->html, people->len);
    buf_puts(b, "</select>");
    if (err_of(t, "ask", "asked_id")) html_printf(b, "<p class=\"error\">%h</p>", T(r, err_of(t, "ask", "asked_id")));
    buf_puts(b, "</div>");
    html_printf(b, "<div class=\"field%s\"><label for=\"f-ask-about\">%h</label><input id=\"f-ask-about\" name=\"about\" type=\"text\" value=\"%h\" required>",
                err_of(t, "ask", "about") ? " has-error" : "", T(r, "On what, specifically"), t && t->form && strcmp(t->form, "ask") == 0 && t->about ? t->about : "");
    if (err_of(t, "ask", "about")) html_printf(b, "<p class=\"error\">%h</p>", T(r, err_of(t, "ask", "about")));
    buf_puts(b, "</div>");
    form_end(r, "Ask");
    FbRequest *mine = rq_list(r, true, 0, 20, &n);
    if (n) {
        html_printf(b, "<h3>%h</h3><ul class=\"plain\">", T(r, "Your requests"));
        static const char *const ST[] = {N_("open"), N_("answered"), N_("declined")};
        for (int i = 0; i < n; i++) {
            const char *st = mine[i].status;
            for (int k = 0; k < 3; k++)
                if (strcmp(st, ST[k]) == 0) st = T(r, ST[k]);
            html_printf(b, "<li>%h: %h <span class=\"badge\">%h</span></li>", mine[i].asked_name, mine[i].about, st);
        }
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</section>");
    fb_section(r, BOX_RECEIVED, "received", N_("Feedback for you"), N_("No feedback for you yet."));
    fb_section(r, BOX_GIVEN, "given", N_("Feedback you gave"), N_("You have not given feedback yet."));
    fb_section(r, BOX_SHARED, "shared", N_("Shared with you by your reports"), "");
    page_end(r);
}

/* GET /feedback?done=: requests asked of the caller (answer or decline),
 * the forms to give and to ask for feedback, what the caller received and
 * gave, and what their reports shared with them (member). */
int feedback_page(Req *r) {
    feedback_render(r, NULL);
    return 0;
}

static int rerender(Req *r, Typed *t, const Errors *e) {
    if (e->status == 503) return resp_error(r, 503, e->code, "%s", e->items[0].msg);
    t->e = e;
    feedback_render(r, t);
    r->resp.status = e->status ? e->status : 422;
    return 0;
}

static int64_t form_id(Req *r, const char *name) {
    int64_t v = 0;
    const char *s = req_form(r, name);
    if (s && *s && !parse_id(s, &v)) v = 0;
    return v;
}

/* POST /feedback (request_id, body | recipient_id, about, body): answers a
 * request or gives feedback unasked (member). */
int feedback_page_create(Req *r) {
    Typed t = {.request = form_id(r, "request_id"), .person = form_id(r, "recipient_id"), .about = req_form(r, "about"), .body = req_form(r, "body")};
    t.form = t.request ? "answer" : "give";
    Errors e = {0};
    int64_t id;
    if (fb_give(r, t.request, t.person, t.about, t.body, &e, &id)) return rerender(r, &t, &e);
    resp_redirect(r, "/feedback?done=1#given");
    return 0;
}

/* POST /feedback-requests (asked_id, about): asks for feedback (member). */
int feedback_page_ask(Req *r) {
    Typed t = {.form = "ask", .person = form_id(r, "asked_id"), .about = req_form(r, "about")};
    Errors e = {0};
    int64_t id;
    if (rq_ask(r, t.person, t.about, &e, &id)) return rerender(r, &t, &e);
    resp_redirect(r, "/feedback?done=1#ask");
    return 0;
}

/* POST /feedback-requests/{id}/decline: declines a request asked of the caller (member). */
int feedback_page_decline(Req *r) {
    FbRequest q;
    if (!rq_find(r, r->params[0], &q)) return resp_error(r, 404, "not_found", "There is no such request.");
    Errors e = {0};
    Typed t = {0};
    if (rq_decline(r, &q, &e)) return rerender(r, &t, &e);
    resp_redirect(r, "/feedback?done=1#requests");
    return 0;
}

/* POST /feedback/{id}/share (share=1|0): the recipient shares it with their
 * manager or stops (member; 404 for feedback the caller may not see). */
int feedback_page_share(Req *r) {
    Feedback f;
    if (!fb_find(r, r->params[0], &f)) return resp_error(r, 404, "not_found", "There is no such feedback.");
    const char *s = req_form(r, "share");
    Errors e = {0};
    Typed t = {0};
    if (fb_share(r, &f, !s || strcmp(s, "0") != 0, &e)) return rerender(r, &t, &e);
    resp_redirect(r, arena_printf(r->arena, "/feedback?done=1#feedback-%lld", (long long)f.id));
    return 0;
}

/* feedback_home_items: requests for feedback waiting for the caller. */
void feedback_home_items(Req *r, Home *h) {
    int64_t n = 0;
    db_one_int(r->db, &n, "SELECT count(*) FROM feedback_request WHERE org_id = ? AND asked_id = ? AND status = 'open'", "ii", r->who.org_id, r->who.person_id);
    home_item(h, "feedback_requests", TN(r, "request for your feedback", "requests for your feedback", n), n, "/feedback#requests", URGENCY_WAITING);
}
