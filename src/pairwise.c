/* pairwise.c: the two ways a challenge's ideas are judged beyond votes.
 * Pairwise choices ("which is better?"): anyone who can see an open
 * challenge is offered two ideas at a time, least-compared first so every
 * idea gets the same exposure, and records one choice per pair (ideas.c
 * ranks from them with bt_fit). Review scorecards: the reviewers a
 * challenge's managers assign score an idea's risk, reward and effort from
 * 1 to 5; a reviewer sees the others' scores only after submitting their
 * own, managers see them all, everyone else the averages; and the
 * challenge page's risk/reward matrix shows where the smart bets are.
 * Owns the pair_choice and idea_review rows and nothing else: ideas,
 * stages and challenges belong to ideas.c and challenges.c. Nobody judges
 * or reviews their own idea. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAIR_MAX_IDEAS 5000   /* ideas considered for a pair; more is not a challenge but a dump */
#define REVIEW_NOTE_MAX 2000  /* characters */

/* ---------- pairs: loading ---------- */

/* The candidates for a pair: the challenge's ideas except merged ones and
 * the caller's own (an anonymous idea has no author to compare with). */
static const char SQL_PAIR_IDEAS[] =
    "SELECT id FROM idea WHERE challenge_id = ? AND org_id = ? AND stage <> 'merged' "
    "AND (author_id IS NULL OR author_id <> ?) ORDER BY id LIMIT ?";
static const char SQL_PAIR_SHOW[] = "SELECT title, body FROM idea WHERE id = ? AND org_id = ?";
/* every choice of the challenge, flagged when it is the caller's */
static const char SQL_PAIR_CHOICES[] = "SELECT idea_a, idea_b, person_id = ? FROM pair_choice WHERE challenge_id = ? AND org_id = ?";
static const char SQL_PAIR_IDEA[] = "SELECT id, stage, author_id FROM idea WHERE id = ? AND challenge_id = ? AND org_id = ?";
static const char SQL_PAIR_INSERT[] =
    "INSERT INTO pair_choice(org_id, challenge_id, person_id, idea_a, idea_b, winner_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

typedef struct PairIdea { int64_t id; char *title, *body; } PairIdea;

/* PairSet: what pair_pick needs for one person, with the ideas' ids in
 * ascending order so an id maps to its index by binary search. seen holds
 * the person's judged pairs as lo * n + hi keys, sorted. */
typedef struct PairSet {
    PairIdea *ideas;
    int n;
    int *counts;
    int64_t *seen;
    int nseen;
    int64_t skip;       /* one more pair to pass over (the "Skip" link), -1 none */
    int mine;           /* choices the person has made in this challenge */
} PairSet;

static int idea_index(const PairSet *ps, int64_t id) {
    int lo = 0, hi = ps->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (ps->ideas[mid].id == id) return mid;
        if (ps->ideas[mid].id < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static bool pair_seen(void *ctx, int a, int b) {
    const PairSet *ps = ctx;
    int64_t key = (int64_t)a * ps->n + b;
    return key == ps->skip || bsearch(&key, ps->seen, (size_t)ps->nseen, sizeof key, cmp_i64) != NULL;
}

/* pairset_load: the candidates of challenge c (ids only; pair_show loads
 * the two that are shown) with their comparison counts over everyone's
 * choices, and the caller's judged pairs. Arena-owned. */
static void pairset_load(Req *r, const Challenge *c, PairSet *ps) {
    memset(ps, 0, sizeof *ps);
    ps->skip = -1;
    int cap = 64;
    ps->ideas = arena_alloc(r->arena, sizeof *ps->ideas * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_PAIR_IDEAS, "iiii", c->id, r->who.org_id, r->who.person_id, (int64_t)PAIR_MAX_IDEAS);
    while (db_step(s) == DB_ROW) {
        if (ps->n == cap) ps->ideas = arena_grow(r->arena, ps->ideas, &cap, sizeof *ps->ideas);
        ps->ideas[ps->n++].id = db_int(s, 0);
    }
    db_reset(s);
    ps->counts = arena_alloc(r->arena, sizeof(int) * (size_t)(ps->n + 1));
    int scap = 64;
    ps->seen = arena_alloc(r->arena, sizeof(int64_t) * (size_t)scap);
    s = db_q(r->db, SQL_PAIR_CHOICES, "iii", r->who.person_id, c->id, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        bool mine = db_int(s, 2) != 0;
        if (mine) ps->mine++;
        int a = idea_index(ps, db_int(s, 0)), b = idea_index(ps, db_int(s, 1));
        if (a >= 0) ps->counts[a]++;
        if (b >= 0) ps->counts[b]++;
        if (!mine || a < 0 || b < 0) continue;
        if (ps->nseen == scap) ps->seen = arena_grow(r->arena, ps->seen, &scap, sizeof *ps->seen);
        ps->seen[ps->nseen++] = a < b ? (int64_t)a * ps->n + b : (int64_t)b * ps->n + a;
    }
    db_reset(s);
    qsort(ps->seen, (size_t)ps->nseen, sizeof(int64_t), cmp_i64);
}

/* pairset_pick: the next pair for the caller as indexes, shown in the
 * order left (*a), right (*b). The side alternates with the caller's
 * number of choices, so neither position is always the less-compared
 * idea. skip_a/skip_b (ids, 0 for none) is a pair just skipped: passed
 * over unless it is the only one left. 1 found, 0 when the caller has
 * judged every pair (or there are fewer than two ideas). */
static int pairset_pick(PairSet *ps, int64_t skip_a, int64_t skip_b, int *a, int *b) {
    int x = idea_index(ps, skip_a), y = idea_index(ps, skip_b);
    ps->skip = x >= 0 && y >= 0 && x != y ? (x < y ? (int64_t)x * ps->n + y : (int64_t)y * ps->n + x) : -1;
    int found = pair_pick(ps->n, ps->counts, pair_seen, ps, a, b);
    if (!found && ps->skip >= 0) {
        ps->skip = -1;
        found = pair_pick(ps->n, ps->counts, pair_seen, ps, a, b);
    }
    if (found && ps->mine % 2 == 1) {
        int t = *a;
        *a = *b;
        *b = t;
    }
    return found;
}

/* pair_show: the title and body of the two picked ideas. */
static void pair_show(Req *r, PairSet *ps, int a, int b) {
    const int pick[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        PairIdea *x = &ps->ideas[pick[i]];
        Stmt *s = db_q(r->db, SQL_PAIR_SHOW, "ii", x->id, r->who.org_id);
        if (db_step(s) == DB_ROW) {
            x->title = db_dup(s, 0, r->arena);
            x->body = arena_strdup(r->arena, db_text(s, 1));
        }
        db_reset(s);
        if (!x->title) x->title = x->body = ""; /* NEVER: read in this request */
    }
}

/* ---------- pairs: recording ---------- */

/* pair_record: records that the caller prefers winner to loser in
 * challenge c, in one transaction. 0 ok; -1 with the problem in e: 409 the
 * challenge is not open or the caller has judged this pair already; 422
 * not two different unmerged ideas of this challenge; 403 one of them is
 * the caller's own. */
static int pair_record(Req *r, const Challenge *c, int64_t winner, int64_t loser, Errors *e) {
    if (strcmp(c->phase, "open") != 0) {
        err_add(e, 409, "not_open", NULL, "Comparisons are closed: this challenge is no longer open.");
        return -1;
    }
    if (winner <= 0) err_add(e, 422, "invalid", "winner", "Say which idea is better (winner: an idea id).");
    if (loser <= 0) err_add(e, 422, "invalid", "loser", "Say which idea it is better than (loser: an idea id).");
    if (!e->n && winner == loser) err_add(e, 422, "invalid", "loser", "Choose between two different ideas.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    const int64_t ids[2] = {winner, loser};
    const char *const fields[2] = {"winner", "loser"};
    for (int i = 0; i < 2; i++) {
        Stmt *s = db_q(r->db, SQL_PAIR_IDEA, "iii", ids[i], c->id, r->who.org_id);
        if (db_step(s) != DB_ROW) err_add(e, 422, "invalid", fields[i], "That is not an idea of this challenge.");
        else if (strcmp(db_text(s, 1), "merged") == 0) err_add(e, 422, "invalid", fields[i], "That idea was merged into another one.");
        else if (db_int(s, 2) == r->who.person_id) err_add(e, 403, "own_idea", fields[i], "You cannot judge your own idea.");
        db_reset(s);
    }
    if (e->n) {
        db_rollback(r->db);
        return -1;
    }
    int64_t lo = winner < loser ? winner : loser, hi = winner < loser ? loser : winner;
    int rc = db_exec(r->db, SQL_PAIR_INSERT, "iiiiiii", r->who.org_id, c->id, r->who.person_id, lo, hi, winner, r->now);
    /* No audit line: a choice is an opinion, like a vote, not a change to
     * anything anyone owns; the row itself is the record. */
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        if (rc == DB_CONSTRAINT) err_add(e, 409, "already_judged", NULL, "You have already compared these two ideas.");
        else err_add(e, 503, "busy", NULL, "The choice could not be saved; try again.");
        return -1;
    }
    return 0;
}

/* ---------- pairs: API ---------- */

static json_t *pair_idea_json(const PairIdea *x) {
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)x->id, "title", x->title, "body", x->body);
}

/* GET /api/v1/challenges/{id}/pair: two ideas the caller has not compared
 * yet, least-compared first, never their own or merged ones (member who
 * can see the challenge; 409 unless it is open). {"a":{id,title,body},
 * "b":{...},"done":false,"compared":N}, or a and b null with done true
 * when the caller has judged every pair or there are fewer than two. */
int pairwise_api_get(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    if (strcmp(c.phase, "open") != 0) return resp_error(r, 409, "not_open", "Comparisons are closed: this challenge is no longer open.");
    PairSet ps;
    pairset_load(r, &c, &ps);
    int a, b;
    bool found = pairset_pick(&ps, 0, 0, &a, &b);
    if (found) pair_show(r, &ps, a, b);
    json_t *o = json_object();
    json_object_set_new(o, "a", found ? pair_idea_json(&ps.ideas[a]) : json_null());
    json_object_set_new(o, "b", found ? pair_idea_json(&ps.ideas[b]) : json_null());
    json_object_set_new(o, "done", json_boolean(!found));
    json_object_set_new(o, "compared", json_integer(ps.mine));
    resp_json(r, 200, o);
    return 0;
}

static const JField PAIR_FIELDS[] = {{"winner", JF_INT, 0}, {"loser", JF_INT, 0}, {0}};

/* POST /api/v1/challenges/{id}/pair {"winner","loser"}: records which of
 * two ideas the caller prefers, once per pair (member who can see the
 * challenge). 201 {"recorded":true}; 409 when not open or already judged;
 * 422 unless two different unmerged ideas of the challenge; 403 for one's
 * own idea. */
int pairwise_api_choose(Req *r) {
    json_t *in = req_json_object(r, PAIR_FIELDS);
    if (!in) return -1;
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    Errors e = {0};
    if (pair_record(r, &c, json_id(in, "winner"), json_id(in, "loser"), &e)) return err_send(r, &e);
    resp_json(r, 201, json_pack("{s:b}", "recorded", 1));
    return 0;
}

/* ---------- pairs: pages ---------- */

/* closed_page: the friendly answer when comparisons are over (409). */
static int closed_page(Req *r, const Challenge *c) {
    page_begin(r, "Which is better?");
    html_printf(page(r), "<h1>Which is better?</h1><p class=\"lead\">Comparisons are closed: %h is in its %h phase.</p>"
                         "<p><a href=\"/challenges/%D\">Back to the challenge</a></p>",
                c->title, c->phase, c->id);
    page_end(r);
    r->resp.status = 409;
    return 0;
}

/* parse_skip: ?skip=A-B, the pair the caller just skipped (0s if absent). */
static void parse_skip(Req *r, int64_t *a, int64_t *b) {
    const char *s = req_query(r, "skip");
    *a = *b = 0;
    const char *dash = s ? strchr(s, '-') : NULL;
    if (!dash) return;
    char *first = arena_strndup(r->arena, s, (size_t)(dash - s));
    if (!parse_id(first, a) || !parse_id(dash + 1, b)) *a = *b = 0;
}

/* pair_card: one side of the screen: the idea and its button. */
static void pair_card(Req *r, const Challenge *c, const PairIdea *win, const PairIdea *lose, const char *side) {
    Buf *b = page(r);
    html_printf(b, "<form method=\"post\" action=\"/challenges/%D/pair\" class=\"card pair-card\">"
                   "<input type=\"hidden\" name=\"csrf_token\" value=\"%h\"><input type=\"hidden\" name=\"winner\" value=\"%D\">"
                   "<input type=\"hidden\" name=\"loser\" value=\"%D\"><h2 id=\"pair-%s\">%h</h2><div class=\"idea-body\">",
                c->id, r->who.csrf ? r->who.csrf : "", win->id, lose->id, side, win->title);
    html_markdown(b, win->body);
    html_printf(b, "</div><div class=\"actions\"><button type=\"submit\" aria-describedby=\"pair-%s\">This one is better</button></div></form>", side);
}

/* GET /challenges/{id}/pair ?skip=A-B ?done=1: the "Which is better?"
 * screen (member who can see the challenge): two ideas as big cards side
 * by side (stacked on a phone), each with its own button; a Skip link;
 * how many pairs the caller has compared; a friendly word when done. */
int pairwise_page(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    if (strcmp(c.phase, "open") != 0) return closed_page(r, &c);
    PairSet ps;
    pairset_load(r, &c, &ps);
    int64_t sa, sb;
    parse_skip(r, &sa, &sb);
    int a, b;
    bool found = pairset_pick(&ps, sa, sb, &a, &b);
    if (found) pair_show(r, &ps, a, b);
    page_begin(r, "Which is better?");
    Buf *o = page(r);
    html_printf(o, "<h1>Which is better?</h1><p class=\"lead\">For <a href=\"/challenges/%D\">%h</a>: pick the idea you would rather see done. "
                   "Many quick choices by many people rank every idea fairly.</p>",
                c.id, c.title);
    if (req_query(r, "done")) page_flash(r, "Thanks, noted. Here is the next pair.");
    if (!found) {
        if (ps.n < 2) buf_puts(o, "<p>There are not enough ideas to compare yet. Come back when more have been shared.</p>");
        else html_printf(o, "<p>You have compared every pair of ideas here: %d in all. Thank you! New ideas will bring new pairs.</p>", ps.mine);
        html_printf(o, "<p><a href=\"/challenges/%D?sort=pairwise\">See the ranking</a> · <a href=\"/challenges/%D\">Back to the challenge</a></p>",
                    c.id, c.id);
        page_end(r);
        return 0;
    }
    html_printf(o, "<p class=\"muted pair-progress\">You have compared %d %s so far.</p>", ps.mine, ps.mine == 1 ? "pair" : "pairs");
    buf_puts(o, "<div class=\"grid pair\">");
    pair_card(r, &c, &ps.ideas[a], &ps.ideas[b], "a");
    pair_card(r, &c, &ps.ideas[b], &ps.ideas[a], "b");
    html_printf(o, "</div><p class=\"pair-skip\"><a href=\"/challenges/%D/pair?skip=%D-%D\">Skip: I can't choose</a> · "
                   "<a href=\"/challenges/%D\">Back to the challenge</a></p>",
                c.id, ps.ideas[a].id, ps.ideas[b].id, c.id);
    page_end(r);
    return 0;
}

/* POST /challenges/{id}/pair (winner, loser): records the choice and goes
 * back to the screen for the next pair (member). A pair already judged
 * (a double click) simply moves on; other problems are error pages. */
int pairwise_page_choose(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    if (strcmp(c.phase, "open") != 0) return closed_page(r, &c);
    int64_t winner = 0, loser = 0;
    const char *w = req_form(r, "winner"), *l = req_form(r, "loser");
    if (w) parse_id(w, &winner);
    if (l) parse_id(l, &loser);
    Errors e = {0};
    if (pair_record(r, &c, winner, loser, &e) && e.status != 409)
        return resp_error(r, e.status ? e.status : 422, e.code ? e.code : "invalid", "%s", e.items[0].msg);
    resp_redirect(r, arena_printf(r->arena, "/challenges/%lld/pair?done=1", (long long)c.id));
    return 0;
}

/* ---------- reviews: loading ---------- */

static const char SQL_REVIEW_IDEA[] = "SELECT id, challenge_id, author_id, title, stage FROM idea WHERE id = ? AND org_id = ?";
static const char SQL_IS_REVIEWER[] = "SELECT 1 FROM challenge_reviewer WHERE challenge_id = ? AND person_id = ? AND org_id = ?";
static const char SQL_REVIEWS[] =
    "SELECT rv.reviewer_id, p.name, rv.risk, rv.reward, rv.effort, rv.note, rv.created_at FROM idea_review rv "
    "LEFT JOIN person p ON p.id = rv.reviewer_id AND p.org_id = rv.org_id WHERE rv.idea_id = ? AND rv.org_id = ? "
    "ORDER BY rv.created_at, rv.reviewer_id LIMIT 1000";
static const char SQL_REVIEW_EXISTS[] = "SELECT 1 FROM idea_review WHERE idea_id = ? AND reviewer_id = ? AND org_id = ?";
static const char SQL_REVIEW_UPSERT[] =
    "INSERT INTO idea_review(idea_id, reviewer_id, org_id, risk, reward, effort, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(idea_id, reviewer_id) DO UPDATE SET risk = excluded.risk, reward = excluded.reward, effort = excluded.effort, "
    "note = excluded.note, created_at = excluded.created_at";

typedef struct IdeaRef {
    int64_t id, challenge_id, author_id; /* author 0 when anonymous */
    char *title, *stage;
} IdeaRef;

/* idea_ref_load: idea id with its challenge, when the caller may see that
 * challenge; else 404 sent and -1 (also for another organisation's idea). */
static int idea_ref_load(Req *r, int64_t id, IdeaRef *i, Challenge *c) {
    Stmt *s = db_q(r->db, SQL_REVIEW_IDEA, "ii", id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) {
        i->id = db_int(s, 0);
        i->challenge_id = db_int(s, 1);
        i->author_id = db_int(s, 2);
        i->title = db_dup(s, 3, r->arena);
        i->stage = db_dup(s, 4, r->arena);
    }
    db_reset(s);
    if (!found || !challenge_find(r, i->challenge_id, c)) return resp_error(r, 404, "not_found", "There is no such idea.");
    return 0;
}

static bool is_reviewer(Req *r, int64_t challenge_id) {
    int64_t one = 0;
    return db_one_int(r->db, &one, SQL_IS_REVIEWER, "iii", challenge_id, r->who.person_id, r->who.org_id) == 1;
}

typedef struct Review {
    int64_t reviewer_id, at;
    char *name, *note;
    int risk, reward, effort;
} Review;

/* ReviewSet: an idea's scorecards as the caller may see them. A reviewer
 * who has not submitted yet sees none of the others (blind, so the scores
 * stay independent), even when they also manage the challenge; managers
 * and reviewers who have submitted see every scorecard; everyone else the
 * averages only. */
typedef struct ReviewSet {
    bool reviewer, submitted, see_all, see_summary;
    Review *all;       /* every scorecard, arena-owned; show only per the flags */
    int n;
    const Review *own; /* the caller's, or NULL */
    double risk, reward, effort; /* averages over all; NAN when n is 0 */
} ReviewSet;

static void reviews_load(Req *r, const IdeaRef *idea, const Challenge *c, ReviewSet *rs) {
    memset(rs, 0, sizeof *rs);
    rs->reviewer = is_reviewer(r, c->id);
    int cap = 8;
    rs->all = arena_alloc(r->arena, sizeof *rs->all * (size_t)cap);
    double sr = 0, sw = 0, se = 0;
    Stmt *s = db_q(r->db, SQL_REVIEWS, "ii", idea->id, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        if (rs->n == cap) rs->all = arena_grow(r->arena, rs->all, &cap, sizeof *rs->all);
        Review *v = &rs->all[rs->n++];
        v->reviewer_id = db_int(s, 0);
        v->name = db_null(s, 1) ? "A former member" : db_dup(s, 1, r->arena);
        v->risk = (int)db_int(s, 2);
        v->reward = (int)db_int(s, 3);
        v->effort = (int)db_int(s, 4);
        v->note = arena_strdup(r->arena, db_text(s, 5));
        v->at = db_int(s, 6);
        sr += v->risk;
        sw += v->reward;
        se += v->effort;
    }
    db_reset(s);
    for (int i = 0; i < rs->n; i++)
        if (rs->all[i].reviewer_id == r->who.person_id) rs->own = &rs->all[i];
    rs->submitted = rs->own != NULL;
    rs->risk = rs->n ? sr / rs->n : NAN;
    rs->reward = rs->n ? sw / rs->n : NAN;
    rs->effort = rs->n ? se / rs->n : NAN;
    bool blind = rs->reviewer && !rs->submitted;
    rs->see_all = !blind && (rs->submitted || challenge_can_manage(r, c));
    rs->see_summary = !blind && rs->n > 0;
}

/* ---------- reviews: saving ---------- */

typedef struct ReviewIn { int risk, reward, effort; const char *note; } ReviewIn;

/* review_score: a score must be an integer from 1 to 5 (0 = missing). */
static void review_score(int v, const char *field, const char *label, Errors *e) {
    if (v < 1 || v > 5) err_add(e, 422, "invalid", field, label);
}

/* review_save: the caller's scorecard for idea, created or replaced
 * (upsert: a reviewer may change their mind; the time is the latest
 * change), in one transaction with its audit line. 0 ok (*created says
 * which); -1 with the problem in e: 403 not a reviewer of this challenge
 * or the caller's own idea; 409 a merged idea; 422 a field. */
static int review_save(Req *r, const IdeaRef *idea, const Challenge *c, ReviewIn in, Errors *e, bool *created) {
    if (!is_reviewer(r, c->id)) {
        err_add(e, 403, "not_reviewer", NULL, "Only the reviewers assigned to this challenge score its ideas.");
        return -1;
    }
    if (idea->author_id && idea->author_id == r->who.person_id) {
        err_add(e, 403, "own_idea", NULL, "You cannot review your own idea.");
        return -1;
    }
    if (strcmp(idea->stage, "merged") == 0) {
        err_add(e, 409, "merged", NULL, "This idea was merged into another one; review that one instead.");
        return -1;
    }
    review_score(in.risk, "risk", "Score the risk from 1 (low) to 5 (high).", e);
    review_score(in.reward, "reward", "Score the reward from 1 (low) to 5 (high).", e);
    review_score(in.effort, "effort", "Score the effort from 1 (little) to 5 (a lot).", e);
    const char *note = str_trim(r->arena, in.note ? in.note : "");
    if (!utf8_valid(note)) err_add(e, 422, "invalid", "note", "The note is not valid text.");
    else if (utf8_chars(note) > REVIEW_NOTE_MAX) err_add(e, 422, "invalid", "note", "Keep the note to 2000 characters or fewer.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_add(e, 503, "busy", NULL, "The server is busy; try again.");
        return -1;
    }
    int64_t one = 0;
    *created = !db_one_int(r->db, &one, SQL_REVIEW_EXISTS, "iii", idea->id, r->who.person_id, r->who.org_id);
    int rc = db_exec(r->db, SQL_REVIEW_UPSERT, "iiiiiiti", idea->id, r->who.person_id, r->who.org_id, (int64_t)in.risk, (int64_t)in.reward,
                     (int64_t)in.effort, note, r->now);
    if (rc == DB_OK)
        audit(r, *created ? "idea.review" : "idea.review_update", arena_printf(r->arena, "idea:%lld", (long long)idea->id),
              "risk %d, reward %d, effort %d", in.risk, in.reward, in.effort);
    if (rc != DB_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        err_add(e, 503, "busy", NULL, "The review could not be saved; try again.");
        return -1;
    }
    return 0;
}

/* ---------- reviews: API ---------- */

static json_t *avg_json(double v) { return isnan(v) ? json_null() : json_real(round(v * 100) / 100); }

static json_t *review_json(Req *r, int64_t idea_id, const Review *v) {
    return json_pack("{s:I,s:{s:I,s:s},s:i,s:i,s:i,s:s,s:s}", "idea_id", (json_int_t)idea_id, "reviewer", "id", (json_int_t)v->reviewer_id, "name",
                     v->name, "risk", v->risk, "reward", v->reward, "effort", v->effort, "note", v->note, "created_at", iso_time(r->arena, v->at));
}

/* GET /api/v1/ideas/{id}/reviews: the idea's scorecards as the caller may
 * see them (member who can see the challenge; 404 otherwise).
 * {"items":[...],"hidden":N,"summary":{count,risk,reward,effort}|null,
 * "reviewer":bool,"submitted":bool}. Managers of the challenge and
 * reviewers who have submitted get every scorecard; a reviewer who has not
 * yet gets no items, hidden = how many others have, and no summary; other
 * members get the averages only (hidden = the count). */
int pairwise_api_reviews(Req *r) {
    IdeaRef idea;
    Challenge c;
    if (idea_ref_load(r, r->params[0], &idea, &c)) return -1;
    ReviewSet rs;
    reviews_load(r, &idea, &c, &rs);
    json_t *items = json_array();
    if (rs.see_all)
        for (int i = 0; i < rs.n; i++) json_array_append_new(items, review_json(r, idea.id, &rs.all[i]));
    json_t *summary = rs.see_summary ? json_pack("{s:i,s:o,s:o,s:o}", "count", rs.n, "risk", avg_json(rs.risk), "reward", avg_json(rs.reward),
                                                 "effort", avg_json(rs.effort))
                                     : json_null();
    resp_json(r, 200, json_pack("{s:o,s:i,s:o,s:b,s:b}", "items", items, "hidden", rs.see_all ? 0 : rs.n, "summary", summary, "reviewer", rs.reviewer,
                                "submitted", rs.submitted));
    return 0;
}

static const JField REVIEW_FIELDS[] = {{"risk", JF_INT, 0}, {"reward", JF_INT, 0}, {"effort", JF_INT, 0}, {"note", JF_STRING_NULL, 8000}, {0}};

static int json_score(json_t *in, const char *name) {
    json_t *v = json_object_get(in, name);
    if (!json_is_integer(v)) return 0;
    json_int_t x = json_integer_value(v);
    return x >= 1 && x <= 5 ? (int)x : 0;
}

/* POST /api/v1/ideas/{id}/reviews {"risk","reward","effort","note"}: the
 * caller's scorecard, 1-5 each, a note of up to 2000 characters (member
 * assigned as a reviewer of the idea's challenge; 403 otherwise or for
 * their own idea; 404 when the idea cannot be seen; 409 merged). Once per
 * reviewer: a second submission replaces the first. 201 with the
 * scorecard when new, 200 when replaced. */
int pairwise_api_review(Req *r) {
    json_t *in = req_json_object(r, REVIEW_FIELDS);
    if (!in) return -1;
    IdeaRef idea;
    Challenge c;
    if (idea_ref_load(r, r->params[0], &idea, &c)) return -1;
    ReviewIn v = {json_score(in, "risk"), json_score(in, "reward"), json_score(in, "effort"), json_str(in, "note")};
    Errors e = {0};
    bool created = false;
    if (review_save(r, &idea, &c, v, &e, &created)) return err_send(r, &e);
    ReviewSet rs;
    reviews_load(r, &idea, &c, &rs);
    if (!rs.own) return resp_error(r, 500, "internal", "The review was saved but cannot be read back.");
    if (created) resp_header(r, "Location", arena_printf(r->arena, "/api/v1/ideas/%lld/reviews", (long long)idea.id));
    resp_json(r, created ? 201 : 200, review_json(r, idea.id, rs.own));
    return 0;
}

/* ---------- reviews: pages ---------- */

static char *avg_text(Arena *a, double v) { return isnan(v) ? "none" : arena_printf(a, "%.1f", v); }

/* review_form: the scorecard form, filled with typed (or stored) values. */
static void review_form(Req *r, int64_t idea_id, const ReviewIn *in, const Errors *e, bool update) {
    static const char *const scores[] = {"", "1", "2", "3", "4", "5", NULL};
    char buf[3][4];
    const int vals[3] = {in ? in->risk : 0, in ? in->reward : 0, in ? in->effort : 0};
    for (int i = 0; i < 3; i++) snprintf(buf[i], sizeof buf[i], "%d", vals[i] >= 1 && vals[i] <= 5 ? vals[i] : 0);
    form_begin(r, arena_printf(r->arena, "/ideas/%lld/reviews", (long long)idea_id), NULL);
    buf_puts(page(r), "<div class=\"review-scores\">");
    form_select_str(r, "risk", "Risk (1 low, 5 high)", buf[0], scores, e ? err_for(e, "risk") : NULL);
    form_select_str(r, "reward", "Reward (1 low, 5 high)", buf[1], scores, e ? err_for(e, "reward") : NULL);
    form_select_str(r, "effort", "Effort (1 little, 5 a lot)", buf[2], scores, e ? err_for(e, "effort") : NULL);
    buf_puts(page(r), "</div>");
    form_textarea(r, "note", "Note (optional)", in ? in->note : NULL, e ? err_for(e, "note") : NULL,
                  "Why these scores? What would make it less risky or more worthwhile?");
    form_end(r, update ? N_("Update your review") : N_("Submit your review"));
}

/* reviews_table: every scorecard with the averages as a last row. */
static void reviews_table(Req *r, const ReviewSet *rs) {
    Buf *b = page(r);
    buf_puts(b, "<table class=\"list reviews\"><caption>Scorecards</caption><thead><tr><th scope=\"col\">Reviewer</th>"
                "<th scope=\"col\" class=\"num\">Risk</th><th scope=\"col\" class=\"num\">Reward</th><th scope=\"col\" class=\"num\">Effort</th>"
                "<th scope=\"col\">Note</th></tr></thead><tbody>");
    for (int i = 0; i < rs->n; i++) {
        const Review *v = &rs->all[i];
        html_printf(b, "<tr><td>%h</td><td class=\"num\" data-label=\"Risk\">%d</td><td class=\"num\" data-label=\"Reward\">%d</td>"
                       "<td class=\"num\" data-label=\"Effort\">%d</td><td>%h</td></tr>",
                    v->name, v->risk, v->reward, v->effort, v->note);
    }
    html_printf(b, "<tr><td>Average</td><td class=\"num\" data-label=\"Risk\">%h</td><td class=\"num\" data-label=\"Reward\">%h</td>"
                   "<td class=\"num\" data-label=\"Effort\">%h</td><td></td></tr></tbody></table>",
                avg_text(r->arena, rs->risk), avg_text(r->arena, rs->reward), avg_text(r->arena, rs->effort));
}

/* reviews_card: the idea page's "Reviews" card as the caller may see it:
 * every scorecard, the averages, or nothing at all; for a reviewer the
 * form (folded away once submitted). ?reviewed= shows the word after a
 * submission. */
static void reviews_card(Req *r, const IdeaRef *idea, const Challenge *c) {
    ReviewSet rs;
    reviews_load(r, idea, c, &rs);
    bool own_idea = idea->author_id && idea->author_id == r->who.person_id;
    bool can_review = rs.reviewer && !own_idea && strcmp(idea->stage, "merged") != 0;
    if (!rs.see_all && !rs.see_summary && !can_review) return; /* nothing to show this person */
    Buf *b = page(r);
    buf_puts(b, "<section class=\"card\" id=\"reviews\"><h2>Reviews</h2>");
    if (req_query(r, "reviewed")) page_flash(r, "Your review is saved.");
    if (rs.see_all && rs.n) reviews_table(r, &rs);
    else if (rs.see_summary)
        html_printf(b, "<p>%d %s: average risk <strong>%h</strong>, reward <strong>%h</strong>, effort <strong>%h</strong> (1 to 5).</p>", rs.n,
                    rs.n == 1 ? "review" : "reviews", avg_text(r->arena, rs.risk), avg_text(r->arena, rs.reward), avg_text(r->arena, rs.effort));
    else if (rs.see_all) buf_puts(b, "<p class=\"muted\">No reviews yet.</p>");
    if (can_review) {
        if (!rs.submitted)
            html_printf(b, "<p class=\"muted\">%s</p>",
                        rs.n == 0 ? "You are a reviewer of this challenge. Nobody has scored this idea yet."
                        : rs.n == 1 ? "You are a reviewer of this challenge. One other reviewer has scored this idea; you see their scores once you "
                                      "have submitted yours."
                                    : arena_printf(r->arena, "You are a reviewer of this challenge. %d other reviewers have scored this idea; you see "
                                                             "their scores once you have submitted yours.", rs.n));
        ReviewIn stored = {0};
        if (rs.own) stored = (ReviewIn){rs.own->risk, rs.own->reward, rs.own->effort, rs.own->note};
        /* once submitted, the form folds away: changing a review is rare */
        if (rs.submitted) buf_puts(b, "<details><summary>Change your review</summary>");
        review_form(r, idea->id, rs.own ? &stored : NULL, NULL, rs.submitted);
        if (rs.submitted) buf_puts(b, "</details>");
    }
    buf_puts(b, "</section>");
}

/* reviews_render_for_idea: the "Reviews" card for the idea page (ideas.c),
 * whose caller has loaded the idea and its challenge c and checked that the
 * caller may see them. Renders nothing for someone with nothing to see. */
void reviews_render_for_idea(Req *r, int64_t idea_id, const Challenge *c) {
    Stmt *s = db_q(r->db, SQL_REVIEW_IDEA, "ii", idea_id, r->who.org_id);
    IdeaRef idea = {0};
    int found = db_step(s) == DB_ROW;
    if (found) {
        idea.id = db_int(s, 0);
        idea.challenge_id = db_int(s, 1);
        idea.author_id = db_int(s, 2);
        idea.title = db_dup(s, 3, r->arena);
        idea.stage = db_dup(s, 4, r->arena);
    }
    db_reset(s);
    if (!found || idea.challenge_id != c->id) return; /* NEVER: the caller loaded both */
    reviews_card(r, &idea, c);
}

/* form_score: a score select: "" is 0 (missing), else 1-5 or -1. */
static int form_score(Req *r, const char *name) {
    const char *s = req_form(r, name);
    int64_t v;
    if (!s || !*s) return 0;
    return parse_id(s, &v) && v <= 5 ? (int)v : -1;
}

/* POST /ideas/{id}/reviews (risk, reward, effort, note): the caller's
 * scorecard from the idea page (member assigned as a reviewer); back to
 * the idea with a word, or a page with the form and its problems (422,
 * 409). 403/404 are error pages. */
int pairwise_page_review(Req *r) {
    IdeaRef idea;
    Challenge c;
    if (idea_ref_load(r, r->params[0], &idea, &c)) return -1;
    ReviewIn in = {form_score(r, "risk"), form_score(r, "reward"), form_score(r, "effort"), req_form(r, "note")};
    Errors e = {0};
    bool created = false;
    if (review_save(r, &idea, &c, in, &e, &created)) {
        if (e.status == 403 || e.status == 503 || e.status == 409) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
        page_begin(r, arena_printf(r->arena, "Review: %s", idea.title));
        html_printf(page(r), "<h1>Review: %h</h1><p class=\"lead\">For <a href=\"/challenges/%D\">%h</a>. <a href=\"/ideas/%D\">Back to the idea</a></p>",
                    idea.title, c.id, c.title, idea.id);
        form_error_summary(r, e.n);
        buf_puts(page(r), "<section class=\"card\">");
        int64_t one = 0;
        review_form(r, idea.id, &in, &e, db_one_int(r->db, &one, SQL_REVIEW_EXISTS, "iii", idea.id, r->who.person_id, r->who.org_id) == 1);
        buf_puts(page(r), "</section>");
        page_end(r);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    resp_redirect(r, arena_printf(r->arena, "/ideas/%lld?reviewed=1#reviews", (long long)idea.id));
    return 0;
}

/* ---------- the risk/reward matrix ---------- */

/* Every reviewed, unmerged idea of the challenge with its score sums
 * (averaged here: db.c reads integers); mine says whether the caller
 * reviewed it, author_id who wrote it. */
static const char SQL_MATRIX[] =
    "SELECT i.id, i.title, sum(rv.risk), sum(rv.reward), sum(rv.effort), count(*), max(rv.reviewer_id = ?), i.author_id "
    "FROM idea i JOIN idea_review rv ON rv.idea_id = i.id AND rv.org_id = i.org_id "
    "WHERE i.challenge_id = ? AND i.org_id = ? AND i.stage <> 'merged' GROUP BY i.id ORDER BY i.id LIMIT 1000";

typedef struct Bet {
    int64_t id;
    char *title;
    double risk, reward, effort;
    int count;
    bool smart;
} Bet;

/* best bets first: most reward over risk, then most reward, then oldest */
static int cmp_bet(const void *a, const void *b) {
    const Bet *x = a, *y = b;
    double dx = x->reward - x->risk, dy = y->reward - y->risk;
    if (dx != dy) return dx > dy ? -1 : 1;
    if (x->reward != y->reward) return x->reward > y->reward ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* short_title: at most max characters (UTF-8 aware), an ellipsis when cut. */
static char *short_title(Arena *a, const char *s, int max) {
    int chars = 0;
    const char *p = s;
    for (; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > max) break;
    if (!*p) return (char *)s;
    return arena_printf(a, "%.*s\xe2\x80\xa6", (int)(p - s), s);
}

#define MX_W 520 /* narrow enough to stay legible when a phone scales it down */
#define MX_H 500
#define MX_LEFT 56
#define MX_RIGHT 12
#define MX_TOP 44 /* room for the smart bets label above the plot */
#define MX_BOTTOM 56
/* the axes run from 0.5 to 5.5 so that bubbles at 1 and 5 fit */
static int mx_x(double risk) { return MX_LEFT + (int)lround((risk - 0.5) / 5 * (MX_W - MX_LEFT - MX_RIGHT)); }
static int mx_y(double reward) { return MX_TOP + (int)lround((5.5 - reward) / 5 * (MX_H - MX_TOP - MX_BOTTOM)); }
static int mx_radius(double effort) { return (int)lround(9 + (effort - 1) * 4.5); } /* 9 to 27: fits between 5 and the edge */

/* matrix_svg: the chart itself; bets sorted best first, numbered 1.. */
static void matrix_svg(Req *r, const Bet *bets, int n, int nsmart) {
    Buf *b = page(r);
    Arena *a = r->arena;
    Buf sum = {0};
    for (int i = 0, listed = 0; i < n && listed < 5; i++)
        if (bets[i].smart) buf_printf(&sum, "%s%s", listed++ ? "; " : ": ", bets[i].title);
    if (nsmart > 5) buf_printf(&sum, "; and %d more", nsmart - 5);
    char *label = arena_printf(a, "Bubble chart of %d reviewed idea%s: average risk from 1 (low) to 5 (high) across, average reward from 1 to 5 "
                                  "upwards, bubble size average effort. %d in the smart bets corner (high reward, low risk)%s.",
                               n, n == 1 ? "" : "s", nsmart, buf_cstr(&sum));
    buf_free(&sum);
    html_printf(b, "<svg class=\"chart chart-matrix\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%h\" "
                   "font-size=\"13\" font-family=\"system-ui, sans-serif\">",
                MX_W, MX_H, MX_W, MX_H, label);
    int x0 = mx_x(0.5), x1 = mx_x(5.5), y0 = mx_y(5.5), y1 = mx_y(0.5), xm = mx_x(3), ym = mx_y(3);
    /* the smart bets corner: reward above 3, risk below 3 */
    html_printf(b, "<rect class=\"smart-bets\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e3f4e8\"/>", x0, y0, xm - x0, ym - y0);
    /* labelled above the plot, where no bubble can cover it */
    html_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"6\" fill=\"#b9e2c6\"/>", x0, y0 - 6, xm - x0);
    html_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#1e6b3a\"><tspan font-weight=\"600\">Smart bets</tspan> high reward, low risk</text>", x0,
                y0 - 14);
    for (int v = 1; v <= 5; v++) {
        int gx = mx_x(v), gy = mx_y(v);
        html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d9dee4\"/>", gx, y0, gx, y1);
        html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d9dee4\"/>", x0, gy, x1, gy);
        html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#52606d\">%d</text>", gx, y1 + 16, v);
        html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#52606d\">%d</text>", x0 - 8, gy + 4, v);
    }
    html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 3\"/>", xm, y0, xm, y1);
    html_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 3\"/>", x0, ym, x1, ym);
    html_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#52606d\"/>", x0, y0, x1 - x0, y1 - y0);
    html_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#1c2733\">Risk (average, 1 low to 5 high)</text>", (x0 + x1) / 2, MX_H - 12);
    html_printf(b, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" fill=\"#1c2733\" transform=\"rotate(-90 16 %d)\">Reward (average, 1 to 5)</text>",
                (y0 + y1) / 2, (y0 + y1) / 2);
    /* the worst bets first, so the best are drawn on top */
    for (int i = n - 1; i >= 0; i--) {
        const Bet *x = &bets[i];
        int cx = mx_x(x->risk), cy = mx_y(x->reward), rad = mx_radius(x->effort);
        char *tip = arena_printf(a, "%d. %s: risk %.1f, reward %.1f, effort %.1f (%d review%s)%s", i + 1, x->title, x->risk, x->reward, x->effort,
                                 x->count, x->count == 1 ? "" : "s", x->smart ? "; a smart bet" : "");
        html_printf(b, "<a href=\"/ideas/%D\" class=\"bubble\"><circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" fill-opacity=\"0.6\" stroke=\"%s\">"
                       "<title>%h</title></circle><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"12\" font-weight=\"600\" "
                       "aria-hidden=\"true\">%d</text></a>",
                    x->id, cx, cy, rad, x->smart ? "#1e6b3a" : "#1a5b96", x->smart ? "#123f22" : "#0f3d66", tip, cx, cy + 4, i + 1);
    }
    buf_puts(b, "</svg>");
}

/* reviews_render_matrix: see ideas.h. A card with the SVG (x average
 * risk, y average reward, bubble radius average effort; the smart bets
 * corner, reward above 3 and risk below 3, shaded and labelled; each
 * bubble numbered best bet first, linked to its idea, with a <title>) and
 * the numbers as a table. A reviewer of the challenge sees only the ideas
 * they have reviewed themselves (or wrote), so the averages cannot unblind
 * them; managers and other members see every reviewed idea. A short note
 * when there is nothing to show. */
void reviews_render_matrix(Req *r, const Challenge *c) {
    Buf *b = page(r);
    Arena *a = r->arena;
    bool reviewer = is_reviewer(r, c->id);
    int cap = 32, n = 0, withheld = 0, nsmart = 0;
    Bet *bets = arena_alloc(a, sizeof *bets * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_MATRIX, "iii", r->who.person_id, c->id, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        bool mine = db_int(s, 6) != 0, wrote = !db_null(s, 7) && db_int(s, 7) == r->who.person_id;
        int count = (int)db_int(s, 5);
        if (count <= 0) continue; /* NEVER: a join row exists */
        if (reviewer && !mine && !wrote) {
            withheld++;
            continue;
        }
        if (n == cap) bets = arena_grow(a, bets, &cap, sizeof *bets);
        Bet *x = &bets[n++];
        x->id = db_int(s, 0);
        x->title = db_dup(s, 1, a);
        x->count = count;
        x->risk = (double)db_int(s, 2) / count;
        x->reward = (double)db_int(s, 3) / count;
        x->effort = (double)db_int(s, 4) / count;
        x->smart = x->reward > 3 && x->risk < 3;
        nsmart += x->smart;
    }
    db_reset(s);
    buf_puts(b, "<section class=\"card\" id=\"matrix\"><h2>Risk and reward</h2>");
    if (n == 0) {
        html_printf(b, "<p class=\"muted empty\">%h</p></section>",
                    withheld ? T(r, "The matrix shows the ideas you have reviewed yourself; review one to see where it stands.")
                             : T(r, "No idea has been reviewed yet. Once reviewers score risk, reward and effort, the smart bets show here."));
        return;
    }
    qsort(bets, (size_t)n, sizeof *bets, cmp_bet);
    html_printf(b, "<p class=\"muted\">Each bubble is an idea, placed by its reviewers' average scores; the bigger the bubble, the more effort. "
                   "The shaded corner holds the smart bets: high reward, low risk.%s</p>",
                withheld ? " You see the ideas you have reviewed yourself." : "");
    matrix_svg(r, bets, n, nsmart);
    buf_puts(b, "<details><summary>The numbers</summary><table class=\"list\"><caption>Reviewed ideas, best bets first</caption><thead><tr>"
                "<th scope=\"col\">Idea</th><th scope=\"col\" class=\"num\">Risk</th><th scope=\"col\" class=\"num\">Reward</th>"
                "<th scope=\"col\" class=\"num\">Effort</th><th scope=\"col\" class=\"num\">Reviews</th><th scope=\"col\">Smart bet</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        const Bet *x = &bets[i];
        html_printf(b, "<tr><td>%d. <a href=\"/ideas/%D\">%h</a></td><td class=\"num\" data-label=\"Risk\">%h</td>"
                       "<td class=\"num\" data-label=\"Reward\">%h</td><td class=\"num\" data-label=\"Effort\">%h</td>"
                       "<td class=\"num\" data-label=\"Reviews\">%d</td><td>%s</td></tr>",
                    i + 1, x->id, short_title(a, x->title, 120), arena_printf(a, "%.1f", x->risk), arena_printf(a, "%.1f", x->reward),
                    arena_printf(a, "%.1f", x->effort), x->count, x->smart ? "Smart bet" : "");
    }
    buf_puts(b, "</tbody></table></details></section>");
}
