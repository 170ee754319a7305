/* fairness.c: the fairness audit (GET /api/v1/fairness, the /fairness
 * page; admins and owners) and the self-described attributes it may use
 * (the account page's card, POST /account/attributes, PUT and DELETE
 * /api/v1/account/attributes).
 *
 * For each process that hands out authority or opportunity (PROCESSES: one
 * line each, an SQL query giving per-person eligible and success counts),
 * the audit compares groups by team, tenure band, access level and, where
 * people chose to give them, gender and age band. Only groups of at least
 * five people show, with complementary suppression (anon_suppress) so that
 * no two views subtract to fewer; a group whose rate is below four fifths
 * of the best shown group's is flagged with Fisher's exact test (group vs
 * the rest) and one plain sentence. No individual scores: the per-person
 * counts live only in this function's memory.
 *
 * Self-described attributes are stored apart, in self_attribute: never
 * joined into a person's page, an export or any per-person API answer; the
 * person alone sets or clears theirs, and sees them only on their account
 * page. An administrator holding the database file can read that table (it
 * is keyed by person, so that a person can change their answer): the
 * protection is in the product, not against the file's holder. */
#include "remit.h"
#include "handlers.h"
#include "grow.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FAIR_K ANON_K_DEFAULT
#define YEAR (365 * 86400)

/* One process: its rows are (person_id, eligible, success) for the
 * organisation ?1 since the time ?2 (a year ago). */
typedef struct FairProcess { const char *key, *label, *sql; } FairProcess;
static const FairProcess PROCESSES[] = {
    {"rights", N_("Rights granted and limits raised"),
     "SELECT p.id, 1, CASE WHEN EXISTS (SELECT 1 FROM right_history h JOIN decision_right r ON r.id = h.right_id WHERE h.org_id = p.org_id "
     "AND r.person_id = p.id AND h.action IN ('create', 'update') AND h.at >= ?2) THEN 1 ELSE 0 END FROM person p WHERE p.org_id = ?1 AND p.status <> 'left'"},
    {"autonomy", N_("Autonomy suggestions accepted"),
     "SELECT person_id, count(*), sum(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) FROM autonomy_suggestion WHERE org_id = ?1 AND kind = 'raise' "
     "AND status <> 'open' AND created_at >= ?2 GROUP BY person_id"},
    {"decisions", N_("Approval rates of logged decisions"),
     "SELECT author_id, count(*), sum(CASE WHEN status = 'approved' THEN 1 ELSE 0 END) FROM decision WHERE org_id = ?1 AND status IN ('approved', 'declined') "
     "AND created_at >= ?2 GROUP BY author_id"},
    {"ideas", N_("Ideas implemented"),
     "SELECT author_id, count(*), sum(CASE WHEN stage = 'implemented' THEN 1 ELSE 0 END) FROM idea WHERE org_id = ?1 AND author_id IS NOT NULL "
     "AND created_at >= ?2 GROUP BY author_id"},
    {"training", N_("Training approved"),
     "SELECT person_id, count(*), sum(CASE WHEN status IN ('approved', 'completed') THEN 1 ELSE 0 END) FROM training_plan WHERE org_id = ?1 "
     "AND status IN ('approved', 'rejected', 'completed') AND proposed_at >= ?2 GROUP BY person_id"},
    {"recognition", N_("Recognition received"),
     "SELECT p.id, 1, CASE WHEN EXISTS (SELECT 1 FROM recognition_recipient rr WHERE rr.org_id = p.org_id AND rr.person_id = p.id AND rr.created_at >= ?2) "
     "THEN 1 ELSE 0 END FROM person p WHERE p.org_id = ?1 AND p.status <> 'left'"},
};
#define NPROCESSES ((int)(sizeof PROCESSES / sizeof PROCESSES[0]))

static const char *const GENDERS[] = {N_("woman"), N_("man"), N_("non-binary"), N_("another"), NULL};
static const char *const AGE_BANDS[] = {N_("under 25"), N_("25-34"), N_("35-44"), N_("45-54"), N_("55+"), NULL};
enum { DIM_TEAM, DIM_TENURE, DIM_ACCESS, DIM_GENDER, DIM_AGE, NDIMS };
static const char *const DIM_KEYS[] = {"team", "tenure", "access", "gender", "age_band"};
static const char *const DIM_LABELS[] = {N_("Team"), N_("Tenure"), N_("Access level"), N_("Gender (self-described)"), N_("Age band (self-described)")};

static const char SQL_PEOPLE[] =
    "SELECT p.id, t.name, p.started_on, p.created_at, p.access FROM person p LEFT JOIN team t ON t.id = p.team_id AND t.org_id = p.org_id "
    "WHERE p.org_id = ? AND p.status <> 'left' ORDER BY p.id";
static const char SQL_ATTRS[] = "SELECT person_id, gender, age_band FROM self_attribute WHERE org_id = ?";
static const char SQL_ATTR_MINE[] = "SELECT gender, age_band FROM self_attribute WHERE person_id = ? AND org_id = ?";
static const char SQL_ATTR_SET[] =
    "INSERT INTO self_attribute(org_id, person_id, gender, age_band) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(person_id) DO UPDATE SET gender = ?3, age_band = ?4";
static const char SQL_ATTR_DELETE[] = "DELETE FROM self_attribute WHERE person_id = ? AND org_id = ?";
static const char SQL_AUTONOMY_DECIDED[] =
    "SELECT s.id, p.name, d.label, s.kind, s.status, s.n, s.good_halves, s.lower_bound, x.name FROM autonomy_suggestion s "
    "JOIN person p ON p.id = s.person_id AND p.org_id = s.org_id JOIN domain d ON d.id = s.domain_id LEFT JOIN person x ON x.id = s.decided_by "
    "WHERE s.org_id = ? AND s.status <> 'open' ORDER BY s.id DESC LIMIT 20";
static const char SQL_TRAINING_DECIDED[] =
    "SELECT tp.id, p.name, t.title, tp.status, tp.evidence, x.name, tp.person_id FROM training_plan tp JOIN person p ON p.id = tp.person_id AND p.org_id = tp.org_id "
    "JOIN training t ON t.id = tp.training_id LEFT JOIN person x ON x.id = tp.decided_by "
    "WHERE tp.org_id = ? AND tp.status <> 'proposed' ORDER BY tp.id DESC LIMIT 20";

static bool in_list(const char *const *v, const char *s) {
    for (int i = 0; s && v[i]; i++)
        if (strcmp(v[i], s) == 0) return true;
    return false;
}

/* ---------- the audit ---------- */

typedef struct FPerson { int64_t id; const char *dim[NDIMS]; int eligible, success; } FPerson;
typedef struct FGroup { const char *name; int people, eligible, success; bool hidden; double rate; } FGroup;

static int cmp_fperson(const void *a, const void *b) {
    int64_t x = ((const FPerson *)a)->id, y = ((const FPerson *)b)->id;
    return x < y ? -1 : x > y;
}

/* groups_of: the groups of dimension d among people with eligible > 0,
 * their counts, rates and which are hidden (k and complementary). */
static int groups_of(Req *r, const FPerson *ps, int np, int d, FGroup **out) {
    FGroup *g = arena_alloc(r->arena, sizeof(FGroup) * (size_t)(np + 1));
    int ng = 0;
    for (int i = 0; i < np; i++) {
        if (!ps[i].eligible) continue;
        const char *name = ps[i].dim[d] ? ps[i].dim[d] : "";
        int k = 0;
        while (k < ng && strcmp(g[k].name, name) != 0) k++;
        if (k == ng) g[ng++] = (FGroup){name, 0, 0, 0, false, 0};
        g[k].people++;
        g[k].eligible += ps[i].eligible;
        g[k].success += ps[i].success;
    }
    int *counts = arena_alloc(r->arena, sizeof(int) * (size_t)(ng + 1));
    bool *hidden = arena_alloc(r->arena, sizeof(bool) * (size_t)(ng + 1));
    for (int k = 0; k < ng; k++) counts[k] = g[k].people;
    anon_suppress(counts, ng, FAIR_K, true, hidden);
    for (int k = 0; k < ng; k++) {
        g[k].hidden = hidden[k];
        g[k].rate = g[k].eligible ? (double)g[k].success / g[k].eligible : 0;
    }
    *out = g;
    return ng;
}

static const char *group_label(Req *r, int d, const char *name) {
    if (!*name) return d == DIM_TEAM ? T(r, "no team") : T(r, "not given");
    if (d == DIM_ACCESS) return T(r, name);
    if (d == DIM_TENURE) return strcmp(name, "<1y") == 0 ? T(r, "under a year") : strcmp(name, "1-3y") == 0 ? T(r, "1 to 3 years") : T(r, "3 years or more");
    if (d == DIM_GENDER || d == DIM_AGE) return T(r, name);
    return name;
}

/* fairness_build: the whole audit as JSON, with the sentences in the
 * caller's language. */
static json_t *fairness_build(Req *r) {
    int cap = 64, np = 0;
    FPerson *ps = arena_alloc(r->arena, sizeof(FPerson) * (size_t)cap);
    const char *today = today_date(r->arena, r->now);
    Stmt *s = db_q(r->db, SQL_PEOPLE, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (np == cap) ps = arena_grow(r->arena, ps, &cap, sizeof *ps);
        FPerson *p = &ps[np++];
        memset(p, 0, sizeof *p);
        p->id = db_int(s, 0);
        p->dim[DIM_TEAM] = db_dup(s, 1, r->arena);
        const char *started = db_null(s, 2) ? today_date(r->arena, db_int(s, 3)) : db_text(s, 2);
        p->dim[DIM_TENURE] = fair_tenure_band(started, today);
        p->dim[DIM_ACCESS] = db_dup(s, 4, r->arena);
    }
    db_reset(s);
    s = db_q(r->db, SQL_ATTRS, "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        FPerson key = {.id = db_int(s, 0)};
        FPerson *p = bsearch(&key, ps, (size_t)np, sizeof *ps, cmp_fperson);
        if (!p) continue;
        if (in_list(GENDERS, db_text(s, 1))) p->dim[DIM_GENDER] = db_dup(s, 1, r->arena);
        if (in_list(AGE_BANDS, db_text(s, 2))) p->dim[DIM_AGE] = db_dup(s, 2, r->arena);
    }
    db_reset(s);

    json_t *procs = json_array();
    int nflags = 0;
    for (int pi = 0; pi < NPROCESSES; pi++) {
        const FairProcess *fp = &PROCESSES[pi];
        for (int i = 0; i < np; i++) ps[i].eligible = ps[i].success = 0;
        s = db_q(r->db, fp->sql, "ii", r->who.org_id, r->now - YEAR);
        int total_e = 0, total_s = 0;
        while (db_step(s) == DB_ROW) {
            FPerson key = {.id = db_int(s, 0)};
            FPerson *p = bsearch(&key, ps, (size_t)np, sizeof *ps, cmp_fperson);
            if (!p) continue;
            p->eligible = (int)db_int(s, 1);
            p->success = (int)db_int(s, 2);
            total_e += p->eligible, total_s += p->success;
        }
        db_reset(s);
        json_t *dims = json_array();
        for (int d = 0; d < NDIMS; d++) {
            FGroup *g;
            int ng = groups_of(r, ps, np, d, &g), best = -1, nhidden = 0;
            for (int k = 0; k < ng; k++)
                if (!g[k].hidden && (best < 0 || g[k].rate > g[best].rate)) best = k;
            json_t *groups = json_array(), *flags = json_array();
            for (int k = 0; k < ng; k++) {
                if (g[k].hidden) {
                    nhidden++;
                    continue;
                }
                const char *label = group_label(r, d, g[k].name);
                json_array_append_new(groups, json_pack("{s:s,s:i,s:i,s:i,s:f}", "name", label, "people", g[k].people, "eligible", g[k].eligible, "success",
                                                        g[k].success, "rate", round(g[k].rate * 1000) / 1000));
                if (best >= 0 && k != best && fair_four_fifths(g[k].rate, g[best].rate)) {
                    int a = g[k].success, b = g[k].eligible - g[k].success, c = total_s - g[k].success, dd = (total_e - total_s) - b;
                    double pv = fair_fisher(a, b, c, dd);
                    char *sentence = arena_printf(r->arena,
                                                  T(r, "%s: the group %s succeeded %d of %d times (%.0f%%), below four fifths of the highest group's %.0f%% (%s); "
                                                       "Fisher's exact test against everyone else gives p = %.3f%s."),
                                                  T(r, fp->label), label, a, g[k].eligible, g[k].rate * 100, g[best].rate * 100, group_label(r, d, g[best].name), pv,
                                                  pv < 0.05 ? T(r, ", unlikely to be chance alone") : T(r, ", which could be chance with groups this small"));
                    json_array_append_new(flags, json_pack("{s:s,s:f,s:s,s:f,s:f,s:[i,i,i,i],s:s}", "group", label, "rate", round(g[k].rate * 1000) / 1000,
                                                           "best_group", group_label(r, d, g[best].name), "best_rate", round(g[best].rate * 1000) / 1000,
                                                           "p_value", round(pv * 10000) / 10000, "table", a, b, c, dd, "sentence", sentence));
                    nflags++;
                }
            }
            json_array_append_new(dims, json_pack("{s:s,s:s,s:o,s:i,s:o}", "key", DIM_KEYS[d], "name", T(r, DIM_LABELS[d]), "groups", groups, "hidden_groups",
                                                  nhidden, "flags", flags));
        }
        json_array_append_new(procs, json_pack("{s:s,s:s,s:i,s:i,s:o}", "key", fp->key, "name", T(r, fp->label), "eligible", total_e, "success", total_s,
                                               "dimensions", dims));
    }
    /* the suggestions behind the processes, with their evidence and deciders */
    json_t *aut = json_array(), *tr = json_array();
    s = db_q(r->db, SQL_AUTONOMY_DECIDED, "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(aut, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)db_int(s, 0), "link",
                                             arena_printf(r->arena, "/autonomy/%lld", (long long)db_int(s, 0)), "person", db_text(s, 1), "domain",
                                             db_text(s, 2), "status", db_text(s, 4), "evidence",
                                             arena_printf(r->arena, T(r, "%d reviewed outcomes, %.1f good, lower bound %.2f"), (int)db_int(s, 5),
                                                          db_int(s, 6) / 2.0, atof(db_text(s, 7))),
                                             "decided_by", json_text(db_null(s, 8) ? NULL : db_text(s, 8))));
    db_reset(s);
    s = db_q(r->db, SQL_TRAINING_DECIDED, "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(tr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)db_int(s, 0), "link",
                                            arena_printf(r->arena, "/training?person_id=%lld#plan-%lld", (long long)db_int(s, 6), (long long)db_int(s, 0)),
                                            "person", db_text(s, 1), "training", db_text(s, 2), "status", db_text(s, 3), "evidence", db_text(s, 4),
                                            "decided_by", json_text(db_null(s, 5) ? NULL : db_text(s, 5))));
    db_reset(s);
    return json_pack("{s:i,s:s,s:o,s:i,s:{s:o,s:o}}", "min_group", FAIR_K, "period_from", today_date(r->arena, r->now - YEAR), "processes", procs, "flags", nflags,
                     "suggestions", "autonomy", aut, "training", tr);
}

/* GET /api/v1/fairness: the audit (admin). */
int fairness_api(Req *r) {
    resp_json(r, 200, fairness_build(r));
    return 0;
}

/* GET /fairness: the audit as a page (admin). */
int fairness_page(Req *r) {
    json_t *a = fairness_build(r);
    req_defer_json(r, a);
    Buf *b = page(r);
    page_begin(r, "Fairness audit");
    html_printf(b, "<h1>Fairness audit</h1><p class=\"lead\">%h</p>",
                arena_printf(r->arena,
                             T(r, "Who gets authority and opportunity, by group, since %s. Only groups of at least %d people show (and none that another view "
                                  "would reveal by subtraction); a group below four fifths of the best group's rate is flagged with Fisher's exact test."),
                             fmt_date(r, json_string_value(json_object_get(a, "period_from"))), FAIR_K));
    size_t i, j, k;
    json_t *p, *d, *g;
    html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "Flags"));
    int nflags = 0;
    json_array_foreach(json_object_get(a, "processes"), i, p) json_array_foreach(json_object_get(p, "dimensions"), j, d)
        json_array_foreach(json_object_get(d, "flags"), k, g) {
        if (nflags++ == 0) buf_puts(b, "<ul class=\"flags\">");
        html_printf(b, "<li>%h</li>", json_string_value(json_object_get(g, "sentence")));
    }
    if (nflags) buf_puts(b, "</ul>");
    else html_printf(b, "<p class=\"muted empty\">%h</p>", T(r, "No group falls below four fifths of the best group's rate."));
    buf_puts(b, "</section>");
    json_array_foreach(json_object_get(a, "processes"), i, p) {
        html_printf(b, "<section class=\"card\"><h2>%h</h2><p class=\"muted\">%h</p>", json_string_value(json_object_get(p, "name")),
                    arena_printf(r->arena, T(r, "%d of %d in all."), (int)json_integer_value(json_object_get(p, "success")),
                                 (int)json_integer_value(json_object_get(p, "eligible"))));
        json_array_foreach(json_object_get(p, "dimensions"), j, d) {
            json_t *groups = json_object_get(d, "groups");
            int nh = (int)json_integer_value(json_object_get(d, "hidden_groups"));
            if (!json_array_size(groups) && !nh) continue;
            html_printf(b, "<h3>%h</h3>", json_string_value(json_object_get(d, "name")));
            if (json_array_size(groups)) {
                html_printf(b, "<table class=\"list\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                            T(r, "Group"), T(r, "People"), T(r, "Outcomes"), T(r, "Rate"));
                json_array_foreach(groups, k, g) html_printf(b, "<tr><td>%h</td><td>%d</td><td>%d / %d</td><td>%d%%</td></tr>", json_string_value(json_object_get(g, "name")),
                                                             (int)json_integer_value(json_object_get(g, "people")),
                                                             (int)json_integer_value(json_object_get(g, "success")),
                                                             (int)json_integer_value(json_object_get(g, "eligible")),
                                                             (int)lround(json_real_value(json_object_get(g, "rate")) * 100));
                buf_puts(b, "</tbody></table>");
            }
            if (nh) html_printf(b, "<p class=\"muted\">%h</p>", arena_printf(r->arena, TN(r, "%d group hidden (fewer than 5 people, or it would reveal one).", "%d groups hidden (fewer than 5 people, or they would reveal one).", nh), nh));
        }
        buf_puts(b, "</section>");
    }
    json_t *sg = json_object_get(a, "suggestions");
    html_printf(b, "<section class=\"card\"><h2>%h</h2><ul class=\"plain\">", T(r, "Suggestions and who decided them"));
    json_array_foreach(json_object_get(sg, "autonomy"), i, g) {
        const char *by = json_string_value(json_object_get(g, "decided_by"));
        html_printf(b, "<li><a href=\"%h\">%h</a>: %h. %h</li>", json_string_value(json_object_get(g, "link")),
                    arena_printf(r->arena, T(r, "Autonomy, %s in %s"), json_string_value(json_object_get(g, "person")), json_string_value(json_object_get(g, "domain"))),
                    json_string_value(json_object_get(g, "evidence")),
                    arena_printf(r->arena, T(r, "%s by %s."), T(r, json_string_value(json_object_get(g, "status"))), by ? by : "?"));
    }
    json_array_foreach(json_object_get(sg, "training"), i, g) {
        const char *by = json_string_value(json_object_get(g, "decided_by"));
        const char *ev = json_string_value(json_object_get(g, "evidence"));
        html_printf(b, "<li><a href=\"%h\">%h</a>: %h %h</li>", json_string_value(json_object_get(g, "link")),
                    arena_printf(r->arena, T(r, "Training, %s: %s"), json_string_value(json_object_get(g, "person")), json_string_value(json_object_get(g, "training"))),
                    ev && *ev ? ev : T(r, "(proposed without a suggestion)"),
                    arena_printf(r->arena, T(r, "%s by %s."), T(r, json_string_value(json_object_get(g, "status"))), by ? by : "?"));
    }
    buf_puts(b, "</ul></section>");
    page_end(r);
    return 0;
}

/* ---------- self-described attributes ---------- */

/* attrs_set: the caller's own gender and age band (NULL or "" clears one). */
static int attrs_set(Req *r, const char *gender, const char *age, Errors *e) {
    if (gender && !*gender) gender = NULL;
    if (age && !*age) age = NULL;
    if (gender && !in_list(GENDERS, gender)) err_add(e, 422, "invalid", "gender", "Choose one of the listed answers, or none.");
    if (age && !in_list(AGE_BANDS, age)) err_add(e, 422, "invalid", "age_band", "Choose one of the listed answers, or none.");
    if (e->n) return -1;
    r->no_trace = true; /* no activity time next to the answer */
    if (db_begin(r->db) != DB_OK) return err_busy(e), -1;
    int rc = !gender && !age ? db_exec(r->db, SQL_ATTR_DELETE, "ii", r->who.person_id, r->who.org_id)
                             : db_exec(r->db, SQL_ATTR_SET, "iitt", r->who.org_id, r->who.person_id, gender, age);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* fairness_account_card: the account page's card: the caller's own
 * answers, to give, change or clear. */
void fairness_account_card(Req *r) {
    char *gender = NULL, *age = NULL;
    Stmt *s = db_q(r->db, SQL_ATTR_MINE, "ii", r->who.person_id, r->who.org_id);
    if (db_step(s) == DB_ROW) gender = db_dup(s, 0, r->arena), age = db_dup(s, 1, r->arena);
    db_reset(s);
    Buf *b = page(r);
    html_printf(b, "<section class=\"card\" id=\"attributes\"><h2>%h</h2><p>%h</p>", T(r, "For the fairness audit (optional)"),
                T(r, "If you wish, describe yourself here. Your answers are kept apart from your record, never shown with your name, and count only in "
                     "groups of at least five people. Leave them empty to give none; you can clear them at any time."));
    form_begin(r, "/account/attributes", NULL);
    static const char *const NONE_G[] = {"", N_("woman"), N_("man"), N_("non-binary"), N_("another"), NULL};
    static const char *const NONE_A[] = {"", N_("under 25"), N_("25-34"), N_("35-44"), N_("45-54"), N_("55+"), NULL};
    form_select_str(r, "gender", "Gender", gender ? gender : "", NONE_G, NULL);
    form_select_str(r, "age_band", "Age band", age ? age : "", NONE_A, NULL);
    form_end(r, "Save answers");
    buf_puts(b, "</section>");
}

/* POST /account/attributes (gender, age_band): saves or clears the
 * caller's own answers (member). */
int fairness_page_attributes(Req *r) {
    Errors e = {0};
    if (attrs_set(r, req_form(r, "gender"), req_form(r, "age_band"), &e)) {
        if (e.status == 422) return resp_error(r, 422, "invalid", "%s", T(r, e.items[0].msg));
        return resp_error(r, 503, "busy", "The database is busy; try again.");
    }
    resp_redirect(r, "/account?saved=1#attributes");
    return 0;
}

static const JField ATTR_FIELDS[] = {{"gender", JF_STRING_NULL, 100}, {"age_band", JF_STRING_NULL, 100}, {0}};

/* PUT /api/v1/account/attributes {"gender","age_band"}: the caller's own
 * answers (null clears one). 204: nothing is read back. */
int fairness_api_attributes(Req *r) {
    json_t *in = req_json_object(r, ATTR_FIELDS);
    if (!in) return -1;
    Errors e = {0};
    if (attrs_set(r, json_str(in, "gender"), json_str(in, "age_band"), &e)) return err_send(r, &e);
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}

/* DELETE /api/v1/account/attributes: clears the caller's answers. 204. */
int fairness_api_attributes_delete(Req *r) {
    Errors e = {0};
    if (attrs_set(r, NULL, NULL, &e)) return err_send(r, &e);
    r->resp.status = 204;
    r->resp.sent = true;
    return 0;
}
