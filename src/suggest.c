/* suggest.c: the suggestion box (issue 12, "From listening to action"): an
 * always-open anonymous question, "Anything you want to tell us?", switched
 * on for the organisation or a team, answered in the open.
 *
 * Who: admins switch a box on or off for the organisation or any team,
 * managers for the teams they lead (and their subtrees). Everyone in a
 * box's scope (the organisation: everyone; a team: its people and those of
 * its subtree, the managers above it, admins) may write to it. The
 * organisation's box is answered by admins, a team's by admins and the
 * managers who lead it or a team above it; only admins may decline to
 * publish, with a reason that only the writer reads (through the link).
 * Everyone in scope reads the answered suggestions with their answers.
 *
 * Anonymity, as src/anon.c means it: a suggestion is stored with a random
 * id, no author, no address and the day only; it waits in
 * suggestion_pending, unseen by anyone but its writer, until the UTC day is
 * over, and then the day's batch moves into view together (our releaser in
 * anon.c's table). The request that writes it leaves no trace (r->no_trace),
 * no audit line and no notification. The writer's private follow link is
 * shown once and stored as a hash. A box has no group minimum by nature: the
 * form says plainly that the text itself may give its writer away. */
#include "remit.h"
#include "handlers.h"
#include "survey.h"
#include "surveys.h"
#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX 4000
#define SUGGEST_LIST 200

typedef struct Box {
    int64_t id, team_id;
    int node;
    bool open;
    char *name; /* the team's name; NULL for the organisation */
} Box;

/* ---------- who may do what ---------- */

static bool leads_above(Req *r, const Tree *t, int node) {
    if (r->who.access < ACCESS_MANAGER || node <= 0) return false;
    Stmt *s = db_q(r->db, "SELECT id FROM team WHERE org_id = ? AND lead_id = ?", "ii", r->who.org_id, r->who.person_id);
    bool ok = false;
    while (!ok && db_step(s) == DB_ROW) {
        int led = tree_find(t, db_int(s, 0));
        if (led > 0 && tree_below(t, node, led)) ok = true;
    }
    db_reset(s);
    return ok;
}

static bool box_may_see(Req *r, const Tree *t, int node) {
    if (node == 0 || r->who.access >= ACCESS_ADMIN) return true;
    int own = tree_find(t, person_team(r->db, r->who.org_id, r->who.person_id));
    if (own > 0 && tree_below(t, own, node)) return true;
    return leads_above(r, t, node);
}

static bool box_may_answer(Req *r, const Tree *t, int node) { return r->who.access >= ACCESS_ADMIN || leads_above(r, t, node); }

/* boxes: the boxes of the caller's organisation that they may see. */
static Box *boxes(Req *r, const Tree *t, int *n, bool open_only) {
    Box *v = arena_alloc(r->arena, sizeof *v * 64);
    *n = 0;
    Stmt *s = db_q(r->db, "SELECT b.id, b.team_id, b.open, t.name FROM suggest_box b LEFT JOIN team t ON t.id = b.team_id AND t.org_id = b.org_id "
                          "WHERE b.org_id = ? ORDER BY b.team_id <> 0, t.name, b.id LIMIT 64",
                   "i", r->who.org_id);
    while (*n < 64 && db_step(s) == DB_ROW) {
        Box x = {db_int(s, 0), db_int(s, 1), 0, db_int(s, 2) != 0, db_dup(s, 3, r->arena)};
        x.node = x.team_id ? tree_find(t, x.team_id) : 0;
        if (x.node < 0 || (open_only && !x.open)) continue;
        v[(*n)++] = x;
    }
    db_reset(s);
    int k = 0;
    for (int i = 0; i < *n; i++)
        if (box_may_see(r, t, v[i].node)) v[k++] = v[i];
    *n = k;
    return v;
}

static int box_find(Req *r, const Tree *t, int64_t id, Box *out) {
    int n;
    Box *v = boxes(r, t, &n, false);
    for (int i = 0; i < n; i++)
        if (v[i].id == id) {
            *out = v[i];
            return 1;
        }
    return 0;
}

/* ---------- the releaser (src/anon.c RELEASERS) ---------- */

static const char SQL_PENDING_DUE[] = "SELECT count(*) FROM (SELECT 1 FROM suggestion_pending WHERE day < ? LIMIT 1)";
static const char SQL_PENDING_RELEASE[] = "INSERT INTO suggestion(id, org_id, box_id, body, sentiment, words, follow_hash, day) "
                                          "SELECT id, org_id, box_id, body, sentiment, words, follow_hash, day FROM suggestion_pending WHERE day < ? ORDER BY id";
static const char SQL_PENDING_DROP[] = "DELETE FROM suggestion_pending WHERE day < ?";

/* suggestions_release_pending: every suggestion written before `today`
 * moves into view, the whole batch in one transaction, in the order of the
 * random ids. The count moved, or -1 when busy. */
int suggestions_release_pending(Db *db, int64_t today) {
    return anon_release_batch(db, today, SQL_PENDING_DUE, SQL_PENDING_RELEASE, SQL_PENDING_DROP);
}

/* ---------- switching a box ---------- */

/* box_switch: on or off for team_id (0: the organisation); 0 ok, -1 with e. */
static int box_switch(Req *r, int64_t team_id, bool open, Errors *e) {
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    int node = team_id ? tree_find(&t, team_id) : 0;
    if (node < 0 || (node == 0 && team_id)) {
        err_add(e, 422, "invalid", "team_id", T(r, "There is no such team."));
        return -1;
    }
    if (!(r->who.access >= ACCESS_ADMIN || (node > 0 && leads_above(r, &t, node)))) {
        err_add(e, 403, "forbidden", "team_id", T(r, "Admins switch the organisation's box and any team's; managers those of the teams they lead."));
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "INSERT INTO suggest_box(org_id, team_id, open) VALUES (?, ?, ?) ON CONFLICT(org_id, team_id) DO UPDATE SET open = excluded.open", "iii",
                     r->who.org_id, team_id, (int64_t)open);
    if (rc == DB_OK) audit(r, open ? "suggest.open" : "suggest.close", arena_printf(r->arena, "team:%lld", (long long)team_id), "%s", open ? "on" : "off");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- writing ---------- */

/* suggest_write: an anonymous suggestion into box_id; the follow token
 * (shown once) in token; 0 ok, -1 with e. Nothing of the writer is kept. */
static int suggest_write(Req *r, int64_t box_id, const char *text, char token[44], Errors *e) {
    r->no_trace = true; /* the writer's session keeps no time of this, even of a refused attempt */
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    Box bx;
    if (!box_find(r, &t, box_id, &bx)) {
        err_add(e, 404, "not_found", "box_id", T(r, "There is no suggestion box here for you."));
        return -1;
    }
    if (!bx.open) {
        err_add(e, 409, "closed", "box_id", T(r, "This suggestion box is switched off."));
        return -1;
    }
    text = text ? str_trim(r->arena, text) : "";
    if (str_empty(text) || utf8_chars(text) > SUGGEST_MAX) {
        err_add(e, 422, "invalid", "text", T(r, "Write a suggestion of 1 to 4000 characters."));
        return -1;
    }
    Sentiment st;
    sentiment_score(text, &st);
    json_t *words = json_array();
    for (int w = 0; w < st.nwords; w++) json_array_append_new(words, json_text(st.words[w]));
    char *wtext = json_dumps(words, JSON_COMPACT);
    json_decref(words);
    char *wcopy = arena_strdup(r->arena, wtext ? wtext : "[]");
    free(wtext);
    auth_random_token(token);
    char hash[65];
    auth_token_hash(token, hash);
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t id = anon_new_id(r->db, "SELECT (SELECT count(*) FROM suggestion_pending WHERE id = ?) + (SELECT count(*) FROM suggestion WHERE id = ?)");
    int rc = id ? db_exec(r->db, "INSERT INTO suggestion_pending(id, org_id, box_id, body, sentiment, words, follow_hash, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "iiititti", id, r->who.org_id, bx.id, text, (int64_t)st.label, wcopy, hash, anon_day(r->now))
               : DB_BUSY;
    /* no audit line, no notification: either would date the writer */
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- reading ---------- */

typedef struct Sug {
    int64_t id, box_id, by;
    char *body, *status, *answer, *by_name, *answered_on, *words, *day;
    int sentiment;
} Sug;

static const char SQL_SUG[] = "SELECT s.id, s.box_id, s.body, s.status, s.answer, s.answered_by, p.name, s.answered_on, s.words, s.sentiment, s.day "
                              "FROM suggestion s LEFT JOIN person p ON p.id = s.answered_by ";

static void sug_row(Req *r, Stmt *s, Sug *x) {
    x->id = db_int(s, 0);
    x->box_id = db_int(s, 1);
    x->body = db_dup(s, 2, r->arena);
    x->status = db_dup(s, 3, r->arena);
    x->answer = db_dup(s, 4, r->arena);
    x->by = db_int(s, 5);
    x->by_name = db_dup(s, 6, r->arena);
    x->answered_on = db_dup(s, 7, r->arena);
    x->words = db_dup(s, 8, r->arena);
    x->sentiment = (int)db_int(s, 9);
    x->day = anon_date(r->arena, db_int(s, 10));
}

/* box_items: a box's suggestions: the answered ones for everyone in scope;
 * the new and the declined ones too for those who answer the box. */
static Sug *box_items(Req *r, const Box *bx, bool answerer, int *n) {
    Sug *v = arena_alloc(r->arena, sizeof *v * SUGGEST_LIST);
    *n = 0;
    Stmt *s = db_q(r->db,
                   arena_printf(r->arena, "%sWHERE s.box_id = ? AND s.org_id = ? AND (? = 1 OR s.status = 'answered') ORDER BY s.status = 'new' DESC, s.day DESC, s.id LIMIT ?",
                                SQL_SUG),
                   "iiii", bx->id, r->who.org_id, (int64_t)answerer, (int64_t)SUGGEST_LIST);
    while (*n < SUGGEST_LIST && db_step(s) == DB_ROW) sug_row(r, s, &v[(*n)++]);
    db_reset(s);
    return v;
}

static json_t *sug_json(const Sug *x, bool answerer) {
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)x->id, "box_id", (json_int_t)x->box_id, "text", x->body, "day", x->day, "status", x->status);
    bool answered = strcmp(x->status, "answered") == 0;
    /* a declined suggestion's reason is for its writer only (the private link) */
    json_object_set_new(o, "answer", answered ? json_text(x->answer) : json_null());
    json_object_set_new(o, "answered_by", x->by ? json_ref(x->by, x->by_name) : json_null());
    json_object_set_new(o, "answered_on", json_text(x->answered_on));
    if (answerer) {
        json_object_set_new(o, "sentiment", json_string(sentiment_name(x->sentiment)));
        json_object_set_new(o, "words", json_list_decode(x->words));
    }
    return o;
}

static json_t *box_json(Req *r, const Tree *t, const Box *bx) {
    return json_pack("{s:I,s:o,s:o,s:b,s:b}", "id", (json_int_t)bx->id, "team_id", bx->team_id ? json_integer(bx->team_id) : json_null(), "team",
                     json_text(bx->team_id ? bx->name : NULL), "open", bx->open, "may_answer", box_may_answer(r, t, bx->node));
}

/* sug_for_answer: a released suggestion the caller may answer; 1 found. */
static int sug_for_answer(Req *r, int64_t id, Sug *x) {
    Stmt *s = db_q(r->db, arena_printf(r->arena, "%sWHERE s.id = ? AND s.org_id = ?", SQL_SUG), "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) sug_row(r, s, x);
    db_reset(s);
    if (!found) return 0;
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    Box bx;
    return box_find(r, &t, x->box_id, &bx) && box_may_answer(r, &t, bx.node);
}

/* sug_answer: answer in the open (decline false), or decline with a reason
 * only the writer reads (admins); 0 ok, -1 with e. */
static int sug_answer(Req *r, int64_t id, const char *text, bool decline, Errors *e) {
    Sug x;
    if (!sug_for_answer(r, id, &x)) {
        err_add(e, 404, "not_found", NULL, T(r, "There is no suggestion here that you may answer."));
        return -1;
    }
    if (decline && r->who.access < ACCESS_ADMIN) {
        err_add(e, 403, "forbidden", NULL, T(r, "Only admins may decline to publish a suggestion."));
        return -1;
    }
    if (strcmp(x.status, "new") != 0) {
        err_add(e, 409, "answered", NULL, T(r, "This suggestion has been answered already."));
        return -1;
    }
    text = text ? str_trim(r->arena, text) : "";
    if (str_empty(text) || utf8_chars(text) > SUGGEST_MAX) {
        err_add(e, 422, "invalid", decline ? "reason" : "text", decline ? T(r, "Give the writer a reason of 1 to 4000 characters.") : T(r, "Write an answer of 1 to 4000 characters."));
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "UPDATE suggestion SET status = ?, answer = ?, answered_by = ?, answered_on = ? WHERE id = ? AND org_id = ? AND status = 'new'", "ttitii",
                     decline ? "declined" : "answered", text, r->who.person_id, anon_date(r->arena, r->now), id, r->who.org_id);
    if (rc == DB_OK && db_changes(r->db) != 1) { /* answered by someone else meanwhile */
        db_rollback(r->db);
        err_add(e, 409, "answered", NULL, T(r, "This suggestion has been answered already."));
        return -1;
    }
    if (rc == DB_OK) audit(r, decline ? "suggest.decline" : "suggest.answer", arena_printf(r->arena, "suggestion:%lld", (long long)id), "%s", decline ? "declined" : "answered");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* follow_json: what the private link shows: the suggestion, whether it has
 * been released, and its answer or the reason it was declined. */
static json_t *follow_json(Req *r, const char *token) {
    if (!token || strlen(token) != 43) return NULL;
    char hash[65];
    auth_token_hash(token, hash);
    Stmt *s = db_q(r->db, "SELECT body, day FROM suggestion_pending WHERE follow_hash = ?", "t", hash);
    if (db_step(s) == DB_ROW) {
        json_t *o = json_pack("{s:s,s:s,s:s,s:n,s:n,s:n}", "text", db_text(s, 0), "day", anon_date(r->arena, db_int(s, 1)), "status", "waiting", "answer", "answered_by",
                              "answered_on");
        db_reset(s);
        return o;
    }
    db_reset(s);
    s = db_q(r->db, arena_printf(r->arena, "%sWHERE s.follow_hash = ?", SQL_SUG), "t", hash);
    json_t *o = NULL;
    if (db_step(s) == DB_ROW) {
        Sug x;
        sug_row(r, s, &x);
        o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "text", x.body, "day", x.day, "status", x.status, "answer", json_text(x.answer), "answered_by",
                      x.by ? json_text(x.by_name) : json_null(), "answered_on", json_text(x.answered_on));
    }
    db_reset(s);
    return o;
}

/* ---------- the API ---------- */

/* GET /api/v1/suggestion-boxes (member): the boxes the caller may see. */
int suggest_api_boxes(Req *r) {
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    int n;
    Box *v = boxes(r, &t, &n, false);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, box_json(r, &t, &v[i]));
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

static const JField BOX_FIELDS[] = {{"team_id", JF_ID_NULL, 0}, {"open", JF_BOOL, 0}, {0}};

/* PUT /api/v1/suggestion-boxes {"team_id","open"} (manager): switches the
 * organisation's box (team_id null) or a team's on or off. */
int suggest_api_box_put(Req *r) {
    json_t *o = req_json_object(r, BOX_FIELDS);
    if (!o) return -1;
    if (!json_is_boolean(json_object_get(o, "open"))) return resp_error(r, 422, "invalid", "open is true or false.");
    Errors e = {0};
    int64_t team = json_id(o, "team_id");
    if (box_switch(r, team, json_is_true(json_object_get(o, "open")), &e)) return err_send(r, &e);
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    int64_t id = 0;
    db_one_int(r->db, &id, "SELECT id FROM suggest_box WHERE org_id = ? AND team_id = ?", "ii", r->who.org_id, team);
    Box bx;
    if (!box_find(r, &t, id, &bx)) return resp_error(r, 500, "internal", "The box could not be read back.");
    resp_json(r, 200, box_json(r, &t, &bx));
    return 0;
}

static const JField WRITE_FIELDS[] = {{"box_id", JF_INT, 0}, {"text", JF_STRING, 20000}, {0}};

/* POST /api/v1/suggestions {"box_id","text"} (member): an anonymous
 * suggestion; answers the private follow link, shown only now, and the day
 * it becomes visible. */
int suggest_api_write(Req *r) {
    json_t *o = req_json_object(r, WRITE_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    char token[44];
    if (suggest_write(r, json_integer_value(json_object_get(o, "box_id")), json_str(o, "text"), token, &e)) return err_send(r, &e);
    resp_json(r, 201, json_pack("{s:s,s:s}", "follow_url", arena_printf(r->arena, "/suggestion-follow?token=%s", token), "visible_on",
                                anon_date(r->arena, anon_release_on(r->now))));
    return 0;
}

/* GET /api/v1/suggestions?box_id= (member): a box's suggestions. */
int suggest_api_list(Req *r) {
    int64_t bid = 0;
    const char *bs = req_query(r, "box_id");
    if (!bs || !parse_id(bs, &bid)) return resp_error(r, 400, "invalid_parameter", "box_id is required.");
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    Box bx;
    if (!box_find(r, &t, bid, &bx)) return resp_error(r, 404, "not_found", "There is no suggestion box %lld.", (long long)bid);
    bool ans = box_may_answer(r, &t, bx.node);
    int n;
    Sug *v = box_items(r, &bx, ans, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, sug_json(&v[i], ans));
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

static const JField ANSWER_FIELDS[] = {{"text", JF_STRING, 20000}, {0}};
static const JField DECLINE_FIELDS[] = {{"reason", JF_STRING, 20000}, {0}};

/* POST /api/v1/suggestions/{id}/answer {"text"} (manager): the open answer. */
int suggest_api_answer(Req *r) {
    json_t *o = req_json_object(r, ANSWER_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    if (sug_answer(r, r->params[0], json_str(o, "text"), false, &e)) return err_send(r, &e);
    resp_json(r, 200, json_pack("{s:s}", "status", "answered"));
    return 0;
}

/* POST /api/v1/suggestions/{id}/decline {"reason"} (admin): not published;
 * the reason goes only to the writer's private link. */
int suggest_api_decline(Req *r) {
    json_t *o = req_json_object(r, DECLINE_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    if (sug_answer(r, r->params[0], json_str(o, "reason"), true, &e)) return err_send(r, &e);
    resp_json(r, 200, json_pack("{s:s}", "status", "declined"));
    return 0;
}

/* GET /api/v1/suggestion-follow?token= (public): the writer's suggestion
 * and its answer, by the private link; leaves no trace. */
int suggest_api_follow(Req *r) {
    r->no_trace = true;
    json_t *o = follow_json(r, req_query(r, "token"));
    if (!o) return resp_error(r, 404, "not_found", "There is no suggestion at this link.");
    resp_json(r, 200, o);
    return 0;
}

/* ---------- the pages ---------- */

static const char *sentiment_msg(int label) { return label > 0 ? N_("positive") : label < 0 ? N_("negative") : N_("neutral"); }

static void sug_article(Req *r, const Sug *x, bool answerer) {
    Buf *b = page(r);
    html_printf(b, "<article class=\"card suggestion\"><p class=\"meta\">%h", fmt_date(r, x->day));
    if (answerer) {
        html_printf(b, " · <span class=\"badge\">%h</span>", T(r, sentiment_msg(x->sentiment)));
        json_t *w = json_list_decode(x->words);
        if (json_array_size(w)) {
            html_printf(b, " %h", T(r, "because of"));
            size_t j;
            json_t *wd;
            json_array_foreach(w, j, wd) html_printf(b, "%s “%h”", j ? "," : "", json_string_value(wd));
        }
        json_decref(w);
    }
    html_printf(b, "</p><blockquote>%h</blockquote>", x->body);
    if (strcmp(x->status, "answered") == 0)
        html_printf(b, "<p class=\"reply\"><strong>%h</strong> (%h): %h</p>", x->by_name ? x->by_name : "", fmt_date(r, x->answered_on), x->answer);
    else if (strcmp(x->status, "declined") == 0)
        html_printf(b, "<p class=\"muted\">%h</p>", T(r, "Not published; the reason went only to the writer."));
    else if (answerer) {
        form_begin(r, arena_printf(r->arena, "/suggestions/%lld/answer", (long long)x->id), NULL);
        html_printf(b, "<div class=\"field\"><label for=\"answer-%D\">%h</label><textarea id=\"answer-%D\" name=\"text\" rows=\"2\"></textarea></div>", x->id,
                    T(r, "Answer in the open (with your name; everyone who sees the box reads it)"), x->id);
        html_printf(b, "<div class=\"actions\"><button type=\"submit\">%h</button></div></form>", T(r, "Publish the answer"));
        if (r->who.access >= ACCESS_ADMIN) {
            form_begin(r, arena_printf(r->arena, "/suggestions/%lld/decline", (long long)x->id), NULL);
            html_printf(b, "<div class=\"field\"><label for=\"decline-%D\">%h</label><input id=\"decline-%D\" name=\"reason\" type=\"text\"></div>", x->id,
                        T(r, "Or decline to publish, with a reason only the writer reads"), x->id);
            html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%h</button></div></form>", T(r, "Decline"));
        }
    }
    buf_puts(b, "</article>");
}

static void suggest_page_render(Req *r, const Errors *e, int64_t err_box) {
    page_begin(r, T(r, "Suggestion box"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Suggestion box"),
                T(r, "Anything you want to tell us? Write it here anonymously. It shows to the people who answer the box from the next day on, and its answer to "
                     "everyone who sees the box."));
    if (req_query(r, "done")) page_flash(r, T(r, "Saved."));
    if (e && e->n && !err_box) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", e->items[0].msg);
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    int n;
    Box *v = boxes(r, &t, &n, false);
    int shown = 0;
    for (int i = 0; i < n; i++) {
        Box *bx = &v[i];
        bool ans = box_may_answer(r, &t, bx->node);
        if (!bx->open && !ans) continue;
        shown++;
        const char *name = bx->team_id ? bx->name : T(r, "The whole organisation");
        html_printf(b, "<section class=\"card\" aria-labelledby=\"box-%D\"><h2 id=\"box-%D\">%h</h2>", bx->id, bx->id, name);
        if (!bx->open) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "Switched off: nobody can write to it now."));
        else {
            const char *err = e && err_box == bx->id ? e->items[0].msg : NULL;
            form_begin(r, "/suggestions", NULL);
            html_printf(b, "<input type=\"hidden\" name=\"box_id\" value=\"%D\">", bx->id);
            html_printf(b, "<div class=\"field%s\"><label for=\"text-%D\">%h</label><p class=\"hint\" id=\"hint-%D\">%h</p>", err ? " has-error" : "", bx->id,
                        T(r, "Anything you want to tell us?"), bx->id,
                        T(r, "Your name, the time and your address are not stored, only the day. But there is no group to hide in: what you write, and how, may "
                             "itself give you away."));
            if (err) html_printf(b, "<p class=\"error\" id=\"err-%D\">%h</p>", bx->id, err);
            html_printf(b, "<textarea id=\"text-%D\" name=\"text\" rows=\"4\" aria-describedby=\"hint-%D\">%h</textarea></div>", bx->id, bx->id,
                        err ? (req_form(r, "text") ? req_form(r, "text") : "") : "");
            html_printf(b, "<div class=\"actions\"><button type=\"submit\">%h</button></div></form>", T(r, "Send anonymously"));
        }
        int ns;
        Sug *s = box_items(r, bx, ans, &ns);
        if (ns) html_printf(b, "<h3>%h</h3>", ans ? T(r, "Suggestions and answers") : T(r, "Answered suggestions"));
        for (int k = 0; k < ns; k++) sug_article(r, &s[k], ans);
        if (!ns) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No answered suggestions yet."));
        if (ans) {
            form_begin(r, "/suggestions/boxes", NULL);
            html_printf(b, "<input type=\"hidden\" name=\"team_id\" value=\"%D\"><input type=\"hidden\" name=\"open\" value=\"%s\">", bx->team_id, bx->open ? "0" : "1");
            html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%h</button></div></form>", bx->open ? T(r, "Switch off") : T(r, "Switch on"));
        }
        buf_puts(b, "</section>");
    }
    if (!shown) html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No suggestion box is switched on for you yet."));
    /* switching a box on */
    if (r->who.access >= ACCESS_MANAGER) {
        Option *o = arena_alloc(r->arena, sizeof *o * (size_t)(t.n + 1));
        int no = 0;
        if (r->who.access >= ACCESS_ADMIN) o[no++] = (Option){0, (char *)T(r, "The whole organisation")};
        for (int i = 1; i < t.n; i++)
            if (r->who.access >= ACCESS_ADMIN || leads_above(r, &t, i)) o[no++] = (Option){t.id[i], t.name[i]};
        if (no) {
            html_printf(b, "<section class=\"card\" aria-labelledby=\"switch-h\"><h2 id=\"switch-h\">%h</h2>", T(r, "Switch a box on"));
            form_begin(r, "/suggestions/boxes", NULL);
            buf_puts(b, "<input type=\"hidden\" name=\"open\" value=\"1\">");
            form_select_id(r, "team_id", N_("For"), -1, o, no, NULL, NULL);
            form_end(r, N_("Switch on"));
            buf_puts(b, "</section>");
        }
    }
    page_end(r);
}

/* GET /suggestions (member): the boxes the caller sees. */
int suggest_page(Req *r) {
    suggest_page_render(r, NULL, 0);
    return 0;
}

/* POST /suggestions (member): box_id, text: an anonymous suggestion; the
 * private link is shown this once. */
int suggest_page_write(Req *r) {
    int64_t bid = 0;
    parse_id(req_form(r, "box_id") ? req_form(r, "box_id") : "", &bid);
    Errors e = {0};
    char token[44];
    if (suggest_write(r, bid, req_form(r, "text"), token, &e)) {
        if (e.status == 404) return resp_error(r, 404, "not_found", "%s", e.items[0].msg);
        suggest_page_render(r, &e, e.status == 422 ? bid : 0);
        r->resp.status = e.status ? e.status : 422;
        return -1;
    }
    page_begin(r, T(r, "Suggestion box"));
    Buf *b = page(r);
    char *path = arena_printf(r->arena, "/suggestion-follow?token=%s", token);
    html_printf(b, "<h1>%h</h1><p class=\"flash\" role=\"status\">%h</p>", T(r, "Suggestion box"),
                arena_printf(r->arena, T(r, "Thank you. Your suggestion shows to those who answer the box from %s."), fmt_date(r, anon_date(r->arena, anon_release_on(r->now)))));
    html_printf(b,
                "<section class=\"card follow-link\" aria-labelledby=\"keep-h\"><h2 id=\"keep-h\">%h</h2><p>%h</p><p><a href=\"%h\">%h</a></p>"
                "<div class=\"field\"><label for=\"follow-url\">%h</label><input id=\"follow-url\" type=\"text\" readonly value=\"%h\"></div></section>",
                T(r, "Your private link"), T(r, "Keep this link: it is the only way to read the answer to your suggestion, and it is shown only now. Nobody else can see who holds it."),
                path, T(r, "Read the answer here"), T(r, "Your private link"), path);
    page_end(r);
    return 0;
}

/* POST /suggestions/boxes (manager): team_id, open. */
int suggest_page_box(Req *r) {
    int64_t team = 0;
    const char *ts = req_form(r, "team_id");
    if (ts && *ts && strcmp(ts, "0") != 0 && !parse_id(ts, &team)) team = -1;
    const char *op = req_form(r, "open");
    Errors e = {0};
    if (team < 0) err_add(&e, 422, "invalid", "team_id", T(r, "There is no such team."));
    if (e.n || box_switch(r, team, op && strcmp(op, "1") == 0, &e)) {
        if (e.status == 403) return resp_error(r, 403, "forbidden", "%s", e.items[0].msg);
        suggest_page_render(r, &e, 0);
        r->resp.status = e.status ? e.status : 422;
        return -1;
    }
    resp_redirect(r, "/suggestions?done=1");
    return 0;
}

static int answer_post(Req *r, bool decline) {
    Errors e = {0};
    if (sug_answer(r, r->params[0], req_form(r, decline ? "reason" : "text"), decline, &e)) {
        if (e.status == 404 || e.status == 403 || e.status == 409) return resp_error(r, e.status, e.code ? e.code : "invalid", "%s", e.items[0].msg);
        suggest_page_render(r, &e, 0);
        r->resp.status = e.status ? e.status : 422;
        return -1;
    }
    resp_redirect(r, "/suggestions?done=1");
    return 0;
}

/* POST /suggestions/{id}/answer (manager): text. */
int suggest_page_answer(Req *r) { return answer_post(r, false); }
/* POST /suggestions/{id}/decline (admin): reason. */
int suggest_page_decline(Req *r) { return answer_post(r, true); }

/* GET /suggestion-follow?token= (public): the writer's page. */
int suggest_page_follow(Req *r) {
    r->no_trace = true;
    json_t *o = follow_json(r, req_query(r, "token"));
    if (!o) return resp_error(r, 404, "not_found", "There is no suggestion at this link.");
    req_defer_json(r, o);
    page_begin(r, T(r, "Your suggestion"));
    Buf *b = page(r);
    const char *st = json_string_value(json_object_get(o, "status"));
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p><article class=\"card\"><p class=\"meta\">%h</p><blockquote>%h</blockquote>", T(r, "Your suggestion"),
                T(r, "Only you can open this page: nobody knows who holds the link."), fmt_date(r, json_string_value(json_object_get(o, "day"))),
                json_string_value(json_object_get(o, "text")));
    if (strcmp(st, "waiting") == 0) html_printf(b, "<p>%h</p>", T(r, "It shows to those who answer the box when the day it was written is over."));
    else if (strcmp(st, "new") == 0) html_printf(b, "<p>%h</p>", T(r, "No answer yet."));
    else if (strcmp(st, "answered") == 0)
        html_printf(b, "<p class=\"reply\"><strong>%h</strong> (%h): %h</p>", json_string_value(json_object_get(o, "answered_by")),
                    fmt_date(r, json_string_value(json_object_get(o, "answered_on"))), json_string_value(json_object_get(o, "answer")));
    else
        html_printf(b, "<p><strong>%h</strong> %h</p>", T(r, "Not published. The reason:"), json_string_value(json_object_get(o, "answer")));
    buf_puts(b, "</article>");
    page_end(r);
    return 0;
}

/* suggest_home_items: the home page's "suggestions waiting for your
 * answer", for those who answer a box (managers and up); released ones
 * only, so it says nothing about today's writers. */
void suggest_home_items(Req *r, Home *h) {
    if (r->who.access < ACCESS_MANAGER) return;
    int64_t any = 0;
    db_one_int(r->db, &any, "SELECT count(*) FROM (SELECT 1 FROM suggestion WHERE org_id = ? AND status = 'new' LIMIT 1)", "i", r->who.org_id);
    if (!any) return;
    Tree t;
    tree_load_live(r->db, r->arena, r->who.org_id, &t);
    int n;
    Box *v = boxes(r, &t, &n, false);
    int64_t waiting = 0;
    for (int i = 0; i < n; i++) {
        if (!box_may_answer(r, &t, v[i].node)) continue;
        int64_t c = 0;
        db_one_int(r->db, &c, "SELECT count(*) FROM suggestion WHERE box_id = ? AND org_id = ? AND status = 'new'", "ii", v[i].id, r->who.org_id);
        waiting += c;
    }
    home_item(h, "suggestions", TN(r, "suggestion waiting for your answer", "suggestions waiting for your answer", waiting), waiting, "/suggestions", URGENCY_WAITING);
}
