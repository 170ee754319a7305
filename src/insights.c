/* insights.c: evidence that empowerment works, for managers and up: how
 * many decisions are taken without waiting (verdict decide or inform), how
 * long the others wait from request to answer (median and 90th percentile),
 * the count per verdict, and the same per team and per week. As JSON
 * (/api/v1/insights/decisions) and as a small dashboard (/insights) with
 * charts drawn here as inline SVG: no script, no library, every label
 * escaped, and a data table beside each chart for those who cannot see it.
 * Numbers are about teams and systems, never about one person. Managers see
 * only their part of the organisation (the people below them in the
 * management chain, and the teams they lead with their sub-teams); admins
 * see everything. Read-only: this file writes nothing. */
#include "remit.h"
#include "handlers.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define DAY 86400
#define DEFAULT_DAYS 90
#define HOME_DAYS 30 /* the home page's tiles: the last month, kept cheap */
#define MAX_DAYS 3660 /* ten years: at most 524 weeks on a chart */

/* percentile: the p-th percentile (0-100) of the n values in v, by linear
 * interpolation between the closest ranks (the "inclusive" method of most
 * spreadsheets): the median of {1,2,3,4} is 2.5, its 90th percentile 3.7.
 * Sorts v in place. NAN when n is 0. */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* percentile_sorted: percentile() of values already in ascending order. */
static double percentile_sorted(const double *v, int n, double p) {
    if (n <= 0) return NAN;
    if (p <= 0) return v[0];
    if (p >= 100) return v[n - 1];
    double rank = p / 100.0 * (n - 1);
    int lo = (int)floor(rank);
    int hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (rank - lo) * (v[hi] - v[lo]);
}

double percentile(double *v, int n, double p) {
    if (n <= 0) return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return percentile_sorted(v, n, p);
}

/* ---------- dates as days since 1970-01-01 (proleptic Gregorian) ---------- */

static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* day_text: a day number as YYYY-MM-DD in the arena. */
static char *day_text(Arena *a, int64_t z) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return arena_printf(a, "%04lld-%02d-%02d", (long long)(y + (m <= 2)), m, d);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/* monday_of: the Monday on or before day z (1970-01-01 was a Thursday). */
static int64_t monday_of(int64_t z) { return z - (((z + 3) % 7) + 7) % 7; }

/* parse_day: a valid YYYY-MM-DD into a day number. */
static bool parse_day(const char *s, int64_t *out) {
    if (!valid_date(s)) return false;
    *out = days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8));
    return true;
}

/* insights_period: ?from= and ?to= as day numbers (days since 1970-01-01):
 * the last 90 days up to today by default; 400 sent (and -1) for a malformed
 * or reversed date or a period over ten years. Shared with the idea
 * insights. */
int insights_period(Req *r, int64_t *from_day, int64_t *to_day) {
    const char *fs = req_query(r, "from"), *ts = req_query(r, "to");
    int64_t today = floor_div(r->now, DAY), from = 0, to = 0;
    if (fs && !*fs) fs = NULL;
    if (ts && !*ts) ts = NULL;
    if ((fs && !parse_day(fs, &from)) || (ts && !parse_day(ts, &to)))
        return resp_error(r, 400, "invalid_parameter", "Dates are written YYYY-MM-DD, such as 2026-01-31.");
    if (!ts) to = fs && from > today ? from + DEFAULT_DAYS - 1 : today;
    if (!fs) from = to - (DEFAULT_DAYS - 1);
    if (from > to) return resp_error(r, 400, "invalid_parameter", "from must be on or before to.");
    if (to - from >= MAX_DAYS) return resp_error(r, 400, "invalid_parameter", "Choose a period of at most ten years.");
    *from_day = from;
    *to_day = to;
    return 0;
}

/* ---------- loading and counting ---------- */

/* The decisions in scope, requested in [?5, ?6), with their author's team
 * (NULL for none, or a team of another organisation). The authors in scope
 * come first (?3 access: admins everyone; others the people below them,
 * themselves included, and the people of the teams they lead with
 * sub-teams; in the subtree of team ?4 when it is not 0), and each one's
 * decisions of the period are a range of decision_author_requested, read
 * from the index alone: a manager's part costs what it holds, not what the
 * organisation holds. CROSS JOIN keeps that order whatever the statistics
 * say. UNION ends cycles in corrupt data. */
static const char SQL_INSIGHT_ROWS[] =
    "WITH RECURSIVE below(id) AS (SELECT ?2 WHERE ?3 < 3 UNION SELECT p.id FROM person p JOIN below b ON p.manager_id = b.id WHERE p.org_id = ?1), "
    "led(id) AS (SELECT id FROM team WHERE org_id = ?1 AND lead_id = ?2 AND ?3 < 3 "
    "UNION SELECT t.id FROM team t JOIN led l ON t.parent_id = l.id WHERE t.org_id = ?1), "
    "sub(id) AS (SELECT id FROM team WHERE org_id = ?1 AND id = ?4 UNION SELECT t.id FROM team t JOIN sub s ON t.parent_id = s.id WHERE t.org_id = ?1), "
    "scoped(id, team_id) AS (SELECT p.id, t.id FROM person p LEFT JOIN team t ON t.id = p.team_id AND t.org_id = ?1 WHERE p.org_id = ?1 "
    "AND (?3 >= 3 OR p.id IN (SELECT id FROM below) OR p.team_id IN (SELECT id FROM led)) AND (?4 = 0 OR p.team_id IN (SELECT id FROM sub))) "
    "SELECT d.verdict, d.status, d.requested_at, d.answered_at, s.team_id FROM scoped s CROSS JOIN decision d "
    "WHERE d.author_id = s.id AND d.org_id = ?1 AND d.requested_at >= ?5 AND d.requested_at < ?6 LIMIT 200000";
/* The organisation's team names, for the teams the rows name. */
static const char SQL_TEAM_NAMES[] = "SELECT id, name FROM team WHERE org_id = ? LIMIT 100000";
static const char SQL_TEAM_NAME[] = "SELECT id, name FROM team WHERE id = ? AND org_id = ?";
static const char SQL_TEAM_OPTIONS[] = "SELECT id, name FROM team WHERE org_id = ? ORDER BY name, id LIMIT 2000";

typedef struct TeamStat {
    int64_t id;   /* 0: people without a team */
    char *name;
    int total, autonomous, answered;
    double median; /* NAN when nothing was answered */
} TeamStat;

typedef struct WeekStat {
    char *week;   /* the Monday, YYYY-MM-DD */
    int decisions, answered;
    double median;
} WeekStat;

typedef struct Insights {
    char *from, *to;       /* YYYY-MM-DD, inclusive */
    int64_t team_id;       /* 0: all the caller may see */
    char *team_name;
    int total, autonomous, answered, pending;
    int per_verdict[V_PROPOSE + 1];
    double median, p90;    /* hours; NAN when nothing was answered */
    TeamStat *teams;
    int nteams;
    WeekStat *weeks;
    int nweeks;
} Insights;

typedef struct Row {
    int64_t wait;        /* seconds from request to answer, when answered */
    int64_t team_id;     /* 0: no team */
    int verdict, week;   /* week: index into Insights.weeks */
    int team;            /* index into Insights.teams, once they are known */
    bool autonomous, answered, pending;
} Row;

/* Answer: an answered request's wait (hours) and where it counts. */
typedef struct Answer { double wait; int team, week; } Answer;

/* sort_hi32: sorts k (n) by its upper 32 bits, stably, with tmp (n) as
 * scratch: a least-significant-digit radix sort, a byte a pass, skipping
 * the bytes all keys share (waits rarely need more than three). Some
 * passes over 20,000 waits instead of 300,000 calls of a comparison. */
static void sort_hi32(uint64_t *k, uint64_t *tmp, int n) {
    for (int shift = 32; shift < 64 && n > 1; shift += 8) {
        int count[257] = {0};
        for (int i = 0; i < n; i++) count[((k[i] >> shift) & 0xff) + 1]++;
        if (count[((k[0] >> shift) & 0xff) + 1] == n) continue;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (int i = 0; i < n; i++) tmp[count[(k[i] >> shift) & 0xff]++] = k[i];
        memcpy(k, tmp, sizeof *k * (size_t)n);
    }
}

/* bucket_medians: ans (n, sorted by wait) split by group (the team or the
 * week index, 0..ngroups-1, as by_team says; -1 counts nowhere) into tmp,
 * which keeps each group in wait order; counts[g] and medians[g] receive
 * each group's size and median (NAN when empty). A counting pass instead
 * of a sort per grouping. */
static void bucket_medians(const Answer *ans, int n, bool by_team, int ngroups, double *tmp, int *counts, double *medians, Arena *a) {
    int *start = arena_alloc(a, sizeof(int) * (size_t)(ngroups + 1));
    memset(counts, 0, sizeof(int) * (size_t)ngroups);
    for (int i = 0; i < n; i++) {
        int g = by_team ? ans[i].team : ans[i].week;
        if (g >= 0) counts[g]++;
    }
    start[0] = 0;
    for (int g = 0; g < ngroups; g++) start[g + 1] = start[g] + counts[g];
    int *fill = arena_alloc(a, sizeof(int) * (size_t)(ngroups + 1));
    memcpy(fill, start, sizeof(int) * (size_t)(ngroups + 1));
    for (int i = 0; i < n; i++) {
        int g = by_team ? ans[i].team : ans[i].week;
        if (g >= 0) tmp[fill[g]++] = ans[i].wait;
    }
    for (int g = 0; g < ngroups; g++) medians[g] = percentile_sorted(tmp + start[g], counts[g], 50);
}

static int cmp_team_id(const void *a, const void *b) {
    const TeamStat *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* teams by name, the people without a team last */
static int cmp_team_name(const void *a, const void *b) {
    const TeamStat *x = a, *y = b;
    if (!x->id || !y->id) return (x->id == 0) - (y->id == 0);
    int c = strcmp(x->name, y->name);
    return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

/* insights_compute: validates ?from= ?to= ?team_id= (defaults: the last 90
 * days, every team the caller may see) and counts. 0 ok; -1 after sending
 * 400 (malformed or reversed dates, a range over ten years, a bad team id)
 * or 404 (no such team). Everything lives in the request's arena. */
static void insights_count(Req *r, Insights *in, int64_t from, int64_t to, bool totals_only);
static int insights_compute(Req *r, Insights *in) {
    memset(in, 0, sizeof *in);
    const char *tm = req_query(r, "team_id");
    int64_t from, to;
    if (insights_period(r, &from, &to)) return -1;
    if (tm && *tm && !(strcmp(tm, "0") == 0 || parse_id(tm, &in->team_id)))
        return resp_error(r, 400, "invalid_parameter", "team_id must be a team id.");
    if (in->team_id) {
        Stmt *s = db_q(r->db, SQL_TEAM_NAME, "ii", in->team_id, r->who.org_id);
        if (db_step(s) == DB_ROW) in->team_name = db_dup(s, 1, r->arena);
        db_reset(s);
        if (!in->team_name) return resp_error(r, 404, "not_found", "There is no such team.");
    }
    insights_count(r, in, from, to, false);
    return 0;
}

/* insights_count: the counting of insights_compute for days [from, to] and
 * in->team_id (0: everything the caller may see); totals_only skips the
 * teams, the weeks and the 90th percentile (the home page's tiles). Cannot
 * fail. */
static void insights_count(Req *r, Insights *in, int64_t from, int64_t to, bool totals_only) {
    in->from = day_text(r->arena, from);
    in->to = day_text(r->arena, to);
    in->median = in->p90 = NAN;

    int64_t first_monday = monday_of(from);
    in->nweeks = (int)((monday_of(to) - first_monday) / 7 + 1);
    in->weeks = arena_alloc(r->arena, sizeof(WeekStat) * (size_t)in->nweeks);
    for (int i = 0; i < in->nweeks; i++) {
        in->weeks[i].week = day_text(r->arena, first_monday + 7 * i);
        in->weeks[i].median = NAN;
    }

    /* one pass over the rows */
    int cap = 256, n = 0;
    Row *rows = arena_alloc(r->arena, sizeof(Row) * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_INSIGHT_ROWS, "iiiiii", r->who.org_id, r->who.person_id, (int64_t)r->who.access, in->team_id, from * DAY, (to + 1) * DAY);
    while (db_step(s) == DB_ROW) {
        if (n == cap) rows = arena_grow(r->arena, rows, &cap, sizeof *rows);
        Row *x = &rows[n++];
        x->verdict = verdict_parse(db_text(s, 0));
        if (x->verdict < 0) x->verdict = V_NONE; /* NEVER: the schema checks it */
        const char *status = db_text(s, 1);
        int64_t req = db_int(s, 2);
        x->autonomous = x->verdict == V_DECIDE || x->verdict == V_INFORM;
        /* waited and got an answer: approved, declined, or decided after
         * advice; a withdrawn request was never answered */
        x->answered = !x->autonomous && !db_null(s, 3) && strcmp(status, "withdrawn") != 0;
        x->pending = strcmp(status, "pending") == 0;
        x->wait = x->answered ? db_int(s, 3) - req : 0;
        if (x->wait < 0) x->wait = 0;
        if (x->wait > UINT32_MAX) x->wait = UINT32_MAX; /* 136 years: sort_hi32's limit */
        x->team_id = db_int(s, 4);
        int64_t week = (monday_of(floor_div(req, DAY)) - first_monday) / 7;
        x->week = week >= 0 && week < in->nweeks ? (int)week : -1; /* NEVER -1: the period bounds the rows */
    }
    db_reset(s);

    if (totals_only) {
        double *w = arena_alloc(r->arena, sizeof(double) * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            in->total++;
            in->autonomous += rows[i].autonomous;
            in->pending += rows[i].pending;
            if (rows[i].answered) w[in->answered++] = (double)rows[i].wait / 3600.0;
        }
        in->median = percentile(w, in->answered, 50);
        return;
    }

    /* totals, and the distinct teams: the rows come author by author, so
     * a team is noted when it differs from the row before, then deduped */
    int tcap = 64, nt = 0;
    TeamStat *teams = arena_alloc(r->arena, sizeof(TeamStat) * (size_t)tcap);
    for (int i = 0; i < n; i++) {
        Row *x = &rows[i];
        in->total++;
        in->per_verdict[x->verdict]++;
        if (x->autonomous) in->autonomous++;
        if (x->pending) in->pending++;
        if (x->answered) in->answered++;
        if (x->week >= 0) in->weeks[x->week].decisions++;
        if (i > 0 && rows[i - 1].team_id == x->team_id) continue;
        if (nt == tcap) teams = arena_grow(r->arena, teams, &tcap, sizeof *teams);
        teams[nt++] = (TeamStat){.id = x->team_id};
    }
    qsort(teams, (size_t)nt, sizeof *teams, cmp_team_id);
    int u = 0;
    for (int i = 0; i < nt; i++)
        if (u == 0 || teams[u - 1].id != teams[i].id) teams[u++] = teams[i];
    in->teams = teams;
    in->nteams = u;
    if (u) {
        s = db_q(r->db, SQL_TEAM_NAMES, "i", r->who.org_id);
        while (db_step(s) == DB_ROW) {
            TeamStat k = {.id = db_int(s, 0)};
            TeamStat *t = k.id ? bsearch(&k, teams, (size_t)u, sizeof k, cmp_team_id) : NULL;
            if (t) t->name = db_dup(s, 1, r->arena);
        }
        db_reset(s);
    }
    for (int i = 0; i < u; i++)
        if (!teams[i].name) teams[i].name = "No team"; /* 0 (a team in use cannot be deleted) */
    /* per team, and the answered requests sorted by wait once: every
     * median is then read off a slice (overall, per team, per week) */
    uint64_t *key = arena_alloc(r->arena, sizeof(uint64_t) * (size_t)(in->answered + 1) * 2);
    int na = 0;
    for (int i = 0; i < n; i++) {
        TeamStat k = {.id = rows[i].team_id};
        TeamStat *t = bsearch(&k, teams, (size_t)u, sizeof k, cmp_team_id);
        t->total++;
        if (rows[i].autonomous) t->autonomous++;
        rows[i].team = (int)(t - teams);
        if (rows[i].answered) key[na++] = (uint64_t)rows[i].wait << 32 | (uint64_t)i;
    }
    sort_hi32(key, key + na, na);
    Answer *ans = arena_alloc(r->arena, sizeof(Answer) * (size_t)(na + 1));
    double *waits = arena_alloc(r->arena, sizeof(double) * (size_t)(na + 1));
    for (int j = 0; j < na; j++) {
        const Row *x = &rows[key[j] & 0xffffffffu];
        ans[j] = (Answer){(double)x->wait / 3600.0, x->team, x->week};
        waits[j] = ans[j].wait;
    }
    in->median = percentile_sorted(waits, na, 50);
    in->p90 = percentile_sorted(waits, na, 90);

    int ng = u > in->nweeks ? u : in->nweeks;
    int *counts = arena_alloc(r->arena, sizeof(int) * (size_t)(ng + 1));
    double *medians = arena_alloc(r->arena, sizeof(double) * (size_t)(ng + 1));
    bucket_medians(ans, na, true, u, waits, counts, medians, r->arena);
    for (int i = 0; i < u; i++) {
        teams[i].answered = counts[i];
        teams[i].median = medians[i];
    }
    bucket_medians(ans, na, false, in->nweeks, waits, counts, medians, r->arena);
    for (int i = 0; i < in->nweeks; i++) {
        in->weeks[i].answered = counts[i];
        in->weeks[i].median = medians[i];
    }
    qsort(in->teams, (size_t)in->nteams, sizeof *in->teams, cmp_team_name);
}

/* ---------- JSON ---------- */

static json_t *hours_json(double h) { return isnan(h) ? json_null() : json_real(round(h * 10) / 10); }
static json_t *share_json(int part, int total) { return total ? json_real(round(1000.0 * part / total) / 1000) : json_null(); }

/* GET /api/v1/insights/decisions ?from=YYYY-MM-DD ?to=YYYY-MM-DD ?team_id=:
 * the share of decisions taken without waiting, waits, counts per verdict,
 * per team and per week (manager; managers see their part only). */
int insights_api_decisions(Req *r) {
    Insights in;
    if (insights_compute(r, &in)) return -1;
    json_t *verdicts = json_object();
    for (int v = 0; v <= V_PROPOSE; v++) json_object_set_new(verdicts, verdict_name(v), json_integer(in.per_verdict[v]));
    json_t *teams = json_array();
    for (int i = 0; i < in.nteams; i++) {
        const TeamStat *t = &in.teams[i];
        json_array_append_new(teams, json_pack("{s:o,s:i,s:o,s:o}", "team",
                                               t->id ? json_pack("{s:I,s:s}", "id", (json_int_t)t->id, "name", t->name) : json_null(), "total",
                                               t->total, "autonomous_share", share_json(t->autonomous, t->total), "median_wait_hours",
                                               hours_json(t->median)));
    }
    json_t *weeks = json_array();
    for (int i = 0; i < in.nweeks; i++)
        json_array_append_new(weeks, json_pack("{s:s,s:o,s:i}", "week", in.weeks[i].week, "median_wait_hours", hours_json(in.weeks[i].median),
                                               "decisions", in.weeks[i].decisions));
    json_t *o = json_pack("{s:s,s:s,s:o,s:s,s:i,s:o,s:{s:o,s:o,s:i,s:i},s:o,s:o,s:o}", "from", in.from, "to", in.to, "team_id",
                          in.team_id ? json_integer(in.team_id) : json_null(), "scope", r->who.access >= ACCESS_ADMIN ? "organisation" : "yours",
                          "total", in.total, "autonomous_share", share_json(in.autonomous, in.total), "wait_hours", "median", hours_json(in.median),
                          "p90", hours_json(in.p90), "answered", in.answered, "still_pending", in.pending, "per_verdict", verdicts, "per_team", teams,
                          "weekly", weeks);
    resp_json(r, 200, o);
    return 0;
}

/* ---------- the dashboard ---------- */

static const char *hours_text(Req *r, double h) { return isnan(h) ? T(r, "none") : arena_printf(r->arena, T(r, "%.1f h"), round(h * 10) / 10); }
static const char *pct_text(Req *r, int part, int total) { return total ? arena_printf(r->arena, "%.0f%%", 100.0 * part / total) : T(r, "none"); }

/* nice_max: the smallest of 1, 2, 5 times a power of ten that is >= v. */
static double nice_max(double v) {
    if (v <= 0) return 1;
    double p = pow(10, floor(log10(v)));
    for (int i = 0; i < 3; i++) {
        double c = p * (i == 0 ? 1 : i == 1 ? 2 : 5);
        if (c >= v - 1e-9) return c;
    }
    return p * 10;
}

/* short_label: at most max characters of s (UTF-8 aware), with an ellipsis
 * when cut; the full text goes into the bar's <title>. */
static char *short_label(Arena *a, const char *s, int max) {
    int chars = 0;
    const char *p = s;
    for (; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > max) break;
    if (!*p) return (char *)s;
    return arena_printf(a, "%.*s\xe2\x80\xa6", (int)(p - s), s);
}

#define CH_W 640 /* the charts' coordinate width; they scale to the card */

/* chart_weeks: the median wait per week as vertical bars, with a y axis in
 * hours and a label under every few weeks; each bar has a <title>. */
static void chart_weeks(Req *r, const Insights *in) {
    Buf *b = page(r);
    const int left = 52, right = 12, top = 14, bottom = 44, H = 250;
    const int pw = CH_W - left - right, ph = H - top - bottom;
    double max = 0;
    int maxi = -1;
    for (int i = 0; i < in->nweeks; i++)
        if (!isnan(in->weeks[i].median) && (maxi < 0 || in->weeks[i].median > max)) max = in->weeks[i].median, maxi = i;
    if (maxi < 0) {
        buf_puts(b, "<p class=\"muted empty\">No request was answered in this period.</p>");
        return;
    }
    double top_v = nice_max(max);
    char *label = arena_printf(r->arena, T(r, "Bar chart: median hours from request to answer for each of %d weeks from %s to %s. The longest median "
                                              "was %.1f hours, in the week of %s."),
                               in->nweeks, in->weeks[0].week, in->weeks[in->nweeks - 1].week, round(max * 10) / 10, in->weeks[maxi].week);
    html_printf(b, "<svg class=\"chart chart-weeks\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%h\" "
                   "font-size=\"11\" font-family=\"system-ui, sans-serif\">",
                CH_W, H, CH_W, H, label);
    for (int t = 0; t <= 2; t++) { /* y axis: 0, half, top */
        double v = top_v * t / 2;
        int y = top + ph - (int)lround(ph * t / 2.0);
        html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d9dee4\"/>", left, y, left + pw, y);
        html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#52606d\">%h</text>", left - 6, y + 4,
                    arena_printf(r->arena, top_v < 3 ? T(r, "%.1f h") : T(r, "%.0f h"), v));
    }
    double slot = (double)pw / in->nweeks;
    int every = (in->nweeks + 7) / 8;
    for (int i = 0; i < in->nweeks; i++) {
        const WeekStat *w = &in->weeks[i];
        int x = left + (int)lround(slot * i + slot * 0.15), bw = (int)lround(slot * 0.7);
        if (bw < 1) bw = 1;
        if (!isnan(w->median)) {
            int h = (int)lround(ph * (w->median / top_v));
            if (h < 1) h = 1;
            html_printf(b, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1a5b96\"><title>%h</title></rect>", x, top + ph - h,
                        bw, h,
                        arena_printf(r->arena, T(r, "Week of %s: median wait %.1f hours over %s; %s"), w->week, round(w->median * 10) / 10,
                                     arena_printf(r->arena, TN(r, "%d answered request", "%d answered requests", w->answered), w->answered),
                                     arena_printf(r->arena, TN(r, "%d decision logged", "%d decisions logged", w->decisions), w->decisions)));
        }
        if (i % every == 0)
            html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#52606d\">%h</text>", left + (int)lround(slot * i + slot / 2),
                        top + ph + 16, w->week + 5);
    }
    html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#52606d\"/>", left, top + ph, left + pw, top + ph);
    html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#52606d\">week starting (month-day)</text></svg>", left + pw / 2, H - 6);
}

/* chart_teams: the share of decisions taken without waiting per team as
 * horizontal bars from 0 to 100%, the team's name on the left. */
static void chart_teams(Req *r, const Insights *in) {
    Buf *b = page(r);
    if (in->nteams == 0) {
        buf_puts(b, "<p class=\"muted empty\">No decisions in this period.</p>");
        return;
    }
    const int left = 170, right = 56, top = 8, row = 28, axis = 24;
    const int pw = CH_W - left - right, H = top + row * in->nteams + axis;
    Buf sum = {0};
    int hi = 0, lo = 0;
    for (int i = 0; i < in->nteams; i++) {
        const TeamStat *t = &in->teams[i];
        if ((double)t->autonomous / t->total > (double)in->teams[hi].autonomous / in->teams[hi].total) hi = i;
        if ((double)t->autonomous / t->total < (double)in->teams[lo].autonomous / in->teams[lo].total) lo = i;
        if (in->nteams <= 6) buf_printf(&sum, "%s %s %.0f%%", i ? "," : "", t->name, 100.0 * t->autonomous / t->total);
    }
    if (in->nteams > 6)
        buf_printf(&sum, T(r, " %d teams; highest %s at %.0f%%, lowest %s at %.0f%%"), in->nteams, in->teams[hi].name,
                   100.0 * in->teams[hi].autonomous / in->teams[hi].total, in->teams[lo].name, 100.0 * in->teams[lo].autonomous / in->teams[lo].total);
    char *label = arena_printf(r->arena, T(r, "Bar chart: share of decisions taken without waiting, per team:%s."), buf_cstr(&sum));
    buf_free(&sum);
    html_printf(b, "<svg class=\"chart chart-teams\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%h\" "
                   "font-size=\"12\" font-family=\"system-ui, sans-serif\">",
                CH_W, H, CH_W, H, label);
    int base = top + row * in->nteams;
    for (int t = 0; t <= 2; t++) {
        int x = left + pw * t / 2;
        html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d9dee4\"/>", x, top, x, base);
        html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#52606d\">%d%%</text>", x, base + 16, t * 50);
    }
    for (int i = 0; i < in->nteams; i++) {
        const TeamStat *t = &in->teams[i];
        double share = (double)t->autonomous / t->total;
        int y = top + row * i, w = (int)lround(pw * share);
        html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1c2733\">%h</text>", left - 8, y + row / 2 + 4,
                    short_label(r->arena, t->name, 24));
        html_printf(b, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1a5b96\"><title>%h</title></rect>", left, y + 5,
                    w > 0 ? w : 1, row - 10,
                    arena_printf(r->arena, TN(r, "%s: %.0f%% of %d decision taken without waiting", "%s: %.0f%% of %d decisions taken without waiting", t->total),
                                 t->name, 100 * share, t->total));
        html_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#1c2733\">%h</text>", left + w + 6, y + row / 2 + 4, pct_text(r, t->autonomous, t->total));
    }
    html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#52606d\"/></svg>", left, top, left, base);
}

/* filter_form: from, to and team, as a GET form (works without script). */
static void filter_form(Req *r, const char *from, const char *to, int64_t team_id, const char *error) {
    Buf *b = page(r);
    int nt = 0;
    Option *teams = options_from(r, db_q(r->db, SQL_TEAM_OPTIONS, "i", r->who.org_id), &nt);
    if (error) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);
    buf_puts(b, "<form method=\"get\" action=\"/insights\" class=\"filters\">");
    form_text(r, "from", "From", from, NULL, "date", false);
    form_text(r, "to", "To", to, NULL, "date", false);
    form_select_id(r, "team_id", "Team", team_id, teams, nt, r->who.access >= ACCESS_ADMIN ? N_("All teams") : N_("All you can see"), NULL);
    buf_puts(b, "<div class=\"actions\"><button type=\"submit\">Show</button></div></form>");
}

/* GET /insights ?from= ?to= ?team_id=: the dashboard (manager): headline
 * numbers, wait per week and autonomy per team as charts with their data
 * tables, and the count per verdict. */
int insights_page(Req *r) {
    Insights in;
    if (insights_compute(r, &in)) {
        if (r->resp.status != 400) return -1;
        const char *tm = req_query(r, "team_id");
        int64_t team = 0;
        if (tm) parse_id(tm, &team);
        r->resp.body.len = 0;
        page_begin(r, "Decision insights");
        buf_puts(page(r), "<h1>Decision insights</h1>");
        filter_form(r, req_query(r, "from"), req_query(r, "to"), team, "Dates are written YYYY-MM-DD, from on or before to, at most ten years apart.");
        page_end(r);
        r->resp.status = 400;
        return 0;
    }
    page_begin(r, "Decision insights");
    Buf *b = page(r);
    html_printf(b, "<h1>Decision insights</h1><p class=\"lead\">How many decisions are taken where the work is, and where requests wait for an "
                   "answer: %h to %h%s%h%s.</p>",
                in.from, in.to, in.team_name ? T(r, ", team ") : "", in.team_name ? in.team_name : "",
                r->who.access >= ACCESS_ADMIN ? "" : T(r, " (the people and teams you lead)"));
    buf_puts(b, "<p><a href=\"/insights/ideas\">Idea insights: participation and how fast ideas get an answer</a></p>");
    filter_form(r, in.from, in.to, in.team_id, NULL);

    html_printf(b, "<section class=\"card\"><h2>In short</h2><ul class=\"stats\">"
                   "<li><span><strong>%h</strong> taken without waiting</span></li>"
                   "<li><span><strong>%h</strong> median wait for an answer</span></li>"
                   "<li><span><strong>%h</strong> 90th percentile wait</span></li>"
                   "<li><span><strong>%d</strong> decisions logged</span></li>"
                   "<li><span><strong>%d</strong> still waiting</span></li></ul></section>",
                pct_text(r, in.autonomous, in.total), hours_text(r, in.median), hours_text(r, in.p90), in.total, in.pending);

    buf_puts(b, "<section class=\"card\"><h2>Wait for an answer, per week</h2>");
    chart_weeks(r, &in);
    buf_puts(b, "<details><summary>The numbers</summary><table class=\"list\"><caption>Median wait per week</caption><thead><tr>"
                "<th scope=\"col\">Week of</th><th scope=\"col\" class=\"num\">Decisions</th><th scope=\"col\" class=\"num\">Answered</th>"
                "<th scope=\"col\" class=\"num\">Median wait</th></tr></thead><tbody>");
    for (int i = 0; i < in.nweeks; i++)
        html_printf(b, "<tr><td>%h</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%h</td></tr>", in.weeks[i].week,
                    in.weeks[i].decisions, in.weeks[i].answered, hours_text(r, in.weeks[i].median));
    buf_puts(b, "</tbody></table></details></section>");

    buf_puts(b, "<section class=\"card\"><h2>Taken without waiting, per team</h2>");
    chart_teams(r, &in);
    if (in.nteams) {
        buf_puts(b, "<details><summary>The numbers</summary><table class=\"list\"><caption>Decisions per team</caption><thead><tr>"
                    "<th scope=\"col\">Team</th><th scope=\"col\" class=\"num\">Decisions</th><th scope=\"col\" class=\"num\">Without waiting</th>"
                    "<th scope=\"col\" class=\"num\">Median wait</th></tr></thead><tbody>");
        for (int i = 0; i < in.nteams; i++) {
            const TeamStat *t = &in.teams[i];
            if (t->id) html_printf(b, "<tr><td><a href=\"/teams/%D\">%h</a></td>", t->id, t->name);
            else html_printf(b, "<tr><td>%h</td>", t->name);
            html_printf(b, "<td class=\"num\">%d</td><td class=\"num\">%h</td><td class=\"num\">%h</td></tr>", t->total,
                        pct_text(r, t->autonomous, t->total), hours_text(r, t->median));
        }
        buf_puts(b, "</tbody></table></details>");
    }
    buf_puts(b, "</section>");

    buf_puts(b, "<section class=\"card\"><h2>Per verdict</h2><table class=\"list\"><thead><tr><th scope=\"col\">Verdict</th>"
                "<th scope=\"col\" class=\"num\">Decisions</th></tr></thead><tbody>");
    for (int v = 0; v <= V_PROPOSE; v++)
        html_printf(b, "<tr><td>%h</td><td class=\"num\">%d</td></tr>", T(r, verdict_name(v)), in.per_verdict[v]);
    buf_puts(b, "</tbody></table></section>");
    page_end(r);
    return 0;
}

/* ---------- the home page (shell.c's registry) ---------- */

/* insights_home_tiles: for the last HOME_DAYS days of the caller's part, the
 * share of decisions taken without waiting and the median wait, each
 * linking to the dashboard for that period (managers and up; the same
 * counting as the dashboard, without its teams and weeks). */
void insights_home_tiles(Req *r, Home *h) {
    Insights in;
    memset(&in, 0, sizeof in);
    int64_t today = floor_div(r->now, DAY);
    insights_count(r, &in, today - (HOME_DAYS - 1), today, true);
    const char *href = arena_printf(r->arena, "/insights?from=%s", in.from);
    home_tile(h, "autonomous_share", T(r, "of decisions taken without waiting (30 days)"), pct_text(r, in.autonomous, in.total),
              share_json(in.autonomous, in.total), href);
    home_tile(h, "median_wait_hours", T(r, "median wait for an answer (30 days)"),
              isnan(in.median) ? T(r, "none") : arena_printf(r->arena, T(r, "%.1f h"), round(in.median * 10) / 10), hours_json(in.median), href);
}
