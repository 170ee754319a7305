/* ideainsights.c: whether ideas disappear into a black hole, for managers
 * and up. For ideas submitted in a period: how many, how many of the
 * active people took part (submitted a named idea, voted or commented in
 * the period) and their share, the ideas per stage, how long the first
 * response took (median days), and the ideas that have waited more than 14
 * days without one. As JSON (/api/v1/insights/ideas) and as a page
 * (/insights/ideas) with an inline SVG chart and its data table. Managers
 * see the challenges they can see (organisation challenges and the team
 * challenges of their part of the organisation: challenges.c's rule, which
 * it hands over as SQL so that the counting stays in the database); admins
 * all. Anonymous ideas are counted but never attributed: their authors are
 * not participants, because the database does not know them. Read-only:
 * this file writes nothing. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#define DAY 86400
#define WAIT_DAYS 14         /* longer than this without a response is too long */
#define HOME_WAIT_DAYS 30    /* ... and what the home page counts as left without an answer */
#define HOME_PERIOD_DAYS 730 /* the ideas the home page looks at: the last two years */
#define NSTAGES 7

static const char *const STAGES[NSTAGES] = {"new", "reviewing", "accepted", "piloting", "implemented", "declined", "merged"};
static const char *const STAGE_LABELS[NSTAGES] = {N_("New"), N_("Reviewing"), N_("Accepted"), N_("Piloting"), N_("Implemented"), N_("Declined"), N_("Merged")};
static const char *const STAGE_FILL[NSTAGES] = {"#52606d", "#1a5b96", "#1f7a8c", "#8a5a00", "#1e7b34", "#9b2c2c", "#7b5ea7"};

static int stage_index(const char *s) {
    for (int i = 0; i < NSTAGES; i++)
        if (strcmp(s, STAGES[i]) == 0) return i;
    return -1;
}


/* After challenge_seen_cte(): the challenges the caller may see. */
static const char SQL_SEEN_CHALLENGES[] = "SELECT c.id, c.title FROM challenge c WHERE c.org_id = ?2 AND c.id IN (SELECT id FROM seen) ORDER BY c.id LIMIT 100000";
/* The ideas submitted in [?2, ?3), oldest first, from idea_org_created;
 * the challenges the caller may not see are left out in C. */
static const char SQL_IDEAS[] =
    "SELECT id, challenge_id, title, created_at, stage, first_response_at FROM idea "
    "WHERE org_id = ?1 AND created_at >= ?2 AND created_at < ?3 ORDER BY created_at, id LIMIT 200000";
/* After challenge_seen_cte(): how many people took part in [?5, ?6) in a
 * challenge the caller may see: shared a named idea, voted or commented (a
 * comment's author is never an anonymous idea's author). One question per
 * person, each a short range of idea_org_author_created,
 * vote_person_created or comment_author_created, instead of every
 * (person, challenge) pair of the period. Only people active now count,
 * the same people as the denominator, so that the share cannot pass 100%
 * when someone who voted is away or has left. */
static const char SQL_PARTICIPANTS[] =
    "SELECT count(*) FROM person p WHERE p.org_id = ?2 AND p.status = 'active' AND ("
    "EXISTS (SELECT 1 FROM idea i WHERE i.org_id = ?2 AND i.author_id = p.id AND i.created_at >= ?5 AND i.created_at < ?6 "
    "AND i.challenge_id IN (SELECT id FROM seen)) "
    "OR EXISTS (SELECT 1 FROM vote v JOIN idea i ON i.id = v.idea_id AND i.org_id = v.org_id WHERE v.person_id = p.id AND v.org_id = ?2 "
    "AND v.created_at >= ?5 AND v.created_at < ?6 AND i.challenge_id IN (SELECT id FROM seen)) "
    "OR EXISTS (SELECT 1 FROM comment cm JOIN idea i ON i.id = cm.idea_id AND i.org_id = cm.org_id WHERE cm.author_id = p.id AND cm.org_id = ?2 "
    "AND cm.created_at >= ?5 AND cm.created_at < ?6 AND i.challenge_id IN (SELECT id FROM seen)))";
static const char SQL_ACTIVE[] = "SELECT count(*) FROM person WHERE org_id = ? AND status = 'active'";

typedef struct Seen { int64_t id; char *title; } Seen; /* a challenge the caller may see */

typedef struct Waiting {
    int64_t id, challenge_id, days;
    char *title, *challenge_title;
} Waiting;

typedef struct IdeaInsights {
    char *from, *to;              /* YYYY-MM-DD, inclusive */
    int challenges;               /* how many the numbers cover */
    int submitted, participants, active_people, responded;
    int per_stage[NSTAGES];
    double median_days;           /* NAN when no idea got a response */
    Waiting *waiting;
    int nwaiting;
} IdeaInsights;

static int cmp_seen(const void *a, const void *b) {
    const Seen *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const Seen *seen_find(const Seen *v, int n, int64_t id) {
    Seen k = {.id = id};
    return bsearch(&k, v, (size_t)n, sizeof k, cmp_seen);
}

/* seen_q: the statement challenge_seen_cte() + tail, bound for the
 * caller; period, when not NULL, binds [period[0], period[1]) as ?5, ?6. */
static Stmt *seen_q(Req *r, const char *tail, const int64_t *period) {
    const char *sql = arena_printf(r->arena, "%s%s", challenge_seen_cte(), tail);
    int64_t manager = r->who.access >= ACCESS_MANAGER, admin = r->who.access >= ACCESS_ADMIN;
    if (!period) return db_q(r->db, sql, "iiii", r->who.person_id, r->who.org_id, manager, admin);
    return db_q(r->db, sql, "iiiiii", r->who.person_id, r->who.org_id, manager, admin, period[0], period[1]);
}

/* visible_challenges: the organisation's challenges the caller may see,
 * sorted by id, in the arena. */
static Seen *visible_challenges(Req *r, int *n_out) {
    int cap = 64, n = 0;
    Seen *v = arena_alloc(r->arena, sizeof(Seen) * (size_t)cap);
    Stmt *s = seen_q(r, SQL_SEEN_CHALLENGES, NULL);
    while (db_step(s) == DB_ROW) {
        if (n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        v[n].id = db_int(s, 0);
        v[n++].title = db_dup(s, 1, r->arena);
    }
    db_reset(s);
    *n_out = n;
    return v;
}

/* idea_insights_compute: validates ?from= ?to= (default: the last 90 days
 * up to today) and counts. 0 ok; -1 after sending 400 (malformed or
 * reversed dates, a period over ten years). Arena-owned results. */
static void idea_insights_count(Req *r, IdeaInsights *in, int64_t from, int64_t to, int wait_days, bool participation);
static int idea_insights_compute(Req *r, IdeaInsights *in) {
    memset(in, 0, sizeof *in);
    int64_t from = 0, to = 0;
    if (insights_period(r, &from, &to)) return -1;
    idea_insights_count(r, in, from, to, WAIT_DAYS, true);
    return 0;
}

/* idea_insights_count: the counting of idea_insights_compute for the ideas
 * submitted on days [from, to]; an idea without a response for more than
 * wait_days is waiting; participation is counted only when asked (it is
 * the costly part). Cannot fail. */
static void idea_insights_count(Req *r, IdeaInsights *in, int64_t from, int64_t to, int wait_days, bool participation) {
    in->from = today_date(r->arena, from * DAY);
    in->to = today_date(r->arena, to * DAY);
    in->median_days = NAN;
    int64_t lo = from * DAY, hi = (to + 1) * DAY;

    int nseen = 0;
    Seen *seen = visible_challenges(r, &nseen);
    in->challenges = nseen;

    /* the ideas submitted in the period */
    int cap = 64;
    double *days = arena_alloc(r->arena, sizeof(double) * (size_t)cap);
    in->waiting = arena_alloc(r->arena, sizeof(Waiting) * (size_t)cap);
    int wcap = cap;
    Stmt *s = db_q(r->db, SQL_IDEAS, "iii", r->who.org_id, lo, hi);
    while (db_step(s) == DB_ROW) {
        const Seen *ch = seen_find(seen, nseen, db_int(s, 1));
        if (!ch) continue;
        int st = stage_index(db_text(s, 4));
        if (st < 0) continue; /* NEVER: the schema checks it */
        int64_t created = db_int(s, 3);
        in->submitted++;
        in->per_stage[st]++;
        if (!db_null(s, 5)) {
            if (in->responded == cap) days = arena_grow(r->arena, days, &cap, sizeof *days);
            double d = (double)(db_int(s, 5) - created) / DAY;
            days[in->responded++] = d > 0 ? d : 0;
        } else if (r->now - created > (int64_t)wait_days * DAY && strcmp(STAGES[st], "merged") != 0 && strcmp(STAGES[st], "declined") != 0) {
            if (in->nwaiting == wcap) in->waiting = arena_grow(r->arena, in->waiting, &wcap, sizeof *in->waiting);
            /* oldest first: the rows come in created_at order */
            in->waiting[in->nwaiting++] = (Waiting){db_int(s, 0), ch->id, (r->now - created) / DAY, db_dup(s, 2, r->arena), ch->title};
        }
    }
    db_reset(s);
    in->median_days = percentile(days, in->responded, 50);
    if (!participation) return;

    /* the people who took part in a challenge the caller may see */
    int64_t participants = 0;
    Stmt *ps = seen_q(r, SQL_PARTICIPANTS, (int64_t[2]){lo, hi});
    if (db_step(ps) == DB_ROW) participants = db_int(ps, 0);
    db_reset(ps);
    in->participants = (int)participants;
    int64_t active = 0;
    db_one_int(r->db, &active, SQL_ACTIVE, "i", r->who.org_id);
    in->active_people = (int)active;
}

/* ---------- JSON ---------- */

/* GET /api/v1/insights/ideas ?from=YYYY-MM-DD ?to=YYYY-MM-DD: ideas
 * submitted, participation, ideas per stage, time to a first response and
 * the ideas waiting too long (manager; managers see the challenges they can
 * see). */
int ideainsights_api(Req *r) {
    IdeaInsights in;
    if (idea_insights_compute(r, &in)) return -1;
    json_t *stages = json_object();
    for (int i = 0; i < NSTAGES; i++) json_object_set_new(stages, STAGES[i], json_integer(in.per_stage[i]));
    json_t *waiting = json_array();
    for (int i = 0; i < in.nwaiting; i++) {
        const Waiting *w = &in.waiting[i];
        json_array_append_new(waiting, json_pack("{s:I,s:s,s:I,s:I}", "id", (json_int_t)w->id, "title", w->title ? w->title : "", "challenge_id",
                                                 (json_int_t)w->challenge_id, "days_waiting", (json_int_t)w->days));
    }
    json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:o,s:o,s:i,s:o,s:o}", "from", in.from, "to", in.to, "scope",
                          r->who.access >= ACCESS_ADMIN ? "organisation" : "yours", "challenges", in.challenges, "submitted", in.submitted,
                          "participants", in.participants, "active_people", in.active_people, "participation_share",
                          in.active_people ? json_real(round(1000.0 * in.participants / in.active_people) / 1000) : json_null(), "per_stage", stages,
                          "implemented", in.per_stage[4], "median_days_to_first_response",
                          isnan(in.median_days) ? json_null() : json_real(round(in.median_days * 10) / 10), "waiting", waiting);
    resp_json(r, 200, o);
    return 0;
}

/* ---------- the page ---------- */

#define CH_W 640

/* chart_stages: ideas per stage as horizontal bars, the stage on the left
 * and the count at the end of each bar; each bar has a <title>. */
static void chart_stages(Req *r, const IdeaInsights *in) {
    Buf *b = page(r);
    if (in->submitted == 0) {
        buf_puts(b, "<p class=\"muted empty\">No ideas were submitted in this period.</p>");
        return;
    }
    int max = 1;
    for (int i = 0; i < NSTAGES; i++)
        if (in->per_stage[i] > max) max = in->per_stage[i];
    const int left = 110, right = 48, top = 8, row = 28, axis = 8;
    const int pw = CH_W - left - right, H = top + row * NSTAGES + axis;
    Buf sum = {0};
    for (int i = 0; i < NSTAGES; i++) buf_printf(&sum, "%s %s %d", i ? "," : "", STAGES[i], in->per_stage[i]);
    char *label = arena_printf(r->arena,
                               TN(r, "Bar chart: the current stage of the %d idea submitted from %s to %s:%s.",
                                  "Bar chart: the current stage of the %d ideas submitted from %s to %s:%s.", in->submitted),
                               in->submitted, in->from, in->to, buf_cstr(&sum));
    buf_free(&sum);
    html_printf(b, "<svg class=\"chart chart-stages\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%h\" "
                   "font-size=\"12\" font-family=\"system-ui, sans-serif\">",
                CH_W, H, CH_W, H, label);
    int base = top + row * NSTAGES;
    for (int i = 0; i < NSTAGES; i++) {
        int n = in->per_stage[i], y = top + row * i;
        int w = (int)lround((double)pw * n / max);
        html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1c2733\">%h</text>", left - 8, y + row / 2 + 4, T(r, STAGE_LABELS[i]));
        html_printf(b, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%h</title></rect>", left, y + 5,
                    w > 0 ? w : 1, row - 10, STAGE_FILL[i],
                    arena_printf(r->arena, TN(r, "%s: %d idea (%.0f%%)", "%s: %d ideas (%.0f%%)", n), T(r, STAGE_LABELS[i]), n, 100.0 * n / in->submitted));
        html_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#1c2733\">%d</text>", left + (w > 0 ? w : 1) + 6, y + row / 2 + 4, n);
    }
    html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#52606d\"/></svg>", left, top, left, base);
}

/* filter_form: from and to, as a GET form (works without script). */
static void filter_form(Req *r, const char *from, const char *to, const char *error) {
    Buf *b = page(r);
    if (error) html_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);
    buf_puts(b, "<form method=\"get\" action=\"/insights/ideas\" class=\"filters\">");
    form_text(r, "from", "From", from, NULL, "date", false);
    form_text(r, "to", "To", to, NULL, "date", false);
    buf_puts(b, "<div class=\"actions\"><button type=\"submit\">Show</button></div></form>");
}

/* GET /insights/ideas ?from= ?to=: the idea insights page (manager):
 * headline numbers, ideas per stage as a chart with its table, and the
 * ideas that have waited too long, each linked to its page. */
int ideainsights_page(Req *r) {
    IdeaInsights in;
    if (idea_insights_compute(r, &in)) {
        if (r->resp.status != 400) return -1;
        r->resp.body.len = 0;
        page_begin(r, "Idea insights");
        buf_puts(page(r), "<h1>Idea insights</h1>");
        filter_form(r, req_query(r, "from"), req_query(r, "to"), "Dates are written YYYY-MM-DD, from on or before to, at most ten years apart.");
        page_end(r);
        r->resp.status = 400;
        return 0;
    }
    Arena *a = r->arena;
    page_begin(r, "Idea insights");
    Buf *b = page(r);
    html_printf(b, "<h1>Idea insights</h1><p class=\"lead\">Whether ideas get an answer: ideas submitted from %h to %h%s.</p>", in.from, in.to,
                r->who.access >= ACCESS_ADMIN ? "" : T(r, " in the challenges you can see"));
    filter_form(r, in.from, in.to, NULL);

    html_printf(b, "<section class=\"card\"><h2>In short</h2><ul class=\"stats\">");
    html_printf(b, "<li><span><strong>%d</strong> %h</span></li>", in.submitted, TN(r, "idea submitted", "ideas submitted", in.submitted));
    html_printf(b, "<li><span><strong>%h</strong> of %d active people took part</span></li>"
                   "<li><span><strong>%d</strong> implemented</span></li>"
                   "<li><span><strong>%h</strong> median time to a first response</span></li>"
                   "<li><span><strong>%d</strong> waiting more than %d days</span></li></ul></section>",
                in.active_people ? arena_printf(a, "%.0f%%", 100.0 * in.participants / in.active_people) : T(r, "none"), in.active_people,
                in.per_stage[4], isnan(in.median_days) ? T(r, "none") : arena_printf(a, T(r, "%.1f days"), round(in.median_days * 10) / 10), in.nwaiting,
                WAIT_DAYS);

    buf_puts(b, "<section class=\"card\"><h2>Ideas per stage</h2>");
    chart_stages(r, &in);
    buf_puts(b, "<details><summary>The numbers</summary><table class=\"list\"><caption>Ideas per stage</caption><thead><tr>"
                "<th scope=\"col\">Stage</th><th scope=\"col\" class=\"num\">Ideas</th></tr></thead><tbody>");
    for (int i = 0; i < NSTAGES; i++) html_printf(b, "<tr><td>%h</td><td class=\"num\">%d</td></tr>", T(r, STAGE_LABELS[i]), in.per_stage[i]);
    html_printf(b, "</tbody><tfoot><tr><th scope=\"row\">All</th><td class=\"num\">%d</td></tr></tfoot></table></details></section>", in.submitted);

    html_printf(b, "<section class=\"card\"><h2>Waiting more than %d days for a first response</h2>", WAIT_DAYS);
    if (in.nwaiting == 0) {
        html_printf(b, "<p class=\"muted empty\">No idea from this period has waited more than %d days without a response.</p></section>", WAIT_DAYS);
    } else {
        buf_puts(b, "<table class=\"list waiting\"><thead><tr><th scope=\"col\">Idea</th><th scope=\"col\">Challenge</th>"
                    "<th scope=\"col\" class=\"num\">Days waiting</th></tr></thead><tbody>");
        for (int i = 0; i < in.nwaiting; i++) {
            const Waiting *w = &in.waiting[i];
            html_printf(b, "<tr><td><a href=\"/ideas/%D\">%h</a></td><td><a href=\"/challenges/%D\">%h</a></td><td class=\"num\">%D</td></tr>", w->id,
                        w->title ? w->title : "", w->challenge_id, w->challenge_title ? w->challenge_title : "", w->days);
        }
        buf_puts(b, "</tbody></table></section>");
    }
    page_end(r);
    return 0;
}

/* ---------- the home page (shell.c's registry) ---------- */

/* ideainsights_home_tiles: how many ideas of the last two years, in the
 * challenges the caller may see, have waited more than 30 days without an
 * answer, linking to the idea insights (managers and up). */
void ideainsights_home_tiles(Req *r, Home *h) {
    IdeaInsights in;
    memset(&in, 0, sizeof in);
    int64_t today = r->now / DAY;
    idea_insights_count(r, &in, today - (HOME_PERIOD_DAYS - 1), today, HOME_WAIT_DAYS, false);
    home_tile(h, "ideas_unanswered_30d", T(r, "ideas without an answer for 30 days"), arena_printf(r->arena, "%d", in.nwaiting),
              json_integer(in.nwaiting), arena_printf(r->arena, "/insights/ideas?from=%s", in.from));
}
