/* roi.c: the return-on-investment table of the empowerment programme (issue
 * 15), built from the organisation's own assumptions (each editable, with a
 * default and where the default comes from): benefits (leavers avoided
 * against the baseline rate, absence days avoided, manager hours saved by
 * decisions taken without waiting, implemented ideas' estimated value) and
 * costs (time answering surveys, in training and in blameless reviews).
 * Each line shows its formula and inputs; a
 * line without a baseline says so instead of a number. It also owns an
 * idea's estimated value (idea.value_cents). Figures come from kpis.c. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"
#include "evidence.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

typedef struct Assumption {
    const char *key, *label, *unit, *source; /* label, unit, source: N_() */
    double def;
} Assumption;

static const Assumption ASSUMPTIONS[] = {
    {"annual_pay", N_("Average annual pay per person, with on-costs"), N_("money"),
     N_("A placeholder: enter your own (payroll total divided by headcount)."), 38000},
    {"leaver_cost_share", N_("Cost of a leaver, as a share of annual pay"), "%",
     N_("Boushey and Glynn (2012), Center for American Progress: replacing an employee typically costs about a fifth of annual pay."), 20},
    {"absence_day_cost", N_("Cost of an absence day"), N_("money"), N_("A day's pay: the default annual pay divided by 217 working days."), 175},
    {"manager_hour_cost", N_("Cost of a manager's hour"), N_("money"), N_("A manager's pay with on-costs divided by 1,650 working hours a year; a placeholder."), 40},
    {"staff_hour_cost", N_("Cost of an hour of staff time"), N_("money"), N_("The default annual pay divided by 1,650 working hours a year."), 23},
    {"approval_minutes", N_("Minutes a manager spends per approval"), N_("minutes"),
     N_("A placeholder: reading the request, asking back and answering; time your own."), 15},
    {"survey_minutes", N_("Minutes to answer a survey"), N_("minutes"), N_("remit's survey templates take about 10 minutes."), 10},
    {"training_hours", N_("Hours of staff time per completed training"), N_("hours"),
     N_("A placeholder: an internal session or a shift of shadowing is about half a day; enter your own."), 4},
    {"review_hours", N_("Hours of staff time per blameless review"), N_("hours"),
     N_("A placeholder: about three people for an hour, with the write-up; time your own."), 4},
};
#define NASSUME (int)(sizeof ASSUMPTIONS / sizeof ASSUMPTIONS[0])

static void assumptions_load(Req *r, double *v) {
    for (int i = 0; i < NASSUME; i++) v[i] = ASSUMPTIONS[i].def;
    Stmt *s = db_q(r->db, "SELECT key, value FROM roi_assumption WHERE org_id = ? LIMIT 100", "i", r->who.org_id);
    while (db_step(s) == DB_ROW)
        for (int i = 0; i < NASSUME; i++)
            if (strcmp(db_text(s, 0), ASSUMPTIONS[i].key) == 0) v[i] = strtod(db_text(s, 1), NULL);
    db_reset(s);
}
enum { A_PAY, A_LEAVER, A_ABSENCE, A_MANAGER, A_STAFF, A_APPROVAL, A_SURVEY, A_TRAINING, A_REVIEW };

/* A line of the table. value is in currency units; has false: no number
 * (missing says why). */
typedef struct Line {
    const char *key, *kind, *label, *formula; /* label, formula: translated */
    char inputs[600];
    bool has;
    double value;
    const char *missing;
} Line;

static double mean_window(const KpiPoint *p, int from, int to, int *n) {
    double s = 0;
    *n = 0;
    for (int i = from; i <= to; i++)
        if (p[i].has && !p[i].hidden) s += p[i].value, (*n)++;
    return *n ? s / *n : 0;
}

/* roi_lines: the table for the 12 months up to the last complete one,
 * against the 12 months before the pilot's start (the baseline). */
static Line *roi_lines(Req *r, const double *a, int *nl, int *period_end, int *baseline_end) {
    Line *L = arena_alloc(r->arena, sizeof *L * 8);
    int n = 0;
    int last = ev_day_month((int)(r->now / DAY)) - 1;
    int64_t ps = 0;
    char *start = NULL;
    Stmt *s = db_q(r->db, "SELECT pilot_start FROM programme WHERE org_id = ?", "i", r->who.org_id);
    if (db_step(s) == DB_ROW) start = db_dup(s, 0, r->arena);
    db_reset(s);
    int sm = start ? ev_month_parse(start) : -1; /* the pilot's month; the baseline ends the month before */
    *period_end = last;
    *baseline_end = sm >= 0 ? sm - 1 : -1;
    (void)ps;
    int m0 = (sm >= 0 && sm - 12 < last - 11 ? sm - 12 : last - 11);
    int nm = last - m0 + 1;
    const char *no_base = sm < 0 ? T(r, "No baseline: set the pilot's start date in the programme.")
                                 : T(r, "No baseline: there are no figures for the 12 months before the pilot's start.");

    /* leavers avoided */
    KpiPoint *turn = kpi_series_org(r, "turnover_12m", m0, nm), *head = kpi_series_org(r, "headcount", m0, nm);
    Line *l = &L[n++];
    *l = (Line){"leavers_avoided", "benefit", T(r, "Leavers avoided"),
                T(r, "(baseline 12-month turnover - current 12-month turnover) x headcount x share of annual pay x annual pay")};
    if (sm < 0 || sm - 1 - m0 < 0 || !turn || !turn[sm - 1 - m0].has || turn[sm - 1 - m0].hidden) l->missing = no_base;
    else if (!turn[nm - 1].has || turn[nm - 1].hidden) l->missing = T(r, "No current turnover figure.");
    else {
        double base = turn[sm - 1 - m0].value, now = turn[nm - 1].value, hc = head ? head[nm - 1].value : 0;
        double avoided = (base - now) / 100 * hc;
        l->has = true;
        l->value = avoided * a[A_LEAVER] / 100 * a[A_PAY];
        snprintf(l->inputs, sizeof l->inputs, "%.1f%% -> %.1f%%; %.0f; %.0f%%; %.0f = %.2f", base, now, hc, a[A_LEAVER], a[A_PAY], avoided);
    }

    /* absence days avoided */
    KpiPoint *abs = kpi_series_org(r, "absenteeism", m0, nm);
    l = &L[n++];
    *l = (Line){"absence_avoided", "benefit", T(r, "Absence days avoided"),
                T(r, "(baseline days per person per month - current) x headcount x 12 x cost of an absence day")};
    int nb = 0, nc = 0;
    double ab = abs && sm >= 0 ? mean_window(abs, sm - 12 - m0 < 0 ? 0 : sm - 12 - m0, sm - 1 - m0, &nb) : 0;
    double ac = abs ? mean_window(abs, nm - 12 < 0 ? 0 : nm - 12, nm - 1, &nc) : 0;
    if (sm < 0 || !nb) l->missing = no_base;
    else if (!nc) l->missing = T(r, "No absence figures for the last 12 months.");
    else {
        double hc = head ? head[nm - 1].value : 0, days = (ab - ac) * hc * 12;
        l->has = true;
        l->value = days * a[A_ABSENCE];
        snprintf(l->inputs, sizeof l->inputs, "%.2f -> %.2f; %.0f; %.0f = %.1f", ab, ac, hc, a[A_ABSENCE], days);
    }

    /* manager hours saved */
    KpiPoint *fr = kpi_series_org(r, "decisions_without_waiting", m0, nm);
    l = &L[n++];
    *l = (Line){"manager_hours", "benefit", T(r, "Manager hours saved by decisions taken without waiting"),
                T(r, "(current share without waiting - baseline share) x decisions in 12 months x minutes per approval / 60 x cost of a manager's hour")};
    double fb = fr && sm >= 0 ? mean_window(fr, sm - 12 - m0 < 0 ? 0 : sm - 12 - m0, sm - 1 - m0, &nb) : 0;
    double fc = fr ? mean_window(fr, nm - 12 < 0 ? 0 : nm - 12, nm - 1, &nc) : 0;
    int64_t decisions = 0;
    db_one_int(r->db, &decisions, "SELECT count(*) FROM decision WHERE org_id = ? AND requested_at >= ? AND requested_at < ?", "iii", r->who.org_id,
               (int64_t)ev_month_first_day(last - 11) * DAY, (int64_t)(ev_month_last_day(last) + 1) * DAY);
    if (sm < 0 || !nb) l->missing = no_base;
    else if (!nc) l->missing = T(r, "No decisions in the last 12 months.");
    else {
        double avoided = (fc - fb) / 100 * (double)decisions, hours = avoided * a[A_APPROVAL] / 60;
        l->has = true;
        l->value = hours * a[A_MANAGER];
        snprintf(l->inputs, sizeof l->inputs, "%.1f%% -> %.1f%%; %lld; %.0f; %.0f = %.1f h", fb, fc, (long long)decisions, a[A_APPROVAL], a[A_MANAGER], hours);
    }

    /* implemented ideas' estimated value */
    l = &L[n++];
    *l = (Line){"ideas_value", "benefit", T(r, "Implemented ideas' estimated value"),
                T(r, "the sum of the estimated yearly values entered on the ideas implemented in the last 12 months")};
    int64_t sum = 0, with = 0, all = 0;
    s = db_q(r->db,
             "SELECT i.value_cents FROM idea i WHERE i.org_id = ? AND i.stage = 'implemented' AND (SELECT min(st.at) FROM idea_stage st WHERE st.idea_id = i.id AND "
             "st.to_stage = 'implemented') >= ? LIMIT 100000",
             "ii", r->who.org_id, (int64_t)ev_month_first_day(last - 11) * DAY);
    while (db_step(s) == DB_ROW) {
        all++;
        if (!db_null(s, 0)) with++, sum += db_int(s, 0);
    }
    db_reset(s);
    if (!with) l->missing = all ? T(r, "No implemented idea has an estimated value yet: enter it on the idea's page.") : T(r, "No idea was implemented in the last 12 months.");
    else {
        l->has = true;
        l->value = sum / 100.0;
        snprintf(l->inputs, sizeof l->inputs, "%lld / %lld", (long long)with, (long long)all);
    }

    /* costs */
    l = &L[n++];
    *l = (Line){"training_hours", "cost", T(r, "Training hours"),
                T(r, "trainings completed in 12 months x hours per training x cost of an hour of staff time")};
    int64_t year_from = (int64_t)ev_month_first_day(last - 11) * DAY, year_to = (int64_t)(ev_month_last_day(last) + 1) * DAY, done = 0;
    db_one_int(r->db, &done, "SELECT count(*) FROM training_plan WHERE org_id = ? AND status = 'completed' AND completed_at >= ? AND completed_at < ?", "iii",
               r->who.org_id, year_from, year_to);
    l->has = true;
    l->value = (double)done * a[A_TRAINING] * a[A_STAFF];
    snprintf(l->inputs, sizeof l->inputs, "%lld; %.1f; %.0f", (long long)done, a[A_TRAINING], a[A_STAFF]);
    l = &L[n++];
    *l = (Line){"survey_time", "cost", T(r, "Time answering surveys"), T(r, "answers in 12 months x minutes to answer / 60 x cost of an hour of staff time")};
    int64_t answers = 0;
    db_one_int(r->db, &answers,
               "SELECT coalesce(sum(c.answered), 0) FROM survey_round_count c JOIN survey_round r ON r.id = c.round_id WHERE r.org_id = ? AND r.status = 'closed' "
               "AND r.closes_on >= ?",
               "it", r->who.org_id, arena_printf(r->arena, "%04d-%02d-01", (last - 11) / 12, (last - 11) % 12 + 1));
    l->has = true;
    l->value = answers * a[A_SURVEY] / 60 * a[A_STAFF];
    snprintf(l->inputs, sizeof l->inputs, "%lld; %.0f; %.0f", (long long)answers, a[A_SURVEY], a[A_STAFF]);
    l = &L[n++];
    *l = (Line){"review_time", "cost", T(r, "Time in reviews"), T(r, "blameless reviews begun in 12 months x hours per review x cost of an hour of staff time")};
    int64_t reviews = 0;
    db_one_int(r->db, &reviews, "SELECT count(*) FROM report_review WHERE org_id = ? AND created_at >= ? AND created_at < ?", "iii", r->who.org_id, year_from,
               year_to);
    l->has = true;
    l->value = (double)reviews * a[A_REVIEW] * a[A_STAFF];
    snprintf(l->inputs, sizeof l->inputs, "%lld; %.1f; %.0f", (long long)reviews, a[A_REVIEW], a[A_STAFF]);
    *nl = n;
    return L;
}

static json_t *money_json(Req *r, double v) { return json_string(arena_printf(r->arena, "%.2f", v)); }

/* GET /api/v1/roi: the assumptions and the table's lines (manager). */
int roi_api_get(Req *r) {
    double a[NASSUME];
    assumptions_load(r, a);
    int n, pe, be;
    Line *L = roi_lines(r, a, &n, &pe, &be);
    json_t *as = json_array(), *lines = json_array();
    for (int i = 0; i < NASSUME; i++)
        json_array_append_new(as, json_pack("{s:s,s:s,s:s,s:f,s:f,s:s}", "key", ASSUMPTIONS[i].key, "label", T(r, ASSUMPTIONS[i].label), "unit",
                                            T(r, ASSUMPTIONS[i].unit), "value", a[i], "default", ASSUMPTIONS[i].def, "source", T(r, ASSUMPTIONS[i].source)));
    double net = 0;
    bool complete = true;
    for (int i = 0; i < n; i++) {
        json_array_append_new(lines, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "key", L[i].key, "kind", L[i].kind, "label", L[i].label, "formula", L[i].formula,
                                               "inputs", L[i].inputs, "value", L[i].has ? money_json(r, L[i].value) : json_null(), "missing",
                                               json_text(L[i].missing)));
        if (L[i].has) net += strcmp(L[i].kind, "benefit") == 0 ? L[i].value : -L[i].value;
        else complete = false;
    }
    char pm[8], bm[8];
    ev_month_format(pe, pm);
    if (be >= 0) ev_month_format(be, bm);
    resp_json(r, 200, json_pack("{s:o,s:o,s:o,s:b,s:s,s:o}", "assumptions", as, "lines", lines, "net", money_json(r, net), "complete", complete, "period_end", pm,
                                "baseline_end", be >= 0 ? json_string(bm) : json_null()));
    return 0;
}

/* roi_set: stores the given assumptions (values checked by the caller). */
static int roi_set(Req *r, const double *v, const bool *given) {
    if (db_begin(r->db) != DB_OK) return -1;
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < NASSUME; i++) {
        if (!given[i]) continue;
        rc = db_exec(r->db, "DELETE FROM roi_assumption WHERE org_id = ? AND key = ?", "it", r->who.org_id, ASSUMPTIONS[i].key);
        if (rc == DB_OK)
            rc = db_exec(r->db, "INSERT INTO roi_assumption(org_id, key, value) VALUES (?, ?, CAST(? AS REAL))", "itt", r->who.org_id, ASSUMPTIONS[i].key,
                         arena_printf(r->arena, "%.6g", v[i]));
    }
    if (rc == DB_OK) audit(r, "roi.assumptions", arena_printf(r->arena, "org:%lld", (long long)r->who.org_id), "changed");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return -1;
    }
    return 0;
}

static bool value_ok(int i, double v) {
    if (!isfinite(v) || v < 0 || v > 1e9) return false;
    return !(ASSUMPTIONS[i].unit[0] == '%' && v > 100);
}

/* PUT /api/v1/roi/assumptions {"annual_pay": 41000, ...}: any of the
 * assumptions, each a number at least 0 (shares at most 100) (admin). 200
 * with the table. */
int roi_api_put(Req *r) {
    json_t *o = req_json_body(r);
    if (!o) return -1;
    double v[NASSUME];
    bool given[NASSUME] = {0};
    Errors e = {0};
    const char *key;
    json_t *val;
    json_object_foreach(o, key, val) {
        int i = 0;
        while (i < NASSUME && strcmp(key, ASSUMPTIONS[i].key) != 0) i++;
        if (i == NASSUME) {
            err_add(&e, 400, "unknown_field", NULL, "An assumption that does not exist.");
            continue;
        }
        if (!json_is_number(val) || !value_ok(i, json_number_value(val))) err_add(&e, 422, "invalid", ASSUMPTIONS[i].key, "A number at least 0 (a share at most 100).");
        else v[i] = json_number_value(val), given[i] = true;
    }
    if (e.n) return err_send(r, &e);
    if (roi_set(r, v, given)) return resp_error(r, 503, "busy", "The server is busy; try again.");
    return roi_api_get(r);
}

static const char *fmt_amount(Req *r, double v) { return fmt_money(r, (int64_t)llround(v * 100)); }

/* GET /roi?saved=: the ROI table and the assumptions' form (manager; admins
 * change the assumptions). */
int roi_page(Req *r) {
    double a[NASSUME];
    assumptions_load(r, a);
    int n, pe, be;
    Line *L = roi_lines(r, a, &n, &pe, &be);
    page_begin(r, "Return on investment");
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1>", T(r, "Return on investment"));
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    char pm[8], bm[8] = "";
    ev_month_format(pe, pm);
    if (be >= 0) ev_month_format(be, bm);
    html_printf(b, "<p>%h %h. %h %h.</p>", T(r, "The 12 months up to"), pm, T(r, "Baseline: the 12 months up to"), be >= 0 ? bm : T(r, "none (no pilot start yet)"));
    html_printf(b, "<table class=\"list roi\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Line"), T(r, "Formula"), T(r, "Inputs"), T(r, "Amount"));
    double net = 0;
    bool complete = true;
    for (int i = 0; i < n; i++) {
        html_printf(b, "<tr class=\"%h\"><th scope=\"row\">%h <span class=\"muted\">(%h)</span></th><td>%h</td><td><code>%h</code></td><td>", L[i].kind, L[i].label,
                    strcmp(L[i].kind, "benefit") == 0 ? T(r, "benefit") : T(r, "cost"), L[i].formula, L[i].inputs);
        if (L[i].has) {
            html_printf(b, "%h", fmt_amount(r, strcmp(L[i].kind, "cost") == 0 ? -L[i].value : L[i].value));
            net += strcmp(L[i].kind, "benefit") == 0 ? L[i].value : -L[i].value;
        } else {
            html_printf(b, "<span class=\"muted\">%h</span>", L[i].missing);
            complete = false;
        }
        buf_puts(b, "</td></tr>");
    }
    html_printf(b, "</tbody><tfoot><tr><th scope=\"row\" colspan=\"3\">%h</th><td>%h</td></tr></tfoot></table>",
                complete ? T(r, "Net") : T(r, "Net of the lines with a figure"), fmt_amount(r, net));
    html_printf(b, "<section class=\"card\"><h2>%h</h2>", T(r, "Assumptions"));
    if (r->who.access >= ACCESS_ADMIN) form_begin(r, "/roi", NULL);
    for (int i = 0; i < NASSUME; i++) {
        if (r->who.access >= ACCESS_ADMIN)
            form_text(r, ASSUMPTIONS[i].key, ASSUMPTIONS[i].label, arena_printf(r->arena, "%g", a[i]), NULL, "text", false);
        else html_printf(b, "<p><strong>%h</strong>: %h</p>", T(r, ASSUMPTIONS[i].label), arena_printf(r->arena, "%g", a[i]));
        html_printf(b, "<p class=\"hint\">%h %h. %h</p>", T(r, "Default"), arena_printf(r->arena, "%g", ASSUMPTIONS[i].def), T(r, ASSUMPTIONS[i].source));
    }
    if (r->who.access >= ACCESS_ADMIN) form_end(r, "Save the assumptions");
    buf_puts(b, "</section>");
    html_printf(b, "<p><a href=\"/programme\">%h</a></p>", T(r, "The programme"));
    page_end(r);
    return 0;
}

/* POST /roi (one field per assumption): saves them (admin). */
int roi_page_post(Req *r) {
    double v[NASSUME];
    bool given[NASSUME] = {0};
    for (int i = 0; i < NASSUME; i++) {
        const char *t = req_form(r, ASSUMPTIONS[i].key);
        if (!t || !*t) continue;
        char *c = arena_strdup(r->arena, t), *end;
        for (char *p = c; *p; p++)
            if (*p == ',') *p = '.';
        v[i] = strtod(c, &end);
        if (*end || !value_ok(i, v[i])) return resp_error(r, 422, "invalid", "%s", T(r, "Each assumption is a number at least 0 (a share at most 100)."));
        given[i] = true;
    }
    if (roi_set(r, v, given)) return resp_error(r, 503, "busy", "The server is busy; try again.");
    resp_redirect(r, "/roi?saved=1");
    return 0;
}

/* ---------- an idea's estimated value ---------- */

/* idea_value_load: the idea (of the caller's organisation, its challenge
 * visible to them) and whether they may set its value (who manages its
 * challenge). 0, or -1 after a 404. */
static int idea_value_load(Req *r, int64_t id, int64_t *cents, bool *has, bool *may) {
    Stmt *s = db_q(r->db, "SELECT challenge_id, value_cents FROM idea WHERE id = ? AND org_id = ? AND stage <> 'merged'", "ii", id, r->who.org_id);
    int64_t ch = 0;
    if (db_step(s) == DB_ROW) ch = db_int(s, 0), *has = !db_null(s, 1), *cents = db_int(s, 1);
    db_reset(s);
    Challenge c;
    if (!ch || !challenge_find(r, ch, &c)) return resp_error(r, 404, "not_found", "There is no such idea.");
    *may = challenge_can_manage(r, &c);
    return 0;
}

static int idea_value_set(Req *r, int64_t id, const char *cents) {
    if (db_begin(r->db) != DB_OK) return -1;
    int rc = db_exec(r->db, "UPDATE idea SET value_cents = ? WHERE id = ? AND org_id = ?", "tii", cents, id, r->who.org_id);
    if (rc == DB_OK) audit(r, "idea.value", arena_printf(r->arena, "idea:%lld", (long long)id), "estimated value %s", cents ? cents : "none");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return -1;
    }
    return 0;
}

static const JField VALUE_FIELDS[] = {{"value", JF_STRING_NULL, 20}, {0}};

/* PUT /api/v1/ideas/{id}/value {"value": "1200.50" | null}: the idea's
 * estimated value per year, for the ROI table (member who manages its
 * challenge; 403 for others who can see it). */
int roi_api_idea_value(Req *r) {
    json_t *o = req_json_object(r, VALUE_FIELDS);
    if (!o) return -1;
    int64_t cents = 0;
    bool has, may;
    const char *v = json_str(o, "value");
    if (v && !money_parse(v, &cents)) {
        Errors e = {0};
        err_add(&e, 422, "invalid", "value", "The value is an amount such as 1200.50, or null.");
        return err_send(r, &e);
    }
    int64_t old;
    if (idea_value_load(r, r->params[0], &old, &has, &may)) return -1;
    if (!may) return resp_error(r, 403, "forbidden", "Only who manages the idea's challenge can estimate its value.");
    if (idea_value_set(r, r->params[0], v ? arena_printf(r->arena, "%lld", (long long)cents) : NULL)) return resp_error(r, 503, "busy", "The server is busy; try again.");
    char m[24];
    resp_json(r, 200, json_pack("{s:I,s:o}", "id", (json_int_t)r->params[0], "value", v ? json_string(money_format(cents, m)) : json_null()));
    return 0;
}

/* POST /ideas/{id}/value (value): the same from the idea's page. */
int roi_page_idea_value(Req *r) {
    int64_t cents = 0, old;
    bool has, may;
    const char *v = req_form(r, "value");
    char *t = v ? str_trim(r->arena, v) : NULL;
    if (t && *t && !money_parse(t, &cents)) return resp_error(r, 422, "invalid", "The value is an amount such as 1200.50, or empty.");
    if (idea_value_load(r, r->params[0], &old, &has, &may)) return -1;
    if (!may) return resp_error(r, 403, "forbidden", "Only who manages the idea's challenge can estimate its value.");
    if (idea_value_set(r, r->params[0], t && *t ? arena_printf(r->arena, "%lld", (long long)cents) : NULL)) return resp_error(r, 503, "busy", "The server is busy; try again.");
    resp_redirect(r, arena_printf(r->arena, "/ideas/%lld", (long long)r->params[0]));
    return 0;
}

/* roi_render_idea_value: the idea page's estimated value, with its form for
 * who manages the challenge (called by ideas.c). */
void roi_render_idea_value(Req *r, int64_t idea_id, bool may) {
    int64_t cents = 0;
    bool has = false;
    Stmt *s = db_q(r->db, "SELECT value_cents FROM idea WHERE id = ? AND org_id = ?", "ii", idea_id, r->who.org_id);
    if (db_step(s) == DB_ROW) has = !db_null(s, 0), cents = db_int(s, 0);
    db_reset(s);
    if (!has && !may) return;
    Buf *b = page(r);
    html_printf(b, "<section class=\"card\" id=\"value\"><h2>%h</h2>", T(r, "Estimated value"));
    html_printf(b, "<p>%h</p>", has ? arena_printf(r->arena, "%s %s", fmt_money(r, cents), T(r, "per year")) : T(r, "Not estimated yet."));
    if (may) {
        char m[24];
        form_begin(r, arena_printf(r->arena, "/ideas/%lld/value", (long long)idea_id), NULL);
        form_text(r, "value", "Estimated value per year (for the ROI table; empty for none)", has ? money_format(cents, m) : "", NULL, "text", false);
        form_end(r, "Save the value");
    }
    buf_puts(b, "</section>");
}
