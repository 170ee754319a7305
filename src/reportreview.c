/* reportreview.c: what reviewers do with a report after triage (issue 13):
 * culpability assessments (Reason's tree, culpability.c) confirmed by a
 * second reviewer, the blameless review with its corrective actions
 * (actions_create, source kind "report"), the shared lesson (names replaced
 * by roles) that joins the learning library, and the evidence page
 * /reports/insights. reports.c owns the report itself and who may see it.
 *
 * An assessment is seen only by its two assessors, the owners and the
 * person it concerns; it appears in no list, export or analytics by
 * person, and an anonymous report has none (422). A shared review is seen
 * by everyone in the organisation, with every name of the organisation's
 * people replaced by their role; the unredacted review only by the
 * report's reviewers and the owners. */
#include "remit.h"
#include "handlers.h"
#include "reports.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RR_TEXT_MAX 10000

static const char *const FACTORS[] = {"process", "tools_equipment", "training", "staffing_workload", "communication", "environment", "supplier", NULL};
static const char *const FACTOR_LABELS[] = {N_("Process"), N_("Tools and equipment"), N_("Training"), N_("Staffing and workload"),
                                            N_("Communication"), N_("Environment"), N_("Supplier")};
static const char *const QCODES[CQ_N] = {"intended_act", "intended_result", "impaired", "reasonable_cause", "violation",
                                         "procedures_ok", "substitution", "training_gap", "history", "self_reported"};

static int idx(const char *s, const char *const *v) {
    for (int i = 0; s && v[i]; i++)
        if (strcmp(s, v[i]) == 0) return i;
    return -1;
}

/* ---------- assessments ---------- */

typedef struct Assess {
    int64_t id, person_id, assessor_id, second_id, created_at, decided_at;
    char *act, *answers, *outcome, *behaviour, *rationale, *second_note, *status, *person, *assessor, *second;
} Assess;

#define ASSESS_COLS \
    "SELECT a.id, a.act, a.person_id, pc.name, a.answers, a.outcome, a.behaviour, a.rationale, a.assessor_id, pa.name, a.second_id, ps.name, " \
    "a.second_note, a.status, a.created_at, a.decided_at FROM report_assessment a JOIN person pc ON pc.id = a.person_id " \
    "JOIN person pa ON pa.id = a.assessor_id JOIN person ps ON ps.id = a.second_id "

static void assess_row(Stmt *s, Arena *a, Assess *x) {
    x->id = db_int(s, 0), x->act = db_dup(s, 1, a), x->person_id = db_int(s, 2), x->person = db_dup(s, 3, a), x->answers = db_dup(s, 4, a);
    x->outcome = db_dup(s, 5, a), x->behaviour = db_dup(s, 6, a), x->rationale = db_dup(s, 7, a), x->assessor_id = db_int(s, 8), x->assessor = db_dup(s, 9, a);
    x->second_id = db_int(s, 10), x->second = db_dup(s, 11, a), x->second_note = db_dup(s, 12, a), x->status = db_dup(s, 13, a);
    x->created_at = db_int(s, 14), x->decided_at = db_int(s, 15);
}

/* assess_may_see: its assessors, the owners, the person it concerns. */
static bool assess_may_see(Req *r, const Assess *x) {
    int64_t me = r->who.person_id;
    return me && (me == x->assessor_id || me == x->second_id || me == x->person_id || r->who.access >= ACCESS_OWNER);
}

static Assess *assess_list(Req *r, int64_t report_id, int *n) {
    Stmt *s = db_q(r->db, ASSESS_COLS "WHERE a.report_id = ? AND a.org_id = ? ORDER BY a.id LIMIT 50", "ii", report_id, r->who.org_id);
    Assess *v = arena_alloc(r->arena, sizeof *v * 50);
    *n = 0;
    while (*n < 50 && db_step(s) == DB_ROW) {
        assess_row(s, r->arena, &v[*n]);
        if (assess_may_see(r, &v[*n])) (*n)++;
    }
    db_reset(s);
    return v;
}

static json_t *assess_json(Req *r, const Assess *x) {
    CulpAnswers a;
    culp_parse(x->answers, &a);
    json_t *ans = json_object();
    static const char *const V[] = {NULL, "yes", "no", "dont_know"};
    for (int q = 0; q < CQ_N; q++)
        if (a.a[q]) json_object_set_new(ans, QCODES[q], json_string(V[a.a[q]]));
    CulpResult res;
    bool done = culp_walk(&a, &res) == -1;
    return json_pack("{s:I,s:s,s:o,s:o,s:s,s:s,s:b,s:s,s:o,s:o,s:o,s:s,s:o}", "id", (json_int_t)x->id, "act", x->act, "person", json_ref(x->person_id, x->person),
                     "answers", ans, "outcome", x->outcome, "behaviour", x->behaviour, "mitigated", done && res.mitigated, "rationale", x->rationale, "assessor",
                     json_ref(x->assessor_id, x->assessor), "second_assessor", json_ref(x->second_id, x->second), "second_note", json_text(x->second_note),
                     "status", x->status, "response", json_string(T(r, culp_behaviour_response(idx(x->behaviour, (const char *const[]){"human_error", "at_risk", "reckless", NULL})))));
}

json_t *reports_assessments_json(Req *r, int64_t report_id) {
    int n;
    Assess *v = assess_list(r, report_id, &n);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, assess_json(r, &v[i]));
    return a;
}

typedef struct AssessIn { const char *act, *rationale; int64_t person_id, second_id; CulpAnswers answers; } AssessIn;

static bool is_reviewer_of(Req *r, const Report *x, int64_t person) {
    int64_t *v;
    int n = reports_reviewers(r->db, r->arena, r->who.org_id, x->team_id, &v);
    for (int i = 0; i < n; i++)
        if (v[i] == person) return true;
    return false;
}

static int assess_create(Req *r, const Report *x, AssessIn *in, Errors *e, int64_t *id_out) {
    if (strcmp(x->identity, "anonymous") == 0) {
        err_add(e, 422, "invalid", "report", "An anonymous report has no assessments: there is nobody to assess.");
        return -1;
    }
    if (!x->reviewer) {
        err_add(e, 403, "forbidden", NULL, "Only the report's reviewers assess.");
        return -1;
    }
    const char *act = in->act ? str_trim(r->arena, in->act) : "";
    if (str_empty(act) || utf8_chars(act) > 500) err_add(e, 422, "invalid", "act", "Name the unsafe act in 1 to 500 characters.");
    int64_t p = 0;
    if (!in->person_id || !db_one_int(r->db, &p, "SELECT id FROM person WHERE id = ? AND org_id = ?", "ii", in->person_id, r->who.org_id))
        err_add(e, 422, "invalid", "person_id", "Choose the person the act concerns.");
    if (!in->second_id || in->second_id == r->who.person_id || !is_reviewer_of(r, x, in->second_id))
        err_add(e, 422, "invalid", "second_id", "Choose a second reviewer of this report to confirm the assessment.");
    CulpResult res;
    if (culp_walk(&in->answers, &res) != -1) err_add(e, 422, "invalid", "answers", "Answer every question on the path of the decision tree.");
    const char *why = in->rationale ? str_trim(r->arena, in->rationale) : "";
    if (str_empty(why) || utf8_chars(why) > RR_TEXT_MAX) err_add(e, 422, "invalid", "rationale", "Record the rationale for the assessment.");
    if (e->n) return -1;
    char codes[CQ_N + 1];
    culp_format(&in->answers, codes);
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db,
                     "INSERT INTO report_assessment(org_id, report_id, act, person_id, answers, outcome, behaviour, rationale, assessor_id, second_id, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iititttiiii", r->who.org_id, x->id, act, in->person_id, codes, culp_category_code(res.category), culp_behaviour_code(res.behaviour), why,
                     r->who.person_id, in->second_id, r->now);
    int64_t id = db_last_id(r->db);
    if (rc == DB_OK) {
        const Lang *l = i18n_person_lang(r->db, in->second_id);
        notify(r->db, r->who.org_id, in->second_id, r->now, "report.assessment", TP(l, "An assessment waits for your confirmation."),
               arena_printf(r->arena, "/reports/%lld#assessments", (long long)x->id));
        audit(r, "report.assess", arena_printf(r->arena, "report:%lld", (long long)x->id), "assessment %lld", (long long)id);
    }
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

static int assess_confirm(Req *r, const Report *x, int64_t aid, bool agree, const char *note, Errors *e) {
    Assess a;
    Stmt *s = db_q(r->db, ASSESS_COLS "WHERE a.id = ? AND a.report_id = ? AND a.org_id = ?", "iii", aid, x->id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) assess_row(s, r->arena, &a);
    db_reset(s);
    if (!found || !assess_may_see(r, &a)) {
        err_add(e, 404, "not_found", NULL, "There is no such assessment.");
        return -1;
    }
    if (a.second_id != r->who.person_id) {
        err_add(e, 403, "forbidden", NULL, "Only the second reviewer named on the assessment confirms it.");
        return -1;
    }
    if (strcmp(a.status, "agreed") == 0) {
        err_add(e, 409, "conflict", NULL, "This assessment is agreed already.");
        return -1;
    }
    note = note ? str_trim(r->arena, note) : "";
    if (utf8_chars(note) > RR_TEXT_MAX) err_add(e, 422, "invalid", "rationale", "The text is too long (at most 10,000 characters).");
    if (!agree && str_empty(note)) err_add(e, 422, "invalid", "rationale", "Say why you disagree.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = db_exec(r->db, "UPDATE report_assessment SET status = ?, second_note = ?, decided_at = ? WHERE id = ? AND org_id = ?", "ttiii",
                     agree ? "agreed" : "disagreed", note, r->now, aid, r->who.org_id);
    if (rc == DB_OK) audit(r, "report.assess_confirm", arena_printf(r->arena, "report:%lld", (long long)x->id), "%s", agree ? "agreed" : "disagreed");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

static const JField ASSESS_FIELDS[] = {{"act", JF_STRING, 2000}, {"person_id", JF_INT, 0}, {"second_id", JF_INT, 0}, {"answers", JF_ANY, 0},
                                       {"rationale", JF_STRING, 20000}, {0}};

/* POST /api/v1/reports/{id}/assessments {"act","person_id","second_id",
 * "answers":{"intended_act":"yes|no|dont_know",...},"rationale"}: a
 * culpability assessment by a reviewer, waiting for the named second
 * reviewer (422 for an anonymous report). 201 with the assessment. */
int reports_api_assess(Req *r) {
    json_t *o = req_json_object(r, ASSESS_FIELDS);
    if (!o) return -1;
    json_t *ans = json_object_get(o, "answers");
    Errors e = {0};
    AssessIn in = {json_str(o, "act"), json_str(o, "rationale"), json_integer_value(json_object_get(o, "person_id")),
                   json_integer_value(json_object_get(o, "second_id")), {{0}}};
    if (ans && !json_is_object(ans)) {
        err_add(&e, 400, "bad_request", "answers", "answers must be an object of question: yes, no or dont_know.");
        return err_send(r, &e);
    }
    const char *key;
    json_t *v;
    json_object_foreach(ans, key, v) {
        int q = idx(key, QCODES);
        const char *s = json_string_value(v);
        int a = s ? (strcmp(s, "yes") == 0 ? CA_YES : strcmp(s, "no") == 0 ? CA_NO : strcmp(s, "dont_know") == 0 ? CA_DONT_KNOW : 0) : 0;
        if (q < 0 || !a) {
            err_add(&e, 400, "bad_request", "answers", "answers must be an object of question: yes, no or dont_know.");
            return err_send(r, &e);
        }
        in.answers.a[q] = a;
    }
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    int64_t id;
    if (assess_create(r, &x, &in, &e, &id)) return err_send(r, &e);
    Stmt *s = db_q(r->db, ASSESS_COLS "WHERE a.id = ? AND a.org_id = ?", "ii", id, r->who.org_id);
    Assess a;
    if (db_step(s) != DB_ROW) {
        db_reset(s);
        return resp_error(r, 500, "internal", "The assessment could not be read back.");
    }
    assess_row(s, r->arena, &a);
    db_reset(s);
    resp_json(r, 201, assess_json(r, &a));
    return 0;
}

static const JField CONFIRM_FIELDS[] = {{"agree", JF_BOOL, 0}, {"rationale", JF_STRING_NULL, 20000}, {0}};

/* POST /api/v1/reports/{id}/assessments/{aid}/confirm {"agree","rationale"}:
 * the second reviewer agrees (the assessment stands) or disagrees (it stays
 * open, with the reason). */
int reports_api_assess_confirm(Req *r) {
    json_t *o = req_json_object(r, CONFIRM_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    if (!json_is_boolean(json_object_get(o, "agree"))) {
        err_add(&e, 422, "invalid", "agree", "Say whether you agree (true or false).");
        return err_send(r, &e);
    }
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    if (assess_confirm(r, &x, r->params[1], json_is_true(json_object_get(o, "agree")), json_str(o, "rationale"), &e)) return err_send(r, &e);
    resp_json(r, 200, reports_assessments_json(r, x.id));
    return 0;
}

/* ---------- the blameless review ---------- */

typedef struct Review {
    int64_t id, created_at, shared_at, closed_at;
    char *timeline, *factors, *whys, *went_well, *learned, *lesson_shared, *shared_title, *recognition_note, *status;
    bool shared, recognise, led_to_change;
} Review;

static int review_load(Req *r, int64_t report_id, Review *v) {
    Stmt *s = db_q(r->db,
                   "SELECT id, timeline, factors_json, whys_json, went_well, learned, shared, lesson_shared, shared_title, shared_at, recognise_reporter, "
                   "recognition_note, led_to_change, status, created_at, closed_at FROM report_review WHERE report_id = ? AND org_id = ?",
                   "ii", report_id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) {
        Arena *a = r->arena;
        *v = (Review){.id = db_int(s, 0), .timeline = db_dup(s, 1, a), .factors = db_dup(s, 2, a), .whys = db_dup(s, 3, a), .went_well = db_dup(s, 4, a),
                      .learned = db_dup(s, 5, a), .shared = db_int(s, 6) != 0, .lesson_shared = db_dup(s, 7, a), .shared_title = db_dup(s, 8, a),
                      .shared_at = db_int(s, 9), .recognise = db_int(s, 10) != 0, .recognition_note = db_dup(s, 11, a), .led_to_change = db_int(s, 12) != 0,
                      .status = db_dup(s, 13, a), .created_at = db_int(s, 14), .closed_at = db_int(s, 15)};
    }
    db_reset(s);
    return found;
}

/* The organisation's people and what each is called in a shared review:
 * their first role, else their title, else "a colleague". */
typedef struct Names { const char **names, **roles; int n; } Names;

static void names_load(Req *r, Names *nm) {
    Stmt *s = db_q(r->db,
                   "SELECT p.name, (SELECT ro.name FROM role_holder h JOIN role ro ON ro.id = h.role_id WHERE h.person_id = p.id ORDER BY ro.name LIMIT 1), p.title "
                   "FROM person p WHERE p.org_id = ? LIMIT 5000",
                   "i", r->who.org_id);
    int cap = 64;
    nm->names = arena_alloc(r->arena, sizeof *nm->names * (size_t)cap);
    nm->roles = arena_alloc(r->arena, sizeof *nm->roles * (size_t)cap);
    nm->n = 0;
    while (db_step(s) == DB_ROW) {
        if (nm->n == cap) {
            int c2 = cap;
            nm->names = arena_grow(r->arena, nm->names, &c2, sizeof *nm->names);
            nm->roles = arena_grow(r->arena, nm->roles, &cap, sizeof *nm->roles);
        }
        const char *role = !db_null(s, 1) ? db_text(s, 1) : *db_text(s, 2) ? db_text(s, 2) : T(r, "a colleague");
        nm->names[nm->n] = db_dup(s, 0, r->arena);
        nm->roles[nm->n++] = arena_printf(r->arena, "[%s]", role);
    }
    db_reset(s);
}

static char *redact(Req *r, const Names *nm, const char *t) { return redact_names(r->arena, t ? t : "", nm->names, nm->roles, nm->n); }

static int64_t action_counts(Req *r, int64_t report_id, int64_t *open) {
    int64_t all = 0;
    *open = 0;
    db_one_int(r->db, &all, "SELECT count(*) FROM action_item WHERE org_id = ? AND source_kind = 'report' AND source_id = ?", "ii", r->who.org_id, report_id);
    db_one_int(r->db, open, "SELECT count(*) FROM action_item WHERE org_id = ? AND source_kind = 'report' AND source_id = ? AND status = 'open'", "ii", r->who.org_id,
               report_id);
    return all;
}

json_t *reports_review_json(Req *r, int64_t report_id, bool full) {
    Review v;
    if (!review_load(r, report_id, &v) || (!full && !v.shared)) return json_null();
    Names nm = {0};
    if (!full) names_load(r, &nm);
#define TX(s) (full ? (s) : redact(r, &nm, (s)))
    json_t *factors = json_list_decode(v.factors), *whys = json_list_decode(v.whys);
    req_defer_json(r, factors);
    req_defer_json(r, whys);
    json_t *fo = json_array(), *wo = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(factors, i, x) {
        const char *t = json_string_value(x);
        const char *colon = t ? strchr(t, ':') : NULL;
        if (!colon) continue;
        json_array_append_new(fo, json_pack("{s:s%,s:s}", "category", t, (size_t)(colon - t), "text", TX(colon + 1)));
    }
    json_array_foreach(whys, i, x) if (json_is_string(x)) json_array_append_new(wo, json_string(TX(json_string_value(x))));
    int64_t open, all = action_counts(r, report_id, &open);
    json_t *o = json_pack("{s:s,s:o,s:o,s:s,s:s,s:b,s:s,s:b,s:I,s:I}", "timeline", TX(v.timeline), "factors", fo, "whys", wo, "went_well", TX(v.went_well),
                          "learned", TX(v.learned), "shared", v.shared, "status", v.status, "led_to_change", v.led_to_change, "actions", (json_int_t)all,
                          "actions_open", (json_int_t)open);
    if (full) {
        json_object_set_new(o, "recognise_reporter", json_boolean(v.recognise));
        json_object_set_new(o, "recognition_note", json_text(v.recognition_note));
    }
#undef TX
    return o;
}

typedef struct ActIn { const char *title, *due_on; int64_t owner_id; } ActIn;
typedef struct ReviewIn {
    const char *timeline, *went_well, *learned, *recognition_note;
    const char *factors[7]; /* per FACTORS, NULL when not given */
    const char *whys[5];
    int share, recognise, led_to_change; /* -1 not given */
    bool close;
    ActIn acts[10];
    int nacts;
    int64_t protocol_id;
    const char *protocol_body, *protocol_note;
} ReviewIn;

static void rtext(Req *r, const char **v, const char *field, Errors *e) {
    if (!*v) return;
    *v = str_trim(r->arena, *v);
    if (utf8_chars(*v) > RR_TEXT_MAX || !utf8_valid(*v)) err_add(e, 422, "invalid", field, "The text is too long (at most 10,000 characters).");
}

static int review_save(Req *r, const Report *x, ReviewIn *in, Errors *e) {
    if (!x->reviewer) {
        err_add(e, 403, "forbidden", NULL, "Only the report's reviewers write its review.");
        return -1;
    }
    Review old;
    bool have = review_load(r, x->id, &old);
    if (have && strcmp(old.status, "closed") == 0) {
        err_add(e, 409, "conflict", NULL, "This review is closed.");
        return -1;
    }
    rtext(r, &in->timeline, "timeline", e);
    rtext(r, &in->went_well, "went_well", e);
    rtext(r, &in->learned, "learned", e);
    rtext(r, &in->recognition_note, "recognition_note", e);
    for (int i = 0; i < 7; i++) rtext(r, &in->factors[i], "factors", e);
    for (int i = 0; i < 5; i++) rtext(r, &in->whys[i], "whys", e);
    for (int i = 0; i < in->nacts; i++) {
        const char *t = in->acts[i].title ? str_trim(r->arena, in->acts[i].title) : "";
        in->acts[i].title = t;
        int64_t p = 0;
        if (str_empty(t) || utf8_chars(t) > 200 || has_control(t)) err_add(e, 422, "invalid", "actions", "Give each action a title of 1 to 200 characters on one line.");
        if (!in->acts[i].owner_id || !db_one_int(r->db, &p, "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'", "ii", in->acts[i].owner_id, r->who.org_id))
            err_add(e, 422, "invalid", "actions", "Each action needs an owner who is a current person of the organisation.");
        if (in->acts[i].due_on && !valid_date(in->acts[i].due_on)) err_add(e, 422, "invalid", "actions", "Give the due date as YYYY-MM-DD.");
    }
    if (in->protocol_id) {
        int64_t p = 0;
        if (!db_one_int(r->db, &p, "SELECT id FROM protocol WHERE id = ? AND org_id = ?", "ii", in->protocol_id, r->who.org_id))
            err_add(e, 422, "invalid", "protocol_change", "There is no such protocol.");
        if (!in->protocol_body || str_empty(in->protocol_body) || utf8_chars(in->protocol_body) > 50000)
            err_add(e, 422, "invalid", "protocol_change", "Write the protocol as it should read.");
    }
    const char *learned = in->learned ? in->learned : have ? old.learned : "";
    if ((in->share == 1 || (in->close && (in->share == 1 || (have && old.shared)))) && str_empty(learned))
        err_add(e, 422, "invalid", "learned", "Write what we learned before sharing the lesson.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = DB_OK;
    /* factors and whys as JSON lists: "category:text" */
    json_t *fl = NULL, *wl = NULL;
    bool any_factor = false, any_why = false;
    for (int i = 0; i < 7; i++) any_factor |= in->factors[i] != NULL;
    for (int i = 0; i < 5; i++) any_why |= in->whys[i] != NULL;
    if (any_factor) {
        fl = json_array();
        for (int i = 0; i < 7; i++)
            if (in->factors[i] && *in->factors[i]) json_array_append_new(fl, json_string(arena_printf(r->arena, "%s:%s", FACTORS[i], in->factors[i])));
        req_defer_json(r, fl);
    }
    if (any_why) {
        wl = json_array();
        for (int i = 0; i < 5; i++)
            if (in->whys[i] && *in->whys[i]) json_array_append_new(wl, json_string(in->whys[i]));
        req_defer_json(r, wl);
    }
    if (!have) {
        rc = db_exec(r->db, "INSERT INTO report_review(org_id, report_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", "iiiii", r->who.org_id, x->id,
                     r->who.person_id, r->now, r->now);
        if (rc == DB_OK) rc = db_exec(r->db, "UPDATE report SET review_needed = 1, status = CASE WHEN status <> 'closed' THEN 'reviewing' ELSE status END WHERE id = ? AND org_id = ?",
                                      "ii", x->id, r->who.org_id);
        if (rc == DB_OK) rc = reports_step(r, x->id, x->author_id, "review", NULL);
    }
    if (rc == DB_OK)
        rc = db_exec(r->db,
                     "UPDATE report_review SET timeline = coalesce(?, timeline), factors_json = coalesce(?, factors_json), whys_json = coalesce(?, whys_json), "
                     "went_well = coalesce(?, went_well), learned = coalesce(?, learned), recognise_reporter = coalesce(?, recognise_reporter), "
                     "recognition_note = coalesce(?, recognition_note), led_to_change = coalesce(?, led_to_change), updated_at = ? WHERE report_id = ? AND org_id = ?",
                     "tttttItIiii", in->timeline, fl ? json_list_encode(r->arena, fl) : NULL, wl ? json_list_encode(r->arena, wl) : NULL, in->went_well, in->learned,
                     in->recognise >= 0 ? (int64_t)in->recognise : 0, in->recognition_note, in->led_to_change >= 0 ? (int64_t)in->led_to_change : 0, r->now, x->id,
                     r->who.org_id);
    /* coalesce(NULL) keeps; "I" binds 0 as NULL, so a given false needs its own write */
    if (rc == DB_OK && in->recognise == 0) rc = db_exec(r->db, "UPDATE report_review SET recognise_reporter = 0 WHERE report_id = ? AND org_id = ?", "ii", x->id, r->who.org_id);
    if (rc == DB_OK && in->led_to_change == 0) rc = db_exec(r->db, "UPDATE report_review SET led_to_change = 0 WHERE report_id = ? AND org_id = ?", "ii", x->id, r->who.org_id);
    bool share_now = in->share == 1 || (have && old.shared && in->learned);
    if (rc == DB_OK && share_now) {
        Names nm;
        names_load(r, &nm);
        const char *title = arena_printf(r->arena, "%s: %s", reports_kind_label(r, x->kind), reports_category_label(r, x->category));
        rc = db_exec(r->db, "UPDATE report_review SET shared = 1, lesson_shared = ?, shared_title = ?, shared_at = coalesce(shared_at, ?) WHERE report_id = ? AND org_id = ?",
                     "ttiii", redact(r, &nm, learned), title, r->now, x->id, r->who.org_id);
        if (rc == DB_OK && !(have && old.shared)) rc = reports_step(r, x->id, x->author_id, "shared", NULL);
    }
    if (rc == DB_OK && in->share == 0 && have && old.shared)
        rc = db_exec(r->db, "UPDATE report_review SET shared = 0, lesson_shared = NULL WHERE report_id = ? AND org_id = ?", "ii", x->id, r->who.org_id);
    for (int i = 0; i < in->nacts && rc == DB_OK; i++) {
        if (!actions_create(r->db, r->arena, r->who.org_id, in->acts[i].title, in->acts[i].owner_id, in->acts[i].due_on, "report", x->id, r->who.person_id, r->now))
            rc = DB_ERROR;
        else rc = reports_step(r, x->id, x->author_id, "action", in->acts[i].title);
    }
    if (rc == DB_OK && in->protocol_id && protocols_propose(r, in->protocol_id, x->id, in->protocol_body, in->protocol_note)) rc = DB_ERROR;
    if (rc == DB_OK && in->close) {
        int64_t open;
        action_counts(r, x->id, &open);
        if (open) {
            db_rollback(r->db);
            err_add(e, 409, "conflict", "close", "A review closes when its actions are done or dropped with a reason.");
            return -1;
        }
        rc = db_exec(r->db, "UPDATE report_review SET status = 'closed', closed_at = ? WHERE report_id = ? AND org_id = ?", "iii", r->now, x->id, r->who.org_id);
        if (rc == DB_OK) rc = db_exec(r->db, "UPDATE report SET status = 'closed', closed_at = ? WHERE id = ? AND org_id = ?", "iii", r->now, x->id, r->who.org_id);
        if (rc == DB_OK) rc = reports_step(r, x->id, x->author_id, "closed", NULL);
    }
    if (rc == DB_OK) audit(r, "report.review", arena_printf(r->arena, "report:%lld", (long long)x->id), "%s", in->close ? "closed" : "saved");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* GET /api/v1/reports/{id}/review: the review; the full one for the
 * report's reviewers and owners, the shared version (names replaced by
 * roles) for everyone else in the organisation; 404 when there is none the
 * caller may read. */
int reports_api_review_get(Req *r) {
    Report x;
    bool full = reports_find(r, r->params[0], &x) && (x.reviewer || x.owner);
    json_t *j = reports_review_json(r, r->params[0], full);
    if (json_is_null(j)) return resp_error(r, 404, "not_found", "There is no review of this report to read.");
    resp_json(r, 200, j);
    return 0;
}

static const JField REVIEW_FIELDS[] = {
    {"timeline", JF_STRING, 20000}, {"factors", JF_ANY, 0},          {"whys", JF_STRING_LIST, 20000},     {"went_well", JF_STRING, 20000},
    {"learned", JF_STRING, 20000},  {"share", JF_BOOL, 0},           {"recognise_reporter", JF_BOOL, 0}, {"recognition_note", JF_STRING_NULL, 20000},
    {"led_to_change", JF_BOOL, 0},  {"actions", JF_ANY, 0},          {"protocol_change", JF_ANY, 0},      {"close", JF_BOOL, 0},
    {0}};

static int tri(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return v ? json_is_true(v) : -1;
}

/* POST /api/v1/reports/{id}/review {"timeline","factors":[{"category","text"}],
 * "whys":[..5],"went_well","learned","share","recognise_reporter",
 * "recognition_note","led_to_change","actions":[{"title","owner_id","due_on"}],
 * "protocol_change":{"protocol_id","body","note"},"close"}: starts or
 * updates the blameless review (the report's reviewers). Closing needs
 * every action done or dropped (409). */
int reports_api_review_post(Req *r) {
    json_t *o = req_json_object(r, REVIEW_FIELDS);
    if (!o) return -1;
    ReviewIn in = {json_str(o, "timeline"), json_str(o, "went_well"), json_str(o, "learned"), json_str(o, "recognition_note"), {0}, {0},
                   tri(o, "share"), tri(o, "recognise_reporter"), tri(o, "led_to_change"), json_is_true(json_object_get(o, "close")), {{0}}, 0, 0, NULL, NULL};
    Errors e = {0};
    json_t *f = json_object_get(o, "factors"), *w = json_object_get(o, "whys"), *acts = json_object_get(o, "actions"), *pc = json_object_get(o, "protocol_change");
    size_t i;
    json_t *v;
    if (f) {
        if (!json_is_array(f)) goto bad_factors;
        for (int k = 0; k < 7; k++) in.factors[k] = "";
        json_array_foreach(f, i, v) {
            int c = idx(json_string_value(json_object_get(v, "category")), FACTORS);
            const char *t = json_string_value(json_object_get(v, "text"));
            if (c < 0 || !t) goto bad_factors;
            in.factors[c] = t;
        }
    }
    if (w) {
        if (json_array_size(w) > 5) {
            err_add(&e, 422, "invalid", "whys", "Give at most five whys.");
            return err_send(r, &e);
        }
        for (int k = 0; k < 5; k++) in.whys[k] = "";
        json_array_foreach(w, i, v) in.whys[i] = json_string_value(v);
    }
    if (acts) {
        if (!json_is_array(acts) || json_array_size(acts) > 10) {
            err_add(&e, 400, "bad_request", "actions", "actions must be a list of at most 10 {\"title\", \"owner_id\", \"due_on\"}.");
            return err_send(r, &e);
        }
        json_array_foreach(acts, i, v) {
            json_t *ow = json_object_get(v, "owner_id"), *due = json_object_get(v, "due_on");
            if (!json_is_object(v) || !json_is_string(json_object_get(v, "title")) || !json_is_integer(ow) || (due && !json_is_null(due) && !json_is_string(due))) {
                err_add(&e, 400, "bad_request", "actions", "actions must be a list of at most 10 {\"title\", \"owner_id\", \"due_on\"}.");
                return err_send(r, &e);
            }
            in.acts[in.nacts++] = (ActIn){json_string_value(json_object_get(v, "title")), json_string_value(due), json_integer_value(ow)};
        }
    }
    if (pc && !json_is_null(pc)) {
        if (!json_is_object(pc) || !json_is_integer(json_object_get(pc, "protocol_id")) || !json_is_string(json_object_get(pc, "body"))) {
            err_add(&e, 400, "bad_request", "protocol_change", "protocol_change must be {\"protocol_id\", \"body\", \"note\"}.");
            return err_send(r, &e);
        }
        in.protocol_id = json_integer_value(json_object_get(pc, "protocol_id"));
        in.protocol_body = json_string_value(json_object_get(pc, "body"));
        in.protocol_note = json_string_value(json_object_get(pc, "note"));
    }
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    if (review_save(r, &x, &in, &e)) return err_send(r, &e);
    resp_json(r, 200, reports_review_json(r, x.id, true));
    return 0;
bad_factors:
    err_add(&e, 400, "bad_request", "factors", "factors must be a list of {\"category\", \"text\"} with a category of the list.");
    return err_send(r, &e);
}

/* ---------- pages ---------- */

static const char *factor_label(Req *r, const char *code) {
    int i = idx(code, FACTORS);
    return i < 0 ? code : T(r, FACTOR_LABELS[i]);
}

void reports_render_review(Req *r, int64_t report_id, bool full, bool editable) {
    Review v;
    bool have = review_load(r, report_id, &v);
    Buf *b = page(r);
    if (!have || (!full && !v.shared)) {
        if (editable) {
            html_printf(b, "<section class=\"card\" id=\"review\"><h2>%h</h2><p>%h</p><p><a class=\"button\" href=\"/reports/%D/review\">%h</a></p></section>",
                        T(r, "Blameless review"), T(r, "This report needs a blameless review: what in the system let it happen?"), report_id, T(r, "Start the review"));
        }
        return;
    }
    Names nm = {0};
    if (!full) names_load(r, &nm);
#define TX(s) (full ? (s) : redact(r, &nm, (s)))
    html_printf(b, "<section class=\"card review\" id=\"review\"><h2>%h</h2>", full ? T(r, "Blameless review") : T(r, "The lesson, as shared"));
    if (!full) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "People's names are replaced by their roles."));
    if (v.timeline && *v.timeline) {
        html_printf(b, "<h3>%h</h3>", T(r, "Timeline"));
        html_markdown(b, TX(v.timeline));
    }
    json_t *factors = json_list_decode(v.factors), *whys = json_list_decode(v.whys);
    req_defer_json(r, factors);
    req_defer_json(r, whys);
    size_t i;
    json_t *x;
    if (json_array_size(factors)) {
        html_printf(b, "<h3>%h</h3><dl>", T(r, "Contributing factors"));
        json_array_foreach(factors, i, x) {
            const char *t = json_string_value(x), *colon = t ? strchr(t, ':') : NULL;
            if (!colon) continue;
            html_printf(b, "<dt>%h</dt><dd>%h</dd>", factor_label(r, arena_strndup(r->arena, t, (size_t)(colon - t))), TX(colon + 1));
        }
        buf_puts(b, "</dl>");
    }
    if (json_array_size(whys)) {
        html_printf(b, "<h3>%h</h3><ol>", T(r, "Five whys"));
        json_array_foreach(whys, i, x) html_printf(b, "<li>%h</li>", TX(json_string_value(x)));
        buf_puts(b, "</ol>");
    }
    if (v.went_well && *v.went_well) {
        html_printf(b, "<h3>%h</h3>", T(r, "What went well"));
        html_markdown(b, TX(v.went_well));
    }
    if (v.learned && *v.learned) {
        html_printf(b, "<h3>%h</h3>", T(r, "What we learned"));
        html_markdown(b, TX(v.learned));
    }
    if (v.led_to_change) html_printf(b, "<p><span class=\"badge\">%h</span></p>", T(r, "This report led to a change"));
    if (full && v.recognise) html_printf(b, "<p>%h %h</p>", T(r, "Recognise the reporter:"), v.recognition_note ? v.recognition_note : "");
    int64_t open, all = action_counts(r, report_id, &open);
    if (all) html_printf(b, "<p class=\"muted\">%h</p>", arena_printf(r->arena, T(r, "Corrective actions: %lld, of which %lld open."), (long long)all, (long long)open));
    html_printf(b, "<p class=\"muted\">%h</p>", strcmp(v.status, "closed") == 0 ? T(r, "The review is closed.") : T(r, "The review is open."));
    if (editable && strcmp(v.status, "closed") != 0) html_printf(b, "<p><a class=\"button\" href=\"/reports/%D/review\">%h</a></p>", report_id, T(r, "Work on the review"));
    buf_puts(b, "</section>");
#undef TX
}

void reports_render_assessments(Req *r, int64_t report_id, bool reviewer, bool anonymous) {
    if (anonymous) return;
    int n;
    Assess *v = assess_list(r, report_id, &n);
    if (!n && !reviewer) return;
    Buf *b = page(r);
    html_printf(b, "<section class=\"card\" id=\"assessments\"><h2>%h</h2><p class=\"muted\">%h</p>", T(r, "Culpability assessments"),
                T(r, "Seen only by the two assessors, the owners and the person it concerns. It judges the choice, not the outcome."));
    for (int i = 0; i < n; i++) {
        int beh = idx(v[i].behaviour, (const char *const[]){"human_error", "at_risk", "reckless", NULL});
        html_printf(b, "<article class=\"assessment\"><h3>%h</h3><p><strong>%h</strong>: %h</p><p>%h</p>", v[i].act, T(r, culp_behaviour_label(beh)),
                    T(r, culp_category_label(culp_category_parse(v[i].outcome))), T(r, culp_behaviour_response(beh)));
        html_printf(b, "<p class=\"muted\">%h %h · %h %h, %h · %h</p>", T(r, "Concerns"), v[i].person, T(r, "assessed by"), v[i].assessor, v[i].second,
                    strcmp(v[i].status, "agreed") == 0 ? T(r, "agreed") : strcmp(v[i].status, "disagreed") == 0 ? T(r, "not agreed: still open") : T(r, "waiting for the second reviewer"));
        html_markdown(b, v[i].rationale);
        if (v[i].second_note && *v[i].second_note) html_markdown(b, v[i].second_note);
        if (v[i].second_id == r->who.person_id && strcmp(v[i].status, "agreed") != 0) {
            form_begin(r, arena_printf(r->arena, "/reports/%lld/assessments/%lld/confirm", (long long)report_id, (long long)v[i].id), NULL);
            form_textarea(r, "rationale", "Your rationale", NULL, NULL, NULL);
            html_printf(b, "<div class=\"actions\"><button type=\"submit\" name=\"agree\" value=\"1\">%h</button> <button type=\"submit\" name=\"agree\" value=\"0\" class=\"secondary\">%h</button></div></form>",
                        T(r, "I agree"), T(r, "I disagree"));
        }
        buf_puts(b, "</article>");
    }
    if (reviewer) html_printf(b, "<p><a class=\"button secondary\" href=\"/reports/%D/assess\">%h</a></p>", report_id, T(r, "Assess an unsafe act"));
    buf_puts(b, "</section>");
}

/* GET /reports/{id}/assess?act=&person_id=&second_id=&a=&ans=: the guided
 * assessment, one question at a time, as plain GET forms (reviewer). */
int reports_page_assess(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    if (strcmp(x.identity, "anonymous") == 0) return resp_error(r, 422, "invalid", "An anonymous report has no assessments: there is nobody to assess.");
    if (!x.reviewer) return resp_error(r, 403, "forbidden", "Only the report's reviewers assess.");
    const char *act = req_query(r, "act"), *as = req_query(r, "a"), *ans = req_query(r, "ans");
    int64_t person = 0, second = 0;
    if (req_query(r, "person_id")) parse_id(req_query(r, "person_id"), &person);
    if (req_query(r, "second_id")) parse_id(req_query(r, "second_id"), &second);
    CulpAnswers a;
    if (!culp_parse(as ? as : "", &a)) return resp_error(r, 400, "bad_request", "The answers are not valid.");
    page_begin(r, T(r, "Culpability assessment"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Culpability assessment"),
                T(r, "Reason's decision tree, one question at a time. It judges the choice, not the outcome: the harm done is not asked. When you do not know, "
                     "the answer takes the less culpable branch."));
    if (!act || !*act || !person || !second) {
        html_printf(b, "<form method=\"get\" action=\"/reports/%D/assess\">", x.id);
        form_text(r, "act", "The unsafe act", act, NULL, "text", true);
        const OptionList *people = options_cached(r, "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 5000");
        form_select_list(r, "person_id", "The person it concerns", person, people, "Choose", NULL);
        int64_t *rev;
        int nr = reports_reviewers(r->db, r->arena, r->who.org_id, x.team_id, &rev);
        html_printf(b, "<div class=\"field\"><label for=\"f-second_id\">%h</label><select id=\"f-second_id\" name=\"second_id\"><option value=\"\">%h</option>",
                    T(r, "The second reviewer, who confirms"), T(r, "Choose"));
        for (int i = 0; i < nr; i++) {
            if (rev[i] == r->who.person_id) continue;
            Stmt *s = db_q(r->db, "SELECT name FROM person WHERE id = ? AND org_id = ?", "ii", rev[i], r->who.org_id);
            if (db_step(s) == DB_ROW) html_printf(b, "<option value=\"%D\"%s>%h</option>", rev[i], rev[i] == second ? " selected" : "", db_text(s, 0));
            db_reset(s);
        }
        html_printf(b, "</select></div><div class=\"actions\"><button type=\"submit\">%h</button></div></form>", T(r, "Begin"));
        page_end(r);
        return 0;
    }
    char codes[CQ_N + 1];
    int next = culp_walk(&a, NULL);
    if (next >= 0 && ans && (strcmp(ans, "y") == 0 || strcmp(ans, "n") == 0 || strcmp(ans, "d") == 0)) {
        a.a[next] = ans[0] == 'y' ? CA_YES : ans[0] == 'n' ? CA_NO : CA_DONT_KNOW;
        next = culp_walk(&a, NULL);
    }
    culp_format(&a, codes);
    html_printf(b, "<p class=\"muted\">%h: %h</p>", T(r, "The unsafe act"), act);
    if (next >= 0) {
        html_printf(b, "<form method=\"get\" action=\"/reports/%D/assess\" class=\"card question\"><input type=\"hidden\" name=\"act\" value=\"%h\">"
                       "<input type=\"hidden\" name=\"person_id\" value=\"%D\"><input type=\"hidden\" name=\"second_id\" value=\"%D\">"
                       "<input type=\"hidden\" name=\"a\" value=\"%h\"><fieldset><legend>%h</legend><p class=\"hint\">%h</p>"
                       "<div class=\"actions\"><button type=\"submit\" name=\"ans\" value=\"y\">%h</button> <button type=\"submit\" name=\"ans\" value=\"n\">%h</button> "
                       "<button type=\"submit\" name=\"ans\" value=\"d\" class=\"secondary\">%h</button></div></fieldset></form>",
                    x.id, act, person, second, codes, T(r, culp_question(next)), T(r, culp_question_hint(next)), T(r, "Yes"), T(r, "No"), T(r, "Don't know"));
        page_end(r);
        return 0;
    }
    CulpResult res;
    culp_walk(&a, &res);
    html_printf(b, "<section class=\"card\"><h2>%h</h2><p>%h</p><p>%h</p>", T(r, culp_behaviour_label(res.behaviour)), T(r, culp_category_label(res.category)),
                T(r, culp_behaviour_response(res.behaviour)));
    if (res.mitigated) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "Self-reported: this counts in the person's favour."));
    html_printf(b, "<h3>%h</h3><ol>", T(r, "The answers"));
    for (int i = 0; i < res.npath; i++) {
        int q = res.path[i];
        html_printf(b, "<li>%h <strong>%h</strong></li>", T(r, culp_question(q)), a.a[q] == CA_YES ? T(r, "Yes") : a.a[q] == CA_NO ? T(r, "No") : T(r, "Don't know"));
    }
    buf_puts(b, "</ol></section>");
    form_begin(r, arena_printf(r->arena, "/reports/%lld/assessments", (long long)x.id), NULL);
    html_printf(b, "<input type=\"hidden\" name=\"act\" value=\"%h\"><input type=\"hidden\" name=\"person_id\" value=\"%D\"><input type=\"hidden\" name=\"second_id\" value=\"%D\">"
                   "<input type=\"hidden\" name=\"a\" value=\"%h\">",
                act, person, second, codes);
    form_textarea(r, "rationale", "Rationale", NULL, NULL, "Why this is the fair reading of what happened.");
    form_end(r, "Record the assessment");
    html_printf(b, "<p><a href=\"/reports/%D/assess?act=%u&amp;person_id=%D&amp;second_id=%D\">%h</a></p>", x.id, act, person, second, T(r, "Start the questions again"));
    page_end(r);
    return 0;
}

static int page_err(Req *r, const Errors *e) {
    return resp_error(r, e->status ? e->status : 422, e->code ? e->code : "invalid", "%s", T(r, e->items[0].msg));
}

/* POST /reports/{id}/assessments (act, person_id, second_id, a, rationale) (reviewer). */
int reports_page_assess_post(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    AssessIn in = {req_form(r, "act"), req_form(r, "rationale"), 0, 0, {{0}}};
    Errors e = {0};
    form_id_field(r, "person_id", &in.person_id, &e, "Choose the person the act concerns.");
    form_id_field(r, "second_id", &in.second_id, &e, "Choose a second reviewer of this report to confirm the assessment.");
    if (!culp_parse(req_form(r, "a") ? req_form(r, "a") : "", &in.answers)) err_add(&e, 422, "invalid", "answers", "Answer every question on the path of the decision tree.");
    int64_t id;
    if (e.n || assess_create(r, &x, &in, &e, &id)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/reports/%lld?done=1#assessments", (long long)x.id));
    return 0;
}

/* POST /reports/{id}/assessments/{aid}/confirm (agree, rationale) (the second reviewer). */
int reports_page_assess_confirm(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    Errors e = {0};
    const char *ag = req_form(r, "agree");
    if (assess_confirm(r, &x, r->params[1], ag && strcmp(ag, "1") == 0, req_form(r, "rationale"), &e)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/reports/%lld?done=1#assessments", (long long)x.id));
    return 0;
}

/* GET /reports/{id}/review: the review form (reviewer). */
int reports_page_review(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    if (!x.reviewer) return resp_error(r, 403, "forbidden", "Only the report's reviewers write its review.");
    Review v = {0};
    bool have = review_load(r, x.id, &v);
    page_begin(r, T(r, "Blameless review"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p><p><a href=\"/reports/%D\">%h</a></p>", T(r, "Blameless review"),
                T(r, "Look for what in the system let this happen, not for whom to blame."), x.id, T(r, "Back to the report"));
    form_begin(r, arena_printf(r->arena, "/reports/%lld/review", (long long)x.id), NULL);
    form_textarea(r, "timeline", "Timeline", have ? v.timeline : NULL, NULL, "What happened when, step by step.");
    html_printf(b, "<fieldset><legend>%h</legend>", T(r, "Contributing factors"));
    json_t *factors = json_list_decode(have ? v.factors : "[]"), *whys = json_list_decode(have ? v.whys : "[]");
    req_defer_json(r, factors);
    req_defer_json(r, whys);
    for (int k = 0; FACTORS[k]; k++) {
        const char *cur = NULL;
        size_t i;
        json_t *f;
        size_t len = strlen(FACTORS[k]);
        json_array_foreach(factors, i, f) {
            const char *t = json_string_value(f);
            if (t && strncmp(t, FACTORS[k], len) == 0 && t[len] == ':') cur = t + len + 1;
        }
        form_textarea(r, arena_printf(r->arena, "factor_%s", FACTORS[k]), FACTOR_LABELS[k], cur, NULL, NULL);
    }
    html_printf(b, "</fieldset><fieldset><legend>%h</legend>", T(r, "Five whys"));
    for (int k = 0; k < 5; k++) {
        json_t *w = json_array_get(whys, (size_t)k);
        form_text(r, arena_printf(r->arena, "why%d", k + 1), arena_printf(r->arena, T(r, "Why? (%d)"), k + 1), w ? json_string_value(w) : NULL, NULL, "text", false);
    }
    buf_puts(b, "</fieldset>");
    form_textarea(r, "went_well", "What went well", have ? v.went_well : NULL, NULL, NULL);
    form_textarea(r, "learned", "What we learned", have ? v.learned : NULL, NULL, "Shared with the organisation, with people's names replaced by their roles.");
    html_printf(b, "<div class=\"field\"><input type=\"checkbox\" id=\"f-share\" name=\"share\" value=\"1\"%s> <label for=\"f-share\">%h</label></div>",
                have && v.shared ? " checked" : "", T(r, "Share the lesson with the organisation (in the learning library)"));
    html_printf(b, "<div class=\"field\"><input type=\"checkbox\" id=\"f-change\" name=\"led_to_change\" value=\"1\"%s> <label for=\"f-change\">%h</label></div>",
                have && v.led_to_change ? " checked" : "", T(r, "This report led to a change"));
    html_printf(b, "<div class=\"field\"><input type=\"checkbox\" id=\"f-recog\" name=\"recognise_reporter\" value=\"1\"%s> <label for=\"f-recog\">%h</label></div>",
                have && v.recognise ? " checked" : "", T(r, "Recognise the reporter"));
    form_text(r, "recognition_note", "Recognition", have ? v.recognition_note : NULL, NULL, "text", false);
    html_printf(b, "<fieldset><legend>%h</legend>", T(r, "A corrective action"));
    form_text(r, "action_title", "Action", NULL, NULL, "text", false);
    const OptionList *people = options_cached(r, "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 5000");
    form_select_list(r, "action_owner", "Owner", 0, people, "Choose", NULL);
    form_text(r, "action_due", "Due", NULL, NULL, "date", false);
    buf_puts(b, "</fieldset>");
    Stmt *s = db_q(r->db, "SELECT id, title FROM protocol WHERE org_id = ? ORDER BY lower(title) LIMIT 500", "i", r->who.org_id);
    int np;
    Option *prot = options_from(r, s, &np);
    if (np) {
        html_printf(b, "<fieldset><legend>%h</legend>", T(r, "Propose a change to a protocol"));
        form_select_id(r, "protocol_id", "Protocol", 0, prot, np, "None", NULL);
        form_textarea(r, "protocol_body", "The protocol as it should read", NULL, NULL, NULL);
        form_text(r, "protocol_note", "Why", NULL, NULL, "text", false);
        buf_puts(b, "</fieldset>");
    }
    html_printf(b, "<div class=\"field\"><input type=\"checkbox\" id=\"f-closerev\" name=\"close\" value=\"1\"> <label for=\"f-closerev\">%h</label></div>",
                T(r, "Close the review (its actions must be done or dropped)"));
    form_end(r, "Save the review");
    page_end(r);
    return 0;
}

/* POST /reports/{id}/review (the form above) (reviewer). */
int reports_page_review_post(Req *r) {
    Report x;
    if (!reports_find(r, r->params[0], &x)) return resp_error(r, 404, "not_found", "There is no such report.");
    ReviewIn in = {req_form(r, "timeline"), req_form(r, "went_well"), req_form(r, "learned"), req_form(r, "recognition_note"), {0}, {0},
                   req_form(r, "share") ? 1 : 0, req_form(r, "recognise_reporter") ? 1 : 0, req_form(r, "led_to_change") ? 1 : 0, req_form(r, "close") != NULL,
                   {{0}}, 0, 0, NULL, NULL};
    for (int k = 0; FACTORS[k]; k++) in.factors[k] = req_form(r, arena_printf(r->arena, "factor_%s", FACTORS[k]));
    for (int k = 0; k < 5; k++) in.whys[k] = req_form(r, arena_printf(r->arena, "why%d", k + 1));
    Errors e = {0};
    const char *at = req_form(r, "action_title");
    if (at && *at) {
        int64_t owner = 0;
        form_id_field(r, "action_owner", &owner, &e, "Each action needs an owner who is a current person of the organisation.");
        const char *due = req_form(r, "action_due");
        in.acts[in.nacts++] = (ActIn){at, due && *due ? due : NULL, owner};
    }
    int64_t pid = 0;
    form_id_field(r, "protocol_id", &pid, &e, "There is no such protocol.");
    if (pid) in.protocol_id = pid, in.protocol_body = req_form(r, "protocol_body"), in.protocol_note = req_form(r, "protocol_note");
    if (e.n || review_save(r, &x, &in, &e)) return page_err(r, &e);
    resp_redirect(r, arena_printf(r->arena, "/reports/%lld?done=1#review", (long long)x.id));
    return 0;
}

/* ---------- the learning library's share (decisions_page_learning) ---------- */

/* reports_render_lessons: the shared review lessons, matching the same
 * full-text query as the decisions' (match: FTS5 syntax from the library,
 * NULL for the latest), as one more section of the one library. */
void reports_render_lessons(Req *r, const char *match) {
    Stmt *s = match ? db_q(r->db,
                           "SELECT v.report_id, v.shared_title, v.lesson_shared, v.shared_at FROM report_review v WHERE v.org_id = ? AND v.shared = 1 "
                           "AND v.id IN (SELECT rowid FROM review_fts WHERE review_fts MATCH ?) ORDER BY v.shared_at DESC, v.id DESC LIMIT 20",
                           "it", r->who.org_id, match)
                    : db_q(r->db,
                           "SELECT v.report_id, v.shared_title, v.lesson_shared, v.shared_at FROM report_review v WHERE v.org_id = ? AND v.shared = 1 "
                           "ORDER BY v.shared_at DESC, v.id DESC LIMIT 10",
                           "i", r->who.org_id);
    Buf *b = page(r);
    int n = 0;
    while (db_step(s) == DB_ROW) {
        if (!n++) html_printf(b, "<section class=\"lessons-reviews\" aria-labelledby=\"rev-lessons\"><h2 id=\"rev-lessons\">%h</h2>", T(r, "Lessons from blameless reviews"));
        html_printf(b, "<article class=\"card lesson\"><h3><a href=\"/reports/%D\">%h</a></h3><p class=\"muted\"><time datetime=\"%h\">%h</time></p>", db_int(s, 0),
                    db_text(s, 1), anon_date(r->arena, db_int(s, 3)), fmt_date(r, anon_date(r->arena, db_int(s, 3))));
        html_markdown(b, db_text(s, 2));
        buf_puts(b, "</article>");
    }
    db_reset(s);
    if (n) buf_puts(b, "</section>");
}

/* ---------- evidence: /reports/insights ---------- */

typedef struct Ev {
    int months[12][3]; /* last 12 months x kind */
    int anon_month[12], all_month[12];
    char month_label[12][8];
    int nm, ni, nc, total, anon;
    double *ack; int nack;
    double *close_days; int nclose, ontime, closed_due;
    int changed;
    char *cats[64]; int catn[64]; int ncats;
    int64_t teams[256]; char *team_names[256]; int team_n[256], team_nm[256], team_anon[256]; int nteams;
} Ev;

static int kind_ix(const char *k) { return strcmp(k, "incident") == 0 ? 0 : strcmp(k, "near_miss") == 0 ? 1 : 2; }

static int dcmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void ev_load(Req *r, Ev *ev) {
    memset(ev, 0, sizeof *ev);
    int64_t today = anon_day(r->now);
    /* the month boundaries: 11 months back to this one */
    char *ym = today_date(r->arena, r->now);
    int y = atoi(ym), m = atoi(ym + 5);
    int ys[12], ms[12];
    for (int i = 11; i >= 0; i--) {
        ys[i] = y, ms[i] = m;
        snprintf(ev->month_label[i], sizeof ev->month_label[i], "%04d-%02d", y, m);
        if (--m == 0) m = 12, y--;
    }
    (void)today;
    ev->ack = arena_alloc(r->arena, sizeof(double) * 5000);
    ev->close_days = arena_alloc(r->arena, sizeof(double) * 5000);
    Stmt *s = db_q(r->db, "SELECT r.kind, r.identity, r.received_on, r.acknowledged_at, r.category, r.team_id, t.name FROM report r LEFT JOIN team t ON t.id = r.team_id "
                          "WHERE r.org_id = ? LIMIT 20000", "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        const char *kind = db_text(s, 0);
        bool anon = strcmp(db_text(s, 1), "anonymous") == 0;
        int64_t rec = db_int(s, 2), ack = db_int(s, 3);
        int k = kind_ix(kind);
        ev->total++;
        ev->anon += anon;
        if (k == 0) ev->ni++;
        else if (k == 1) ev->nm++;
        else ev->nc++;
        char *d = anon_date(r->arena, rec);
        int ry = atoi(d), rm = atoi(d + 5);
        for (int i = 0; i < 12; i++)
            if (ys[i] == ry && ms[i] == rm) ev->months[i][k]++, ev->all_month[i]++, ev->anon_month[i] += anon;
        if (ack && ev->nack < 5000) ev->ack[ev->nack++] = (double)(ack - rec) / 86400.0;
        const char *c = db_text(s, 4);
        int ci = -1;
        for (int i = 0; i < ev->ncats; i++)
            if (strcmp(ev->cats[i], c) == 0) ci = i;
        if (ci < 0 && ev->ncats < 64) ci = ev->ncats++, ev->cats[ci] = arena_strdup(r->arena, c);
        if (ci >= 0) ev->catn[ci]++;
        int64_t team = db_int(s, 5);
        int ti = -1;
        for (int i = 0; i < ev->nteams; i++)
            if (ev->teams[i] == team) ti = i;
        if (ti < 0 && ev->nteams < 256) ti = ev->nteams++, ev->teams[ti] = team, ev->team_names[ti] = db_dup(s, 6, r->arena);
        if (ti >= 0) ev->team_n[ti]++, ev->team_nm[ti] += k == 1, ev->team_anon[ti] += anon;
    }
    db_reset(s);
    s = db_q(r->db, "SELECT created_at, updated_at, due_on, status FROM action_item WHERE org_id = ? AND source_kind = 'report' AND status = 'done' LIMIT 5000", "i",
             r->who.org_id);
    while (db_step(s) == DB_ROW && ev->nclose < 5000) {
        ev->close_days[ev->nclose++] = (double)(db_int(s, 1) - db_int(s, 0)) / 86400.0;
        if (!db_null(s, 2)) {
            ev->closed_due++;
            if (strcmp(anon_date(r->arena, db_int(s, 1)), db_text(s, 2)) <= 0) ev->ontime++;
        }
    }
    db_reset(s);
    int64_t ch = 0;
    db_one_int(r->db, &ch, "SELECT count(*) FROM report_review WHERE org_id = ? AND led_to_change = 1", "i", r->who.org_id);
    ev->changed = (int)ch;
    qsort(ev->ack, (size_t)ev->nack, sizeof(double), dcmp);
    qsort(ev->close_days, (size_t)ev->nclose, sizeof(double), dcmp);
}

static double median(const double *v, int n) { return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : NAN; }

/* team rows shown: teams with at least k reports, and enough hidden
 * alongside that the total cannot be subtracted down to a small team. */
static void ev_team_hidden(const Ev *ev, bool *hidden) {
    int counts[256];
    for (int i = 0; i < ev->nteams; i++) counts[i] = ev->team_n[i];
    anon_suppress(counts, ev->nteams, ANON_K_DEFAULT, true, hidden);
}

/* GET /api/v1/insights/reports: the evidence of the reporting culture (manager). */
int reports_api_insights(Req *r) {
    Ev ev;
    ev_load(r, &ev);
    json_t *months = json_array();
    for (int i = 0; i < 12; i++)
        json_array_append_new(months, json_pack("{s:s,s:i,s:i,s:i,s:i}", "month", ev.month_label[i], "incident", ev.months[i][0], "near_miss", ev.months[i][1],
                                                "concern", ev.months[i][2], "anonymous", ev.anon_month[i]));
    json_t *cats = json_array();
    for (int i = 0; i < ev.ncats; i++) json_array_append_new(cats, json_pack("{s:s,s:i}", "category", ev.cats[i], "count", ev.catn[i]));
    bool hidden[256];
    ev_team_hidden(&ev, hidden);
    json_t *teams = json_array();
    for (int i = 0; i < ev.nteams; i++)
        if (!hidden[i] && ev.teams[i] && ev.team_n[i] >= ANON_K_DEFAULT)
            json_array_append_new(teams, json_pack("{s:o,s:i,s:i}", "team", json_ref(ev.teams[i], ev.team_names[i]), "reports", ev.team_n[i], "near_miss", ev.team_nm[i]));
    double ma = median(ev.ack, ev.nack), mc = median(ev.close_days, ev.nclose);
    resp_json(r, 200, json_pack("{s:i,s:o,s:o,s:o,s:o,s:o,s:i,s:o,s:o,s:i}", "reports", ev.total, "months", months, "near_miss_per_incident",
                                ev.ni ? json_real((double)ev.nm / ev.ni) : json_null(), "median_days_to_acknowledge", isnan(ma) ? json_null() : json_real(ma),
                                "median_days_to_close_actions", isnan(mc) ? json_null() : json_real(mc), "actions_on_time_share",
                                ev.closed_due ? json_real((double)ev.ontime / ev.closed_due) : json_null(), "led_to_change", ev.changed, "categories", cats,
                                "teams", teams, "k", ANON_K_DEFAULT));
    return 0;
}

/* GET /reports/insights: the same as a page (manager). */
int reports_page_insights(Req *r) {
    Ev ev;
    ev_load(r, &ev);
    page_begin(r, T(r, "Report evidence"));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Report evidence"),
                T(r, "A rising number of near-miss reports usually means rising trust, not more danger: people tell before something goes wrong. A falling share "
                     "of anonymous reports is read the same way."));
    html_printf(b, "<section class=\"card\"><h2>%h</h2><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                   "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Reports per month"), T(r, "Month"), T(r, "Incident"), T(r, "Near-miss"), T(r, "Concern"), T(r, "Anonymous share"));
    for (int i = 0; i < 12; i++)
        html_printf(b, "<tr><td>%h</td><td>%d</td><td>%d</td><td>%d</td><td>%h</td></tr>", ev.month_label[i], ev.months[i][0], ev.months[i][1], ev.months[i][2],
                    ev.all_month[i] ? arena_printf(r->arena, "%d%%", (int)lround(100.0 * ev.anon_month[i] / ev.all_month[i])) : "–");
    buf_puts(b, "</tbody></table></section>");
    double ma = median(ev.ack, ev.nack), mc = median(ev.close_days, ev.nclose);
    html_printf(b, "<section class=\"card\"><h2>%h</h2><dl>", T(r, "At a glance"));
    html_printf(b, "<dt>%h</dt><dd>%h</dd>", T(r, "Near-misses per incident"), ev.ni ? arena_printf(r->arena, "%.1f", (double)ev.nm / ev.ni) : T(r, "no incidents"));
    html_printf(b, "<dt>%h</dt><dd>%h</dd>", T(r, "Median time to acknowledge"), isnan(ma) ? "–" : arena_printf(r->arena, T(r, "%.1f days"), ma));
    html_printf(b, "<dt>%h</dt><dd>%h</dd>", T(r, "Median time to close a corrective action"), isnan(mc) ? "–" : arena_printf(r->arena, T(r, "%.1f days"), mc));
    html_printf(b, "<dt>%h</dt><dd>%h</dd>", T(r, "Corrective actions closed on time"),
                ev.closed_due ? arena_printf(r->arena, "%d%%", (int)lround(100.0 * ev.ontime / ev.closed_due)) : "–");
    html_printf(b, "<dt>%h</dt><dd>%d</dd>", T(r, "Reports that led to a change"), ev.changed);
    buf_puts(b, "</dl></section>");
    html_printf(b, "<section class=\"card\"><h2>%h</h2><ul>", T(r, "Recurring categories"));
    for (int pass = 0; pass < ev.ncats; pass++) { /* largest first */
        int best = -1;
        for (int i = 0; i < ev.ncats; i++)
            if (ev.catn[i] >= 0 && (best < 0 || ev.catn[i] > ev.catn[best])) best = i;
        if (best < 0) break;
        html_printf(b, "<li>%h: %d</li>", reports_category_label(r, ev.cats[best]), ev.catn[best]);
        ev.catn[best] = -1;
    }
    buf_puts(b, "</ul></section>");
    bool hidden[256];
    ev_team_hidden(&ev, hidden);
    html_printf(b, "<section class=\"card\"><h2>%h</h2><p class=\"muted\">%h</p><ul>", T(r, "Per team"),
                T(r, "Only teams with at least five reports, so that no figure points at a person."));
    int shown = 0;
    for (int i = 0; i < ev.nteams; i++)
        if (!hidden[i] && ev.teams[i] && ev.team_n[i] >= ANON_K_DEFAULT) {
            html_printf(b, "<li>%h: %h</li>", ev.team_names[i] ? ev.team_names[i] : T(r, "No team given"),
                        arena_printf(r->arena, T(r, "%d reports, %d near-misses"), ev.team_n[i], ev.team_nm[i]));
            shown++;
        }
    if (!shown) html_printf(b, "<li class=\"muted\">%h</li>", T(r, "No team has enough reports to show."));
    buf_puts(b, "</ul></section>");
    page_end(r);
    return 0;
}
