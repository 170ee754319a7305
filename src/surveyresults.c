/* surveyresults.c: the results of a closed survey round, with the
 * anonymity rules applied in one place: which groups show (at least k
 * ballots, complementary suppression over siblings with anon_suppress, a
 * hidden group's subgroups hidden too), per-question figures, factor
 * scores, eNPS, response rate, trends against the previous round, drivers,
 * the team heatmap and the comments. It reads only what round_close left
 * (ballots regrouped, the team tree and counts recorded), so a round's
 * results never change. It writes only survey_factor_score, at close. */
#include "surveys.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One ballot as read back: its group and values by question index. */
typedef struct Ballot {
    int node;
    bool *has;
    int *v; /* multi: bit mask */
} Ballot;

typedef struct RoundData {
    int nb;
    Ballot *b;
    int *count;     /* ballots stored at each node */
    int *sub;       /* ballots in each node's subtree */
    int *answered;  /* people who answered, by their team at close, per subtree */
    int *invited;
    bool *hidden;
} RoundData;

static void load_ballots(Db *db, Arena *a, int64_t round_id, const Question *q, int nq, const Tree *t, RoundData *d) {
    int cap = 64;
    d->b = arena_alloc(a, sizeof *d->b * (size_t)cap);
    d->nb = 0;
    Stmt *s = db_q(db, "SELECT coalesce(team_id, 0), answers FROM survey_ballot WHERE round_id = ? ORDER BY id", "i", round_id);
    while (db_step(s) == DB_ROW) {
        if (d->nb == cap) d->b = arena_grow(a, d->b, &cap, sizeof *d->b);
        Ballot *b = &d->b[d->nb++];
        b->node = tree_find(t, db_int(s, 0));
        if (b->node < 0) b->node = 0;
        b->has = arena_alloc(a, sizeof(bool) * (size_t)(nq + 1));
        b->v = arena_alloc(a, sizeof(int) * (size_t)(nq + 1));
        json_t *o = json_loads(db_text(s, 1), 0, NULL);
        for (int i = 0; json_is_object(o) && i < nq; i++) {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)q[i].id);
            json_t *v = json_object_get(o, key);
            if (json_is_integer(v)) b->has[i] = true, b->v[i] = (int)json_integer_value(v);
            else if (json_is_array(v)) {
                size_t j;
                json_t *e;
                b->has[i] = true;
                json_array_foreach(v, j, e) if (json_is_integer(e) && json_integer_value(e) >= 0 && json_integer_value(e) < 31) b->v[i] |= 1 << json_integer_value(e);
            }
        }
        json_decref(o);
    }
    db_reset(s);
}

/* visibility: which nodes are hidden, top-down. A node with 1..k-1 ballots
 * in its subtree is hidden; under a shown node, its children and the
 * node's own direct group go through anon_suppress, so that the parent
 * minus the shown children never isolates fewer than k people; under a
 * hidden node everything is hidden. A node with no ballots but people who
 * answered (all moved up at close) is hidden too, not "no data". */
static void visibility(const Tree *t, int k, RoundData *d) {
    int n = t->n;
    d->hidden = calloc((size_t)n, sizeof(bool)); /* freed by the caller's arena? no: copied below */
    bool *hid = d->hidden;
    int *order = calloc((size_t)n, sizeof(int)), *depth = calloc((size_t)n, sizeof(int));
    for (int i = 0; i < n; i++) {
        int dd = 0;
        for (int x = i; x > 0 && dd <= n; x = t->parent[x]) dd++;
        depth[i] = dd;
    }
    int m = 0;
    for (int dd = 0; m < n && dd <= n; dd++)
        for (int i = 0; i < n; i++)
            if (depth[i] == dd) order[m++] = i;
    hid[0] = d->sub[0] > 0 && d->sub[0] < k;
    int *counts = calloc((size_t)n + 1, sizeof(int)), *kids = calloc((size_t)n + 1, sizeof(int));
    bool *h = calloc((size_t)n + 1, sizeof(bool));
    for (int oi = 0; oi < m; oi++) {
        int x = order[oi], nk = 0;
        for (int c = 1; c < n; c++)
            if (t->parent[c] == x) kids[nk++] = c;
        if (!nk) continue;
        bool shown = !hid[x] && d->sub[x] >= k;
        for (int j = 0; j < nk; j++) counts[j] = d->sub[kids[j]];
        counts[nk] = d->count[x];
        anon_suppress(counts, nk + 1, k, shown, h);
        for (int j = 0; j < nk; j++) hid[kids[j]] = !shown || h[j] || (d->sub[kids[j]] == 0 && d->answered[kids[j]] > 0);
        /* a hidden node's direct group is already part of what is hidden */
    }
    for (int i = 0; i < n; i++)
        if (d->sub[i] == 0 && d->answered[i] > 0) hid[i] = true;
    free(order);
    free(depth);
    free(counts);
    free(kids);
    free(h);
}

/* round_data: everything the results of a round read, arena-owned. */
static void round_data(Db *db, Arena *a, const Survey *sv, const Round *rd, const Question *q, int nq, const Tree *t, RoundData *d) {
    load_ballots(db, a, rd->id, q, nq, t, d);
    int n = t->n;
    d->count = arena_alloc(a, sizeof(int) * (size_t)n);
    d->sub = arena_alloc(a, sizeof(int) * (size_t)n);
    d->answered = arena_alloc(a, sizeof(int) * (size_t)n);
    d->invited = arena_alloc(a, sizeof(int) * (size_t)n);
    for (int i = 0; i < d->nb; i++) d->count[d->b[i].node]++;
    Stmt *s = db_q(db, "SELECT team_id, invited, answered FROM survey_round_count WHERE round_id = ?", "i", rd->id);
    int *inv = arena_alloc(a, sizeof(int) * (size_t)n), *ans = arena_alloc(a, sizeof(int) * (size_t)n);
    while (db_step(s) == DB_ROW) {
        int i = tree_find(t, db_int(s, 0));
        if (i < 0) i = 0;
        inv[i] += (int)db_int(s, 1);
        ans[i] += (int)db_int(s, 2);
    }
    db_reset(s);
    for (int i = 0; i < n; i++)
        for (int x = i, hops = 0; x >= 0 && hops <= n; x = t->parent[x], hops++) {
            d->sub[x] += d->count[i];
            d->invited[x] += inv[i];
            d->answered[x] += ans[i];
        }
    visibility(t, sv->k, d);
    bool *hid = arena_alloc(a, sizeof(bool) * (size_t)n);
    memcpy(hid, d->hidden, sizeof(bool) * (size_t)n);
    free(d->hidden);
    d->hidden = hid;
}

void survey_visibility(Db *db, Arena *a, int64_t round_id, int k, const Tree *t, int *count, bool *hidden) {
    Survey sv = {.k = k};
    Round rd = {.id = round_id};
    RoundData d;
    round_data(db, a, &sv, &rd, NULL, 0, t, &d);
    memcpy(count, d.sub, sizeof(int) * (size_t)t->n);
    memcpy(hidden, d.hidden, sizeof(bool) * (size_t)t->n);
}

/* in_group: which ballots lie in node's subtree (one walk per ballot). */
static bool *in_group(Arena *a, const Tree *t, const RoundData *d, int node) {
    bool *in = arena_alloc(a, sizeof(bool) * (size_t)(d->nb + 1));
    for (int j = 0; j < d->nb; j++) in[j] = tree_below(t, d->b[j].node, node);
    return in;
}

/* group_stats: per question statistics of the ballots in node's subtree. */
static QStats *group_stats(Arena *a, const Question *q, int nq, const Tree *t, const RoundData *d, int node) {
    QStats *st = arena_alloc(a, sizeof *st * (size_t)(nq + 1));
    int *vals = arena_alloc(a, sizeof(int) * (size_t)(d->nb * 32 + 1));
    bool *in = in_group(a, t, d, node);
    for (int i = 0; i < nq; i++) {
        int n = 0;
        for (int j = 0; j < d->nb; j++) {
            if (!d->b[j].has[i] || !in[j]) continue;
            if (q[i].kind == Q_MULTI) {
                for (int bit = 0; bit < 31 && bit < q[i].noptions; bit++)
                    if (d->b[j].v[i] & (1 << bit)) vals[n++] = bit;
            } else vals[n++] = d->b[j].v[i];
        }
        survey_qstats(q[i].kind, q[i].reverse, q[i].noptions, vals, n, &st[i]);
    }
    return st;
}

static int enps_index(const Question *q, int nq) {
    for (int i = 0; i < nq; i++)
        if (q[i].kind == Q_SCALE10 && q[i].factor && strcmp(q[i].factor, "enps") == 0) return i;
    return -1;
}

static double round1(double x) { return round(x * 10) / 10; }

/* factors_json: {"factor": mean favourability} over the factors of the
 * agree items (the eNPS is reported on its own). */
static json_t *factors_json(Arena *a, const Question *q, int nq, const QStats *st) {
    json_t *o = json_object();
    QStats *items = arena_alloc(a, sizeof *items * (size_t)(nq + 1));
    for (int i = 0; i < nq; i++) {
        if (!q[i].factor || !survey_kind_scaled(q[i].kind) || strcmp(q[i].factor, "enps") == 0 || json_object_get(o, q[i].factor)) continue;
        int n = 0;
        for (int j = i; j < nq; j++)
            if (q[j].factor && strcmp(q[j].factor, q[i].factor) == 0 && survey_kind_scaled(q[j].kind)) items[n++] = st[j];
        double f = survey_factor(items, n);
        json_object_set_new(o, q[i].factor, f < 0 ? json_null() : json_real(round1(f)));
    }
    return o;
}

/* prev_closed: the previous closed round of the survey, or 0. */
static int64_t prev_closed(Db *db, const Round *rd) {
    int64_t id = 0;
    db_one_int(db, &id, "SELECT id FROM survey_round WHERE survey_id = ? AND status = 'closed' AND number < ? ORDER BY number DESC LIMIT 1", "ii", rd->survey_id,
               (int64_t)rd->number);
    return id;
}

/* group_enps: the eNPS of node's subtree from its ballots; false when the
 * survey has no eNPS question or nobody in the group answered it. */
static bool group_enps(Arena *a, const Question *q, int nq, const Tree *t, const RoundData *d, int node, const QStats *st, Enps *e) {
    int ei = enps_index(q, nq);
    if (ei < 0 || !st[ei].n) return false;
    int *vals = arena_alloc(a, sizeof(int) * (size_t)(d->nb + 1)), n = 0;
    for (int j = 0; j < d->nb; j++)
        if (d->b[j].has[ei] && tree_below(t, d->b[j].node, node)) vals[n++] = d->b[j].v[ei];
    survey_enps(vals, n, e);
    return e->n > 0;
}

static int fav_count(const QStats *s) { return (int)lround(s->favourable * s->n / 100.0); }

/* in English in the API; the results page shows it through the catalogue */
static const char *const DRIVERS_NOTE =
    N_("A correlation says how closely answers to an item move with answers to the outcome across respondents (from -1 to 1). "
       "It does not say that one causes the other, and it says nothing about any one person. It is shown only from 30 answers.");

/* drivers_json: each scaled item's Pearson correlation with the outcome
 * (the survey's chosen item, else the eNPS item) over the group's ballots
 * that answered both; shown only from SURVEY_DRIVER_MIN_N. */
static json_t *drivers_json(Arena *a, const Survey *sv, const Question *q, int nq, const Tree *t, const RoundData *d, int node) {
    int out = -1;
    for (int i = 0; i < nq; i++)
        if (q[i].id == sv->outcome_qid) out = i;
    if (out < 0) out = enps_index(q, nq);
    if (out < 0) return json_null();
    double *x = arena_alloc(a, sizeof(double) * (size_t)(d->nb + 1)), *y = arena_alloc(a, sizeof(double) * (size_t)(d->nb + 1));
    json_t *items = json_array();
    int nmax = 0;
    bool *in = in_group(a, t, d, node);
    for (int i = 0; i < nq; i++) {
        if (i == out || !survey_kind_scaled(q[i].kind)) continue;
        int n = 0;
        for (int j = 0; j < d->nb; j++) {
            const Ballot *b = &d->b[j];
            if (!b->has[i] || !b->has[out] || !in[j]) continue;
            x[n] = survey_scored(q[i].kind, q[i].reverse, b->v[i]);
            y[n++] = survey_scored(q[out].kind, q[out].reverse, b->v[out]);
        }
        if (n > nmax) nmax = n;
        if (n < SURVEY_DRIVER_MIN_N) continue;
        double rr = survey_correlation(x, y, n);
        json_array_append_new(items, json_pack("{s:I,s:o,s:i}", "question_id", (json_int_t)q[i].id, "r", isnan(rr) ? json_null() : json_real(round(rr * 100) / 100), "n", n));
    }
    bool shown = nmax >= SURVEY_DRIVER_MIN_N;
    return json_pack("{s:I,s:b,s:i,s:i,s:o,s:s}", "outcome_question_id", (json_int_t)q[out].id, "shown", shown, "n", nmax, "min_n", SURVEY_DRIVER_MIN_N, "items",
                     shown ? items : (json_decref(items), json_array()), "explanation", DRIVERS_NOTE);
}

/* group_json: the figures of one shown group. */
static json_t *group_json(Db *db, Arena *a, const Survey *sv, const Round *rd, const Question *q, int nq, const Tree *t, const RoundData *d, int node, bool full) {
    json_t *o = json_pack("{s:I,s:b,s:i,s:i}", "team_id", (json_int_t)t->id[node], "hidden", 0, "k", sv->k, "responses", d->sub[node]);
    json_object_set_new(o, "response_rate", d->invited[node] ? json_real(round1(100.0 * d->answered[node] / d->invited[node])) : json_null());
    QStats *st = group_stats(a, q, nq, t, d, node);
    json_object_set_new(o, "factors", factors_json(a, q, nq, st));
    if (!full) return o;
    json_t *qs = json_array();
    for (int i = 0; i < nq; i++) {
        if (q[i].kind == Q_TEXT) continue;
        json_t *dist = json_array();
        int from = q[i].kind == Q_AGREE5 || q[i].kind == Q_AGREE7 ? 1 : 0;
        for (int v = from; v < st[i].ndist; v++) json_array_append_new(dist, json_integer(st[i].dist[v]));
        bool scaled = survey_kind_scaled(q[i].kind);
        json_array_append_new(qs, json_pack("{s:I,s:s,s:i,s:o,s:o,s:o}", "question_id", (json_int_t)q[i].id, "kind", survey_kind_name(q[i].kind), "n", st[i].n, "mean",
                                            scaled && st[i].n ? json_real(round(st[i].mean * 100) / 100) : json_null(), "favourable",
                                            scaled && st[i].n ? json_real(round1(st[i].favourable)) : json_null(), "distribution", dist));
    }
    json_object_set_new(o, "questions", qs);
    Enps e;
    if (group_enps(a, q, nq, t, d, node, st, &e)) {
        json_object_set_new(o, "enps", json_pack("{s:o,s:i,s:o,s:o,s:o}", "score", json_real(round1(e.score)), "n", e.n, "promoters", json_real(round1(100.0 * e.promoters / e.n)),
                                                 "passives", json_real(round1(100.0 * e.passives / e.n)), "detractors", json_real(round1(100.0 * e.detractors / e.n))));
    } else json_object_set_new(o, "enps", json_null());
    /* trend: against the same group in the previous closed round, if shown there */
    int64_t prev = prev_closed(db, rd);
    json_t *trend = json_null();
    if (prev) {
        Round pr = *rd;
        pr.id = prev;
        Tree pt;
        tree_load_closed(db, a, sv->org_id, prev, &pt);
        int pnode = tree_find(&pt, t->id[node]);
        RoundData pd;
        if (pnode >= 0) {
            round_data(db, a, sv, &pr, q, nq, &pt, &pd);
            if (!pd.hidden[pnode] && pd.sub[pnode] >= sv->k) {
                QStats *ps = group_stats(a, q, nq, &pt, &pd, pnode);
                int64_t pnum = 0;
                db_one_int(db, &pnum, "SELECT number FROM survey_round WHERE id = ?", "i", prev);
                json_t *items = json_array();
                for (int i = 0; i < nq; i++) {
                    if (!survey_kind_scaled(q[i].kind) || !st[i].n || !ps[i].n) continue;
                    Trend tr;
                    survey_trend(fav_count(&ps[i]), ps[i].n, fav_count(&st[i]), st[i].n, &tr);
                    json_array_append_new(items, json_pack("{s:I,s:o,s:o,s:o,s:o,s:b}", "question_id", (json_int_t)q[i].id, "before", json_real(round1(ps[i].favourable)),
                                                           "after", json_real(round1(st[i].favourable)), "change", json_real(round1(tr.change)), "p",
                                                           json_real(round(tr.p * 1000) / 1000), "significant", tr.significant));
                }
                trend = json_pack("{s:I,s:I,s:s,s:o}", "previous_round_id", (json_int_t)prev, "previous_number", (json_int_t)pnum, "test",
                                  "two-proportion z-test on favourability, 95% two-sided (|z| >= 1.96)", "items", items);
            }
        }
    }
    json_object_set_new(o, "trend", trend);
    json_object_set_new(o, "drivers", drivers_json(a, sv, q, nq, t, d, node));
    return o;
}

json_t *survey_results_json(Db *db, Arena *a, const Survey *sv, const Round *rd, const Question *q, int nq, const Tree *t, int node, bool breakdown, Req *viewer) {
    RoundData d;
    round_data(db, a, sv, rd, q, nq, t, &d);
    json_t *o;
    if (d.hidden[node] || (d.sub[node] > 0 && d.sub[node] < sv->k))
        o = json_pack("{s:I,s:I,s:b,s:i}", "round_id", (json_int_t)rd->id, "team_id", (json_int_t)t->id[node], "hidden", 1, "k", sv->k);
    else {
        o = group_json(db, a, sv, rd, q, nq, t, &d, node, true);
        json_object_set_new(o, "round_id", json_integer(rd->id));
    }
    if (breakdown) {
        json_t *rows = json_array();
        for (int i = 1; i < t->n; i++) {
            if (viewer && !survey_may_see_team(viewer, t, i)) continue;
            if (d.invited[i] == 0 && d.sub[i] == 0) continue;
            json_t *row;
            if (d.hidden[i] || (d.sub[i] > 0 && d.sub[i] < sv->k)) row = json_pack("{s:I,s:b}", "team_id", (json_int_t)t->id[i], "hidden", 1);
            else if (d.sub[i] == 0) row = json_pack("{s:I,s:b,s:b}", "team_id", (json_int_t)t->id[i], "hidden", 0, "no_data", 1);
            else row = group_json(db, a, sv, rd, q, nq, t, &d, i, false);
            json_object_set_new(row, "name", json_text(t->name[i]));
            json_object_set_new(row, "parent_id", t->parent[i] > 0 ? json_integer(t->id[t->parent[i]]) : json_null());
            json_array_append_new(rows, row);
        }
        json_object_set_new(o, "teams", rows);
    }
    return o;
}

/* survey_store_factor_scores: each shown group's factor scores, at close,
 * so that the evidence part can compare rounds (team 0: the organisation). */
void survey_store_factor_scores(Db *db, Arena *a, const Survey *sv, const Round *rd, const Question *q, int nq, const Tree *t) {
    RoundData d;
    round_data(db, a, sv, rd, q, nq, t, &d);
    for (int node = 0; node < t->n; node++) {
        if (d.hidden[node] || d.sub[node] < sv->k) continue;
        QStats *st = group_stats(a, q, nq, t, &d, node);
        json_t *f = factors_json(a, q, nq, st);
        const char *key;
        json_t *v;
        json_object_foreach(f, key, v) {
            if (!json_is_real(v)) continue;
            char score[24];
            snprintf(score, sizeof score, "%.1f", json_real_value(v));
            db_exec(db, "INSERT INTO survey_factor_score(round_id, team_id, factor, score, n) VALUES (?, ?, ?, CAST(? AS REAL), ?)", "iitti", rd->id, t->id[node], key,
                    score, (int64_t)d.sub[node]);
        }
        json_decref(f);
        Enps e; /* the eNPS too, as the factor "enps", for the evidence KPIs */
        if (group_enps(a, q, nq, t, &d, node, st, &e) && e.n >= sv->k) {
            char score[24];
            snprintf(score, sizeof score, "%.1f", e.score);
            db_exec(db, "INSERT INTO survey_factor_score(round_id, team_id, factor, score, n) VALUES (?, ?, 'enps', CAST(? AS REAL), ?)", "iiti", rd->id, t->id[node],
                    score, (int64_t)e.n);
        }
    }
}

/* survey_comments_json: the comments of node's subtree, when its results
 * show and it holds at least min_comments of them; *shown says which. In
 * the order of their random ids, which is no order at all. */
json_t *survey_comments_json(Db *db, Arena *a, const Survey *sv, const Round *rd, const Tree *t, int node, bool *shown) {
    int *count = arena_alloc(a, sizeof(int) * (size_t)t->n);
    bool *hidden = arena_alloc(a, sizeof(bool) * (size_t)t->n);
    survey_visibility(db, a, rd->id, sv->k, t, count, hidden);
    json_t *items = json_array();
    *shown = false;
    if (hidden[node] || count[node] < sv->k) return items;
    Stmt *s = db_q(db,
                   "SELECT c.id, coalesce(c.team_id, 0), c.question_id, q.text, c.body, c.sentiment, c.compound, c.words, c.themes, c.sentiment_override "
                   "FROM survey_comment c JOIN survey_question q ON q.id = c.question_id WHERE c.round_id = ? ORDER BY c.id",
                   "i", rd->id);
    while (db_step(s) == DB_ROW) {
        int at = tree_find(t, db_int(s, 1));
        if (!tree_below(t, at < 0 ? 0 : at, node)) continue;
        int computed = (int)db_int(s, 5);
        json_t *words = json_loads(db_text(s, 7), 0, NULL), *themes = json_loads(db_text(s, 8), 0, NULL);
        json_t *c = json_pack("{s:I,s:I,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_int(s, 0), "question_id", (json_int_t)db_int(s, 2), "question",
                              json_text(db_text(s, 3)), "text", json_text(db_text(s, 4)), "sentiment",
                              sentiment_name(db_null(s, 9) ? computed : (int)db_int(s, 9)), "computed_sentiment", sentiment_name(computed), "override",
                              db_null(s, 9) ? json_null() : json_string(sentiment_name((int)db_int(s, 9))), "compound", json_real(atof(db_text(s, 6))), "words",
                              words ? words : json_array(), "themes", themes ? themes : json_array());
        json_array_append_new(items, c);
    }
    db_reset(s);
    if ((int)json_array_size(items) < sv->kc) {
        json_array_clear(items);
        return items;
    }
    *shown = true;
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c) {
        json_t *rs = json_array();
        Stmt *x = db_q(db, "SELECT r.author_id, p.name, r.body, r.day FROM survey_reply r LEFT JOIN person p ON p.id = r.author_id WHERE r.comment_id = ? ORDER BY r.seq",
                       "i", (int64_t)json_integer_value(json_object_get(c, "id")));
        while (db_step(x) == DB_ROW)
            json_array_append_new(rs, json_pack("{s:o,s:o,s:o}", "from", db_null(x, 0) ? json_string("the writer (anonymous)") : json_text(db_text(x, 1)), "text",
                                                json_text(db_text(x, 2)), "day", json_text(db_text(x, 3))));
        db_reset(x);
        json_object_set_new(c, "replies", rs);
    }
    return items;
}
