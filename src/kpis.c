/* kpis.c: key performance indicators (issue 15). It owns the KPI registry
 * (g_kpi_defs: each computed KPI is one entry with its compute callback and
 * its "how it is computed" text), the organisation's KPIs (the registry's,
 * the stock entered ones and those it defines), their entered and imported
 * monthly values, the series with their k-anonymity rule, the dashboards
 * with a small server-rendered SVG chart per KPI, the stars of the owner's
 * home and the printable monthly report. The arithmetic is in kpicalc.c.
 * It never stores a value per person: absence imported per person is kept
 * as each team's total for the month. */
#include "remit.h"
#include "handlers.h"
#include "evidence.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAY 86400
#define KPI_MAX_MONTHS 120

/* ---------- the scope and its people ---------- */

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

bool kpi_in_scope(const KpiEnv *env, int64_t team_id) {
    if (!env->teams) return true;
    return team_id && bsearch(&team_id, env->teams, (size_t)env->nteams, sizeof team_id, cmp_i64) != NULL;
}

/* ---------- the facts: monthly counts per team, cached ----------
 * Every computed KPI about people, ideas and decisions adds up these counts
 * over the teams of its scope. They are built in one pass over each table
 * (people, ideas, decisions) and kept per connection (conncache.c) while the
 * organisation's directory is unchanged (people and teams: their history),
 * within the same month and for at most FACTS_TTL seconds (decisions and
 * ideas of complete months change little after the fact: a first answer to
 * an idea, a late stage change). Team index 0 is "no team" (and anonymous
 * ideas); month i is f->m0 + i. */
#define FACTS_MONTHS 121   /* ten years and the current month */
#define FACTS_TTL 600

typedef struct Dated { int month, team; float days; int64_t domain; } Dated; /* one value for a median */
typedef struct PersonTeam { int64_t id, team; } PersonTeam;
typedef struct Facts {
    int m0, nm, nteams;
    int64_t *team;                       /* sorted ids; team[0] = 0 */
    int *hc_first, *hc_last, *seps, *vol, *invol;  /* [t * nm + i] */
    int *ideas_new, *ideas_impl, *ideas_answered;
    int *dec_all, *dec_free;
    int *reports, *recog;                /* reports by the month they arrived and the team where it happened; recognitions received */
    int *act_due, *act_on_time;          /* action items due in the month (by the owner's team), and those done by their due day */
    Dated *ttm, *wait;                   /* time to market (by month implemented), waits (by month answered) */
    int nttm, nwait;
} Facts;

static int team_index(const Facts *f, int64_t team) {
    if (!team) return 0;
    int lo = 1, hi = f->nteams;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (f->team[mid] < team) lo = mid + 1;
        else hi = mid;
    }
    return lo < f->nteams && f->team[lo] == team ? lo : 0;
}

typedef struct FactsCtx { int64_t org_id; int month; } FactsCtx;

static const char SQL_FACTS_TEAMS[] = "SELECT id FROM team WHERE org_id = ? ORDER BY id LIMIT 5000";
/* The people history; a person without a start day counts from the day
 * their account was made. */
static const char SQL_FACTS_PEOPLE[] = "SELECT team_id, started_on, created_at, left_on, leave_reason, id FROM person WHERE org_id = ? ORDER BY id LIMIT 100000";
/* Ideas: submitted, first reaching implemented, first answered; the author's team. */
static const char SQL_FACTS_IDEAS[] =
    "SELECT i.created_at, (SELECT min(s.at) FROM idea_stage s WHERE s.idea_id = i.id AND s.to_stage = 'implemented'), i.first_response_at, p.team_id "
    "FROM idea i LEFT JOIN person p ON p.id = i.author_id AND p.org_id = i.org_id WHERE i.org_id = ? AND i.stage <> 'merged' LIMIT 200000";
/* Decisions: asked, how "Can I?" answered, when an approval was answered;
 * the author's team comes from the people read before (no join). */
static const char SQL_FACTS_DECISIONS[] =
    "SELECT requested_at, answered_at, status, verdict, author_id, domain_id FROM decision WHERE org_id = ? LIMIT 1000000";

/* Reports: the day each arrived (every report alike, anonymous ones too) and
 * the team where it happened. */
static const char SQL_FACTS_REPORTS[] = "SELECT received_on, team_id FROM report WHERE org_id = ? LIMIT 1000000";
/* Recognitions received: one per recipient (by the recipient's team, read
 * from the people before) and one per team recognised as a whole. */
static const char SQL_FACTS_RECOG[] =
    "SELECT rr.created_at, rr.person_id, 0 FROM recognition_recipient rr WHERE rr.org_id = ? "
    "UNION ALL SELECT g.created_at, 0, g.team_id FROM recognition g WHERE g.org_id = ? AND g.team_id IS NOT NULL LIMIT 2000000";
/* Action items with a due day: whether each was done by it (its last change
 * is the day it was marked done). */
static const char SQL_FACTS_ACTIONS[] =
    "SELECT due_on, status, updated_at, owner_id FROM action_item WHERE org_id = ? AND due_on IS NOT NULL AND status <> 'dropped' LIMIT 1000000";

static int cmp_person_team(const void *x, const void *y) {
    int64_t a = ((const PersonTeam *)x)->id, b = ((const PersonTeam *)y)->id;
    return a < b ? -1 : a > b;
}

static void *facts_build(Db *db, Arena *a, void *vctx) {
    FactsCtx *cx = vctx;
    Facts *f = arena_alloc(a, sizeof *f);
    f->nm = FACTS_MONTHS;
    f->m0 = cx->month - FACTS_MONTHS + 1;
    int cap = 64;
    f->team = arena_alloc(a, sizeof(int64_t) * (size_t)cap);
    f->nteams = 1;
    Stmt *s = db_q(db, SQL_FACTS_TEAMS, "i", cx->org_id);
    while (db_step(s) == DB_ROW) {
        if (f->nteams == cap) f->team = arena_grow(a, f->team, &cap, sizeof(int64_t));
        f->team[f->nteams++] = db_int(s, 0);
    }
    db_reset(s);
    size_t cells = (size_t)f->nteams * (size_t)f->nm;
    int **arrays[] = {&f->hc_first, &f->hc_last, &f->seps, &f->vol, &f->invol, &f->ideas_new, &f->ideas_impl, &f->ideas_answered, &f->dec_all, &f->dec_free, &f->reports, &f->recog, &f->act_due, &f->act_on_time};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) *arrays[i] = arena_alloc(a, sizeof(int) * cells);
    int first_day = ev_month_first_day(f->m0);

    int pcap = 64, np = 0;
    PersonTeam *pt = arena_alloc(a, sizeof *pt * (size_t)pcap);
    s = db_q(db, SQL_FACTS_PEOPLE, "i", cx->org_id);
    while (db_step(s) == DB_ROW) {
        int t = team_index(f, db_int(s, 0));
        if (np == pcap) pt = arena_grow(a, pt, &pcap, sizeof *pt);
        pt[np++] = (PersonTeam){db_int(s, 5), db_int(s, 0)};
        int start = db_null(s, 1) ? (int)(db_int(s, 2) / DAY) : ev_day_parse(db_text(s, 1));
        int left = db_null(s, 3) ? -1 : ev_day_parse(db_text(s, 3));
        int kind = leave_reason_kind(db_text(s, 4));
        int *row_first = f->hc_first + (size_t)t * (size_t)f->nm, *row_last = f->hc_last + (size_t)t * (size_t)f->nm;
        /* employed on a day d: start <= d and (not left or left > d) */
        int i0 = start <= first_day ? 0 : ev_day_month(start) - f->m0;
        for (int i = i0 < 0 ? 0 : i0; i < f->nm; i++) {
            int fd = ev_month_first_day(f->m0 + i), ld = ev_month_last_day(f->m0 + i);
            if (left >= 0 && left <= fd) break;
            if (start <= fd) row_first[i]++;
            if (start <= ld && (left < 0 || left > ld)) row_last[i]++;
        }
        if (left >= 0) {
            int i = ev_day_month(left) - f->m0;
            if (i >= 0 && i < f->nm) {
                size_t k = (size_t)t * (size_t)f->nm + (size_t)i;
                f->seps[k]++;
                if (kind == LEAVE_VOLUNTARY) f->vol[k]++;
                else if (kind == LEAVE_INVOLUNTARY) f->invol[k]++;
            }
        }
    }
    db_reset(s);

    int tcap = 64;
    f->ttm = arena_alloc(a, sizeof(Dated) * (size_t)tcap);
    s = db_q(db, SQL_FACTS_IDEAS, "i", cx->org_id);
    while (db_step(s) == DB_ROW) {
        int t = db_null(s, 3) ? 0 : team_index(f, db_int(s, 3));
        int created = (int)(db_int(s, 0) / DAY), impl = db_null(s, 1) ? -1 : (int)(db_int(s, 1) / DAY), ans = db_null(s, 2) ? -1 : (int)(db_int(s, 2) / DAY);
        int i = ev_day_month(created) - f->m0;
        size_t row = (size_t)t * (size_t)f->nm;
        if (i >= 0 && i < f->nm) {
            f->ideas_new[row + (size_t)i]++;
            if (ans >= 0 && ans - created <= 30) f->ideas_answered[row + (size_t)i]++;
        }
        if (impl >= 0) {
            int j = ev_day_month(impl) - f->m0;
            if (j >= 0 && j < f->nm) {
                f->ideas_impl[row + (size_t)j]++;
                if (f->nttm == tcap) f->ttm = arena_grow(a, f->ttm, &tcap, sizeof(Dated));
                f->ttm[f->nttm++] = (Dated){f->m0 + j, t, (float)(impl - created), 0};
            }
        }
    }
    db_reset(s);

    int wcap = 64;
    f->wait = arena_alloc(a, sizeof(Dated) * (size_t)wcap);
    s = db_q(db, SQL_FACTS_DECISIONS, "i", cx->org_id);
    while (db_step(s) == DB_ROW) {
        PersonTeam key = {db_int(s, 4), 0}, *who = bsearch(&key, pt, (size_t)np, sizeof *pt, cmp_person_team);
        int t = who ? team_index(f, who->team) : 0;
        int64_t asked = db_int(s, 0);
        const char *st = db_text(s, 2), *verdict = db_text(s, 3);
        int i = ev_day_month((int)(asked / DAY)) - f->m0;
        size_t row = (size_t)t * (size_t)f->nm;
        if (i >= 0 && i < f->nm) {
            f->dec_all[row + (size_t)i]++;
            if (strcmp(verdict, "decide") == 0 || strcmp(verdict, "inform") == 0) f->dec_free[row + (size_t)i]++;
        }
        if (!db_null(s, 1) && (strcmp(st, "approved") == 0 || strcmp(st, "declined") == 0)) {
            int64_t answered = db_int(s, 1);
            int j = ev_day_month((int)(answered / DAY)) - f->m0;
            if (j >= 0 && j < f->nm) {
                if (f->nwait == wcap) f->wait = arena_grow(a, f->wait, &wcap, sizeof(Dated));
                f->wait[f->nwait++] = (Dated){f->m0 + j, t, (float)((answered - asked) / 86400.0), db_int(s, 5)};
            }
        }
    }
    db_reset(s);

    s = db_q(db, SQL_FACTS_REPORTS, "i", cx->org_id);
    while (db_step(s) == DB_ROW) {
        int t = db_null(s, 1) ? 0 : team_index(f, db_int(s, 1));
        int i = ev_day_month((int)(db_int(s, 0) / DAY)) - f->m0;
        if (i >= 0 && i < f->nm) f->reports[(size_t)t * (size_t)f->nm + (size_t)i]++;
    }
    db_reset(s);

    s = db_q(db, SQL_FACTS_RECOG, "ii", cx->org_id, cx->org_id);
    while (db_step(s) == DB_ROW) {
        int t = 0;
        if (db_int(s, 1)) {
            PersonTeam key = {db_int(s, 1), 0}, *who = bsearch(&key, pt, (size_t)np, sizeof *pt, cmp_person_team);
            t = who ? team_index(f, who->team) : 0;
        } else t = team_index(f, db_int(s, 2));
        int i = ev_day_month((int)(db_int(s, 0) / DAY)) - f->m0;
        if (i >= 0 && i < f->nm) f->recog[(size_t)t * (size_t)f->nm + (size_t)i]++;
    }
    db_reset(s);

    s = db_q(db, SQL_FACTS_ACTIONS, "i", cx->org_id);
    while (db_step(s) == DB_ROW) {
        int due = ev_day_parse(db_text(s, 0));
        if (due < 0) continue;
        PersonTeam key = {db_int(s, 3), 0}, *who = bsearch(&key, pt, (size_t)np, sizeof *pt, cmp_person_team);
        int t = who ? team_index(f, who->team) : 0;
        int i = ev_day_month(due) - f->m0;
        if (i < 0 || i >= f->nm) continue;
        size_t k = (size_t)t * (size_t)f->nm + (size_t)i;
        f->act_due[k]++;
        if (strcmp(db_text(s, 1), "done") == 0 && (int)(db_int(s, 2) / DAY) <= due) f->act_on_time[k]++;
    }
    db_reset(s);
    return f;
}

static const char FACTS_KEY[] = "kpi-facts";

/* facts: the organisation's facts, from the connection's cache. */
static const Facts *facts(KpiEnv *env) {
    if (!env->facts) {
        FactsCtx cx = {env->org_id, ev_day_month(env->today)};
        env->facts = conn_cache_get(env->db, FACTS_KEY, env->org_id, cx.month, (env->now ? env->now : (int64_t)env->today * DAY) / FACTS_TTL, facts_build, &cx);
        const Facts *f = env->facts;
        bool *in = arena_alloc(env->a, sizeof(bool) * (size_t)f->nteams);
        for (int t = 0; t < f->nteams; t++) in[t] = t == 0 ? env->teams == NULL : kpi_in_scope(env, f->team[t]);
        env->in = in;
    }
    return env->facts;
}

/* sum: a per-team counter of month m over the scope's teams. */
static int sum(KpiEnv *env, const int *counts, int m) {
    const Facts *f = facts(env);
    int i = m - f->m0, total = 0;
    if (i < 0 || i >= f->nm) return 0;
    for (int t = 0; t < f->nteams; t++)
        if (env->in[t]) total += counts[(size_t)t * (size_t)f->nm + (size_t)i];
    return total;
}

/* kpi_people: the people history of the scope, loaded once per env (for
 * KPIs the registry gains at merge; remit's own use the facts). */
static const char SQL_KPI_PEOPLE[] =
    "SELECT team_id, started_on, created_at, left_on, leave_reason FROM person WHERE org_id = ? ORDER BY id LIMIT 100000";

const EvPerson *kpi_people(KpiEnv *env, int *n) {
    if (!env->people_loaded) {
        int cap = 64;
        env->people = arena_alloc(env->a, sizeof *env->people * (size_t)cap);
        env->people_team = arena_alloc(env->a, sizeof *env->people_team * (size_t)cap);
        Stmt *s = db_q(env->db, SQL_KPI_PEOPLE, "i", env->org_id);
        while (db_step(s) == DB_ROW) {
            int64_t team = db_int(s, 0);
            if (!kpi_in_scope(env, team)) continue;
            if (env->npeople == cap) {
                int c2 = cap;
                env->people = arena_grow(env->a, env->people, &c2, sizeof *env->people);
                env->people_team = arena_grow(env->a, env->people_team, &cap, sizeof *env->people_team);
            }
            EvPerson *p = &env->people[env->npeople];
            p->start = db_null(s, 1) ? (int)(db_int(s, 2) / DAY) : ev_day_parse(db_text(s, 1));
            p->left = db_null(s, 3) ? -1 : ev_day_parse(db_text(s, 3));
            p->kind = leave_reason_kind(db_text(s, 4));
            env->people_team[env->npeople++] = team;
        }
        db_reset(s);
        env->people_loaded = true;
    }
    *n = env->npeople;
    return env->people;
}

double kpi_avg_headcount(KpiEnv *env, int m) {
    const Facts *f = facts(env);
    return (sum(env, f->hc_first, m) + sum(env, f->hc_last, m)) / 2.0;
}

/* ---------- computed KPIs: the registry's callbacks ---------- */

/* turnover over a window of months ending at each month (the same
 * arithmetic as ev_turnover, from the facts) */
static void turnover_compute(KpiEnv *env, int m0, int nm, KpiPoint *out, int window, int kind) {
    const Facts *f = facts(env);
    const int *counts = kind == LEAVE_VOLUNTARY ? f->vol : kind == LEAVE_INVOLUNTARY ? f->invol : f->seps;
    for (int i = 0; i < nm; i++) {
        int m = m0 + i, seps = 0;
        double hc = 0;
        for (int w = m - window + 1; w <= m; w++) seps += sum(env, counts, w), hc += kpi_avg_headcount(env, w);
        hc /= window;
        out[i].n = (int)lround(kpi_avg_headcount(env, m)); /* the group now, not the window's mean */
        out[i].has = hc > 0 && m - window + 1 >= f->m0;
        out[i].value = out[i].has ? 100.0 * seps / hc : 0;
    }
}
static void kpi_turnover_month(KpiEnv *e, int m0, int nm, KpiPoint *o) { turnover_compute(e, m0, nm, o, 1, 0); }
static void kpi_turnover_12m(KpiEnv *e, int m0, int nm, KpiPoint *o) { turnover_compute(e, m0, nm, o, 12, 0); }
static void kpi_turnover_vol(KpiEnv *e, int m0, int nm, KpiPoint *o) { turnover_compute(e, m0, nm, o, 12, LEAVE_VOLUNTARY); }
static void kpi_turnover_invol(KpiEnv *e, int m0, int nm, KpiPoint *o) { turnover_compute(e, m0, nm, o, 12, LEAVE_INVOLUNTARY); }

static void kpi_headcount(KpiEnv *e, int m0, int nm, KpiPoint *o) {
    for (int i = 0; i < nm; i++) {
        o[i].value = kpi_avg_headcount(e, m0 + i);
        o[i].n = (int)lround(o[i].value);
        o[i].has = true;
    }
}

/* Survey factor scores (surveyresults.c stores them at a round's close, only
 * for groups shown above the survey's k): the mean over the month's closed
 * rounds of the mean of the listed factors, for the scope's root team (0:
 * the organisation). */
static const char SQL_KPI_FACTORS[] =
    "SELECT r.closes_on, f.factor, f.score, f.n FROM survey_factor_score f JOIN survey_round r ON r.id = f.round_id "
    "WHERE r.org_id = ? AND r.status = 'closed' AND f.team_id = ? AND r.closes_on >= ? AND r.closes_on <= ? ORDER BY r.id LIMIT 20000";
static void factors_compute(KpiEnv *env, int m0, int nm, KpiPoint *out, const char *const *factors) {
    char from[8], to[8];
    ev_month_format(m0, from);
    ev_month_format(m0 + nm - 1, to);
    double *sum = arena_alloc(env->a, sizeof(double) * (size_t)nm);
    int *cnt = arena_alloc(env->a, sizeof(int) * (size_t)nm);
    Stmt *s = db_q(env->db, SQL_KPI_FACTORS, "iitt", env->org_id, env->root, arena_printf(env->a, "%s-01", from),
                   arena_printf(env->a, "%s-31", to));
    while (db_step(s) == DB_ROW) {
        int i = ev_month_parse(db_text(s, 0)) - m0;
        if (i < 0 || i >= nm) continue;
        for (int f = 0; factors[f]; f++)
            if (strcmp(db_text(s, 1), factors[f]) == 0) {
                sum[i] += strtod(db_text(s, 2), NULL);
                cnt[i]++;
                if (out[i].n == 0 || db_int(s, 3) < out[i].n) out[i].n = (int)db_int(s, 3);
            }
    }
    db_reset(s);
    for (int i = 0; i < nm; i++)
        if (cnt[i]) out[i].value = sum[i] / cnt[i], out[i].has = true;
}
static void kpi_safety(KpiEnv *e, int m0, int nm, KpiPoint *o) {
    static const char *const F[] = {"safety", NULL};
    factors_compute(e, m0, nm, o, F);
}
static void kpi_empowerment(KpiEnv *e, int m0, int nm, KpiPoint *o) {
    static const char *const F[] = {"meaning", "competence", "self-determination", "impact", NULL};
    factors_compute(e, m0, nm, o, F);
}
/* eNPS: read as the factor "enps" of survey_factor_score; surveyresults.c
 * stores the eNPS there once the merge adds it (a hook: until then the
 * series is empty). */
static void kpi_enps(KpiEnv *e, int m0, int nm, KpiPoint *o) {
    static const char *const F[] = {"enps", NULL};
    factors_compute(e, m0, nm, o, F);
}

/* Ideas per 100 people of the average headcount; for a team, the ideas of
 * its members (anonymous ideas count only for the whole organisation). */
static void per100(KpiEnv *env, int m0, int nm, KpiPoint *out, const int *counts) {
    for (int k = 0; k < nm; k++) {
        double hc = kpi_avg_headcount(env, m0 + k);
        out[k].n = (int)lround(hc);
        out[k].has = hc > 0;
        out[k].value = hc > 0 ? 100.0 * sum(env, counts, m0 + k) / hc : 0;
    }
}
static void kpi_ideas_submitted(KpiEnv *e, int m0, int nm, KpiPoint *o) { per100(e, m0, nm, o, facts(e)->ideas_new); }
static void kpi_ideas_implemented(KpiEnv *e, int m0, int nm, KpiPoint *o) { per100(e, m0, nm, o, facts(e)->ideas_impl); }
static void kpi_reports(KpiEnv *e, int m0, int nm, KpiPoint *o) { per100(e, m0, nm, o, facts(e)->reports); }
/* recognitions received per person: per100 / 100 */
static void kpi_recognition(KpiEnv *e, int m0, int nm, KpiPoint *o) {
    per100(e, m0, nm, o, facts(e)->recog);
    for (int k = 0; k < nm; k++) o[k].value /= 100.0;
}

/* median_of: the median of the dated values of month m in the scope. */
static void median_of(KpiEnv *env, const Dated *v, int n, int m0, int nm, KpiPoint *out) {
    double *tmp = arena_alloc(env->a, sizeof(double) * (size_t)(n ? n : 1));
    facts(env);
    for (int k = 0; k < nm; k++) {
        int c = 0;
        for (int i = 0; i < n; i++)
            if (v[i].month == m0 + k && env->in[v[i].team]) tmp[c++] = v[i].days;
        out[k].has = c > 0;
        out[k].n = (int)lround(kpi_avg_headcount(env, m0 + k));
        out[k].value = ev_median(tmp, c);
    }
}
static void kpi_time_to_market(KpiEnv *e, int m0, int nm, KpiPoint *o) {
    const Facts *f = facts(e);
    median_of(e, f->ttm, f->nttm, m0, nm, o);
}
static void kpi_decision_wait(KpiEnv *e, int m0, int nm, KpiPoint *o) {
    const Facts *f = facts(e);
    median_of(e, f->wait, f->nwait, m0, nm, o);
}

/* share: part / whole of month m in the scope, in percent. */
static void share(KpiEnv *env, int m0, int nm, KpiPoint *out, const int *part, const int *whole) {
    for (int k = 0; k < nm; k++) {
        int all = sum(env, whole, m0 + k);
        out[k].has = all > 0;
        out[k].n = (int)lround(kpi_avg_headcount(env, m0 + k));
        out[k].value = all ? 100.0 * sum(env, part, m0 + k) / all : 0;
    }
}
static void kpi_ideas_answered(KpiEnv *e, int m0, int nm, KpiPoint *o) { share(e, m0, nm, o, facts(e)->ideas_answered, facts(e)->ideas_new); }
static void kpi_decisions_free(KpiEnv *e, int m0, int nm, KpiPoint *o) { share(e, m0, nm, o, facts(e)->dec_free, facts(e)->dec_all); }
static void kpi_actions_on_time(KpiEnv *e, int m0, int nm, KpiPoint *o) { share(e, m0, nm, o, facts(e)->act_on_time, facts(e)->act_due); }

/* Entered values: the team's own value, or for the organisation its own
 * value, else the mean of its teams' values that month. */
/* Entered values: the team's own value, or for the organisation its own
 * value, else the mean of its teams' values that month. */
static const char SQL_KPI_VALUES[] =
    "SELECT team_id, month, value FROM kpi_value WHERE kpi_id = ? AND org_id = ? AND month >= ? AND month <= ? ORDER BY id LIMIT 100000";
static void values_compute(KpiEnv *env, int m0, int nm, KpiPoint *out, bool absence) {
    char from[8], to[8];
    ev_month_format(m0, from);
    ev_month_format(m0 + nm - 1, to);
    double *own = arena_alloc(env->a, sizeof(double) * (size_t)nm), *sum = arena_alloc(env->a, sizeof(double) * (size_t)nm);
    bool *has_own = arena_alloc(env->a, sizeof(bool) * (size_t)nm);
    int *cnt = arena_alloc(env->a, sizeof(int) * (size_t)nm);
    Stmt *s = db_q(env->db, SQL_KPI_VALUES, "iitt", env->kpi_id, env->org_id, from, to);
    while (db_step(s) == DB_ROW) {
        int k = ev_month_parse(db_text(s, 1)) - m0;
        if (k < 0 || k >= nm) continue;
        int64_t team = db_int(s, 0);
        double v = strtod(db_text(s, 2), NULL);
        if (team == env->root && !absence) own[k] = v, has_own[k] = true;
        else if (team && kpi_in_scope(env, team)) sum[k] += v, cnt[k]++;
        else if (!team && absence && !env->teams) sum[k] += v, cnt[k]++;
    }
    db_reset(s);
    for (int k = 0; k < nm; k++) {
        out[k].n = (int)lround(kpi_avg_headcount(env, m0 + k));
        if (absence) {
            out[k].has = cnt[k] > 0 && out[k].n > 0;
            out[k].value = out[k].has ? sum[k] / kpi_avg_headcount(env, m0 + k) : 0;
        } else if (has_own[k]) out[k].value = own[k], out[k].has = true;
        else if (cnt[k]) out[k].value = sum[k] / cnt[k], out[k].has = true;
    }
}
static void kpi_entered(KpiEnv *e, int m0, int nm, KpiPoint *o) { values_compute(e, m0, nm, o, false); }
static void kpi_absence(KpiEnv *e, int m0, int nm, KpiPoint *o) { values_compute(e, m0, nm, o, true); }

/* ---------- the registry ---------- */
/* One line per KPI remit knows. Entries with kpi_entered take their values
 * from imports and entries (kpi_value); the rest are computed from remit's
 * own tables. Organisations define more (kpi rows without a slug), which
 * behave like kpi_entered.
 *
 * Adding a KPI (reports per 100 people, actions closed on time, recognition
 * per person, ...) is one line here: a new slug (a kpi row is added to every
 * organisation the next time its KPIs are listed), N_() name and unit, the
 * direction (+1 up is good, -1 down), org_only, personal (true when a
 * small team's value could point at a person: the k rule then hides it),
 * an N_() "how it is computed" text, and a callback that fills out[i] for
 * month m0 + i (i < nm): has (false: nothing to compute from), value, and n
 * (the people behind it: kpi_avg_headcount(env, m0 + i) for a per-person
 * rate). The callback counts its own table's rows of month m whose team
 * (the author's, the owner's) passes kpi_in_scope(env, team), scoped to
 * env->org_id, and divides by kpi_avg_headcount for "per 100 people". Its
 * strings go into po/de.po (make po). */
const KpiDef g_kpi_defs[] = {
    {"turnover", N_("Turnover (month)"), "%", -1, false, true,
     N_("People who left in the month divided by the month's average headcount (people employed on its first day plus its last day, halved), in percent. "
        "Leaving days and reasons come from each person's record (left_on, leave_reason)."),
     kpi_turnover_month},
    {"turnover_12m", N_("Turnover (12 months)"), "%", -1, false, true,
     N_("People who left in the twelve months up to this one divided by the mean of those months' average headcounts, in percent."), kpi_turnover_12m},
    {"turnover_voluntary_12m", N_("Voluntary turnover (12 months)"), "%", -1, false, true,
     N_("As the twelve-month turnover, counting only those who resigned, retired, relocated or left for their career."), kpi_turnover_vol},
    {"turnover_involuntary_12m", N_("Involuntary turnover (12 months)"), "%", -1, false, true,
     N_("As the twelve-month turnover, counting only dismissals, redundancies and contracts that ended."), kpi_turnover_invol},
    {"headcount", N_("Headcount"), N_("people"), 1, false, true, N_("The month's average headcount: people employed on its first day plus its last day, halved."),
     kpi_headcount},
    {"enps", N_("eNPS"), "", 1, false, false,
     N_("The employee Net Promoter Score of the surveys closed in the month (promoters 9-10 minus detractors 0-6, in points), for groups shown above the "
        "survey's minimum group size."),
     kpi_enps},
    {"psych_safety", N_("Psychological safety"), "%", 1, false, false,
     N_("The mean favourability of the safety factor in the surveys closed in the month, for groups shown above the survey's minimum group size."), kpi_safety},
    {"empowerment", N_("Empowerment index"), "%", 1, false, false,
     N_("The mean favourability of the four empowerment factors (meaning, competence, self-determination, impact; Spreitzer 1995) in the surveys closed in "
        "the month, for groups shown above the survey's minimum group size."),
     kpi_empowerment},
    {"ideas_submitted", N_("Ideas submitted per 100 people"), "", 1, false, true,
     N_("Ideas submitted in the month per 100 people of the average headcount. For a team: ideas of its members (anonymous ideas count only for the whole "
        "organisation)."),
     kpi_ideas_submitted},
    {"ideas_implemented", N_("Ideas implemented per 100 people"), "", 1, false, true,
     N_("Ideas that reached \"implemented\" in the month per 100 people of the average headcount."), kpi_ideas_implemented},
    {"time_to_market", N_("Time to market"), N_("days"), -1, false, true,
     N_("The median number of days from an idea's submission to its implementation, over the ideas implemented in the month."), kpi_time_to_market},
    {"ideas_answered_30d", N_("Ideas answered within 30 days"), "%", 1, false, true,
     N_("Of the ideas submitted in the month, the share that had a first answer (a stage change or a comment by someone else) within 30 days."),
     kpi_ideas_answered},
    {"decision_wait", N_("Decision wait"), N_("days"), -1, false, true,
     N_("The median time from asking to the answer, in days, over the decisions approved or declined in the month."), kpi_decision_wait},
    {"decisions_without_waiting", N_("Decisions taken without waiting"), "%", 1, false, true,
     N_("Of the decisions logged in the month, the share \"Can I?\" let the person take at once (decide, or decide and inform)."), kpi_decisions_free},
    {"reports", N_("Reports per 100 people"), "", 1, false, true,
     N_("Incident, near-miss and concern reports that arrived in the month (named, confidential and anonymous alike) per 100 people of the average "
        "headcount; for a team, the reports about where it happened. A rising count usually means rising trust, not more harm."),
     kpi_reports},
    {"actions_on_time", N_("Actions closed on time"), "%", 1, false, true,
     N_("Of the action items due in the month (from reviews, surveys, one-to-ones, the programme and the rest; dropped ones left out), the share marked "
        "done by their due day. For a team: the actions its people own."),
     kpi_actions_on_time},
    {"recognition", N_("Recognition per person"), "", 1, false, true,
     N_("Recognitions received in the month (one per person thanked, public and private alike, and one per team thanked as a whole) divided by the "
        "month's average headcount."),
     kpi_recognition},
    {"absenteeism", N_("Absence days per person"), N_("days"), -1, false, true,
     N_("Absence days entered or imported for the month (per person by e-mail and day, or as team totals) divided by the month's average headcount. "
        "Only team totals are stored."),
     kpi_absence},
    {"csat", N_("Customer satisfaction (CSAT)"), "%", 1, false, false,
     N_("Entered or imported each month, per team or for the organisation; the organisation's figure is its own value, else the mean of its teams'."),
     kpi_entered},
    {"nps", N_("Net Promoter Score"), "", 1, false, false,
     N_("Entered or imported each month, per team or for the organisation; the organisation's figure is its own value, else the mean of its teams'."),
     kpi_entered},
    {"retention", N_("Customer retention"), "%", 1, false, false,
     N_("Entered or imported each month, per team or for the organisation; the organisation's figure is its own value, else the mean of its teams'."),
     kpi_entered},
    {"revenue_per_employee", N_("Revenue per employee"), "", 1, true, false,
     N_("Entered or imported each month for the organisation: the month's revenue divided by its headcount, in your currency."), kpi_entered},
};
const int g_nkpi_defs = (int)(sizeof g_kpi_defs / sizeof g_kpi_defs[0]);

static const KpiDef *def_for(const char *slug) {
    for (int i = 0; slug && i < g_nkpi_defs; i++)
        if (strcmp(g_kpi_defs[i].slug, slug) == 0) return &g_kpi_defs[i];
    return NULL;
}
static bool def_entered(const KpiDef *d) { return !d || d->compute == kpi_entered || d->compute == kpi_absence; }

/* ---------- KPI rows ---------- */

typedef struct Kpi {
    int64_t id;
    const char *slug, *name, *unit, *direction, *scope, *description;
    bool has_target;
    double target;
    const KpiDef *def;   /* NULL: defined by the organisation */
    bool starred;
} Kpi;

#define KPI_COLS "k.id, k.slug, k.name, k.unit, k.direction, k.scope, k.target, k.description, (SELECT count(*) FROM kpi_star s WHERE s.kpi_id = k.id AND s.person_id = ?)"
static const char SQL_KPI_LIST[] = "SELECT " KPI_COLS " FROM kpi k WHERE k.org_id = ? ORDER BY k.id LIMIT 500";
static const char SQL_KPI_GET[] = "SELECT " KPI_COLS " FROM kpi k WHERE k.id = ? AND k.org_id = ?";
static const char SQL_KPI_SLUGS[] = "SELECT count(*) FROM kpi WHERE org_id = ? AND slug IS NOT NULL";
static const char SQL_KPI_INSERT_DEF[] =
    "INSERT INTO kpi(org_id, slug, name, unit, direction, scope, created_at) SELECT ?, ?, ?, ?, ?, ?, ? "
    "WHERE NOT EXISTS (SELECT 1 FROM kpi WHERE org_id = ? AND slug = ?)";

static void kpi_read(Stmt *s, Arena *a, Kpi *k) {
    k->id = db_int(s, 0);
    k->slug = db_dup(s, 1, a);
    k->name = db_dup(s, 2, a);
    k->unit = db_dup(s, 3, a);
    k->direction = db_dup(s, 4, a);
    k->scope = db_dup(s, 5, a);
    k->has_target = !db_null(s, 6);
    k->target = k->has_target ? strtod(db_text(s, 6), NULL) : 0;
    k->description = db_dup(s, 7, a);
    k->starred = db_int(s, 8) > 0;
    k->def = def_for(k->slug);
}

/* kpi_sync: the registry's KPIs as rows of the organisation (so they have
 * ids, targets and stars), added the first time they are needed. */
int kpi_sync(Db *db, int64_t org_id, int64_t now) {
    int64_t have = 0;
    db_one_int(db, &have, SQL_KPI_SLUGS, "i", org_id);
    if (have >= g_nkpi_defs) return 0;
    bool own_tx = !db_in_tx(db);
    if (own_tx && db_begin(db) != DB_OK) return -1;
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < g_nkpi_defs; i++) {
        const KpiDef *d = &g_kpi_defs[i];
        rc = db_exec(db, SQL_KPI_INSERT_DEF, "itttttiit", org_id, d->slug, d->name, d->unit, d->direction > 0 ? "up" : "down", d->org_only ? "org" : "team",
                     now, org_id, d->slug);
    }
    if (own_tx) {
        if (rc == DB_OK) rc = db_commit(db);
        else db_rollback(db);
    }
    return rc == DB_OK ? 0 : -1;
}

static const char *kpi_name(Req *r, const Kpi *k) { return k->def ? T(r, k->def->name) : k->name; }
static const char *kpi_unit(Req *r, const Kpi *k) { return k->def && *k->unit ? T(r, k->unit) : k->unit; }
static const char *kpi_how(Req *r, const Kpi *k) {
    if (k->def) return T(r, k->def->how);
    return *k->description ? k->description : T(r, "Entered or imported each month by the organisation.");
}
static bool kpi_personal(const Kpi *k) { return k->def && k->def->personal; }

static int kpi_load(Req *r, int64_t id, Kpi *k) {
    if (kpi_sync(r->db, r->who.org_id, r->now)) return resp_error(r, 503, "busy", "The server is busy; try again.");
    Stmt *s = db_q(r->db, SQL_KPI_GET, "iii", r->who.person_id, id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) kpi_read(s, r->arena, k);
    db_reset(s);
    return found ? 0 : resp_error(r, 404, "not_found", "There is no such KPI.");
}

static Kpi *kpis_all(Req *r, int *n) {
    *n = 0;
    if (kpi_sync(r->db, r->who.org_id, r->now)) return NULL;
    int cap = 32;
    Kpi *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_KPI_LIST, "ii", r->who.person_id, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        kpi_read(s, r->arena, &v[(*n)++]);
    }
    db_reset(s);
    return v;
}

/* ---------- scopes and the k rule ---------- */

typedef struct Teams {
    int64_t *id, *parent;
    int n;
    int64_t hidden_team; /* team_hidden's last answer, kept for the request */
    bool hidden;
} Teams;
static Teams teams_load(Req *r) {
    Teams t = {0};
    int cap = 32;
    t.id = arena_alloc(r->arena, sizeof(int64_t) * (size_t)cap);
    t.parent = arena_alloc(r->arena, sizeof(int64_t) * (size_t)cap);
    Stmt *s = db_q(r->db, "SELECT id, parent_id FROM team WHERE org_id = ? ORDER BY id LIMIT 5000", "i", r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (t.n == cap) {
            int c2 = cap;
            t.id = arena_grow(r->arena, t.id, &c2, sizeof(int64_t));
            t.parent = arena_grow(r->arena, t.parent, &cap, sizeof(int64_t));
        }
        t.id[t.n] = db_int(s, 0);
        t.parent[t.n++] = db_int(s, 1);
    }
    db_reset(s);
    return t;
}

/* subtree: root and every team below it, sorted (each team's chain of
 * parents walked up, at most 64 levels). */
static int64_t *subtree(Req *r, const Teams *t, int64_t root, int *n) {
    int64_t *v = arena_alloc(r->arena, sizeof(int64_t) * (size_t)(t->n + 1));
    *n = 0;
    v[(*n)++] = root;
    for (int i = 0; i < t->n; i++) {
        if (t->id[i] == root) continue;
        int64_t up = t->parent[i];
        for (int depth = 0; up && depth < 64; depth++) {
            if (up == root) {
                v[(*n)++] = t->id[i];
                break;
            }
            int j = 0;
            while (j < t->n && t->id[j] != up) j++;
            up = j < t->n ? t->parent[j] : 0;
        }
    }
    qsort(v, (size_t)*n, sizeof *v, cmp_i64);
    return v;
}

/* team_hidden: whether a team's personal figures stay hidden: when its
 * people (now employed, in its subtree) are fewer than k, or when its
 * parent's figure would give a hidden sibling away (anon_suppress over the
 * parent's children and the parent's own people). */
static bool team_hidden_compute(Req *r, const Teams *t, int64_t team) {
    /* people now employed, directly in each team */
    int *direct = arena_alloc(r->arena, sizeof(int) * (size_t)(t->n + 1));
    Stmt *s = db_q(r->db, "SELECT team_id, count(*) FROM person WHERE org_id = ? AND status <> 'left' AND team_id IS NOT NULL GROUP BY team_id", "i",
                   r->who.org_id);
    while (db_step(s) == DB_ROW)
        for (int i = 0; i < t->n; i++)
            if (t->id[i] == db_int(s, 0)) direct[i] = (int)db_int(s, 1);
    db_reset(s);
    int64_t parent = 0;
    for (int i = 0; i < t->n; i++)
        if (t->id[i] == team) parent = t->parent[i];
    /* groups: the parent's own people (index 0), then each child's subtree */
    int *counts = arena_alloc(r->arena, sizeof(int) * (size_t)(t->n + 1));
    bool *hidden = arena_alloc(r->arena, sizeof(bool) * (size_t)(t->n + 1));
    int nk = 1, me = -1;
    for (int i = 0; i < t->n; i++)
        if (parent && t->id[i] == parent) counts[0] = direct[i];
    for (int i = 0; i < t->n; i++) {
        if (t->parent[i] != parent) continue;
        int n;
        int64_t *sub = subtree(r, t, t->id[i], &n);
        int c = 0;
        for (int j = 0; j < t->n; j++)
            if (bsearch(&t->id[j], sub, (size_t)n, sizeof(int64_t), cmp_i64)) c += direct[j];
        if (t->id[i] == team) me = nk;
        counts[nk++] = c;
    }
    if (me < 0 || counts[me] < ANON_K_DEFAULT) return true;
    anon_suppress(counts, nk, ANON_K_DEFAULT, true, hidden);
    return hidden[me];
}

static bool team_hidden(Req *r, Teams *t, int64_t team) {
    if (t->hidden_team != team) {
        t->hidden = team_hidden_compute(r, t, team);
        t->hidden_team = team;
    }
    return t->hidden;
}

/* series: the KPI over months m0..m0+nm-1 for team (0: the organisation).
 * Personal KPIs hide a team that team_hidden says must stay hidden, and any
 * month whose group is below k. */
static KpiPoint *series(Req *r, const Kpi *k, int64_t team, Teams *t, int m0, int nm, bool *all_hidden) {
    KpiPoint *out = arena_alloc(r->arena, sizeof *out * (size_t)nm);
    *all_hidden = false;
    KpiEnv env = {.db = r->db, .a = r->arena, .org_id = r->who.org_id, .root = team, .kpi_id = k->id, .today = (int)(r->now / DAY), .now = r->now};
    if (team) env.teams = subtree(r, t, team, &env.nteams);
    if (team && kpi_personal(k) && team_hidden(r, t, team)) {
        *all_hidden = true;
        for (int i = 0; i < nm; i++) out[i].hidden = true;
        return out;
    }
    if (k->def) k->def->compute(&env, m0, nm, out);
    else kpi_entered(&env, m0, nm, out);
    if (kpi_personal(k))
        for (int i = 0; i < nm; i++)
            if (out[i].has && out[i].n < ANON_K_DEFAULT) out[i].hidden = true;
    return out;
}

/* ---------- JSON ---------- */

static json_t *num_or_null(bool has, double v) { return has ? json_real(round(v * 100) / 100) : json_null(); }

static json_t *kpi_json(Req *r, const Kpi *k) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(k->id));
    json_object_set_new(o, "slug", json_text(k->slug));
    json_object_set_new(o, "name", json_text(kpi_name(r, k)));
    json_object_set_new(o, "unit", json_text(k->unit));
    json_object_set_new(o, "direction", json_text(k->direction));
    json_object_set_new(o, "scope", json_text(k->scope));
    json_object_set_new(o, "kind", json_string(def_entered(k->def) ? "entered" : "computed"));
    json_object_set_new(o, "target", num_or_null(k->has_target, k->target));
    json_object_set_new(o, "how", json_text(kpi_how(r, k)));
    json_object_set_new(o, "starred", json_boolean(k->starred));
    return o;
}

/* GET /api/v1/kpis: the organisation's KPIs, computed and entered (manager). */
int kpis_api_list(Req *r) {
    int n;
    Kpi *k = kpis_all(r, &n);
    if (!k) return resp_error(r, 503, "busy", "The server is busy; try again.");
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, kpi_json(r, &k[i]));
    resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_after"));
    return 0;
}

static bool one_of(const char *s, const char *a, const char *b) { return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0); }

static const JField KPI_FIELDS[] = {{"name", JF_STRING, 120}, {"unit", JF_STRING_NULL, 20}, {"direction", JF_STRING, 10}, {"scope", JF_STRING, 10},
                                    {"target", JF_ANY}, {"description", JF_STRING_NULL, 2000}, {0}};

/* kpi_check: a KPI's fields as asked (for a change: only those given). */
static void kpi_check(json_t *o, bool create, bool registry, Errors *e) {
    const char *name = json_str(o, "name");
    if (create && !name) err_add(e, 422, "missing_field", "name", "A name is required.");
    if (name && (str_empty(name) || has_control(name))) err_add(e, 422, "invalid", "name", "A name is required.");
    if (registry && (json_has(o, "name") || json_has(o, "unit") || json_has(o, "direction") || json_has(o, "scope")))
        err_add(e, 422, "invalid", "name", "A KPI remit computes keeps its name, unit, direction and scope; only its target changes.");
    if ((create || json_has(o, "direction")) && !one_of(json_str(o, "direction"), "up", "down"))
        err_add(e, 422, "invalid", "direction", "direction is up or down (which way is good).");
    if (json_has(o, "scope") && !one_of(json_str(o, "scope"), "team", "org")) err_add(e, 422, "invalid", "scope", "scope is team or org.");
    json_t *t = json_object_get(o, "target");
    if (t && !json_is_null(t) && !json_is_number(t)) err_add(e, 422, "invalid", "target", "target is a number or null.");
}

static const char *target_text(Arena *a, json_t *o, bool *has) {
    json_t *t = json_object_get(o, "target");
    *has = t && json_is_number(t);
    return *has ? arena_printf(a, "%.6g", json_number_value(t)) : NULL;
}

/* POST /api/v1/kpis {"name","unit","direction","scope","target","description"}:
 * a KPI the organisation defines, entered monthly (admin). 201. */
int kpis_api_create(Req *r) {
    json_t *o = req_json_object(r, KPI_FIELDS);
    if (!o) return -1;
    Errors e = {0};
    kpi_check(o, true, false, &e);
    if (e.n) return err_send(r, &e);
    bool has;
    const char *target = target_text(r->arena, o, &has);
    const char *scope = json_str(o, "scope") ? json_str(o, "scope") : "team";
    if (kpi_sync(r->db, r->who.org_id, r->now) || db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "The server is busy; try again.");
    int rc = db_exec(r->db,
                     "INSERT INTO kpi(org_id, name, unit, direction, scope, target, description, created_at) VALUES (?, ?, ?, ?, ?, CAST(? AS REAL), ?, ?)",
                     "itttttti", r->who.org_id, str_trim(r->arena, json_str(o, "name")), json_str(o, "unit") ? json_str(o, "unit") : "", json_str(o, "direction"),
                     scope, target, json_str(o, "description") ? json_str(o, "description") : "", r->now);
    int64_t id = db_last_id(r->db);
    if (rc == DB_OK) audit(r, "kpi.create", arena_printf(r->arena, "kpi:%lld", (long long)id), "defined");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    Kpi k;
    if (kpi_load(r, id, &k)) return -1;
    resp_json(r, 201, kpi_json(r, &k));
    return 0;
}

static const JField KPI_PATCH_FIELDS[] = {{"name", JF_STRING, 120}, {"unit", JF_STRING_NULL, 20}, {"direction", JF_STRING, 10}, {"scope", JF_STRING, 10},
                                          {"target", JF_ANY}, {"description", JF_STRING_NULL, 2000}, {0}};

/* PATCH /api/v1/kpis/{id} {"target", and for the organisation's own KPIs
 * "name","unit","direction","scope","description"} (admin). */
int kpis_api_patch(Req *r) {
    json_t *o = req_json_object(r, KPI_PATCH_FIELDS);
    if (!o) return -1;
    Kpi k;
    if (kpi_load(r, r->params[0], &k)) return -1;
    Errors e = {0};
    kpi_check(o, false, k.def != NULL, &e);
    if (e.n) return err_send(r, &e);
    bool has;
    const char *target = target_text(r->arena, o, &has);
    if (db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "The server is busy; try again.");
    int rc = db_exec(r->db,
                     "UPDATE kpi SET name = coalesce(?, name), unit = coalesce(?, unit), direction = coalesce(?, direction), scope = coalesce(?, scope), "
                     "description = coalesce(?, description), target = CASE WHEN ? = 1 THEN CAST(? AS REAL) ELSE target END WHERE id = ? AND org_id = ?",
                     "tttttitii", json_str(o, "name") ? str_trim(r->arena, json_str(o, "name")) : NULL, json_str(o, "unit"), json_str(o, "direction"),
                     json_str(o, "scope"), json_str(o, "description"), (int64_t)json_has(o, "target"), target, k.id, r->who.org_id);
    if (rc == DB_OK) audit(r, "kpi.update", arena_printf(r->arena, "kpi:%lld", (long long)k.id), "target %s", target ? target : "none");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    if (kpi_load(r, k.id, &k)) return -1;
    resp_json(r, 200, kpi_json(r, &k));
    return 0;
}

/* month_range: ?from=&to= (YYYY-MM); default the 24 months up to the last
 * complete one. 0, or -1 after a 400. */
static int month_range(Req *r, int *m0, int *nm) {
    int last = ev_day_month((int)(r->now / DAY)) - 1;
    const char *f = req_query(r, "from"), *t = req_query(r, "to");
    int to = t && *t ? ev_month_parse(t) : last, from = f && *f ? ev_month_parse(f) : -2;
    if (to < 0 || (t && strlen(t) != 7)) return resp_error(r, 400, "invalid_parameter", "to must be a month, YYYY-MM.");
    if (from == -2) from = to - 23;
    if (from < 0 || (f && *f && strlen(f) != 7)) return resp_error(r, 400, "invalid_parameter", "from must be a month, YYYY-MM.");
    if (from > to) return resp_error(r, 400, "invalid_parameter", "from must not be after to.");
    if (to - from + 1 > KPI_MAX_MONTHS) return resp_error(r, 400, "invalid_parameter", "At most 120 months at a time.");
    *m0 = from;
    *nm = to - from + 1;
    return 0;
}

/* team_param: ?team_id= of the caller's organisation (0: none). 0, or -1
 * after 400/404; 422 when the KPI is for the organisation only. */
static int team_param(Req *r, const Kpi *k, int64_t *team) {
    const char *t = req_query(r, "team_id");
    *team = 0;
    if (!t || !*t) return 0;
    if (!parse_id(t, team)) return resp_error(r, 400, "invalid_parameter", "team_id must be an id.");
    int64_t found;
    if (!db_one_int(r->db, &found, "SELECT id FROM team WHERE id = ? AND org_id = ?", "ii", *team, r->who.org_id))
        return resp_error(r, 404, "not_found", "There is no such team.");
    if (k && strcmp(k->scope, "org") == 0) return resp_error(r, 422, "invalid", "This KPI is for the whole organisation only.");
    return 0;
}

/* GET /api/v1/kpis/{id}/series?team_id=&from=&to=: the KPI month by month
 * (manager). A value that could identify someone (a group below k = 5, or
 * its complement) is null with "hidden": true. ?format=csv downloads it. */
int kpis_api_series(Req *r) {
    Kpi k;
    if (kpi_load(r, r->params[0], &k)) return -1;
    int64_t team;
    int m0 = 0, nm = 1;
    if (team_param(r, &k, &team) || month_range(r, &m0, &nm)) return -1;
    Teams t = teams_load(r);
    bool all_hidden;
    KpiPoint *p = series(r, &k, team, &t, m0, nm, &all_hidden);
    json_t *items = json_array();
    for (int i = 0; i < nm; i++) {
        char m[8];
        ev_month_format(m0 + i, m);
        json_array_append_new(items, json_pack("{s:s,s:o,s:b}", "month", m, "value", num_or_null(p[i].has && !p[i].hidden, p[i].value), "hidden", p[i].hidden));
    }
    json_t *o = json_pack("{s:o,s:o,s:o,s:n}", "kpi", kpi_json(r, &k), "team_id", team ? json_integer(team) : json_null(), "items", items, "next_after");
    resp_json(r, 200, o);
    return 0;
}

/* ---------- entering and importing values ---------- */

typedef struct ValRow { int line; int64_t team; int month; double value; } ValRow;

static const char SQL_VALUE_DELETE[] = "DELETE FROM kpi_value WHERE kpi_id = ? AND org_id = ? AND month = ? AND (team_id = ? OR (team_id IS NULL AND ? IS NULL))";
static const char SQL_VALUE_INSERT[] = "INSERT INTO kpi_value(kpi_id, org_id, team_id, month, value, updated_at) VALUES (?, ?, ?, ?, CAST(? AS REAL), ?)";

/* values_write: each (team, month) of rows replaces what was stored for it;
 * rows for the same pair are added up (absence imported day by day). One
 * transaction and one audit entry. DB_OK or the failing code. */
static int values_write(Req *r, const Kpi *k, ValRow *v, int n) {
    if (db_begin(r->db) != DB_OK) return DB_BUSY;
    int rc = DB_OK, written = 0;
    bool *done = arena_alloc(r->arena, sizeof(bool) * (size_t)(n ? n : 1));
    for (int i = 0; rc == DB_OK && i < n; i++) {
        if (done[i]) continue;
        double sum = 0;
        for (int j = i; j < n; j++)
            if (!done[j] && v[j].team == v[i].team && v[j].month == v[i].month) sum += v[j].value, done[j] = true;
        char m[8];
        ev_month_format(v[i].month, m);
        rc = db_exec(r->db, SQL_VALUE_DELETE, "iitII", k->id, r->who.org_id, m, v[i].team, v[i].team);
        if (rc == DB_OK) rc = db_exec(r->db, SQL_VALUE_INSERT, "iiItti", k->id, r->who.org_id, v[i].team, m, arena_printf(r->arena, "%.6f", sum), r->now);
        written++;
    }
    if (rc == DB_OK) audit(r, "kpi.values", arena_printf(r->arena, "kpi:%lld", (long long)k->id), "%d rows, %d values", n, written);
    if (rc == DB_OK) rc = db_commit(r->db);
    if (rc != DB_OK && db_in_tx(r->db)) db_rollback(r->db);
    return rc;
}

static bool parse_number(const char *s, double *out) {
    if (!s || !*s) return false;
    char *end;
    *out = strtod(s, &end);
    return *end == 0 && isfinite(*out) && strpbrk(s, "xXnNiI") == NULL;
}

static int64_t team_by_name(Req *r, const char *name) {
    int64_t id = 0;
    db_one_int(r->db, &id, "SELECT id FROM team WHERE org_id = ? AND lower(name) = lower(?) ORDER BY id LIMIT 1", "it", r->who.org_id, name);
    return id;
}

static int col_of(const CsvTable *t, const char *name) {
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->header[i], name) == 0) return i;
    return -1;
}

/* values_from_csv: the rows of a values file. Columns month,team,value
 * (team blank: the organisation); for absence also email,date,days (each
 * person's days counted for their team and the day's month, never stored
 * per person) or team,month,days. Problems as "line N: ..." lines. */
static ValRow *values_from_csv(Req *r, const Kpi *k, const char *csv, size_t len, int *n, Buf *problems) {
    CsvTable t;
    *n = 0;
    if (csv_table(r->arena, csv, len, &t, problems)) return NULL;
    bool absence = k->def && k->def->compute == kpi_absence;
    int cm = col_of(&t, "month"), ct = col_of(&t, "team"), cv = col_of(&t, absence ? "days" : "value"), ce = col_of(&t, "email"), cd = col_of(&t, "date");
    if (!t.header) {
        buf_puts(problems, "line 1: the file is empty; the first line must be the header month,team,value\n");
        return NULL;
    }
    bool by_person = absence && ce >= 0 && cd >= 0 && cv >= 0;
    if (!by_person && (cm < 0 || cv < 0)) {
        buf_puts(problems, absence ? "line 1: the header must be email,date,days or team,month,days\n" : "line 1: the header must be month,team,value (team may be left out)\n");
        return NULL;
    }
    if (t.nrows == 0) {
        buf_puts(problems, "line 1: no rows: the file has a header but no values\n");
        return NULL;
    }
    if (t.nrows > 20000) {
        buf_puts(problems, "line 1: too many rows: at most 20000 per import\n");
        return NULL;
    }
    ValRow *v = arena_alloc(r->arena, sizeof *v * (size_t)t.nrows);
    int bad = 0;
    for (int i = 0; i < t.nrows; i++) {
        char **f = t.rows[i];
        int L = t.line[i];
        ValRow *w = &v[i];
        w->line = L;
        if (t.nf[i] != t.ncols) {
            buf_printf(problems, "line %d: expected %d fields like the header, found %d\n", L, t.ncols, t.nf[i]);
            bad++;
            continue;
        }
        for (int c = 0; c < t.ncols; c++)
            if (!utf8_valid(f[c])) {
                buf_printf(problems, "line %d: the row is not valid UTF-8 text; save the file as CSV UTF-8\n", L);
                bad++;
                goto next;
            }
        if (by_person) {
            int64_t pid = 0, team = 0;
            char *lc = str_lower(r->arena, f[ce]);
            Stmt *s = db_q(r->db, "SELECT id, team_id FROM person WHERE org_id = ? AND email_lc = ?", "it", r->who.org_id, lc);
            if (db_step(s) == DB_ROW) pid = db_int(s, 0), team = db_int(s, 1);
            db_reset(s);
            if (!pid) buf_printf(problems, "line %d: nobody in this organisation has the e-mail address in the email column\n", L), bad++;
            else if (!team) buf_printf(problems, "line %d: the person has no team, so their absence has nowhere to count\n", L), bad++;
            w->team = team;
            int day = ev_day_parse(f[cd]);
            if (day < 0) buf_printf(problems, "line %d: date is not a date (YYYY-MM-DD)\n", L), bad++;
            w->month = day >= 0 ? ev_day_month(day) : 0;
        } else {
            w->month = ev_month_parse(f[cm]);
            if (w->month < 0 || strlen(f[cm]) != 7) buf_printf(problems, "line %d: month is not a month (YYYY-MM)\n", L), bad++;
            const char *tn = ct >= 0 ? f[ct] : "";
            if (*tn) {
                w->team = team_by_name(r, tn);
                if (!w->team) buf_printf(problems, "line %d: there is no team of that name in the team column\n", L), bad++;
                else if (strcmp(k->scope, "org") == 0) buf_printf(problems, "line %d: this KPI is for the whole organisation; leave team empty\n", L), bad++;
            } else if (absence) buf_printf(problems, "line %d: absence is counted per team; give the team\n", L), bad++;
        }
        if (!parse_number(f[cv], &w->value)) buf_printf(problems, "line %d: %s is not a number\n", L, absence ? "days" : "value"), bad++;
        else if (absence && (w->value < 0 || w->value > 31 * 5000)) buf_printf(problems, "line %d: days must be between 0 and 31 per person\n", L), bad++;
        else if (fabs(w->value) > 1e12) buf_printf(problems, "line %d: value is too large\n", L), bad++;
    next:;
    }
    if (bad) return NULL;
    *n = t.nrows;
    return v;
}

static const JField VALUES_FIELDS[] = {{"values", JF_ANY}, {0}};

/* values_from_json: {"values":[{"month","team_id","value"}]}. */
static ValRow *values_from_json(Req *r, const Kpi *k, json_t *list, int *n, Errors *e) {
    *n = 0;
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 20000) {
        err_add(e, 422, "invalid", "values", "values is a list of 1 to 20000 {month, team_id, value}.");
        return NULL;
    }
    bool absence = k->def && k->def->compute == kpi_absence;
    ValRow *v = arena_alloc(r->arena, sizeof *v * json_array_size(list));
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        ValRow *w = &v[i];
        json_t *val = json_object_get(it, "value"), *tid = json_object_get(it, "team_id");
        const char *m = json_is_object(it) ? json_str(it, "month") : NULL;
        w->month = m && strlen(m) == 7 ? ev_month_parse(m) : -1;
        if (w->month < 0) {
            err_add(e, 422, "invalid", "values", "Each value needs a month, YYYY-MM.");
            return NULL;
        }
        if (!json_is_number(val) || fabs(json_number_value(val)) > 1e12 || (absence && json_number_value(val) < 0)) {
            err_add(e, 422, "invalid", "values", "Each value needs a number (days at least 0 for absence).");
            return NULL;
        }
        w->value = json_number_value(val);
        if (tid && !json_is_null(tid)) {
            int64_t found;
            if (!json_is_integer(tid) || !db_one_int(r->db, &found, "SELECT id FROM team WHERE id = ? AND org_id = ?", "ii", json_integer_value(tid), r->who.org_id)) {
                err_add(e, 422, "invalid", "values", "team_id must be a team of this organisation, or null.");
                return NULL;
            }
            if (strcmp(k->scope, "org") == 0) {
                err_add(e, 422, "invalid", "values", "This KPI is for the whole organisation; leave team_id null.");
                return NULL;
            }
            w->team = found;
        } else if (absence) {
            err_add(e, 422, "invalid", "values", "Absence is counted per team; give team_id.");
            return NULL;
        }
    }
    *n = (int)json_array_size(list);
    return v;
}

/* POST /api/v1/kpis/{id}/values: JSON {"values":[{"month","team_id","value"}]},
 * or the CSV text (Content-Type text/csv: month,team,value; absence also
 * email,date,days). All or nothing (admin). 201 {"imported":N}; 422 with
 * every problem (CSV: by line, in details). Computed KPIs refuse (409). */
int kpis_api_values(Req *r) {
    const char *ct = req_header(r, "content-type");
    bool csv = ct && (strncasecmp(ct, "text/csv", 8) == 0);
    json_t *o = NULL;
    if (!csv && !(o = req_json_object(r, VALUES_FIELDS))) return -1;
    Kpi k;
    if (kpi_load(r, r->params[0], &k)) return -1;
    if (!def_entered(k.def)) return resp_error(r, 409, "conflict", "remit computes this KPI from its own data; it takes no values.");
    int n = 0;
    ValRow *v;
    if (csv) {
        Buf problems = {0};
        v = values_from_csv(r, &k, r->body ? r->body : "", r->body ? r->body_len : 0, &n, &problems);
        if (!v) {
            json_t *err = json_pack("{s:s,s:s,s:o}", "code", "invalid_csv", "message", "The file has problems; nothing was imported.", "details",
                                    import_problems_json(buf_cstr(&problems)));
            buf_free(&problems);
            resp_json(r, 422, json_pack("{s:o}", "error", err));
            return -1;
        }
        buf_free(&problems);
    } else {
        Errors e = {0};
        v = values_from_json(r, &k, json_object_get(o, "values"), &n, &e);
        if (!v) return err_send(r, &e);
    }
    if (values_write(r, &k, v, n) != DB_OK) return resp_error(r, 503, "busy", "The server is busy; try again.");
    resp_json(r, 201, json_pack("{s:i}", "imported", n));
    return 0;
}

/* ---------- pages ---------- */

/* fmtv: a value with its unit, the reader's way ("12.5 %", "12,5 %"). */
static const char *fmtv(Req *r, const Kpi *k, double v) {
    char *s = arena_printf(r->arena, fabs(v) >= 100 ? "%.0f" : "%.1f", v);
    if (strcmp(lang_code(i18n_lang(r)), "de") == 0)
        for (char *p = s; *p; p++)
            if (*p == '.') *p = ',';
    return *k->unit ? arena_printf(r->arena, "%s %s", s, kpi_unit(r, k)) : s;
}

static const char *point_text(Req *r, const Kpi *k, const KpiPoint *p) {
    if (p->hidden) return T(r, "hidden (fewer than 5 people)");
    if (!p->has) return T(r, "no data");
    return fmtv(r, k, p->value);
}

/* chart: a small SVG line of the points, with the target dashed; no script.
 * The figures are in the table or card next to it (the chart is aria-hidden). */
static void chart(Req *r, const Kpi *k, const KpiPoint *p, int nm) {
    Buf *b = page(r);
    double lo = 1e300, hi = -1e300;
    for (int i = 0; i < nm; i++)
        if (p[i].has && !p[i].hidden) lo = fmin(lo, p[i].value), hi = fmax(hi, p[i].value);
    if (k->has_target) lo = fmin(lo, k->target), hi = fmax(hi, k->target);
    buf_puts(b, "<svg class=\"kpi-chart\" viewBox=\"0 0 240 60\" width=\"240\" height=\"60\" aria-hidden=\"true\" focusable=\"false\">");
    if (hi < lo) {
        buf_puts(b, "</svg>");
        return;
    }
    if (hi - lo < 1e-9) hi = lo + 1;
    double dx = nm > 1 ? 232.0 / (nm - 1) : 0;
#define Y(v) (56 - 52 * ((v) - lo) / (hi - lo))
    if (k->has_target) buf_printf(b, "<line class=\"target\" x1=\"4\" x2=\"236\" y1=\"%.1f\" y2=\"%.1f\"/>", Y(k->target), Y(k->target));
    buf_puts(b, "<polyline class=\"line\" points=\"");
    for (int i = 0; i < nm; i++)
        if (p[i].has && !p[i].hidden) buf_printf(b, "%.1f,%.1f ", 4 + dx * i, Y(p[i].value));
    buf_puts(b, "\"/>");
    for (int i = nm - 1; i >= 0; i--)
        if (p[i].has && !p[i].hidden) {
            buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>", 4 + dx * i, Y(p[i].value));
            break;
        }
#undef Y
    buf_puts(b, "</svg>");
}

/* scope_select: the organisation or one team, as a GET form. */
static void scope_form(Req *r, const char *action, int64_t team) {
    Buf *b = page(r);
    html_printf(b, "<form method=\"get\" action=\"%h\" class=\"card filters\">", action);
    const OptionList *teams = options_cached(r, "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 2000");
    form_select_list(r, "team_id", "Team", team, teams, N_("The whole organisation"), NULL);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\">%h</button></div></form>", T(r, "Show"));
}

static const char *team_name(Req *r, int64_t team) {
    if (!team) return T(r, "The whole organisation");
    Stmt *s = db_q(r->db, "SELECT name FROM team WHERE id = ? AND org_id = ?", "ii", team, r->who.org_id);
    char *n = db_step(s) == DB_ROW ? db_dup(s, 0, r->arena) : arena_strdup(r->arena, "?");
    db_reset(s);
    return n;
}

/* the months a card compares: the last complete month, the one before and
 * the same month a year earlier; the chart shows the 13 months up to it. */
#define CARD_MONTHS 13

static void kpi_card(Req *r, const Kpi *k, int64_t team, Teams *t, int last) {
    Buf *b = page(r);
    bool all_hidden;
    KpiPoint *p = series(r, k, team, t, last - 12, CARD_MONTHS, &all_hidden);
    const char *q = team ? arena_printf(r->arena, "?team_id=%lld", (long long)team) : "";
    html_printf(b, "<section class=\"card kpi\"><h2><a href=\"/kpis/%D%h\">%h</a></h2>", k->id, q, kpi_name(r, k));
    chart(r, k, p, CARD_MONTHS);
    char m[8], mp[8], my[8];
    ev_month_format(last, m);
    ev_month_format(last - 1, mp);
    ev_month_format(last - 12, my);
    html_printf(b, "<dl class=\"facts\"><dt>%h</dt><dd><a href=\"/kpis/%D%h#how\">%h</a></dd>", m, k->id, q, point_text(r, k, &p[12]));
    html_printf(b, "<dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd>", mp, point_text(r, k, &p[11]), my, point_text(r, k, &p[0]));
    if (k->has_target) html_printf(b, "<dt>%h</dt><dd>%h</dd>", T(r, "Target"), fmtv(r, k, k->target));
    buf_puts(b, "</dl>");
    html_printf(b, "<p class=\"muted\"><a href=\"/kpis/%D%h#how\">%h</a></p></section>", k->id, q, T(r, "How it is computed"));
}

/* GET /kpis?team_id=: the dashboard of the organisation or a team: a card
 * per KPI with a chart of 13 months, this month against the last and a
 * year ago, and the target (manager). */
int kpis_page_dashboard(Req *r) {
    int64_t team;
    if (team_param(r, NULL, &team)) return -1;
    int n;
    Kpi *k = kpis_all(r, &n);
    if (!k) return resp_error(r, 503, "busy", "The server is busy; try again.");
    Teams t = teams_load(r);
    int last = ev_day_month((int)(r->now / DAY)) - 1;
    page_begin(r, "Key figures");
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h: %h</h1><div>", T(r, "Key figures"), team_name(r, team));
    html_printf(b, "<a class=\"button secondary\" href=\"/kpis/report%h\">%h</a> ", team ? arena_printf(r->arena, "?team_id=%lld", (long long)team) : "",
                T(r, "Monthly report"));
    if (r->who.access >= ACCESS_ADMIN) html_printf(b, "<a class=\"button\" href=\"/kpis/new\">%h</a>", T(r, "Define a KPI"));
    buf_puts(b, "</div></div>");
    scope_form(r, "/kpis", team);
    buf_puts(b, "<div class=\"kpi-grid\">");
    for (int i = 0; i < n; i++) {
        if (team && strcmp(k[i].scope, "org") == 0) continue;
        kpi_card(r, &k[i], team, &t, last);
    }
    buf_puts(b, "</div>");
    page_end(r);
    return 0;
}

/* GET /kpis/{id}?team_id=&from=&to=: one KPI: how it is computed, its
 * months as a table and a chart, the CSV, and for admins the target and
 * the value entry or import (manager). */
int kpis_page_view(Req *r) {
    Kpi k;
    if (kpi_load(r, r->params[0], &k)) return -1;
    int64_t team;
    int m0 = 0, nm = 1;
    if (team_param(r, &k, &team) || month_range(r, &m0, &nm)) return -1;
    Teams t = teams_load(r);
    bool all_hidden;
    KpiPoint *p = series(r, &k, team, &t, m0, nm, &all_hidden);
    page_begin(r, kpi_name(r, &k));
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h: %h</h1>", kpi_name(r, &k), team_name(r, team));
    if (r->who.access >= ACCESS_MANAGER) {
        html_printf(b, "<form method=\"post\" action=\"/kpis/%D/star\" class=\"inline\"><input type=\"hidden\" name=\"csrf_token\" value=\"%h\">"
                       "<button type=\"submit\" class=\"secondary\">%h</button></form>",
                    k.id, r->who.csrf ? r->who.csrf : "", k.starred ? T(r, "Remove from my home") : T(r, "Show on my home"));
    }
    buf_puts(b, "</div>");
    page_flash(r, req_query(r, "saved") ? "Saved." : NULL);
    html_printf(b, "<section class=\"card\" id=\"how\"><h2>%h</h2><p>%h</p><p class=\"muted\">%h</p></section>", T(r, "How it is computed"), kpi_how(r, &k),
                kpi_personal(&k) ? T(r, "A team's figure is hidden while it has fewer than 5 people, and so is a sibling team whose figure would give it away "
                                    "through the parent's total; so is a month whose group was below 5.")
                                 : T(r, "This figure is not about individual people."));
    if (strcmp(k.scope, "org") != 0) scope_form(r, arena_printf(r->arena, "/kpis/%lld", (long long)k.id), team);
    buf_puts(b, "<section class=\"card\">");
    chart(r, &k, p, nm);
    html_printf(b, "<table class=\"list\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>", T(r, "Month"), T(r, "Value"));
    for (int i = nm - 1; i >= 0; i--) {
        char m[8];
        ev_month_format(m0 + i, m);
        html_printf(b, "<tr><td>%h</td><td>%h</td></tr>", m, point_text(r, &k, &p[i]));
    }
    buf_puts(b, "</tbody></table>");
    if (k.has_target) html_printf(b, "<p>%h: %h</p>", T(r, "Target"), fmtv(r, &k, k.target));
    buf_puts(b, "</section>");
    export_link(r, arena_printf(r->arena, "/api/v1/kpis/%lld/series", (long long)k.id));
    if (r->who.access >= ACCESS_ADMIN) {
        buf_puts(b, "<section class=\"card\">");
        html_printf(b, "<h2>%h</h2>", T(r, "Target"));
        form_begin(r, arena_printf(r->arena, "/kpis/%lld/target", (long long)k.id), NULL);
        form_text(r, "target", "Target (blank for none)", k.has_target ? arena_printf(r->arena, "%g", k.target) : "", NULL, "text", false);
        form_end(r, "Save the target");
        buf_puts(b, "</section>");
        if (def_entered(k.def)) {
            bool absence = k.def && k.def->compute == kpi_absence;
            buf_puts(b, "<section class=\"card\">");
            html_printf(b, "<h2>%h</h2>", T(r, "Enter or import values"));
            if (absence)
                html_printf(b, "<p>%h</p><pre>email,date,days\nana@example.org,2026-03-02,1\n</pre><pre>team,month,days\nKitchen,2026-03,4.5\n</pre>",
                            T(r, "Paste CSV with the header email,date,days (each person's days are added to their team for that month; only team totals are "
                                 "kept) or team,month,days. The months in the file replace what was stored for them. All rows or none."));
            else
                html_printf(b, "<p>%h</p><pre>month,team,value\n2026-03,,87\n2026-03,Kitchen,91\n</pre>",
                            T(r, "Paste CSV with the header month,team,value (team empty for the whole organisation). The months in the file replace what was "
                                 "stored for them. All rows or none."));
            form_begin(r, arena_printf(r->arena, "/kpis/%lld/values", (long long)k.id), NULL);
            form_textarea(r, "csv", "CSV", "", NULL, NULL);
            form_end(r, "Import");
            buf_puts(b, "</section>");
        }
    }
    buf_puts(b, "<p><a href=\"/kpis\">All key figures</a></p>");
    page_end(r);
    return 0;
}

/* POST /kpis/{id}/star: shows the KPI on the caller's home, or stops (manager). */
int kpis_page_star(Req *r) {
    Kpi k;
    if (kpi_load(r, r->params[0], &k)) return -1;
    if (db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "The server is busy; try again.");
    int rc = k.starred ? db_exec(r->db, "DELETE FROM kpi_star WHERE person_id = ? AND kpi_id = ?", "ii", r->who.person_id, k.id)
                       : db_exec(r->db, "INSERT INTO kpi_star(person_id, kpi_id) VALUES (?, ?)", "ii", r->who.person_id, k.id);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    resp_redirect(r, arena_printf(r->arena, "/kpis/%lld?saved=1", (long long)k.id));
    return 0;
}

/* POST /kpis/{id}/target (target): sets or clears the target (admin). */
int kpis_page_target(Req *r) {
    Kpi k;
    if (kpi_load(r, r->params[0], &k)) return -1;
    const char *t = req_form(r, "target");
    double v = 0;
    bool has = t && *t;
    if (has) {
        char *c = arena_strdup(r->arena, t);
        for (char *p = c; *p; p++)
            if (*p == ',') *p = '.';
        if (!parse_number(c, &v)) return resp_error(r, 422, "invalid", "The target must be a number, or blank for none.");
    }
    if (db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "The server is busy; try again.");
    int rc = db_exec(r->db, "UPDATE kpi SET target = CAST(? AS REAL) WHERE id = ? AND org_id = ?", "tii", has ? arena_printf(r->arena, "%.6g", v) : NULL, k.id,
                     r->who.org_id);
    if (rc == DB_OK) audit(r, "kpi.update", arena_printf(r->arena, "kpi:%lld", (long long)k.id), "target %s", has ? t : "none");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    resp_redirect(r, arena_printf(r->arena, "/kpis/%lld?saved=1", (long long)k.id));
    return 0;
}

/* POST /kpis/{id}/values (csv): imports pasted CSV, all rows or none, and
 * lists every problem by line (admin). */
int kpis_page_values(Req *r) {
    Kpi k;
    if (kpi_load(r, r->params[0], &k)) return -1;
    if (!def_entered(k.def)) return resp_error(r, 409, "conflict", "remit computes this KPI from its own data; it takes no values.");
    const char *text = req_form(r, "csv");
    Buf problems = {0};
    int n = 0;
    ValRow *v = text && *text ? values_from_csv(r, &k, text, strlen(text), &n, &problems) : NULL;
    if (!text || !*text) buf_puts(&problems, "Paste the CSV text.\n");
    if (v && values_write(r, &k, v, n) == DB_OK) {
        buf_free(&problems);
        resp_redirect(r, arena_printf(r->arena, "/kpis/%lld?saved=1", (long long)k.id));
        return 0;
    }
    page_begin(r, kpi_name(r, &k));
    Buf *b = page(r);
    html_printf(b, "<h1>%h</h1><div class=\"error-summary\" role=\"alert\"><p>%h</p><ul>", kpi_name(r, &k),
                T(r, "Nothing was imported. Fix these problems and try again:"));
    for (const char *p = buf_cstr(&problems); *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        html_printf(b, "<li>%h</li>", arena_strndup(r->arena, p, len));
        p += len + (e ? 1 : 0);
    }
    buf_puts(b, "</ul></div>");
    form_begin(r, arena_printf(r->arena, "/kpis/%lld/values", (long long)k.id), NULL);
    form_textarea(r, "csv", "CSV", text ? text : "", NULL, NULL);
    form_end(r, "Import");
    html_printf(b, "<p><a href=\"/kpis/%D\">%h</a></p>", k.id, T(r, "Back"));
    page_end(r);
    buf_free(&problems);
    r->resp.status = 422;
    return 0;
}

/* GET /kpis/new: the form for a KPI the organisation defines (admin). */
static void new_form(Req *r, const Errors *e) {
    static const char *const DIRS[] = {N_("up"), N_("down"), NULL};
    static const char *const SCOPES[] = {N_("team"), N_("org"), NULL};
    page_begin(r, "Define a KPI");
    html_printf(page(r), "<h1>%h</h1>", T(r, "Define a KPI"));
    form_error_summary(r, e ? e->n : 0);
    form_begin(r, "/kpis/new", NULL);
    form_text(r, "name", "Name", req_form(r, "name"), e ? err_for(e, "name") : NULL, "text", true);
    form_text(r, "unit", "Unit (%, days, EUR ...)", req_form(r, "unit"), NULL, "text", false);
    form_select_str(r, "direction", "Which way is good", req_form(r, "direction") ? req_form(r, "direction") : "up", DIRS, e ? err_for(e, "direction") : NULL);
    form_select_str(r, "scope", "Per team, or for the organisation only", req_form(r, "scope") ? req_form(r, "scope") : "team", SCOPES, NULL);
    form_textarea(r, "description", "How it is measured", req_form(r, "description"), NULL, NULL);
    form_end(r, "Define the KPI");
    buf_puts(page(r), "<p><a href=\"/kpis\">Cancel</a></p>");
    page_end(r);
}
int kpis_page_new(Req *r) {
    new_form(r, NULL);
    return 0;
}

/* POST /kpis/new (name, unit, direction, scope, description) (admin). */
int kpis_page_new_post(Req *r) {
    const char *name = req_form(r, "name"), *dir = req_form(r, "direction"), *scope = req_form(r, "scope");
    Errors e = {0};
    if (!name || str_empty(name) || utf8_chars(name) > 120 || has_control(name)) err_add(&e, 422, "invalid", "name", "A name is required.");
    if (!one_of(dir, "up", "down")) err_add(&e, 422, "invalid", "direction", "direction is up or down (which way is good).");
    if (!one_of(scope, "team", "org")) scope = "team";
    const char *unit = req_form(r, "unit") ? req_form(r, "unit") : "", *desc = req_form(r, "description") ? req_form(r, "description") : "";
    if (utf8_chars(unit) > 20) err_add(&e, 422, "invalid", "unit", "Keep the unit short.");
    if (e.n) {
        new_form(r, &e);
        r->resp.status = 422;
        return 0;
    }
    if (db_begin(r->db) != DB_OK) return resp_error(r, 503, "busy", "The server is busy; try again.");
    int rc = db_exec(r->db, "INSERT INTO kpi(org_id, name, unit, direction, scope, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ittttti",
                     r->who.org_id, str_trim(r->arena, name), unit, dir, scope, desc, r->now);
    int64_t id = db_last_id(r->db);
    if (rc == DB_OK) audit(r, "kpi.create", arena_printf(r->arena, "kpi:%lld", (long long)id), "defined");
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        if (db_in_tx(r->db)) db_rollback(r->db);
        return resp_error(r, 503, "busy", "The server is busy; try again.");
    }
    resp_redirect(r, arena_printf(r->arena, "/kpis/%lld?saved=1", (long long)id));
    return 0;
}

/* GET /kpis/report?team_id=&month=&format=csv: the one-page monthly report
 * for a team meeting: every KPI's month against the one before, a year
 * earlier and the target, printable (print styles hide the navigation; no
 * script), and the same as CSV (manager). */
int kpis_page_report(Req *r) {
    int64_t team;
    if (team_param(r, NULL, &team)) return -1;
    const char *mq = req_query(r, "month"), *fmt = req_query(r, "format");
    int month = mq && *mq ? ev_month_parse(mq) : ev_day_month((int)(r->now / DAY)) - 1;
    if (month < 0 || (mq && *mq && strlen(mq) != 7)) return resp_error(r, 400, "invalid_parameter", "month must be a month, YYYY-MM.");
    bool csv = fmt && strcmp(fmt, "csv") == 0;
    if (fmt && *fmt && !csv && strcmp(fmt, "html") != 0) return resp_error(r, 400, "invalid_parameter", "format is html or csv.");
    int n;
    Kpi *k = kpis_all(r, &n);
    if (!k) return resp_error(r, 503, "busy", "The server is busy; try again.");
    Teams t = teams_load(r);
    char m[8], mp[8], my[8];
    ev_month_format(month, m);
    ev_month_format(month - 1, mp);
    ev_month_format(month - 12, my);
    if (csv) {
        Buf *b = &r->resp.body;
        const char *head[] = {"kpi", "unit", "direction", "month", "value", "previous_month", "year_before", "target"};
        for (int i = 0; i < 8; i++) csv_field(b, head[i], i == 0);
        csv_end_row(b);
        for (int i = 0; i < n; i++) {
            if (team && strcmp(k[i].scope, "org") == 0) continue;
            bool h;
            KpiPoint *p = series(r, &k[i], team, &t, month - 12, 13, &h);
            csv_field(b, kpi_name(r, &k[i]), true);
            csv_field(b, k[i].unit, false);
            csv_field(b, k[i].direction, false);
            csv_field(b, m, false);
            int idx[3] = {12, 11, 0};
            for (int j = 0; j < 3; j++)
                csv_field(b, p[idx[j]].has && !p[idx[j]].hidden ? arena_printf(r->arena, "%.2f", p[idx[j]].value) : "", false);
            csv_field(b, k[i].has_target ? arena_printf(r->arena, "%g", k[i].target) : "", false);
            csv_end_row(b);
        }
        r->resp.status = 200;
        r->resp.content_type = "text/csv; charset=utf-8";
        resp_header(r, "Content-Disposition", arena_printf(r->arena, "attachment; filename=\"report-%s.csv\"", m));
        r->resp.sent = true;
        return 0;
    }
    page_begin(r, "Monthly report");
    Buf *b = page(r);
    html_printf(b, "<article class=\"report\"><h1>%h: %h, %h</h1>", T(r, "Monthly report"), team_name(r, team), m);
    html_printf(b, "<form method=\"get\" action=\"/kpis/report\" class=\"card filters no-print\">");
    const OptionList *teams = options_cached(r, "SELECT id, name FROM team WHERE org_id = ? ORDER BY lower(name), id LIMIT 2000");
    form_select_list(r, "team_id", "Team", team, teams, N_("The whole organisation"), NULL);
    html_printf(b, "<div class=\"field\"><label for=\"f-month\">%h</label><input id=\"f-month\" name=\"month\" type=\"month\" value=\"%h\"></div>", T(r, "Month"), m);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\">%h</button></div></form>", T(r, "Show"));
    html_printf(b, "<table class=\"list report-table\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                   "<th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Key figure"), m, mp, my, T(r, "Target"));
    for (int i = 0; i < n; i++) {
        if (team && strcmp(k[i].scope, "org") == 0) continue;
        bool h;
        KpiPoint *p = series(r, &k[i], team, &t, month - 12, 13, &h);
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/kpis/%D#how\">%h</a></th><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", k[i].id, kpi_name(r, &k[i]),
                    point_text(r, &k[i], &p[12]), point_text(r, &k[i], &p[11]), point_text(r, &k[i], &p[0]),
                    k[i].has_target ? fmtv(r, &k[i], k[i].target) : T(r, "none"));
    }
    buf_puts(b, "</tbody></table>");
    html_printf(b, "<p class=\"muted\">%h</p>", T(r, "Figures about fewer than 5 people are hidden. Each name links to how it is computed."));
    html_printf(b, "<p class=\"no-print\"><a class=\"button secondary\" href=\"/kpis/report?format=csv&amp;month=%h%h\">%h</a></p></article>", m,
                team ? arena_printf(r->arena, "&team_id=%lld", (long long)team) : "", T(r, "Download CSV"));
    page_end(r);
    return 0;
}

/* kpis_home_tiles: the KPIs the caller starred, with last month's figure
 * (home provider, managers and up). */
void kpis_home_tiles(Req *r, Home *h) {
    programme_home_tile(r, h);
    int64_t any = 0;
    db_one_int(r->db, &any, "SELECT count(*) FROM kpi_star s JOIN kpi k ON k.id = s.kpi_id WHERE s.person_id = ? AND k.org_id = ?", "ii", r->who.person_id,
               r->who.org_id);
    if (!any) return;
    int n;
    Kpi *k = kpis_all(r, &n);
    if (!k) return;
    Teams t = teams_load(r);
    int last = ev_day_month((int)(r->now / DAY)) - 1;
    for (int i = 0; i < n; i++) {
        if (!k[i].starred) continue;
        bool hd;
        KpiPoint *p = series(r, &k[i], 0, &t, last, 1, &hd);
        home_tile(h, arena_printf(r->arena, "kpi_%lld", (long long)k[i].id), kpi_name(r, &k[i]), point_text(r, &k[i], &p[0]),
                  p[0].has && !p[0].hidden ? json_real(round(p[0].value * 100) / 100) : json_null(), arena_printf(r->arena, "/kpis/%lld", (long long)k[i].id));
    }
}

/* ---------- for the programme (programme.c) ---------- */

/* kpi_domain_waits: the domains whose approvals, answered in the last
 * `months` complete months and this one, waited longest (median hours; at
 * least 3 answers), longest first, at most max. From the facts. */
int kpi_domain_waits(Req *r, int months, KpiDomainWait *out, int max) {
    KpiEnv env = {.db = r->db, .a = r->arena, .org_id = r->who.org_id, .today = (int)(r->now / DAY), .now = r->now};
    const Facts *f = facts(&env);
    int from = ev_day_month(env.today) - months, n = 0;
    /* the waits in range, grouped by domain (a sort by domain, then runs) */
    Dated *v = arena_alloc(r->arena, sizeof *v * (size_t)(f->nwait ? f->nwait : 1));
    int nv = 0;
    for (int i = 0; i < f->nwait; i++)
        if (f->wait[i].month >= from) v[nv++] = f->wait[i];
    KpiDomainWait *all = arena_alloc(r->arena, sizeof *all * (size_t)(nv ? nv : 1));
    double *tmp = arena_alloc(r->arena, sizeof(double) * (size_t)(nv ? nv : 1));
    bool *done = arena_alloc(r->arena, sizeof(bool) * (size_t)(nv ? nv : 1));
    int na = 0;
    for (int i = 0; i < nv; i++) {
        if (done[i]) continue;
        int c = 0;
        for (int j = i; j < nv; j++)
            if (!done[j] && v[j].domain == v[i].domain) tmp[c++] = v[j].days * 24.0, done[j] = true;
        if (c >= 3) all[na++] = (KpiDomainWait){v[i].domain, ev_median(tmp, c), c};
    }
    for (int k = 0; k < max && k < na; k++) {
        int best = k;
        for (int j = k + 1; j < na; j++)
            if (all[j].median_hours > all[best].median_hours) best = j;
        KpiDomainWait t = all[k];
        all[k] = all[best];
        all[best] = t;
        out[n++] = all[k];
    }
    return n;
}

/* kpi_group_series: the KPI for a group of teams (each with its subtree)
 * over months m0..m0+nm-1. KPIs about people are computed over the group's
 * people as one; the others are the mean of the teams' own values. A month
 * whose group is below k has has false and sets *below_k. NULL when the KPI
 * is not the caller's organisation's. *name and *direction (+1/-1) are set. */
KpiPoint *kpi_group_series(Req *r, int64_t kpi_id, const int64_t *teams, int nteams, int m0, int nm, bool *below_k, const char **name, int *direction) {
    Kpi k;
    *below_k = false;
    Stmt *s = db_q(r->db, SQL_KPI_GET, "iii", r->who.person_id, kpi_id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) kpi_read(s, r->arena, &k);
    db_reset(s);
    if (!found) return NULL;
    *name = kpi_name(r, &k);
    *direction = strcmp(k.direction, "down") == 0 ? -1 : 1;
    Teams t = teams_load(r);
    KpiPoint *out = arena_alloc(r->arena, sizeof *out * (size_t)nm);
    if (kpi_personal(&k)) {
        int64_t *all = arena_alloc(r->arena, sizeof(int64_t) * (size_t)(t.n + 1));
        int na = 0;
        for (int i = 0; i < nteams; i++) {
            int n;
            int64_t *sub = subtree(r, &t, teams[i], &n);
            for (int j = 0; j < n; j++) {
                bool dup = false;
                for (int x = 0; x < na && !dup; x++) dup = all[x] == sub[j];
                if (!dup) all[na++] = sub[j];
            }
        }
        qsort(all, (size_t)na, sizeof *all, cmp_i64);
        KpiEnv env = {.db = r->db, .a = r->arena, .org_id = r->who.org_id, .root = -1, .teams = all, .nteams = na, .kpi_id = k.id, .today = (int)(r->now / DAY), .now = r->now};
        k.def->compute(&env, m0, nm, out);
        for (int i = 0; i < nm; i++)
            if (out[i].has && out[i].n < ANON_K_DEFAULT) out[i].has = false, out[i].hidden = true, *below_k = true;
        return out;
    }
    double *sum = arena_alloc(r->arena, sizeof(double) * (size_t)nm);
    int *cnt = arena_alloc(r->arena, sizeof(int) * (size_t)nm);
    for (int i = 0; i < nteams; i++) {
        bool h;
        KpiPoint *p = series(r, &k, teams[i], &t, m0, nm, &h);
        for (int j = 0; j < nm; j++)
            if (p[j].has && !p[j].hidden) sum[j] += p[j].value, cnt[j]++;
    }
    for (int j = 0; j < nm; j++)
        if (cnt[j]) out[j].value = sum[j] / cnt[j], out[j].has = true;
    return out;
}

/* kpi_series_org: the organisation's figure of the KPI with this slug, for
 * the ROI table; NULL when there is no such KPI. */
KpiPoint *kpi_series_org(Req *r, const char *slug, int m0, int nm) {
    int n;
    Kpi *k = kpis_all(r, &n);
    for (int i = 0; k && i < n; i++)
        if (k[i].slug && strcmp(k[i].slug, slug) == 0) {
            Teams t = teams_load(r);
            bool h;
            return series(r, &k[i], 0, &t, m0, nm, &h);
        }
    return NULL;
}
