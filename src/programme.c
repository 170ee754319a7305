/* programme.c: the empowerment programme (issue 15): one per organisation,
 * in the phases of the seed: assessment (the culture audit's baseline, the
 * skills gaps when that part exists, and the process review: where
 * decisions wait longest), pilot (chosen teams, what changes for them, a
 * start date) and rollout, each with a checklist of action items (the
 * actions service, source kind "programme"). It compares the pilot teams
 * with comparison teams on the KPIs the owner picks: before and after for
 * both and the difference-in-differences with a bootstrap interval
 * (kpicalc.c), and says plainly when the data cannot support a conclusion.
 * It stores the programme, its teams, KPIs and checklist links; the values
 * come from kpis.c. */
#include "remit.h"
#include "handlers.h"
#include "notify.h"
#include "evidence.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define BOOTSTRAP 2000
#define MAX_TEAMS 100
#define MAX_KPIS 30

static const char *const PHASES[] = {N_("assessment"), N_("pilot"), N_("rollout"), NULL};
/* an action's status, as the checklist shows it (translated where used) */
static const char *const ACTION_STATUSES[] __attribute__((unused)) = {N_("open"), N_("done"), N_("dropped")};

typedef struct Programme {
    int64_t id;
    const char *phase, *pilot_start, *changes;
    int64_t pilot[MAX_TEAMS], comp[MAX_TEAMS], kpis[MAX_KPIS];
    int npilot, ncomp, nkpis;
} Programme;

static bool is_phase(const char *s) {
    for (int i = 0; s && PHASES[i]; i++)
        if (strcmp(s, PHASES[i]) == 0) return true;
    return false;
}

/* programme_load: the organisation's programme; 0 when it has none yet (p
 * then holds the defaults). */
static int programme_load(Req *r, Programme *p) {
    memset(p, 0, sizeof *p);
    p->phase = "assessment";
    p->changes = "";
    Stmt *s = db_q(r->db, "SELECT id, phase, pilot_start, changes FROM programme WHERE org_id = ?", "i", r->who.org_id);
    if (db_step(s) == DB_ROW) {
        p->id = db_int(s, 0);
        p->phase = db_dup(s, 1, r->arena);
        p->pilot_start = db_dup(s, 2, r->arena);
        p->changes = db_dup(s, 3, r->arena);
    }
    db_reset(s);
    if (!p->id) return 0;
    s = db_q(r->db, "SELECT pt.team_id, pt.grp FROM programme_team pt JOIN team t ON t.id = pt.team_id AND t.org_id = ? WHERE pt.programme_id = ? ORDER BY pt.team_id LIMIT 200",
             "ii", r->who.org_id, p->id);
    while (db_step(s) == DB_ROW) {
        if (strcmp(db_text(s, 1), "pilot") == 0) {
            if (p->npilot < MAX_TEAMS) p->pilot[p->npilot++] = db_int(s, 0);
        } else if (p->ncomp < MAX_TEAMS) p->comp[p->ncomp++] = db_int(s, 0);
    }
    db_reset(s);
    s = db_q(r->db, "SELECT pk.kpi_id FROM programme_kpi pk JOIN kpi k ON k.id = pk.kpi_id AND k.org_id = ? WHERE pk.programme_id = ? ORDER BY pk.kpi_id LIMIT 30",
             "ii", r->who.org_id, p->id);
    while (db_step(s) == DB_ROW && p->nkpis < MAX_KPIS) p->kpis[p->nkpis++] = db_int(s, 0);
    db_reset(s);
    return 1;
}

/* programme_may_see: the actions service's question for source kind
 * "programme": managers and up of the programme's organisation. */
bool programme_may_see(Req *r, int64_t id) {
    int64_t found;
    return r->who.access >= ACCESS_MANAGER && db_one_int(r->db, &found, "SELECT id FROM programme WHERE id = ? AND org_id = ?", "ii", id, r->who.org_id);
}

static const char *team_label(Req *r, int64_t id) {
    Stmt *s = db_q(r->db, "SELECT name FROM team WHERE id = ? AND org_id = ?", "ii", id, r->who.org_id);
    char *n = db_step(s) == DB_ROW ? db_dup(s, 0, r->arena) : arena_strdup(r->arena, "?");
    db_reset(s);
    return n;
}

/* ---------- the assessment ---------- */

/* The culture audit's baseline: the organisation's factor scores of the
 * first closed round of a culture-audit survey. */
static json_t *baseline_json(Req *r) {
    json_t *o = NULL;
    Stmt *s = db_q(r->db,
                   "SELECT r.id, r.closes_on FROM survey_round r JOIN survey v ON v.id = r.survey_id WHERE r.org_id = ? AND v.template = 'culture-audit' "
                   "AND r.status = 'closed' ORDER BY r.closes_on, r.id LIMIT 1",
                   "i", r->who.org_id);
    int64_t round = 0;
    if (db_step(s) == DB_ROW) round = db_int(s, 0), o = json_pack("{s:I,s:s,s:{}}", "round_id", (json_int_t)round, "closes_on", db_text(s, 1), "factors");
    db_reset(s);
    if (!o) return json_null();
    json_t *f = json_object_get(o, "factors");
    s = db_q(r->db, "SELECT factor, score FROM survey_factor_score WHERE round_id = ? AND team_id = 0 ORDER BY factor LIMIT 50", "i", round);
    while (db_step(s) == DB_ROW) json_object_set_new(f, db_text(s, 0), json_real(strtod(db_text(s, 1), NULL)));
    db_reset(s);
    return o;
}

/* The process review: the domains whose approvals waited longest (median
 * hours from asking to the answer, answered in the last 12 months; at least
 * 3 answers), from the KPIs' facts. */
static json_t *waits_json(Req *r) {
    json_t *items = json_array();
    KpiDomainWait w[5];
    int n = kpi_domain_waits(r, 12, w, 5);
    for (int i = 0; i < n; i++) {
        Domain d;
        if (!domain_by_id(r->db, r->arena, r->who.org_id, w[i].domain, &d)) continue;
        json_array_append_new(items, json_pack("{s:s,s:s,s:f,s:i}", "domain", d.slug, "label", d.label, "median_hours", round(w[i].median_hours * 10) / 10, "n", w[i].n));
    }
    return items;
}

/* ---------- the comparison ---------- */

static const char *conclusion_message(Req *r, const char *c) {
    if (strcmp(c, "no_pilot") == 0) return T(r, "There is no pilot yet: choose pilot and comparison teams and a start date.");
    if (strcmp(c, "not_started") == 0) return T(r, "The pilot has not run for a full month yet.");
    if (strcmp(c, "below_k") == 0) return T(r, "A group has fewer than 5 people in some month, so its figures stay hidden and nothing can be concluded.");
    if (strcmp(c, "insufficient_months") == 0) return T(r, "Too few months with figures for both groups (at least 3 before and 3 after the start): the data cannot support a conclusion.");
    if (strcmp(c, "unclear") == 0) return T(r, "The difference is within what month-to-month variation gives (the interval includes 0): the data do not show an effect.");
    if (strcmp(c, "better") == 0) return T(r, "The pilot teams moved in the good direction by more than the comparison teams, beyond month-to-month variation.");
    return T(r, "The pilot teams moved in the bad direction compared with the comparison teams, beyond month-to-month variation.");
}

typedef struct Cmp {
    int64_t kpi_id;
    const char *name, *conclusion;
    int direction;
    DidResult d;
} Cmp;

/* compare: each chosen KPI, pilot against comparison, over the 12 months
 * before the start month and the months since, up to the last complete
 * one. Arena-owned; *n set. */
static Cmp *compare(Req *r, const Programme *p, int *n) {
    *n = 0;
    Cmp *out = arena_alloc(r->arena, sizeof *out * (size_t)(p->nkpis ? p->nkpis : 1));
    int last = ev_day_month((int)(r->now / DAY)) - 1;
    int start = p->pilot_start ? ev_month_parse(p->pilot_start) : -1;
    for (int i = 0; i < p->nkpis; i++) {
        Cmp *c = &out[(*n)++];
        memset(c, 0, sizeof *c);
        c->kpi_id = p->kpis[i];
        c->name = "?";
        c->direction = 1;
        if (!p->npilot || !p->ncomp || start < 0) {
            c->conclusion = "no_pilot";
            continue;
        }
        if (start > last) {
            c->conclusion = "not_started";
            continue;
        }
        int m0 = start - 12, nm = last - m0 + 1;
        if (nm > 48) m0 = last - 47, nm = 48;
        bool kp, kc;
        KpiPoint *pp = kpi_group_series(r, c->kpi_id, p->pilot, p->npilot, m0, nm, &kp, &c->name, &c->direction);
        KpiPoint *pc = kpi_group_series(r, c->kpi_id, p->comp, p->ncomp, m0, nm, &kc, &c->name, &c->direction);
        if (!pp || !pc) {
            c->conclusion = "no_pilot";
            continue;
        }
        double *vp = arena_alloc(r->arena, sizeof(double) * (size_t)nm), *vc = arena_alloc(r->arena, sizeof(double) * (size_t)nm);
        bool *hp = arena_alloc(r->arena, sizeof(bool) * (size_t)nm), *hc = arena_alloc(r->arena, sizeof(bool) * (size_t)nm);
        for (int j = 0; j < nm; j++) vp[j] = pp[j].value, hp[j] = pp[j].has, vc[j] = pc[j].value, hc[j] = pc[j].has;
        ev_did(vp, hp, vc, hc, nm, start - m0, BOOTSTRAP, (uint64_t)c->kpi_id * 2654435761u + 1, &c->d);
        if (kp || kc) c->conclusion = "below_k";
        else if (c->d.status == DID_FEW_MONTHS) c->conclusion = "insufficient_months";
        else if (c->d.lo <= 0 && c->d.hi >= 0) c->conclusion = "unclear";
        else c->conclusion = c->d.estimate * c->direction > 0 ? "better" : "worse";
    }
    return out;
}

static const char METHOD[] = N_("Difference-in-differences: the mean monthly gap between the pilot and the comparison teams from the start month on, minus the "
                                "mean gap in the 12 months before. The interval (95%) is a bootstrap over months: 2,000 resamples of the months before and of "
                                "the months after, with a fixed seed, so the same data always give the same interval. It needs at least 3 months on each "
                                "side and groups of at least 5 people.");

static json_t *r2(double v) { return json_real(round(v * 100) / 100); }

/* GET /api/v1/programme/comparison: pilot against comparison for each KPI
 * chosen (manager). */
int programme_api_comparison(Req *r) {
    Programme p;
    programme_load(r, &p);
    int n;
    Cmp *c = compare(r, &p, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        bool shown = strcmp(c[i].conclusion, "below_k") && strcmp(c[i].conclusion, "no_pilot") && strcmp(c[i].conclusion, "not_started");
        bool est = shown && strcmp(c[i].conclusion, "insufficient_months");
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:i,s:i,s:s,s:s}", "kpi_id", (json_int_t)c[i].kpi_id, "name", c[i].name,
                                               "direction", c[i].direction > 0 ? "up" : "down", "pilot_before", shown ? r2(c[i].d.pilot_before) : json_null(),
                                               "pilot_after", shown ? r2(c[i].d.pilot_after) : json_null(), "comparison_before",
                                               shown ? r2(c[i].d.comp_before) : json_null(), "comparison_after", shown ? r2(c[i].d.comp_after) : json_null(),
                                               "estimate", est ? r2(c[i].d.estimate) : json_null(), "ci_low", est ? r2(c[i].d.lo) : json_null(), "ci_high",
                                               est ? r2(c[i].d.hi) : json_null(), "months_before", c[i].d.months_before, "months_after", c[i].d.months_after,
                                               "conclusion", c[i].conclusion, "message", conclusion_message(r, c[i].conclusion)));
    }
    resp_json(r, 200, json_pack("{s:o,s:s,s:o}", "pilot_start", json_text(p.pilot_start), "method", T(r, METHOD), "items", items));
    return 0;
}

/* ---------- the programme itself ---------- */

static json_t *ids_json(const int64_t *v, int n) {
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, json_integer(v[i]));
    return a;
}

static const char SQL_PROGRAMME_ACTIONS[] =
    "SELECT a.id, a.title, a.status, a.due_on, a.owner_id, p.name, pa.phase FROM programme_action pa JOIN action_item a ON a.id = pa.action_id AND a.org_id = ? "
    "JOIN person p ON p.id = a.owner_id WHERE pa.programme_id = ? ORDER BY a.id LIMIT 500";

static json_t *programme_json(Req *r, const Programme *p) {
    json_t *acts = json_array();
    if (p->id) {
        Stmt *s = db_q(r->db, SQL_PROGRAMME_ACTIONS, "ii", r->who.org_id, p->id);
        while (db_step(s) == DB_ROW)
            json_array_append_new(acts, json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)db_int(s, 0), "title", db_text(s, 1), "phase", db_text(s, 6),
                                                  "status", db_text(s, 2), "due_on", db_null(s, 3) ? json_null() : json_string(db_text(s, 3)), "owner",
                                                  json_ref(db_int(s, 4), db_text(s, 5))));
        db_reset(s);
    }
    return json_pack("{s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:{s:o,s:n,s:o}}", "id", p->id ? json_integer(p->id) : json_null(), "phase", p->phase, "pilot_start",
                     json_text(p->pilot_start), "changes", p->changes ? p->changes : "", "pilot_team_ids", ids_json(p->pilot, p->npilot),
                     "comparison_team_ids", ids_json(p->comp, p->ncomp), "kpi_ids", ids_json(p->kpis, p->nkpis), "actions", acts, "assessment", "baseline",
                     baseline_json(r), "skills_gaps", "decision_waits", waits_json(r));
}

/* GET /api/v1/programme: the programme with its checklist and the
 * assessment's figures (manager). An organisation without one gets the
 * defaults (id null, phase assessment). */
int programme_api_get(Req *r) {
    Programme p;
    programme_load(r, &p);
    resp_json(r, 200, programme_json(r, &p));
    return 0;
}

typedef struct ProgIn {
    const char *phase, *pilot_start, *changes;
    bool has_start, has_changes, has_pilot, has_comp, has_kpis;
    int64_t pilot[MAX_TEAMS], comp[MAX_TEAMS], kpis[MAX_KPIS];
    int npilot, ncomp, nkpis;
} ProgIn;

/* programme_save: checks and stores (one transaction, audited). 0, or -1
 * with the problems in e. */
static int programme_save(Req *r, Programme *cur, const ProgIn *in, Errors *e) {
    const char *phase = in->phase ? in->phase : cur->phase;
    const char *start = in->has_start ? in->pilot_start : cur->pilot_start;
    const char *changes = in->has_changes ? in->changes : cur->changes;
    if (start && !*start) start = NULL;
    if (!is_phase(phase)) err_add(e, 422, "invalid", "phase", "The phase is assessment, pilot or rollout.");
    if (start && !valid_date(start)) err_add(e, 422, "invalid", "pilot_start", "Enter the start as YYYY-MM-DD.");
    if (changes && utf8_chars(changes) > 4000) err_add(e, 422, "invalid", "changes", "Keep what changes under 4000 characters.");
    int64_t found;
    for (int i = 0; i < in->npilot; i++) {
        if (!db_one_int(r->db, &found, "SELECT id FROM team WHERE id = ? AND org_id = ?", "ii", in->pilot[i], r->who.org_id))
            err_add(e, 422, "invalid", "pilot_team_ids", "There is no such team.");
        for (int j = 0; j < in->ncomp; j++)
            if (in->comp[j] == in->pilot[i]) err_add(e, 422, "invalid", "comparison_team_ids", "A team cannot be both a pilot and a comparison team.");
    }
    for (int i = 0; i < in->ncomp; i++)
        if (!db_one_int(r->db, &found, "SELECT id FROM team WHERE id = ? AND org_id = ?", "ii", in->comp[i], r->who.org_id))
            err_add(e, 422, "invalid", "comparison_team_ids", "There is no such team.");
    for (int i = 0; i < in->nkpis; i++)
        if (!db_one_int(r->db, &found, "SELECT id FROM kpi WHERE id = ? AND org_id = ?", "ii", in->kpis[i], r->who.org_id))
            err_add(e, 422, "invalid", "kpi_ids", "There is no such KPI.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = DB_OK;
    if (!cur->id) {
        rc = db_exec(r->db, "INSERT INTO programme(org_id, phase, pilot_start, changes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", "itttii",
                     r->who.org_id, phase, start, changes ? changes : "", r->now, r->now);
        cur->id = db_last_id(r->db);
    } else
        rc = db_exec(r->db, "UPDATE programme SET phase = ?, pilot_start = ?, changes = ?, updated_at = ? WHERE id = ? AND org_id = ?", "tttiii", phase, start,
                     changes ? changes : "", r->now, cur->id, r->who.org_id);
    if (rc == DB_OK && (in->has_pilot || in->has_comp)) {
        const char *grp[2] = {"pilot", "comparison"};
        const int64_t *ids[2] = {in->has_pilot ? in->pilot : cur->pilot, in->has_comp ? in->comp : cur->comp};
        int ns[2] = {in->has_pilot ? in->npilot : cur->npilot, in->has_comp ? in->ncomp : cur->ncomp};
        rc = db_exec(r->db, "DELETE FROM programme_team WHERE programme_id = ?", "i", cur->id);
        for (int g = 0; g < 2; g++)
            for (int i = 0; rc == DB_OK && i < ns[g]; i++) {
                bool dup = false;
                for (int j = 0; j < i; j++) dup = dup || ids[g][j] == ids[g][i];
                if (!dup) rc = db_exec(r->db, "INSERT INTO programme_team(programme_id, team_id, grp) VALUES (?, ?, ?)", "iit", cur->id, ids[g][i], grp[g]);
            }
    }
    if (rc == DB_OK && in->has_kpis) {
        rc = db_exec(r->db, "DELETE FROM programme_kpi WHERE programme_id = ?", "i", cur->id);
        for (int i = 0; rc == DB_OK && i < in->nkpis; i++) {
            bool dup = false;
            for (int j = 0; j < i; j++) dup = dup || in->kpis[j] == in->kpis[i];
            if (!dup) rc = db_exec(r->db, "INSERT INTO programme_kpi(programme_id, kpi_id) VALUES (?, ?)", "ii", cur->id, in->kpis[i]);
        }
    }
    if (rc == DB_OK) audit(r, "programme.update", arena_printf(r->arena, "programme:%lld", (long long)cur->id), "phase %s", phase);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

static int ids_from_json(json_t *a, int64_t *out, int max, int *n) {
    *n = 0;
    if (!json_is_array(a) || (int)json_array_size(a) > max) return -1;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) return -1;
        out[(*n)++] = json_integer_value(v);
    }
    return 0;
}

static const JField PROGRAMME_FIELDS[] = {{"phase", JF_STRING, 20}, {"pilot_start", JF_DATE_NULL}, {"changes", JF_STRING_NULL, 4000},
                                          {"pilot_team_ids", JF_ANY}, {"comparison_team_ids", JF_ANY}, {"kpi_ids", JF_ANY}, {0}};

/* PUT /api/v1/programme {"phase","pilot_start","changes","pilot_team_ids",
 * "comparison_team_ids","kpi_ids"}: any subset (admin). 200 with it. */
int programme_api_put(Req *r) {
    json_t *o = req_json_object(r, PROGRAMME_FIELDS);
    if (!o) return -1;
    Programme cur;
    programme_load(r, &cur);
    ProgIn in = {0};
    Errors e = {0};
    in.phase = json_str(o, "phase");
    in.has_start = json_has(o, "pilot_start");
    in.pilot_start = json_str(o, "pilot_start");
    in.has_changes = json_has(o, "changes");
    in.changes = json_str(o, "changes");
    if ((in.has_pilot = json_has(o, "pilot_team_ids")) && ids_from_json(json_object_get(o, "pilot_team_ids"), in.pilot, MAX_TEAMS, &in.npilot))
        err_add(&e, 422, "invalid", "pilot_team_ids", "A list of team ids.");
    if ((in.has_comp = json_has(o, "comparison_team_ids")) && ids_from_json(json_object_get(o, "comparison_team_ids"), in.comp, MAX_TEAMS, &in.ncomp))
        err_add(&e, 422, "invalid", "comparison_team_ids", "A list of team ids.");
    if ((in.has_kpis = json_has(o, "kpi_ids")) && ids_from_json(json_object_get(o, "kpi_ids"), in.kpis, MAX_KPIS, &in.nkpis))
        err_add(&e, 422, "invalid", "kpi_ids", "A list of KPI ids.");
    if (!in.has_pilot) memcpy(in.pilot, cur.pilot, sizeof in.pilot), in.npilot = cur.npilot;
    if (!in.has_comp) memcpy(in.comp, cur.comp, sizeof in.comp), in.ncomp = cur.ncomp;
    if (e.n || programme_save(r, &cur, &in, &e)) return err_send(r, &e);
    Programme p;
    programme_load(r, &p);
    resp_json(r, 200, programme_json(r, &p));
    return 0;
}

static const JField ACTION_FIELDS[] = {{"phase", JF_STRING, 20}, {"title", JF_STRING, 200}, {"owner_id", JF_ID_NULL}, {"due_on", JF_DATE_NULL}, {0}};

/* programme_add_action: a checklist item of a phase, through the actions
 * service (the programme is made if there is none). 0 with *id, or -1
 * with the problem in e. */
static int programme_add_action(Req *r, const char *phase, const char *title, int64_t owner, const char *due, Errors *e, int64_t *id) {
    if (!is_phase(phase)) err_add(e, 422, "invalid", "phase", "The phase is assessment, pilot or rollout.");
    char *t = str_trim(r->arena, title ? title : "");
    if (str_empty(t) || utf8_chars(t) > 200 || has_control(t)) err_add(e, 422, "invalid", "title", "Say what is to be done, in under 200 characters.");
    if (due && *due && !valid_date(due)) err_add(e, 422, "invalid", "due_on", "Enter the day as YYYY-MM-DD.");
    int64_t found;
    if (!owner) owner = r->who.person_id;
    if (!db_one_int(r->db, &found, "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'", "ii", owner, r->who.org_id))
        err_add(e, 422, "invalid", "owner_id", "There is no such person.");
    if (e->n) return -1;
    Programme p;
    if (!programme_load(r, &p)) {
        ProgIn in = {0};
        if (programme_save(r, &p, &in, e)) return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id = actions_create(r->db, r->arena, r->who.org_id, t, owner, due && *due ? due : NULL, "programme", p.id, r->who.person_id, r->now);
    int rc = *id ? db_exec(r->db, "INSERT INTO programme_action(programme_id, action_id, phase) VALUES (?, ?, ?)", "iit", p.id, *id, phase) : DB_ERROR;
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    return 0;
}

/* POST /api/v1/programme/actions {"phase","title","owner_id","due_on"}: a
 * checklist action of a phase (admin). 201 {"id"}. */
int programme_api_action(Req *r) {
    json_t *o = req_json_object(r, ACTION_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    int64_t id;
    if (!json_str(o, "title")) err_add(&e, 422, "missing_field", "title", "Say what is to be done.");
    if (!json_str(o, "phase")) err_add(&e, 422, "missing_field", "phase", "The phase is assessment, pilot or rollout.");
    if (e.n || programme_add_action(r, json_str(o, "phase"), json_str(o, "title"), json_id(o, "owner_id"), json_str(o, "due_on"), &e, &id)) return err_send(r, &e);
    resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
    return 0;
}

/* ---------- pages ---------- */

static void checklist(Req *r, const Programme *p, const char *phase) {
    Buf *b = page(r);
    int n = 0;
    if (p->id) {
        Stmt *s = db_q(r->db, SQL_PROGRAMME_ACTIONS, "ii", r->who.org_id, p->id);
        while (db_step(s) == DB_ROW) {
            if (strcmp(db_text(s, 6), phase) != 0) continue;
            if (n++ == 0) buf_puts(b, "<ul class=\"plain checklist\">");
            html_printf(b, "<li><span class=\"badge status-%h\">%h</span> %h <span class=\"muted\">%h", db_text(s, 2), T(r, db_text(s, 2)), db_text(s, 1),
                        db_text(s, 5));
            if (!db_null(s, 3)) html_printf(b, ", %h", fmt_date(r, db_text(s, 3)));
            buf_puts(b, "</span></li>");
        }
        db_reset(s);
    }
    if (n) buf_puts(b, "</ul>");
    else html_printf(b, "<p class=\"muted\">%h</p>", T(r, "No actions yet."));
    if (r->who.access >= ACCESS_ADMIN) {
        form_begin(r, "/programme/actions", NULL);
        html_printf(b, "<input type=\"hidden\" name=\"phase\" value=\"%h\">", phase);
        form_text(r, arena_printf(r->arena, "title-%s", phase), "Add an action", "", NULL, "text", false);
        form_text(r, arena_printf(r->arena, "due-%s", phase), "Due (optional)", "", NULL, "date", false);
        form_end(r, "Add");
    }
}

static bool has_id(const int64_t *v, int n, int64_t id) {
    for (int i = 0; i < n; i++)
        if (v[i] == id) return true;
    return false;
}

static void team_boxes(Req *r, const char *name, const char *legend, const int64_t *sel, int nsel) {
    Buf *b = page(r);
    html_printf(b, "<fieldset class=\"field\"><legend>%h</legend>", T(r, legend));
    Stmt *s = db_q(r->db, "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 200", "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        html_printf(b, "<label class=\"choice\"><input type=\"checkbox\" name=\"%h\" value=\"%D\"%s> %h</label>", name, db_int(s, 0),
                    has_id(sel, nsel, db_int(s, 0)) ? " checked" : "", db_text(s, 1));
    db_reset(s);
    buf_puts(b, "</fieldset>");
}

/* GET /programme?saved=: the programme: its phase, the assessment's
 * figures, the pilot's teams and changes, the comparison's summary and each
 * phase's checklist (manager; admins change it). */
int programme_page(Req *r) {
    Programme p;
    programme_load(r, &p);
    kpi_sync(r->db, r->who.org_id, r->now);
    page_begin(r, "Empowerment programme");
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1><div><a class=\"button secondary\" href=\"/programme/comparison\">%h</a> "
                   "<a class=\"button secondary\" href=\"/roi\">%h</a></div></div>",
                T(r, "Empowerment programme"), T(r, "Pilot against comparison"), T(r, "Return on investment"));
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    html_printf(b, "<p>%h <strong>%h</strong></p>", T(r, "Current phase:"), T(r, p.phase));

    /* assessment */
    html_printf(b, "<section class=\"card\" id=\"assessment\"><h2>1. %h</h2>", T(r, "Assessment"));
    json_t *base = baseline_json(r);
    html_printf(b, "<h3>%h</h3>", T(r, "The culture audit's baseline"));
    if (json_is_null(base)) html_printf(b, "<p class=\"muted\">%h <a href=\"/surveys/new\">%h</a></p>", T(r, "No culture audit has closed yet."), T(r, "Run one"));
    else {
        html_printf(b, "<p>%h %h</p><dl class=\"facts\">", T(r, "Closed on"), fmt_date(r, json_string_value(json_object_get(base, "closes_on"))));
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(base, "factors"), key, v) html_printf(b, "<dt>%h</dt><dd>%h %%</dd>", T(r, key), arena_printf(r->arena, "%.0f", json_real_value(v)));
        buf_puts(b, "</dl>");
    }
    json_decref(base);
    html_printf(b, "<h3>%h</h3><p class=\"muted\">%h</p>", T(r, "Skills gaps"), T(r, "The skills part of remit will list the gaps here."));
    html_printf(b, "<h3>%h</h3>", T(r, "Where decisions wait longest"));
    json_t *w = waits_json(r);
    if (!json_array_size(w)) html_printf(b, "<p class=\"muted\">%h</p>", T(r, "Not enough answered approvals in the last year."));
    else {
        html_printf(b, "<table class=\"list\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>", T(r, "Domain"),
                    T(r, "Median wait (hours)"), T(r, "Answered"));
        size_t i;
        json_t *it;
        json_array_foreach(w, i, it) html_printf(b, "<tr><td>%h</td><td>%h</td><td>%d</td></tr>", json_string_value(json_object_get(it, "label")),
                                                arena_printf(r->arena, "%.1f", json_real_value(json_object_get(it, "median_hours"))), (int)json_integer_value(json_object_get(it, "n")));
        buf_puts(b, "</tbody></table>");
        html_printf(b, "<p><a href=\"/insights\">%h</a></p>", T(r, "Decision insights"));
    }
    json_decref(w);
    checklist(r, &p, "assessment");
    buf_puts(b, "</section>");

    /* pilot */
    html_printf(b, "<section class=\"card\" id=\"pilot\"><h2>2. %h</h2>", T(r, "Pilot"));
    html_printf(b, "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>", T(r, "Start"), p.pilot_start ? fmt_date(r, p.pilot_start) : T(r, "not set"),
                T(r, "Pilot teams"));
    for (int i = 0; i < p.npilot; i++) html_printf(b, "%s<a href=\"/teams/%D\">%h</a>", i ? ", " : "", p.pilot[i], team_label(r, p.pilot[i]));
    if (!p.npilot) html_printf(b, "%h", T(r, "none"));
    html_printf(b, "</dd><dt>%h</dt><dd>", T(r, "Comparison teams"));
    for (int i = 0; i < p.ncomp; i++) html_printf(b, "%s<a href=\"/teams/%D\">%h</a>", i ? ", " : "", p.comp[i], team_label(r, p.comp[i]));
    if (!p.ncomp) html_printf(b, "%h", T(r, "none"));
    html_printf(b, "</dd></dl>");
    if (p.changes && *p.changes) {
        html_printf(b, "<h3>%h</h3>", T(r, "What changes for the pilot teams"));
        html_markdown(b, p.changes);
    }
    checklist(r, &p, "pilot");
    buf_puts(b, "</section>");

    html_printf(b, "<section class=\"card\" id=\"rollout\"><h2>3. %h</h2>", T(r, "Rollout"));
    checklist(r, &p, "rollout");
    buf_puts(b, "</section>");

    if (r->who.access >= ACCESS_ADMIN) {
        html_printf(b, "<section class=\"card\" id=\"setup\"><h2>%h</h2>", T(r, "Set up the programme"));
        form_begin(r, "/programme", NULL);
        form_select_str(r, "phase", "Phase", p.phase, PHASES, NULL);
        form_text(r, "pilot_start", "Pilot start", p.pilot_start ? p.pilot_start : "", NULL, "date", false);
        form_textarea(r, "changes", "What changes for the pilot teams (rights delegated, training)", p.changes, NULL, NULL);
        team_boxes(r, "pilot_team_ids", N_("Pilot teams"), p.pilot, p.npilot);
        team_boxes(r, "comparison_team_ids", N_("Comparison teams"), p.comp, p.ncomp);
        html_printf(b, "<fieldset class=\"field\"><legend>%h</legend>", T(r, "KPIs to watch"));
        Stmt *s = db_q(r->db, "SELECT id, slug, name FROM kpi WHERE org_id = ? ORDER BY id LIMIT 500", "i", r->who.org_id);
        while (db_step(s) == DB_ROW) {
            const char *label = db_text(s, 2);
            for (int i = 0; i < g_nkpi_defs; i++)
                if (!db_null(s, 1) && strcmp(g_kpi_defs[i].slug, db_text(s, 1)) == 0) label = T(r, g_kpi_defs[i].name);
            html_printf(b, "<label class=\"choice\"><input type=\"checkbox\" name=\"kpi_ids\" value=\"%D\"%s> %h</label>", db_int(s, 0),
                        has_id(p.kpis, p.nkpis, db_int(s, 0)) ? " checked" : "", label);
        }
        db_reset(s);
        buf_puts(b, "</fieldset>");
        form_end(r, "Save the programme");
        buf_puts(b, "</section>");
    }
    page_end(r);
    return 0;
}

static void ids_from_form(Req *r, const char *name, int64_t *out, int max, int *n) {
    *n = 0;
    for (int i = 0; i < r->form.n; i++) {
        int64_t id;
        if (strcmp(r->form.items[i].name, name) == 0 && *n < max && parse_id(r->form.items[i].value, &id)) out[(*n)++] = id;
    }
}

/* POST /programme (phase, pilot_start, changes, pilot_team_ids,
 * comparison_team_ids, kpi_ids): saves the programme (admin). */
int programme_page_post(Req *r) {
    Programme cur;
    programme_load(r, &cur);
    ProgIn in = {0};
    in.phase = req_form(r, "phase");
    in.pilot_start = req_form(r, "pilot_start");
    in.has_start = in.pilot_start != NULL;
    in.changes = req_form(r, "changes");
    in.has_changes = in.changes != NULL;
    in.has_pilot = in.has_comp = in.has_kpis = true;
    ids_from_form(r, "pilot_team_ids", in.pilot, MAX_TEAMS, &in.npilot);
    ids_from_form(r, "comparison_team_ids", in.comp, MAX_TEAMS, &in.ncomp);
    ids_from_form(r, "kpi_ids", in.kpis, MAX_KPIS, &in.nkpis);
    Errors e = {0};
    if (programme_save(r, &cur, &in, &e)) return resp_error(r, e.status ? e.status : 422, "invalid", "%s", T(r, e.items[0].msg));
    resp_redirect(r, "/programme?saved=1");
    return 0;
}

/* POST /programme/actions (phase, title-PHASE, due-PHASE): adds a checklist
 * action owned by the caller (admin). */
int programme_page_action(Req *r) {
    const char *phase = req_form(r, "phase");
    if (!is_phase(phase)) return resp_error(r, 422, "invalid", "The phase is assessment, pilot or rollout.");
    Errors e = {0};
    int64_t id;
    if (programme_add_action(r, phase, req_form(r, arena_printf(r->arena, "title-%s", phase)), 0, req_form(r, arena_printf(r->arena, "due-%s", phase)), &e, &id))
        return resp_error(r, e.status ? e.status : 422, "invalid", "%s", T(r, e.items[0].msg));
    resp_redirect(r, arena_printf(r->arena, "/programme?saved=1#%s", phase));
    return 0;
}

static const char *num(Req *r, double v) {
    char *s = arena_printf(r->arena, "%.2f", v);
    if (strcmp(lang_code(i18n_lang(r)), "de") == 0)
        for (char *p = s; *p; p++)
            if (*p == '.') *p = ',';
    return s;
}

/* GET /programme/comparison: pilot against comparison for each KPI chosen:
 * before and after for both, the difference-in-differences with its 95%
 * interval, and what the data can and cannot say (manager). */
int programme_page_comparison(Req *r) {
    Programme p;
    programme_load(r, &p);
    int n;
    Cmp *c = compare(r, &p, &n);
    page_begin(r, "Pilot against comparison");
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "Pilot against comparison"));
    html_printf(b, "<p>%h ", T(r, "Pilot teams:"));
    for (int i = 0; i < p.npilot; i++) html_printf(b, "%s%h", i ? ", " : "", team_label(r, p.pilot[i]));
    html_printf(b, "; %h ", T(r, "comparison teams:"));
    for (int i = 0; i < p.ncomp; i++) html_printf(b, "%s%h", i ? ", " : "", team_label(r, p.comp[i]));
    html_printf(b, "; %h %h.</p>", T(r, "start:"), p.pilot_start ? fmt_date(r, p.pilot_start) : T(r, "not set"));
    if (!n) html_printf(b, "<p class=\"muted\">%h <a href=\"/programme#setup\">%h</a></p>", T(r, "No KPIs chosen to watch."), T(r, "Set up the programme"));
    for (int i = 0; i < n; i++) {
        html_printf(b, "<section class=\"card comparison\" data-conclusion=\"%h\"><h2><a href=\"/kpis/%D#how\">%h</a></h2>", c[i].conclusion, c[i].kpi_id, c[i].name);
        bool shown = strcmp(c[i].conclusion, "below_k") && strcmp(c[i].conclusion, "no_pilot") && strcmp(c[i].conclusion, "not_started");
        if (shown) {
            html_printf(b, "<table class=\"list\"><thead><tr><th scope=\"col\"></th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                        T(r, "Before"), T(r, "After"), T(r, "Change"));
            html_printf(b, "<tr><th scope=\"row\">%h</th><td>%h</td><td>%h</td><td>%h</td></tr>", T(r, "Pilot"), num(r, c[i].d.pilot_before), num(r, c[i].d.pilot_after),
                        num(r, c[i].d.pilot_after - c[i].d.pilot_before));
            html_printf(b, "<tr><th scope=\"row\">%h</th><td>%h</td><td>%h</td><td>%h</td></tr></tbody></table>", T(r, "Comparison"), num(r, c[i].d.comp_before),
                        num(r, c[i].d.comp_after), num(r, c[i].d.comp_after - c[i].d.comp_before));
            html_printf(b, "<p>%h %d, %h %d.</p>", T(r, "Months before:"), c[i].d.months_before, T(r, "after:"), c[i].d.months_after);
            if (strcmp(c[i].conclusion, "insufficient_months"))
                html_printf(b, "<p class=\"did\"><strong>%h %h</strong> (%h %h %h %h)</p>", T(r, "Difference-in-differences:"), num(r, c[i].d.estimate),
                            T(r, "interval (95%)"), num(r, c[i].d.lo), T(r, "to"), num(r, c[i].d.hi));
        }
        html_printf(b, "<p class=\"conclusion\">%h</p></section>", conclusion_message(r, c[i].conclusion));
    }
    html_printf(b, "<section class=\"card\"><h2>%h</h2><p>%h</p></section>", T(r, "Method"), T(r, METHOD));
    html_printf(b, "<p><a href=\"/programme\">%h</a></p>", T(r, "The programme"));
    page_end(r);
    return 0;
}

/* programme_home_tile: the programme's phase on the home of managers and
 * up (called by the evidence home provider, kpis_home_tiles). */
void programme_home_tile(Req *r, Home *h) {
    Programme p;
    if (!programme_load(r, &p)) return;
    home_tile(h, "programme", T(r, "Empowerment programme"), T(r, p.phase), json_string(p.phase), "/programme");
}
