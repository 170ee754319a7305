/* surveyplan.c: from listening to action (issue 12). From a closed round's
 * result (the organisation's or a team's, a factor or a question) a manager
 * or admin who may see that result makes an action through the action-items
 * service (actions_create, source kind "survey"; the source id is the
 * survey_plan row that says which result it came from, migration 0014). The
 * survey page lists the plan per round and group; when a later round of the
 * survey opens, its respondents see "You said ..., we did ...": the result
 * (with its favourability only when that group's results were shown) and
 * what was done or is in progress.
 *
 * Who may see a plan item follows its result: the organisation's plan
 * everyone in the organisation; a team's plan whoever may see that team's
 * results (survey_may_see_team on the tree the round closed with): its own
 * people, the managers of its subtree, admins. */
#include "surveys.h"
#include "handlers.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_TITLE_MAX 200
#define PLAN_LIST_MAX 200
#define YOU_SAID_MAX 6

bool surveys_may_manage(Req *r, const Survey *sv);

/* surveys_may_see: the action items' "survey" source (src/actions.c
 * SOURCES): may the caller see plan item id, that is, the result it was made
 * from? */
bool surveys_may_see(Req *r, int64_t plan_id) {
    Stmt *s = db_q(r->db, "SELECT round_id, team_id FROM survey_plan WHERE id = ? AND org_id = ?", "ii", plan_id, r->who.org_id);
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return false;
    }
    int64_t round = db_int(s, 0), team = db_int(s, 1);
    db_reset(s);
    if (team == 0) return true;
    Tree t;
    tree_load_closed(r->db, r->arena, r->who.org_id, round, &t);
    int node = tree_find(&t, team);
    return node > 0 ? survey_may_see_team(r, &t, node) : r->who.access >= ACCESS_ADMIN;
}

/* plan_may_add: a team's result: admins, and managers who may see it; the
 * organisation's: admins and the survey's owner. */
static bool plan_may_add(Req *r, const Survey *sv, const Tree *t, int node) {
    if (r->who.access >= ACCESS_ADMIN) return true;
    if (node == 0) return surveys_may_manage(r, sv) && r->who.access >= ACCESS_MANAGER;
    return r->who.access >= ACCESS_MANAGER && survey_may_see_team(r, t, node);
}

bool surveys_plan_may_add(Req *r, const Survey *sv, const Tree *t, int node);
bool surveys_plan_may_add(Req *r, const Survey *sv, const Tree *t, int node) { return plan_may_add(r, sv, t, node); }

typedef struct PlanIn {
    const char *title, *due_on, *factor;
    int64_t owner_id, team_id, question_id;
} PlanIn;

/* result_figure: the favourability of the factor or question in the group's
 * results as shown; false when the group is hidden or has no figure. */
static bool result_figure(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, const Tree *t, int node, const PlanIn *in, double *out) {
    json_t *res = survey_results_json(r->db, r->arena, sv, rd, q, nq, t, node, false, r);
    bool ok = false;
    if (!json_is_true(json_object_get(res, "hidden"))) {
        json_t *v = NULL;
        if (in->factor) v = json_object_get(json_object_get(res, "factors"), in->factor);
        else {
            size_t i;
            json_t *x;
            json_array_foreach(json_object_get(res, "questions"), i, x) if (json_integer_value(json_object_get(x, "question_id")) == in->question_id) v = json_object_get(x, "favourable");
        }
        if (json_is_number(v)) {
            *out = json_number_value(v);
            ok = true;
        }
    }
    json_decref(res);
    return ok;
}

/* surveys_plan_add: an action from a closed round's result; the new
 * action's id, or 0 with e. */
int64_t surveys_plan_add(Req *r, const Survey *sv, const Round *rd, const PlanIn *in, Errors *e);
int64_t surveys_plan_add(Req *r, const Survey *sv, const Round *rd, const PlanIn *in, Errors *e) {
    if (strcmp(rd->status, "closed") != 0) {
        err_add(e, 409, "not_closed", NULL, T(r, "Actions are made from results, which appear when the round closes."));
        return 0;
    }
    Tree t;
    tree_load_closed(r->db, r->arena, sv->org_id, rd->id, &t);
    int node = in->team_id ? tree_find(&t, in->team_id) : 0;
    if (node < 0) {
        err_add(e, 404, "not_found", "team_id", T(r, "This round has no such team."));
        return 0;
    }
    if (!plan_may_add(r, sv, &t, node)) {
        err_add(e, 403, "forbidden", "team_id",
                T(r, "Managers plan actions for the teams they lead; admins and the survey's owner for the organisation."));
        return 0;
    }
    const char *title = in->title ? str_trim(r->arena, in->title) : "";
    if (str_empty(title) || utf8_chars(title) > PLAN_TITLE_MAX || has_control(title))
        err_add(e, 422, "invalid", "title", T(r, "Give the action a title of 1 to 200 characters on one line."));
    int64_t x = 0;
    if (!in->owner_id || !db_one_int(r->db, &x, "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'", "ii", in->owner_id, r->who.org_id))
        err_add(e, 422, "invalid", "owner_id", T(r, "The owner must be a current person of the organisation."));
    if (in->due_on && !valid_date(in->due_on)) err_add(e, 422, "invalid", "due_on", T(r, "Give the due date as YYYY-MM-DD."));
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv->id, &nq);
    bool found = false;
    if ((in->factor != NULL) == (in->question_id != 0))
        err_add(e, 422, "invalid", "question_id", T(r, "Say which result the action answers: a question or a factor."));
    else if (in->factor) {
        for (int i = 0; i < nq; i++) found |= q[i].factor && strcmp(q[i].factor, in->factor) == 0;
        if (!found) err_add(e, 422, "invalid", "factor", T(r, "This survey has no such factor."));
    } else {
        for (int i = 0; i < nq; i++) found |= q[i].id == in->question_id && q[i].kind != Q_TEXT;
        if (!found) err_add(e, 422, "invalid", "question_id", T(r, "This survey has no such question with figures."));
    }
    if (e->n) return 0;
    double fav = 0;
    bool has_fav = result_figure(r, sv, rd, q, nq, &t, node, in, &fav);
    char favs[24];
    snprintf(favs, sizeof favs, "%.1f", fav);
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return 0;
    }
    int rc = db_exec(r->db,
                     "INSERT INTO survey_plan(org_id, survey_id, round_id, team_id, question_id, factor, favourable) VALUES (?, ?, ?, ?, ?, ?, CAST(? AS REAL))",
                     "iiiiItt", r->who.org_id, sv->id, rd->id, t.id[node], in->question_id, in->factor, has_fav ? favs : NULL);
    int64_t plan = rc == DB_OK ? db_last_id(r->db) : 0;
    int64_t action = plan ? actions_create(r->db, r->arena, r->who.org_id, title, in->owner_id, in->due_on, "survey", plan, r->who.person_id, r->now) : 0;
    if (action) rc = db_exec(r->db, "UPDATE survey_plan SET action_id = ? WHERE id = ?", "ii", action, plan);
    if (action && rc == DB_OK)
        audit(r, "survey.action", arena_printf(r->arena, "survey:%lld", (long long)sv->id), "round %d action:%lld", rd->number, (long long)action);
    if (!action || rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return 0;
    }
    return action;
}

/* ---------- reading the plan ---------- */

static const char SQL_PLAN[] =
    "SELECT p.id, p.round_id, rd.number, p.team_id, t.name, p.question_id, p.factor, p.favourable, a.id, a.title, a.status, a.due_on, a.owner_id, o.name "
    "FROM survey_plan p JOIN survey_round rd ON rd.id = p.round_id JOIN action_item a ON a.id = p.action_id AND a.org_id = p.org_id "
    "JOIN person o ON o.id = a.owner_id LEFT JOIN team t ON t.id = p.team_id AND t.org_id = p.org_id "
    "WHERE p.survey_id = ? AND p.org_id = ? AND (? = 0 OR p.round_id = ?) AND (? < 0 OR p.team_id = ?) AND (? = 0 OR rd.number < ?) "
    "ORDER BY rd.number DESC, p.team_id, p.id LIMIT ?";

/* plan_items: the plan of a survey as JSON items the caller may see: of
 * one round (round_id) or all, of one group (team_id >= 0) or all, of the
 * rounds before round number `before` (0: any); for "You said" only the
 * open and done ones. */
static json_t *plan_items(Req *r, const Survey *sv, const Question *q, int nq, int64_t round_id, int64_t team_id, int before, int max, bool said) {
    json_t *items = json_array();
    Stmt *s = db_q(r->db, SQL_PLAN, "iiiiiiiii", sv->id, r->who.org_id, round_id, round_id, team_id, team_id, (int64_t)before, (int64_t)before, (int64_t)PLAN_LIST_MAX);
    typedef struct { int64_t plan, round, team, qid, action, owner; int number; char *team_name, *factor, *title, *status, *due, *owner_name; bool has_fav; double fav; } Row;
    Row v[PLAN_LIST_MAX];
    int n = 0;
    while (n < PLAN_LIST_MAX && db_step(s) == DB_ROW) {
        Row *x = &v[n++];
        x->plan = db_int(s, 0);
        x->round = db_int(s, 1);
        x->number = (int)db_int(s, 2);
        x->team = db_int(s, 3);
        x->team_name = db_dup(s, 4, r->arena);
        x->qid = db_int(s, 5);
        x->factor = db_dup(s, 6, r->arena);
        x->has_fav = !db_null(s, 7);
        x->fav = x->has_fav ? atof(db_text(s, 7)) : 0;
        x->action = db_int(s, 8);
        x->title = db_dup(s, 9, r->arena);
        x->status = db_dup(s, 10, r->arena);
        x->due = db_dup(s, 11, r->arena);
        x->owner = db_int(s, 12);
        x->owner_name = db_dup(s, 13, r->arena);
    }
    db_reset(s);
    /* visibility by the tree each round closed with, loaded once per round */
    int64_t tree_round = 0;
    Tree t = {0};
    int added = 0;
    for (int i = 0; i < n && added < max; i++) {
        Row *x = &v[i];
        if (said && strcmp(x->status, "dropped") == 0) continue;
        if (x->team) {
            if (x->round != tree_round) {
                tree_load_closed(r->db, r->arena, r->who.org_id, x->round, &t);
                tree_round = x->round;
            }
            int node = tree_find(&t, x->team);
            if (node > 0 ? !survey_may_see_team(r, &t, node) : r->who.access < ACCESS_ADMIN) continue;
        }
        const char *qtext = NULL;
        for (int k = 0; k < nq; k++)
            if (q[k].id == x->qid) qtext = survey_is_german(r) && q[k].text_de && *q[k].text_de ? q[k].text_de : q[k].text;
        json_t *o = json_pack("{s:I,s:I,s:I,s:i,s:I,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o}", "id", (json_int_t)x->action, "plan_id", (json_int_t)x->plan, "round_id",
                              (json_int_t)x->round, "round_number", x->number, "team_id", (json_int_t)x->team, "team", json_text(x->team ? x->team_name : NULL),
                              "question_id", x->qid ? json_integer(x->qid) : json_null(), "question", json_text(qtext), "factor", json_text(x->factor),
                              "favourable", x->has_fav ? json_real(x->fav) : json_null(), "title", x->title, "status", x->status, "due_on", json_text(x->due),
                              "owner", json_ref(x->owner, x->owner_name));
        json_array_append_new(items, o);
        added++;
    }
    return items;
}

json_t *surveys_plan_json(Req *r, const Survey *sv, int64_t round_id, int64_t team_id);
json_t *surveys_plan_json(Req *r, const Survey *sv, int64_t round_id, int64_t team_id) {
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv->id, &nq);
    return plan_items(r, sv, q, nq, round_id, team_id, 0, PLAN_LIST_MAX, false);
}

/* ---------- the API ---------- */

static const JField PLAN_FIELDS[] = {{"title", JF_STRING, 1000}, {"owner_id", JF_INT, 0},       {"due_on", JF_DATE_NULL, 0},
                                     {"team_id", JF_ID_NULL, 0}, {"question_id", JF_ID_NULL, 0}, {"factor", JF_STRING_NULL, 80}, {0}};

static int load_sr(Req *r, Survey *sv, Round *rd) {
    if (!survey_find(r->db, r->arena, r->who.org_id, r->params[0], sv)) return resp_error(r, 404, "not_found", "There is no survey %lld.", (long long)r->params[0]);
    if (!round_find(r->db, r->arena, sv->id, r->params[1], rd)) return resp_error(r, 404, "not_found", "This survey has no round %lld.", (long long)r->params[1]);
    return 0;
}

/* POST /api/v1/surveys/{id}/rounds/{round}/actions (manager)
 * {"title","owner_id","due_on","team_id","question_id"|"factor"}: an action
 * from the round's result for the organisation (team_id null) or a team. */
int surveys_api_plan_add(Req *r) {
    json_t *o = req_json_object(r, PLAN_FIELDS); /* the body's form first: 415/400 before 404 */
    if (!o) return -1;
    Survey sv;
    Round rd;
    if (load_sr(r, &sv, &rd)) return -1;
    PlanIn in = {json_str(o, "title"), json_str(o, "due_on"), json_str(o, "factor"), json_integer_value(json_object_get(o, "owner_id")), json_id(o, "team_id"),
                 json_id(o, "question_id")};
    if (in.factor && !*in.factor) in.factor = NULL;
    Errors e = {0};
    int64_t id = surveys_plan_add(r, &sv, &rd, &in, &e);
    if (!id) return err_send(r, &e);
    json_t *items = surveys_plan_json(r, &sv, rd.id, -1);
    json_t *mine = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) if (json_integer_value(json_object_get(x, "id")) == id) mine = json_incref(x);
    json_decref(items);
    if (!mine) return resp_error(r, 500, "internal", "The new action could not be read back.");
    resp_json(r, 201, mine);
    return 0;
}

/* GET /api/v1/surveys/{id}/rounds/{round}/actions?team_id= (member): the
 * round's action plan, the items the caller may see. */
int surveys_api_plan(Req *r) {
    Survey sv;
    Round rd;
    if (load_sr(r, &sv, &rd)) return -1;
    const char *ts = req_query(r, "team_id");
    int64_t team = -1;
    if (ts && *ts) {
        if (strcmp(ts, "0") == 0) team = 0;
        else if (!parse_id(ts, &team)) return resp_error(r, 400, "invalid_parameter", "team_id must be a team's id (0: the organisation).");
    }
    resp_json(r, 200, json_pack("{s:o}", "items", surveys_plan_json(r, &sv, rd.id, team)));
    return 0;
}

/* ---------- the pages ---------- */

/* pct: a percentage the reader's way. */
static char *pct(Req *r, double x) {
    char *s = arena_printf(r->arena, "%.0f", x);
    (void)r;
    return s;
}

static const char *status_label(Req *r, const char *st) {
    if (strcmp(st, "done") == 0) return T(r, "done");
    if (strcmp(st, "dropped") == 0) return T(r, "dropped");
    return T(r, "in progress");
}

/* said_text: what the result said, "Trust: 48% favourable" or the
 * question alone when its figure was not shown. */
static const char *said_text(Req *r, json_t *x, const char *(*factor_name)(Req *, const char *)) {
    const char *what = json_is_string(json_object_get(x, "factor")) ? factor_name(r, json_string_value(json_object_get(x, "factor")))
                                                                     : json_string_value(json_object_get(x, "question"));
    json_t *f = json_object_get(x, "favourable");
    if (!what) what = "";
    if (!json_is_number(f)) return what;
    return arena_printf(r->arena, T(r, "%s: %s%% favourable"), what, pct(r, json_number_value(f)));
}

/* surveys_page_plan_section: the survey page's "Action plan": every item the
 * caller may see, per round and group, with its status. */
void surveys_page_plan_section(Req *r, const Survey *sv, const char *(*factor_name)(Req *, const char *));
void surveys_page_plan_section(Req *r, const Survey *sv, const char *(*factor_name)(Req *, const char *)) {
    Buf *b = page(r);
    json_t *items = surveys_plan_json(r, sv, 0, -1);
    req_defer_json(r, items);
    html_printf(b, "<h2 id=\"plan\">%h</h2>", T(r, "Action plan"));
    if (!json_array_size(items)) {
        html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No actions yet. Managers and admins add them from a round's results."));
        return;
    }
    html_printf(b,
                "<div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Round"), T(r, "Group"), T(r, "You said"), T(r, "We do"), T(r, "Owner"), T(r, "Status"));
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        json_t *due = json_object_get(x, "due_on");
        html_printf(b, "<tr><td>%D</td><td>%h</td><td>%h</td><td>%h", (int64_t)json_integer_value(json_object_get(x, "round_number")),
                    json_is_string(json_object_get(x, "team")) ? json_string_value(json_object_get(x, "team")) : T(r, "Organisation"), said_text(r, x, factor_name),
                    json_string_value(json_object_get(x, "title")));
        if (json_is_string(due)) html_printf(b, " <span class=\"muted\">(%h %h)</span>", T(r, "due"), fmt_date(r, json_string_value(due)));
        html_printf(b, "</td><td>%h</td><td>%h</td></tr>", json_string_value(json_object_get(json_object_get(x, "owner"), "name")),
                    status_label(r, json_string_value(json_object_get(x, "status"))));
    }
    buf_puts(b, "</tbody></table></div>");
}

/* surveys_page_you_said: on the answer page of an open round, what earlier
 * rounds' results said and what is being done about it. */
void surveys_page_you_said(Req *r, const Survey *sv, const Round *rd, const char *(*factor_name)(Req *, const char *));
void surveys_page_you_said(Req *r, const Survey *sv, const Round *rd, const char *(*factor_name)(Req *, const char *)) {
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv->id, &nq);
    json_t *items = plan_items(r, sv, q, nq, 0, -1, rd->number, YOU_SAID_MAX, true);
    req_defer_json(r, items);
    if (!json_array_size(items)) return;
    Buf *b = page(r);
    html_printf(b, "<section class=\"card you-said\" aria-labelledby=\"you-said-h\"><h2 id=\"you-said-h\">%h</h2><ul class=\"plain\">",
                T(r, "You said ..., we did ..."));
    size_t i;
    json_t *x, *prev = NULL;
    json_array_foreach(items, i, x) {
        /* one "You said" per result, then what was done about it */
        bool same = prev && json_equal(json_object_get(prev, "round_id"), json_object_get(x, "round_id")) &&
                    json_equal(json_object_get(prev, "team_id"), json_object_get(x, "team_id")) &&
                    json_equal(json_object_get(prev, "factor"), json_object_get(x, "factor")) &&
                    json_equal(json_object_get(prev, "question_id"), json_object_get(x, "question_id"));
        if (!same) {
            if (prev) buf_puts(b, "</li>");
            html_printf(b, "<li><p><strong>%h</strong> %h <span class=\"muted\">(%h %D%s%h)</span></p>", T(r, "You said:"), said_text(r, x, factor_name), T(r, "round"),
                        (int64_t)json_integer_value(json_object_get(x, "round_number")), json_is_string(json_object_get(x, "team")) ? ", " : "",
                        json_is_string(json_object_get(x, "team")) ? json_string_value(json_object_get(x, "team")) : "");
        }
        bool done = strcmp(json_string_value(json_object_get(x, "status")), "done") == 0;
        html_printf(b, "<p><strong>%h</strong> %h <span class=\"badge\">%h</span></p>", done ? T(r, "We did:") : T(r, "We are doing:"),
                    json_string_value(json_object_get(x, "title")), status_label(r, json_string_value(json_object_get(x, "status"))));
        prev = x;
    }
    if (prev) buf_puts(b, "</li>");
    buf_puts(b, "</ul></section>");
}

/* plan_form: the results page's form to add an action to the plan. */
void surveys_page_plan_form(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, int64_t team_id, const Errors *e,
                            const char *(*factor_name)(Req *, const char *));
void surveys_page_plan_form(Req *r, const Survey *sv, const Round *rd, const Question *q, int nq, int64_t team_id, const Errors *e,
                            const char *(*factor_name)(Req *, const char *)) {
    Buf *b = page(r);
    html_printf(b, "<section class=\"card\" aria-labelledby=\"plan-h\"><h2 id=\"plan-h\">%h</h2><p class=\"hint\">%h</p>", T(r, "Add to the action plan"),
                T(r, "The action goes to its owner's actions; the people of this group see it, and the next round shows them what was done."));
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, arena_printf(r->arena, "/surveys/%lld/rounds/%lld/actions", (long long)sv->id, (long long)rd->id), NULL);
    html_printf(b, "<input type=\"hidden\" name=\"team_id\" value=\"%D\">", team_id);
    const char *about = req_form(r, "about");
    const char *aerr = e ? (err_for(e, "question_id") ? err_for(e, "question_id") : err_for(e, "factor")) : NULL;
    html_printf(b, "<div class=\"field%s\"><label for=\"f-about\">%h</label><select id=\"f-about\" name=\"about\"%s>", aerr ? " has-error" : "",
                T(r, "Which result it answers"), aerr ? " aria-invalid=\"true\" aria-describedby=\"f-about-err\"" : "");
    /* the factors first, each once, then the questions with figures */
    for (int i = 0; i < nq; i++) {
        if (!q[i].factor || !*q[i].factor) continue;
        bool seen = false;
        for (int j = 0; j < i; j++) seen |= q[j].factor && strcmp(q[j].factor, q[i].factor) == 0;
        if (seen) continue;
        char *val = arena_printf(r->arena, "f:%s", q[i].factor);
        html_printf(b, "<option value=\"%h\"%s>%h: %h</option>", val, about && strcmp(about, val) == 0 ? " selected" : "", T(r, "Factor"), factor_name(r, q[i].factor));
    }
    for (int i = 0; i < nq; i++) {
        if (q[i].kind == Q_TEXT) continue;
        char *val = arena_printf(r->arena, "q:%lld", (long long)q[i].id);
        html_printf(b, "<option value=\"%h\"%s>%d. %h</option>", val, about && strcmp(about, val) == 0 ? " selected" : "", i + 1,
                    survey_is_german(r) && q[i].text_de && *q[i].text_de ? q[i].text_de : q[i].text);
    }
    buf_puts(b, "</select>");
    if (aerr) html_printf(b, "<p class=\"error\" id=\"f-about-err\">%h</p>", aerr);
    buf_puts(b, "</div>");
    form_text(r, "title", N_("What will be done"), req_form(r, "title"), e ? err_for(e, "title") : NULL, "text", true);
    const OptionList *people = options_cached(r, "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY name, id LIMIT 2000");
    int64_t owner = r->who.person_id;
    if (req_form(r, "owner_id")) parse_id(req_form(r, "owner_id"), &owner);
    form_select_list(r, "owner_id", N_("Owner"), owner, people, NULL, e ? err_for(e, "owner_id") : NULL);
    form_text(r, "due_on", N_("Due on"), req_form(r, "due_on"), e ? err_for(e, "due_on") : NULL, "date", false);
    form_end(r, N_("Add the action"));
    buf_puts(b, "</section>");
}

/* surveys_page_plan_items: the plan of one round's group, on its results page. */
void surveys_page_plan_items(Req *r, const Survey *sv, const Round *rd, int64_t team_id, const char *(*factor_name)(Req *, const char *));
void surveys_page_plan_items(Req *r, const Survey *sv, const Round *rd, int64_t team_id, const char *(*factor_name)(Req *, const char *)) {
    json_t *items = surveys_plan_json(r, sv, rd->id, team_id);
    req_defer_json(r, items);
    if (!json_array_size(items)) return;
    Buf *b = page(r);
    html_printf(b, "<h2>%h</h2><ul class=\"plain\">", T(r, "Action plan"));
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) html_printf(b, "<li>%h → <strong>%h</strong> (%h, %h)</li>", said_text(r, x, factor_name), json_string_value(json_object_get(x, "title")),
                                               json_string_value(json_object_get(json_object_get(x, "owner"), "name")), status_label(r, json_string_value(json_object_get(x, "status"))));
    buf_puts(b, "</ul>");
}

/* POST /surveys/{id}/rounds/{round}/actions (manager): team_id, about
 * ("f:factor" or "q:question id"), title, owner_id, due_on. */
int surveys_page_plan_post(Req *r, const char *(*factor_name)(Req *, const char *));
int surveys_page_plan_post(Req *r, const char *(*factor_name)(Req *, const char *)) {
    Survey sv;
    Round rd;
    if (load_sr(r, &sv, &rd)) return -1;
    PlanIn in = {req_form(r, "title"), NULL, NULL, 0, 0, 0};
    const char *due = req_form(r, "due_on"), *about = req_form(r, "about"), *ts = req_form(r, "team_id");
    if (due && *due) in.due_on = due;
    if (ts && *ts && strcmp(ts, "0") != 0) parse_id(ts, &in.team_id);
    if (req_form(r, "owner_id")) parse_id(req_form(r, "owner_id"), &in.owner_id);
    if (about && strncmp(about, "f:", 2) == 0 && about[2]) in.factor = about + 2;
    else if (about && strncmp(about, "q:", 2) == 0) parse_id(about + 2, &in.question_id);
    Errors e = {0};
    int64_t id = surveys_plan_add(r, &sv, &rd, &in, &e);
    char *back = arena_printf(r->arena, "/surveys/%lld/rounds/%lld/results%s", (long long)sv.id, (long long)rd.id,
                              in.team_id ? arena_printf(r->arena, "?team_id=%lld", (long long)in.team_id) : "");
    if (id) {
        resp_redirect(r, arena_printf(r->arena, "%s%splanned=1#plan-h", back, in.team_id ? "&" : "?"));
        return 0;
    }
    int status = e.status ? e.status : 422;
    if (status == 403 || status == 404 || status == 409) return resp_error(r, status, e.code ? e.code : "invalid", "%s", e.items[0].msg);
    page_begin(r, T(r, "Add to the action plan"));
    html_printf(page(r), "<h1>%h</h1><p><a href=\"%h\">%h</a></p>", sv.title, back, T(r, "Back to the results"));
    int nq;
    Question *q = survey_questions(r->db, r->arena, sv.id, &nq);
    surveys_page_plan_form(r, &sv, &rd, q, nq, in.team_id, &e, factor_name);
    page_end(r);
    r->resp.status = status;
    return -1;
}
