/* ideas.c: ideas that answer a challenge, their votes, comments and stages:
 * the JSON API under /api/v1/challenges/{id}/ideas, /api/v1/ideas and
 * /api/v1/follow, and the pages: the two pieces of the challenge page
 * (ideas_render_submit, ideas_render_list), /ideas/{id}, /ideas/mine, the
 * form posts and the private /follow page. The rules (who, when, what) are
 * the actions in the middle of this file, shared by both faces. Without
 * JavaScript every action is a form; app.js adds voting without a reload
 * and the "similar ideas" hint while a title is typed. This file does not
 * publish or change challenges (challenges.c) and renders no reviews
 * (pairwise.c).
 *
 * No idea disappears into a black hole: every stage change, comment and
 * merge tells the idea's author and its voters (notify), and the first
 * response by someone other than the author is recorded for the insights.
 *
 * Anonymous means anonymous (DESIGN.md, "Privacy stance"): an anonymous idea
 * stores no author, no address and no exact time (created_at and updated_at
 * are the start of the UTC day). Its author follows it through a private
 * link whose token is stored only as a hash. Nothing here writes an audit
 * line, a notification or any other row that ties the submission to the
 * person who made it: not even an audit line without an actor, because the
 * audit log is ordered and its neighbours (the author's own login, say)
 * would date it. And it is held back, seen by its author alone through the
 * follow link, until the UTC day it was sent is over; then the day's
 * anonymous ideas appear together (idea_pending, released by anon.c), and
 * every idea, named or not, has a random id: no id, position or moment of
 * appearance dates it finer than the day. A visible idea is one whose challenge the caller may see
 * (challenge_find); anything else answers 404, like an idea that does not
 * exist. Every query filters on the organisation. */
#include "remit.h"
#include "handlers.h"
#include "ideas.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IDEA_TITLE_MAX 200  /* characters */
#define IDEA_TEXT_MAX 5000  /* characters: body, comments, stage reasons */
#define IDEA_LIST_MAX 5000  /* ideas of one challenge that a ranking reads */
#define IDEA_PAGE 50        /* ideas the challenge page shows at a time */

/* One idea as the caller sees it. author_id is 0 and author_name NULL for
 * anonymous ideas (nothing else is stored); owner_id, merged_into_id 0 when
 * unset. Strings are arena-owned. */
typedef struct Idea {
    int64_t id, org_id, challenge_id, author_id, owner_id, merged_into_id;
    char *title, *body, *stage, *stage_reason, *author_name, *owner_name, *due_on;
    bool anonymous, voted; /* voted: the caller (never anyone on a follow link) */
    bool pending;          /* anonymous and held back until its day is over (idea_pending) */
    int votes, comments;
    int64_t created_at, first_response_at, updated_at;
    double score;          /* the sort's score (trending, pairwise) */
} Idea;

typedef struct IdeaIn { const char *title, *body; bool anonymous; } IdeaIn;
/* A stage change: owner_id/into_id 0 when not given, strings NULL. */
typedef struct StageIn { const char *stage, *reason, *due_on; int64_t owner_id, into_id; } StageIn;
typedef struct IdeaComment { int64_t id, author_id, created_at; char *author_name, *body; } IdeaComment;
typedef struct StageRow { int64_t at, actor_id; char *actor_name, *from, *to, *reason; } StageRow;

#define IDEA_JSON_TEXT 40000 /* bytes: the parser's guard; the real limits are 422s */
#define SIMILAR_MAX 5
#define COMMENTS_MAX 500     /* comments an idea page shows */

static const char *const IDEA_STAGES[] = {N_("new"), N_("reviewing"), N_("accepted"), N_("piloting"), N_("implemented"), N_("declined"), N_("merged"), NULL};
static const char *const IDEA_SORTS[] = {"top", "trending", "new", "pairwise", NULL};

/* ---------- SQL ---------- */

/* The columns idea_row reads; the first parameter is the caller (for
 * "voted"; 0 for nobody). */
#define IDEA_COLS                                                                                                                   \
    "SELECT i.id, i.challenge_id, i.title, i.body, i.stage, i.stage_reason, (SELECT count(*) FROM vote v WHERE v.idea_id = i.id), " \
    "EXISTS (SELECT 1 FROM vote v WHERE v.idea_id = i.id AND v.person_id = ?), i.author_id, au.name, i.anonymous, i.owner_id, "    \
    "ow.name, i.due_on, i.merged_into_id, i.created_at, (SELECT count(*) FROM comment c WHERE c.idea_id = i.id), "                 \
    "i.first_response_at, i.updated_at, i.org_id "
#define IDEA_FROM                                                                                                                   \
    "FROM idea i LEFT JOIN person au ON au.id = i.author_id AND au.org_id = i.org_id "                                             \
    "LEFT JOIN person ow ON ow.id = i.owner_id AND ow.org_id = i.org_id "
static const char SQL_IDEA_GET[] = IDEA_COLS IDEA_FROM "WHERE i.id = ? AND i.org_id = ?";
static const char SQL_IDEA_FOLLOW[] = IDEA_COLS IDEA_FROM "WHERE i.follow_hash = ?";
/* What a ranking needs of every idea of a challenge but the merged ones:
 * id, age and votes, in id order. Only the ideas shown are then read in
 * full (SQL_IDEA_GET each, or SQL_IDEA_LIST when they are most of them),
 * so a page of 50 costs about the same for 30 ideas or 5000. */
static const char SQL_IDEA_LIST[] = IDEA_COLS IDEA_FROM "WHERE i.challenge_id = ? AND i.org_id = ? AND i.stage <> 'merged' ORDER BY i.id LIMIT ?";
static const char SQL_IDEA_RANK[] =
    "SELECT i.id, i.created_at, (SELECT count(*) FROM vote v WHERE v.idea_id = i.id) FROM idea i "
    "WHERE i.challenge_id = ? AND i.org_id = ? AND i.stage <> 'merged' ORDER BY i.id LIMIT ?";
static const char SQL_IDEA_MINE[] =
    IDEA_COLS IDEA_FROM "WHERE i.author_id = ? AND i.org_id = ? AND i.anonymous = 0 ORDER BY i.created_at DESC, i.id DESC LIMIT ?";
static const char SQL_IDEA_TITLE[] = "SELECT title FROM idea WHERE id = ? AND org_id = ?";
static const char SQL_IDEA_INSERT[] =
    "INSERT INTO idea(id, org_id, challenge_id, title, body, author_id, anonymous, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)";
/* Anonymous ideas wait in idea_pending until their day is over. An id is
 * free when neither table holds it. */
static const char SQL_PENDING_INSERT[] =
    "INSERT INTO idea_pending(id, org_id, challenge_id, title, body, follow_hash, day) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ID_TAKEN[] = "SELECT (SELECT count(*) FROM idea WHERE id = ?) + (SELECT count(*) FROM idea_pending WHERE id = ?)";
static const char SQL_PENDING_FOLLOW[] = "SELECT id, org_id, challenge_id, title, body, day FROM idea_pending WHERE follow_hash = ?";
static const char SQL_PENDING_DUE[] = "SELECT count(*) FROM (SELECT 1 FROM idea_pending WHERE day < ? LIMIT 1)";
/* The release: a whole day at once, in the order of the random ids, so
 * even the search index's insertion order says nothing finer. */
static const char SQL_PENDING_RELEASE[] =
    "INSERT INTO idea(id, org_id, challenge_id, title, body, author_id, anonymous, follow_hash, created_at, updated_at) "
    "SELECT id, org_id, challenge_id, title, body, NULL, 1, follow_hash, day, day FROM idea_pending WHERE day < ? ORDER BY id";
static const char SQL_PENDING_DROP[] = "DELETE FROM idea_pending WHERE day < ?";
static const char SQL_VOTE_ADD[] = "INSERT OR IGNORE INTO vote(idea_id, person_id, org_id, created_at) VALUES (?, ?, ?, ?)";
static const char SQL_VOTE_DEL[] = "DELETE FROM vote WHERE idea_id = ? AND person_id = ? AND org_id = ?";
static const char SQL_VOTE_COUNT[] = "SELECT count(*) FROM vote WHERE idea_id = ? AND org_id = ?";
static const char SQL_VOTERS[] = "SELECT person_id FROM vote WHERE idea_id = ? AND org_id = ? ORDER BY person_id LIMIT 100000";
/* A merge moves each vote to the target unless that person already voted
 * for it (the key ignores the copy) or wrote it (IS NOT: an anonymous
 * target has no author, and every vote moves). */
static const char SQL_VOTES_MOVE[] =
    "INSERT OR IGNORE INTO vote(idea_id, person_id, org_id, created_at) SELECT ?, v.person_id, v.org_id, v.created_at FROM vote v "
    "WHERE v.idea_id = ? AND v.org_id = ? AND v.person_id IS NOT (SELECT author_id FROM idea WHERE id = ? AND org_id = ?)";
static const char SQL_VOTES_DROP[] = "DELETE FROM vote WHERE idea_id = ? AND org_id = ?";
static const char SQL_COMMENT_INSERT[] = "INSERT INTO comment(org_id, idea_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_COMMENTS[] =
    "SELECT c.id, c.author_id, p.name, c.body, c.created_at FROM comment c LEFT JOIN person p ON p.id = c.author_id AND p.org_id = c.org_id "
    "WHERE c.idea_id = ? AND c.org_id = ? AND c.id > ? ORDER BY c.id LIMIT ?";
static const char SQL_FIRST_RESPONSE[] = "UPDATE idea SET first_response_at = ? WHERE id = ? AND org_id = ? AND first_response_at IS NULL";
/* Every change names the stage it starts from, so two managers moving the
 * same idea at once cannot both win. */
static const char SQL_STAGE_UPDATE[] =
    "UPDATE idea SET stage = ?, stage_reason = ?, owner_id = ?, due_on = ?, merged_into_id = ?, updated_at = ? "
    "WHERE id = ? AND org_id = ? AND stage = ?";
static const char SQL_STAGE_INSERT[] =
    "INSERT INTO idea_stage(org_id, idea_id, at, actor_id, from_stage, to_stage, reason) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_HISTORY[] =
    "SELECT s.at, s.actor_id, p.name, s.from_stage, s.to_stage, s.reason FROM idea_stage s "
    "LEFT JOIN person p ON p.id = s.actor_id AND p.org_id = s.org_id WHERE s.idea_id = ? AND s.org_id = ? ORDER BY s.id LIMIT 1000";
static const char SQL_PERSON_OK[] = "SELECT id FROM person WHERE id = ? AND org_id = ? AND status <> 'left'";
static const char SQL_MERGE_TARGET[] = "SELECT id FROM idea WHERE id = ? AND org_id = ? AND challenge_id = ? AND stage <> 'merged'";
static const char SQL_PAIRS[] = "SELECT idea_a, idea_b, winner_id FROM pair_choice WHERE challenge_id = ? AND org_id = ? LIMIT 1000000";
static const char SQL_CHALLENGE_BRIEF[] = "SELECT id, title, phase FROM challenge WHERE id = ? AND org_id = ?";
static const char SQL_SIMILAR[] =
    "SELECT i.id, i.title, i.stage, (SELECT count(*) FROM vote v WHERE v.idea_id = i.id) FROM idea i "
    "JOIN (SELECT rowid AS fid, rank AS frank FROM idea_fts WHERE idea_fts MATCH ?) f ON f.fid = i.id "
    "WHERE i.challenge_id = ? AND i.org_id = ? AND i.stage <> 'merged' ORDER BY f.frank, i.id DESC LIMIT ?";

/* ---------- small helpers ---------- */

static bool idea_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static bool idea_one_of(const char *s, const char *const *list) {
    for (int i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

static int64_t idea_day(int64_t t) { return anon_day(t); }

static char *idea_date(Arena *a, int64_t t) { return anon_date(a, t); }

static char *idea_link(Arena *a, int64_t id) { return arena_printf(a, "/ideas/%lld", (long long)id); }

/* ---------- loading ---------- */

static void idea_row(Stmt *s, Arena *a, Idea *it) {
    memset(it, 0, sizeof *it);
    it->id = db_int(s, 0);
    it->challenge_id = db_int(s, 1);
    it->title = db_dup(s, 2, a);
    it->body = arena_strdup(a, db_text(s, 3));
    it->stage = db_dup(s, 4, a);
    it->stage_reason = db_dup(s, 5, a);
    it->votes = (int)db_int(s, 6);
    it->voted = db_int(s, 7) != 0;
    it->anonymous = db_int(s, 10) != 0;
    /* an anonymous idea has no author; the check constraint says so too */
    it->author_id = it->anonymous ? 0 : db_int(s, 8);
    it->author_name = it->anonymous ? NULL : db_dup(s, 9, a);
    it->owner_name = db_dup(s, 12, a);
    it->owner_id = it->owner_name ? db_int(s, 11) : 0;
    it->due_on = db_dup(s, 13, a);
    it->merged_into_id = db_int(s, 14);
    it->created_at = db_int(s, 15);
    it->comments = (int)db_int(s, 16);
    it->first_response_at = db_int(s, 17);
    it->updated_at = db_int(s, 18);
    it->org_id = db_int(s, 19);
}

/* idea_rows: every row of s (bound, fresh), arena-owned. */
static Idea *idea_rows(Req *r, Stmt *s, int *n) {
    int cap = 16;
    Idea *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    *n = 0;
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        idea_row(s, r->arena, &v[(*n)++]);
    }
    db_reset(s);
    return v;
}

/* idea_find: idea id of the caller's organisation whose challenge the
 * caller may see, with that challenge. 1 found, 0 not. */
static int idea_find(Req *r, int64_t id, Idea *it, Challenge *c) {
    Stmt *s = db_q(r->db, SQL_IDEA_GET, "iii", r->who.person_id, id, r->who.org_id);
    int found = db_step(s) == DB_ROW;
    if (found) idea_row(s, r->arena, it);
    db_reset(s);
    return found && challenge_find(r, it->challenge_id, c);
}

/* ideas_may_see: whether the caller may see idea id (its challenge is
 * visible to them): the "idea" source of action items (actions.c). */
bool ideas_may_see(Req *r, int64_t id) {
    Idea it;
    Challenge c;
    return idea_find(r, id, &it, &c) != 0;
}

/* idea_load: idea_find for the route's {id}; -1 after sending 404. */
static int idea_load(Req *r, Idea *it, Challenge *c) {
    if (r->nparams < 1 || !idea_find(r, r->params[0], it, c)) return resp_error(r, 404, "not_found", "There is no such idea.");
    return 0;
}

/* idea_by_token: the idea whose private follow link carries token, in any
 * organisation (no login: the token is the key). 1 found, 0 not. */
static int idea_by_token(Req *r, const char *token, Idea *it) {
    if (!token || strlen(token) < 20 || strlen(token) > 100) return 0;
    char hash[65];
    auth_token_hash(token, hash);
    Stmt *s = db_q(r->db, SQL_IDEA_FOLLOW, "it", (int64_t)0, hash);
    int found = db_step(s) == DB_ROW;
    if (found) idea_row(s, r->arena, it);
    db_reset(s);
    if (found) return 1;
    /* still held back: only its author (this link) sees it */
    s = db_q(r->db, SQL_PENDING_FOLLOW, "t", hash);
    if (db_step(s) == DB_ROW) {
        *it = (Idea){.id = db_int(s, 0), .org_id = db_int(s, 1), .challenge_id = db_int(s, 2), .title = db_dup(s, 3, r->arena),
                     .body = db_dup(s, 4, r->arena), .created_at = db_int(s, 5), .updated_at = db_int(s, 5),
                     .stage = arena_strdup(r->arena, "new"), .anonymous = true, .pending = true};
        found = 1;
    }
    db_reset(s);
    return found;
}

/* ideas_new_id: a random id free in both idea tables (anon.c); 0 busy.
 * The demo uses it too, so that its ideas look like real ones. */
int64_t ideas_new_id(Db *db) { return anon_new_id(db, SQL_ID_TAKEN); }

/* ideas_release_pending: anon.c's releaser for ideas. Every anonymous idea
 * sent before `today` moves into view, all of them in one transaction and
 * in the order of their random ids; nothing is written about who or when.
 * The count moved, or -1 when busy (asked again later). */
int ideas_release_pending(Db *db, int64_t today) {
    return anon_release_batch(db, today, SQL_PENDING_DUE, SQL_PENDING_RELEASE, SQL_PENDING_DROP);
}

static bool idea_is_author(Req *r, const Idea *it) { return it->author_id && it->author_id == r->who.person_id; }

static char *idea_title_of(Req *r, int64_t org, int64_t id) {
    Stmt *s = db_q(r->db, SQL_IDEA_TITLE, "ii", id, org);
    char *t = db_step(s) == DB_ROW ? db_dup(s, 0, r->arena) : NULL;
    db_reset(s);
    return t;
}

static IdeaComment *idea_comments(Req *r, int64_t org, int64_t idea, int64_t after, int limit, int *n) {
    IdeaComment *v = arena_alloc(r->arena, sizeof *v * (size_t)(limit > 0 ? limit : 1));
    *n = 0;
    Stmt *s = db_q(r->db, SQL_COMMENTS, "iiii", idea, org, after, (int64_t)limit);
    while (*n < limit && db_step(s) == DB_ROW) {
        IdeaComment *c = &v[(*n)++];
        c->id = db_int(s, 0);
        c->author_name = db_dup(s, 2, r->arena);
        c->author_id = c->author_name ? db_int(s, 1) : 0;
        c->body = arena_strdup(r->arena, db_text(s, 3));
        c->created_at = db_int(s, 4);
    }
    db_reset(s);
    return v;
}

static StageRow *idea_history(Req *r, int64_t org, int64_t idea, int *n) {
    int cap = 8;
    StageRow *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    *n = 0;
    Stmt *s = db_q(r->db, SQL_HISTORY, "ii", idea, org);
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        StageRow *h = &v[(*n)++];
        h->at = db_int(s, 0);
        h->actor_name = db_dup(s, 2, r->arena);
        h->actor_id = h->actor_name ? db_int(s, 1) : 0;
        h->from = db_dup(s, 3, r->arena);
        h->to = db_dup(s, 4, r->arena);
        h->reason = arena_strdup(r->arena, db_text(s, 5));
    }
    db_reset(s);
    return v;
}

/* ---------- ranking ---------- */

static int by_top(const void *x, const void *y) {
    const Idea *a = x, *b = y;
    if (a->votes != b->votes) return a->votes > b->votes ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int by_new(const void *x, const void *y) {
    const Idea *a = x, *b = y;
    if (a->created_at != b->created_at) return a->created_at > b->created_at ? -1 : 1;
    return a->id > b->id ? -1 : a->id < b->id;
}

/* by_score: score descending, then the older idea first (a stable order). */
static int by_score(const void *x, const void *y) {
    const Idea *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int cmp_id(const void *key, const void *elem) {
    int64_t k = *(const int64_t *)key, id = ((const Idea *)elem)->id;
    return k < id ? -1 : k > id;
}

/* pairwise_scores: Bradley-Terry strengths (ranking.c) from the challenge's
 * pair choices. v is sorted by id; choices that involve an idea not in v
 * (merged since) are left out. */
static void pairwise_scores(Req *r, const Challenge *c, Idea *v, int n) {
    int cap = 64, m = 0;
    Duel *duels = arena_alloc(r->arena, sizeof *duels * (size_t)cap);
    Stmt *s = db_q(r->db, SQL_PAIRS, "ii", c->id, r->who.org_id);
    while (db_step(s) == DB_ROW) {
        int64_t a = db_int(s, 0), b = db_int(s, 1), w = db_int(s, 2);
        int64_t l = w == a ? b : a;
        Idea *wi = bsearch(&w, v, (size_t)n, sizeof *v, cmp_id), *li = bsearch(&l, v, (size_t)n, sizeof *v, cmp_id);
        if (!wi || !li || wi == li) continue;
        if (m == cap) duels = arena_grow(r->arena, duels, &cap, sizeof *duels);
        duels[m].winner = (int)(wi - v);
        duels[m++].loser = (int)(li - v);
    }
    db_reset(s);
    double *scores = arena_alloc(r->arena, sizeof *scores * (size_t)n);
    bt_fit(n, duels, m, scores);
    for (int i = 0; i < n; i++) v[i].score = scores[i];
}

/* ideas_ranked: the challenge's unmerged ideas in the order sort names
 * (top, trending, new or pairwise; anything else is top), arena-owned.
 * Only id, created_at, votes and score are set: ideas_fill reads the rest
 * of the ones that are shown. */
static Idea *ideas_ranked(Req *r, const Challenge *c, const char *sort, int *n) {
    int cap = 64;
    Idea *v = arena_alloc(r->arena, sizeof *v * (size_t)cap);
    *n = 0;
    Stmt *s = db_q(r->db, SQL_IDEA_RANK, "iii", c->id, r->who.org_id, (int64_t)IDEA_LIST_MAX);
    while (db_step(s) == DB_ROW) {
        if (*n == cap) v = arena_grow(r->arena, v, &cap, sizeof *v);
        v[(*n)++] = (Idea){.id = db_int(s, 0), .created_at = db_int(s, 1), .votes = (int)db_int(s, 2)};
    }
    db_reset(s);
    if (*n == 0) return v;
    if (idea_eq(sort, "new")) qsort(v, (size_t)*n, sizeof *v, by_new);
    else if (idea_eq(sort, "trending")) {
        for (int i = 0; i < *n; i++) {
            double age = (double)(r->now - v[i].created_at) / 3600.0;
            v[i].score = trending_score(v[i].votes, age > 0 ? age : 0);
        }
        qsort(v, (size_t)*n, sizeof *v, by_score);
    } else if (idea_eq(sort, "pairwise")) {
        pairwise_scores(r, c, v, *n); /* v is still in id order here */
        qsort(v, (size_t)*n, sizeof *v, by_score);
    } else qsort(v, (size_t)*n, sizeof *v, by_top);
    return v;
}

/* ideas_fill: reads the n ranked ideas at v (of the total ideas_ranked
 * found for c) in full, in place, keeping their score. When they are at
 * least half of them, one read of all is cheaper than one read each.
 * Returns how many are left: an idea gone or merged meanwhile is dropped
 * and the rest close up. */
static int ideas_fill(Req *r, const Challenge *c, Idea *v, int n, int total) {
    int k = 0;
    if (total <= 2 * n) {
        int m;
        Idea *all = idea_rows(r, db_q(r->db, SQL_IDEA_LIST, "iiii", r->who.person_id, c->id, r->who.org_id, (int64_t)IDEA_LIST_MAX), &m);
        for (int i = 0; i < n; i++) {
            const Idea *it = bsearch(&v[i].id, all, (size_t)m, sizeof *all, cmp_id); /* all is in id order */
            if (!it) continue;
            double score = v[i].score;
            v[k] = *it;
            v[k++].score = score;
        }
        return k;
    }
    for (int i = 0; i < n; i++) {
        double score = v[i].score;
        Stmt *s = db_q(r->db, SQL_IDEA_GET, "iii", r->who.person_id, v[i].id, r->who.org_id);
        if (db_step(s) == DB_ROW) {
            idea_row(s, r->arena, &v[k]);
            v[k++].score = score;
        }
        db_reset(s);
    }
    return k;
}

/* ---------- notifications ---------- */

/* voters_of: the people who vote for idea now; arena-owned. */
static int64_t *voters_of(Req *r, int64_t idea, int *n) {
    int64_t count = 0;
    db_one_int(r->db, &count, SQL_VOTE_COUNT, "ii", idea, r->who.org_id);
    int64_t *v = arena_alloc(r->arena, sizeof *v * (size_t)(count + 1));
    *n = 0;
    Stmt *s = db_q(r->db, SQL_VOTERS, "ii", idea, r->who.org_id);
    while (*n < count && db_step(s) == DB_ROW) v[(*n)++] = db_int(s, 0);
    db_reset(s);
    return v;
}

/* tell_followers: one notification to the idea's author (unless anonymous
 * or the caller) and one to each voter but the caller and skip (0: none). Inside the caller's
 * transaction. An anonymous author reads the news on the follow link. */
static void tell_followers(Req *r, const Idea *it, const int64_t *voters, int nvoters, int64_t skip, const char *kind, const char *to_author,
                           const char *to_voter) {
    int64_t me = r->who.person_id, org = r->who.org_id;
    const char *link = idea_link(r->arena, it->id);
    if (it->anonymous) { /* notify_anon keeps anything about the author out */
        for (int i = 0; i < nvoters; i++)
            if (voters[i] != me && voters[i] != skip) notify_anon(r->db, org, voters[i], r->now, kind, to_voter, link, 0);
        return;
    }
    if (it->author_id && it->author_id != me) notify(r->db, org, it->author_id, r->now, kind, to_author, link);
    for (int i = 0; i < nvoters; i++)
        if (voters[i] != me && voters[i] != it->author_id && voters[i] != skip) notify(r->db, org, voters[i], r->now, kind, to_voter, link);
}

/* ---------- actions ---------- */
/* Each action checks who (403), the state (409) and the input (422), then
 * writes in one transaction. 0 ok; -1 with the problem in e and nothing
 * changed. The API and the forms both call them. */

/* title_check: trims *title and checks it: 1-200 characters, one line. */
static void title_check(Req *r, const char **title, Errors *e) {
    *title = str_trim(r->arena, *title ? *title : "");
    if (str_empty(*title)) err_add(e, 422, "invalid", "title", "Give your idea a short title.");
    else if (utf8_chars(*title) > IDEA_TITLE_MAX) err_add(e, 422, "invalid", "title", "Keep the title to 200 characters or fewer.");
    else if (has_control(*title)) err_add(e, 422, "invalid", "title", "The title cannot contain line breaks or control characters.");
}

static void text_check(Req *r, const char **v, const char *field, const char *label, Errors *e) {
    *v = str_trim(r->arena, *v ? *v : "");
    if (utf8_chars(*v) > IDEA_TEXT_MAX)
        err_add(e, 422, "invalid", field, arena_printf(r->arena, "Keep the %s to %d characters or fewer.", label, IDEA_TEXT_MAX));
}

static bool phase_open(const Challenge *c) { return idea_eq(c->phase, "open"); }

/* idea_create: a new idea for c by the caller. A named idea records its
 * author and the exact time, and an audit line. An anonymous one records
 * neither, only the day, and a fresh follow token whose hash is kept;
 * token_out receives the token (the caller shows it once). */
static int idea_create(Req *r, const Challenge *c, const IdeaIn *in, Errors *e, int64_t *id_out, char token_out[44]) {
    token_out[0] = 0;
    if (!phase_open(c)) {
        err_add(e, 409, "conflict", NULL, arena_printf(r->arena, "This challenge takes no more ideas: it is in its %s phase.", c->phase));
        return -1;
    }
    const char *title = in->title, *body = in->body;
    title_check(r, &title, e);
    text_check(r, &body, "body", "description", e);
    if (e->n) return -1;
    char hash[65] = "";
    if (in->anonymous) {
        auth_random_token(token_out);
        auth_token_hash(token_out, hash);
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t id = ideas_new_id(r->db);
    int rc = !id ? DB_BUSY
             : in->anonymous
                 ? db_exec(r->db, SQL_PENDING_INSERT, "iiittti", id, r->who.org_id, c->id, title, body, hash, idea_day(r->now))
                 : db_exec(r->db, SQL_IDEA_INSERT, "iiittiii", id, r->who.org_id, c->id, title, body, r->who.person_id, r->now, r->now);
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    if (in->anonymous) r->no_trace = true; /* not even the session's last-used time (anon.c) */
    if (!in->anonymous) audit(r, "idea.create", arena_printf(r->arena, "idea:%lld", (long long)id), "challenge:%lld", (long long)c->id);
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* idea_vote_set: adds (on) or takes back the caller's vote. One vote per
 * person and idea is the table's key, so concurrent requests cannot add a
 * second one; both directions are idempotent. */
static int idea_vote_set(Req *r, const Idea *it, const Challenge *c, bool on, Errors *e) {
    if (on && idea_is_author(r, it)) {
        err_add(e, 403, "forbidden", NULL, "You cannot vote for your own idea.");
        return -1;
    }
    if (!phase_open(c)) {
        err_add(e, 409, "conflict", NULL, arena_printf(r->arena, "Voting is closed: the challenge is in its %s phase.", c->phase));
        return -1;
    }
    if (idea_eq(it->stage, "merged")) {
        err_add(e, 409, "conflict", NULL, "This idea was merged into another one; vote for that one instead.");
        return -1;
    }
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int rc = on ? db_exec(r->db, SQL_VOTE_ADD, "iiii", it->id, r->who.person_id, r->who.org_id, r->now)
                : db_exec(r->db, SQL_VOTE_DEL, "iii", it->id, r->who.person_id, r->who.org_id);
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    return 0;
}

/* idea_comment_add: a comment by the caller. A comment by anyone but the
 * author is a response (for an anonymous idea every comment is: its author
 * is unknown). Tells the author and the voters. */
static int idea_comment_add(Req *r, const Idea *it, const char *body, Errors *e, int64_t *id_out) {
    text_check(r, &body, "body", "comment", e);
    if (!e->n && str_empty(body)) err_add(e, 422, "invalid", "body", "Write a comment first.");
    if (e->n) return -1;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int64_t org = r->who.org_id, me = r->who.person_id;
    if (db_exec(r->db, SQL_COMMENT_INSERT, "iiiti", org, it->id, me, body, r->now) != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    int64_t id = db_last_id(r->db);
    if (!idea_is_author(r, it)) db_exec(r->db, SQL_FIRST_RESPONSE, "iii", r->now, it->id, org);
    int nv;
    int64_t *voters = voters_of(r, it->id, &nv);
    const char *who = r->who.name;
    tell_followers(r, it, voters, nv, 0, "idea.comment", arena_printf(r->arena, "%s commented on your idea \"%s\".", who, it->title),
                   arena_printf(r->arena, "%s commented on \"%s\", an idea you voted for.", who, it->title));
    audit(r, "idea.comment", arena_printf(r->arena, "idea:%lld", (long long)it->id), "comment:%lld", (long long)id);
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    *id_out = id;
    return 0;
}

/* stage_check: the rules of a stage change, problems into e. Fills *due
 * with the trimmed due date (NULL when none). */
static void stage_check(Req *r, const Idea *it, const StageIn *in, const char **reason, const char **due, Errors *e) {
    Arena *a = r->arena;
    const char *stage = in->stage;
    if (!idea_one_of(stage, IDEA_STAGES))
        err_add(e, 422, "invalid", "stage", "Choose a stage: new, reviewing, accepted, piloting, implemented, declined or merged.");
    *reason = in->reason;
    text_check(r, reason, "reason", "reason", e);
    if (idea_eq(stage, "declined") && str_empty(*reason))
        err_add(e, 422, "invalid", "reason", "Say why the idea is declined: its author deserves an answer.");
    int64_t x;
    if (in->owner_id && !db_one_int(r->db, &x, SQL_PERSON_OK, "ii", in->owner_id, r->who.org_id))
        err_add(e, 422, "invalid", "owner_id", "The owner must be a current person of the organisation.");
    else if (idea_eq(stage, "piloting") && !in->owner_id) err_add(e, 422, "invalid", "owner_id", "Name who carries the pilot.");
    *due = in->due_on ? str_trim(a, in->due_on) : NULL;
    if (*due && !**due) *due = NULL;
    if (*due && !valid_date(*due)) err_add(e, 422, "invalid", "due_on", "Use a real date written as YYYY-MM-DD.");
    else if (idea_eq(stage, "piloting") && !*due) err_add(e, 422, "invalid", "due_on", "Give the pilot a due date.");
    if (idea_eq(stage, "merged")) {
        if (!in->into_id) err_add(e, 422, "invalid", "into_id", "Choose the idea to merge this one into.");
        else if (in->into_id == it->id) err_add(e, 422, "invalid", "into_id", "An idea cannot be merged into itself.");
        else if (!db_one_int(r->db, &x, SQL_MERGE_TARGET, "iii", in->into_id, r->who.org_id, it->challenge_id))
            err_add(e, 422, "invalid", "into_id", "Merge into another idea of the same challenge that is not merged itself.");
    }
}

/* idea_stage_set: moves it to a stage (managers of the challenge). Records
 * the history row, counts as the first response when the caller is not the
 * author, and tells the author and voters. A merge moves the votes to the
 * target without counting anyone twice, and tells the target's author. */
static int idea_stage_set(Req *r, const Idea *it, const Challenge *c, const StageIn *in, Errors *e) {
    if (!challenge_can_manage(r, c)) {
        err_add(e, 403, "forbidden", NULL, "Only admins and the managers of the challenge's team move ideas between stages.");
        return -1;
    }
    if (idea_eq(it->stage, "merged")) {
        err_add(e, 409, "conflict", NULL, "This idea has been merged into another one; it no longer changes stage.");
        return -1;
    }
    const char *reason, *due;
    stage_check(r, it, in, &reason, &due, e);
    if (e->n) return -1;
    Arena *a = r->arena;
    int64_t org = r->who.org_id, me = r->who.person_id;
    bool merge = idea_eq(in->stage, "merged");
    int64_t owner = in->owner_id ? in->owner_id : it->owner_id;
    const char *due_final = due ? due : it->due_on;
    int64_t updated = it->anonymous ? idea_day(r->now) : r->now;
    if (db_begin(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    int nv;
    int64_t *voters = voters_of(r, it->id, &nv); /* before a merge moves them */
    int rc = db_exec(r->db, SQL_STAGE_UPDATE, "ttItIiiit", in->stage, *reason ? reason : NULL, owner, due_final, merge ? in->into_id : (int64_t)0,
                     updated, it->id, org, it->stage);
    if (rc == DB_OK && db_changes(r->db) != 1) {
        db_rollback(r->db);
        err_add(e, 409, "conflict", NULL, "The idea changed in the meantime; reload it to see where it stands.");
        return -1;
    }
    if (rc == DB_OK) rc = db_exec(r->db, SQL_STAGE_INSERT, "iiiittt", org, it->id, r->now, me, it->stage, in->stage, reason);
    if (rc == DB_OK && merge) rc = db_exec(r->db, SQL_VOTES_MOVE, "iiiii", in->into_id, it->id, org, in->into_id, org);
    if (rc == DB_OK && merge) rc = db_exec(r->db, SQL_VOTES_DROP, "ii", it->id, org);
    if (rc == DB_OK && !idea_is_author(r, it)) rc = db_exec(r->db, SQL_FIRST_RESPONSE, "iii", r->now, it->id, org);
    /* a pilot is work: its owner gets the action item */
    if (rc == DB_OK && idea_eq(in->stage, "piloting") && owner &&
        !actions_create(r->db, a, org, arena_printf(a, T(r, "Pilot: %s"), it->title), owner, due_final, "idea", it->id, me, r->now))
        rc = DB_ERROR;
    if (rc != DB_OK) {
        db_rollback(r->db);
        err_busy(e);
        return -1;
    }
    const char *who = r->who.name;
    if (merge) {
        const char *into = idea_title_of(r, org, in->into_id);
        /* the target's author hears it as the author, even if they voted */
        Idea target;
        Challenge tc;
        int64_t target_author = idea_find(r, in->into_id, &target, &tc) ? target.author_id : 0;
        if (target_author == me || target_author == it->author_id) target_author = 0;
        notify(r->db, org, target_author, r->now, "idea.merge", arena_printf(a, "%s merged \"%s\" into your idea \"%s\".", who, it->title, into),
               idea_link(a, in->into_id));
        tell_followers(r, it, voters, nv, target_author, "idea.merge", arena_printf(a, "%s merged your idea \"%s\" into \"%s\".", who, it->title, into),
                       arena_printf(a, "%s merged \"%s\", an idea you voted for, into \"%s\".", who, it->title, into));
    } else {
        tell_followers(r, it, voters, nv, 0, "idea.stage", arena_printf(a, "%s moved your idea \"%s\" to %s.", who, it->title, in->stage),
                       arena_printf(a, "%s moved \"%s\", an idea you voted for, to %s.", who, it->title, in->stage));
    }
    audit(r, "idea.stage", arena_printf(a, "idea:%lld", (long long)it->id), "%s -> %s%s", it->stage, in->stage,
          merge ? arena_printf(a, " idea:%lld", (long long)in->into_id) : "");
    if (db_commit(r->db) != DB_OK) {
        err_busy(e);
        return -1;
    }
    return 0;
}

/* ---------- JSON ---------- */

static json_t *idea_json(Req *r, const Idea *it) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(it->id));
    json_object_set_new(o, "challenge_id", json_integer(it->challenge_id));
    json_object_set_new(o, "title", json_text(it->title));
    json_object_set_new(o, "body", json_text(it->body));
    json_object_set_new(o, "stage", json_text(it->stage));
    json_object_set_new(o, "stage_reason", json_text(it->stage_reason));
    json_object_set_new(o, "votes", json_integer(it->votes));
    json_object_set_new(o, "voted", json_boolean(it->voted));
    json_object_set_new(o, "author", it->anonymous ? json_null() : json_ref(it->author_id, it->author_name));
    json_object_set_new(o, "anonymous", json_boolean(it->anonymous));
    json_object_set_new(o, "owner", json_ref(it->owner_id, it->owner_name));
    json_object_set_new(o, "due_on", json_text(it->due_on));
    json_object_set_new(o, "merged_into_id", it->merged_into_id ? json_integer(it->merged_into_id) : json_null());
    json_object_set_new(o, "created_at", json_string(iso_time(r->arena, it->created_at)));
    json_object_set_new(o, "comment_count", json_integer(it->comments));
    json_object_set_new(o, "first_response_at", json_time(r->arena, it->first_response_at));
    json_object_set_new(o, "visible_from", it->pending ? json_string(anon_date(r->arena, anon_release_on(it->created_at))) : json_null());
    return o;
}

static json_t *comment_json(Req *r, int64_t idea, const IdeaComment *c) {
    return json_pack("{s:I,s:I,s:o,s:o,s:s}", "id", (json_int_t)c->id, "idea_id", (json_int_t)idea, "body", json_text(c->body), "author",
                     json_ref(c->author_id, c->author_name), "created_at", iso_time(r->arena, c->created_at));
}

static json_t *history_json(Req *r, int64_t org, int64_t idea) {
    int n;
    StageRow *h = idea_history(r, org, idea, &n);
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o,s:s}", "from", h[i].from, "to", h[i].to, "reason", json_text(h[i].reason), "actor",
                                           json_ref(h[i].actor_id, h[i].actor_name), "at", iso_time(r->arena, h[i].at)));
    return a;
}

/* ---------- JSON API ---------- */

static const JField CREATE_FIELDS[] = {{"title", JF_STRING, 2000}, {"body", JF_STRING_NULL, IDEA_JSON_TEXT}, {"anonymous", JF_BOOL, 0}, {0}};
static const JField COMMENT_FIELDS[] = {{"body", JF_STRING, IDEA_JSON_TEXT}, {0}};
static const JField STAGE_FIELDS[] = {{"stage", JF_STRING, 40},   {"reason", JF_STRING_NULL, IDEA_JSON_TEXT}, {"owner_id", JF_ID_NULL, 0},
                                      {"due_on", JF_STRING_NULL, 40}, {"into_id", JF_ID_NULL, 0}, {0}};

/* POST /api/v1/challenges/{id}/ideas {"title","body","anonymous"}: shares
 * an idea while the challenge is open (member who can see the challenge:
 * 404 otherwise; 409 when not open; 422 for a bad title or body). 201 with
 * the idea; an anonymous one adds "follow_url", the author's private link,
 * shown this once. */
int ideas_api_create(Req *r) {
    json_t *o = req_json_object(r, CREATE_FIELDS);
    if (!o) return -1;
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    IdeaIn in = {json_str(o, "title"), json_str(o, "body"), json_is_true(json_object_get(o, "anonymous"))};
    Errors e = {0};
    int64_t id;
    char token[44];
    if (idea_create(r, &c, &in, &e, &id, token)) return err_send(r, &e);
    Idea it;
    if (in.anonymous ? !idea_by_token(r, token, &it) : !idea_find(r, id, &it, &c))
        return resp_error(r, 500, "internal", "The new idea could not be read back.");
    json_t *j = idea_json(r, &it);
    if (in.anonymous) json_object_set_new(j, "follow_url", json_string(arena_printf(r->arena, "/follow?token=%s", token)));
    resp_json(r, 201, j);
    return 0;
}

/* GET /api/v1/challenges/{id}/ideas?sort=top|trending|new|pairwise&limit=:
 * the challenge's ideas, merged ones left out (member who can see the
 * challenge). top: votes, then the oldest; new: newest first; trending:
 * trending_score (ranking.c); pairwise: Bradley-Terry strengths from the
 * pair choices, with "score". 400 for another sort. Rankings do not page:
 * next_after is always null. */
int ideas_api_list(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    const char *sort = req_query(r, "sort");
    if (!sort || !*sort) sort = "top";
    if (!idea_one_of(sort, IDEA_SORTS)) return resp_error(r, 400, "invalid_parameter", "sort must be top, trending, new or pairwise.");
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    int n;
    Idea *v = ideas_ranked(r, &c, sort, &n);
    n = ideas_fill(r, &c, v, n < limit ? n : limit, n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *j = idea_json(r, &v[i]);
        if (idea_eq(sort, "pairwise")) json_object_set_new(j, "score", json_real(v[i].score));
        json_array_append_new(items, j);
    }
    resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_after"));
    return 0;
}

/* similar_query: the words of q (letters and digits, at least 3 bytes, at
 * most 12) as FTS5 prefix phrases joined by OR, so that nothing typed can
 * be FTS syntax and any shared word counts. NULL when there are none. */
/* stop_word: the little words every title has, which would make every idea
 * look similar to every other. */
static bool stop_word(const char *w, size_t n) {
    static const char *const STOP[] = {"the", "and", "for", "with", "our", "that", "this", "from", "into", "more", "less", "how", "what",
                                       "can", "could", "should", "would", "all", "any", "are", "was", "you", "your", "new", "use", "get", NULL};
    for (int i = 0; STOP[i]; i++)
        if (strlen(STOP[i]) == n && strncasecmp(STOP[i], w, n) == 0) return true;
    return false;
}

static char *similar_query(Arena *a, const char *q) {
    Buf b = {0};
    int words = 0;
    for (const char *p = q ? q : ""; *p && words < 12;) {
        while (*p && !isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80)) p++;
        const char *start = p;
        while (*p && (isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80))) p++;
        if (p - start < 3 || stop_word(start, (size_t)(p - start))) continue;
        buf_puts(&b, words++ ? " OR \"" : "\"");
        buf_append(&b, start, (size_t)(p - start));
        buf_puts(&b, "\"*");
    }
    char *out = words ? arena_strdup(a, buf_cstr(&b)) : NULL;
    buf_free(&b);
    return out;
}

/* GET /api/v1/challenges/{id}/similar?q=: up to 5 ideas of the challenge
 * that share words with q, best match first, for the "similar ideas" hint
 * while a title is typed (member who can see the challenge). {"items":
 * [{"id","title","stage","votes"}]}. */
int ideas_api_similar(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    const char *q = req_query(r, "q");
    if (q && strlen(q) > 200) { /* enough for a title; cut on a character boundary */
        size_t n = 200;
        while (n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80) n--;
        q = arena_strndup(r->arena, q, n);
    }
    char *match = similar_query(r->arena, q);
    json_t *items = json_array();
    if (match) {
        Stmt *s = db_q(r->db, SQL_SIMILAR, "tiii", match, c.id, r->who.org_id, (int64_t)SIMILAR_MAX);
        while (db_step(s) == DB_ROW)
            json_array_append_new(items, json_pack("{s:I,s:o,s:o,s:I}", "id", (json_int_t)db_int(s, 0), "title", json_text(db_text(s, 1)), "stage",
                                                   json_text(db_text(s, 2)), "votes", (json_int_t)db_int(s, 3)));
        db_reset(s);
    }
    resp_json(r, 200, json_pack("{s:o}", "items", items));
    return 0;
}

/* GET /api/v1/ideas/mine?limit=: the caller's own named ideas, newest
 * first, each with its challenge (member). Anonymous ideas are linked to
 * nobody, so they never appear here. */
int ideas_api_mine(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    int n;
    Idea *v = idea_rows(r, db_q(r->db, SQL_IDEA_MINE, "iiii", r->who.person_id, r->who.person_id, r->who.org_id, (int64_t)limit), &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        Challenge c;
        if (!challenge_find(r, v[i].challenge_id, &c)) continue; /* moved out of its scope */
        json_t *j = idea_json(r, &v[i]);
        json_object_set_new(j, "challenge", json_pack("{s:I,s:o,s:o}", "id", (json_int_t)c.id, "title", json_text(c.title), "phase", json_text(c.phase)));
        json_array_append_new(items, j);
    }
    resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_after"));
    return 0;
}

/* GET /api/v1/ideas/{id}: one idea with its stage "history" (member who
 * can see its challenge; 404 otherwise). */
int ideas_api_get(Req *r) {
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    json_t *j = idea_json(r, &it);
    json_object_set_new(j, "history", history_json(r, it.org_id, it.id));
    resp_json(r, 200, j);
    return 0;
}

/* api_vote: PUT or DELETE of the caller's vote; 200 {"votes","voted"}. */
static int api_vote(Req *r, bool on) {
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    Errors e = {0};
    if (idea_vote_set(r, &it, &c, on, &e)) return err_send(r, &e);
    int64_t votes = 0;
    db_one_int(r->db, &votes, SQL_VOTE_COUNT, "ii", it.id, r->who.org_id);
    resp_json(r, 200, json_pack("{s:I,s:b}", "votes", (json_int_t)votes, "voted", on));
    return 0;
}

/* PUT /api/v1/ideas/{id}/vote: adds the caller's vote, once however often
 * it is sent (member who can see it; 403 for the author; 409 unless the
 * challenge is open or when the idea is merged). 200 {"votes","voted"}. */
int ideas_api_vote(Req *r) { return api_vote(r, true); }

/* DELETE /api/v1/ideas/{id}/vote: takes the caller's vote back (as PUT;
 * nothing to take back is fine). 200 {"votes","voted":false}. */
int ideas_api_unvote(Req *r) { return api_vote(r, false); }

/* GET /api/v1/ideas/{id}/comments?limit=&after=: the idea's comments,
 * oldest first (member who can see it). */
int ideas_api_comments(Req *r) {
    int limit;
    int64_t after;
    if (parse_limit_after(r, &limit, &after)) return -1;
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    int n;
    IdeaComment *v = idea_comments(r, it.org_id, it.id, after, limit, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, comment_json(r, it.id, &v[i]));
    resp_json(r, 200, json_page(items, limit, n ? v[n - 1].id : 0));
    return 0;
}

/* POST /api/v1/ideas/{id}/comments {"body"}: comments on the idea
 * (markdown, 1-5000 characters; member who can see it). 201 with the
 * comment; the author and voters are told. */
int ideas_api_comment(Req *r) {
    json_t *o = req_json_object(r, COMMENT_FIELDS);
    if (!o) return -1;
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    Errors e = {0};
    int64_t id;
    if (idea_comment_add(r, &it, json_str(o, "body"), &e, &id)) return err_send(r, &e);
    int n;
    IdeaComment *v = idea_comments(r, it.org_id, it.id, id - 1, 1, &n);
    if (n != 1) return resp_error(r, 500, "internal", "The comment could not be read back.");
    resp_json(r, 201, comment_json(r, it.id, &v[0]));
    return 0;
}

/* POST /api/v1/ideas/{id}/stage {"stage","reason","owner_id","due_on",
 * "into_id"}: moves the idea (admins; managers of a team challenge's
 * scope: 403 otherwise). declined needs a reason, piloting an owner and a
 * due date, merged another unmerged idea of the challenge (422). 200 with
 * the idea and its history. */
int ideas_api_stage(Req *r) {
    json_t *o = req_json_object(r, STAGE_FIELDS);
    if (!o) return -1;
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    StageIn in = {json_str(o, "stage"), json_str(o, "reason"), json_str(o, "due_on"), json_id(o, "owner_id"), json_id(o, "into_id")};
    Errors e = {0};
    if (idea_stage_set(r, &it, &c, &in, &e)) return err_send(r, &e);
    if (!idea_find(r, it.id, &it, &c)) return resp_error(r, 500, "internal", "The idea could not be read back.");
    json_t *j = idea_json(r, &it);
    json_object_set_new(j, "history", history_json(r, it.org_id, it.id));
    resp_json(r, 200, j);
    return 0;
}

/* GET /api/v1/follow?token=: an anonymous idea by its private link
 * (public: the token is the key): {"idea","challenge","history",
 * "comments","merged_into"}. 404 for an unknown token. */
int ideas_api_follow(Req *r) {
    Idea it;
    if (!idea_by_token(r, req_query(r, "token"), &it)) return resp_error(r, 404, "not_found", "There is no idea at this link.");
    json_t *o = json_object();
    json_object_set_new(o, "idea", idea_json(r, &it));
    Stmt *s = db_q(r->db, SQL_CHALLENGE_BRIEF, "ii", it.challenge_id, it.org_id);
    json_object_set_new(o, "challenge", db_step(s) == DB_ROW ? json_pack("{s:I,s:o,s:o}", "id", (json_int_t)db_int(s, 0), "title", json_text(db_text(s, 1)),
                                                                           "phase", json_text(db_text(s, 2)))
                                                             : json_null());
    db_reset(s);
    json_object_set_new(o, "history", history_json(r, it.org_id, it.id));
    int n;
    IdeaComment *v = idea_comments(r, it.org_id, it.id, 0, COMMENTS_MAX, &n);
    json_t *cs = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(cs, comment_json(r, it.id, &v[i]));
    json_object_set_new(o, "comments", cs);
    char *into = it.merged_into_id ? idea_title_of(r, it.org_id, it.merged_into_id) : NULL;
    json_object_set_new(o, "merged_into", into ? json_pack("{s:I,s:o}", "id", (json_int_t)it.merged_into_id, "title", json_text(into)) : json_null());
    resp_json(r, 200, o);
    return 0;
}

/* ---------- pages ---------- */
/* Pages show the day an idea was shared, never the time, for every idea
 * alike, so that an anonymous one does not stand out. */

#define MINE_ROWS 500

static const char SQL_PEOPLE_OPTIONS[] = "SELECT id, name FROM person WHERE org_id = ? AND status <> 'left' ORDER BY lower(name), id LIMIT 5000";
static const char SQL_INTO_OPTIONS[] =
    "SELECT id, title FROM idea WHERE org_id = ? AND challenge_id = ? AND id <> ? AND stage <> 'merged' ORDER BY lower(title), id LIMIT 5000";
static const char SQL_CHALLENGE_TITLE[] = "SELECT title FROM challenge WHERE id = ? AND org_id = ?";

/* ---------- shared pieces ---------- */

static void stage_badge(Buf *b, const char *stage) { html_printf(b, "<span class=\"badge stage-%h\">%h</span>", stage, lang_text(b->lang, stage)); }

static char *when(Arena *a, int64_t t) {
    char *s = iso_time(a, t);
    s[10] = ' ';
    s[16] = 0;
    return s;
}

/* safe_back: the ?back= (or form back) path to return to after a vote: a
 * path on this site only, never another host. NULL when absent or unsafe. */
static const char *safe_back(Req *r) {
    const char *s = req_form(r, "back");
    if (!s) s = req_query(r, "back");
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\' || strlen(s) > 500) return NULL;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\') return NULL;
    return s;
}

static bool may_vote(Req *r, const Idea *it, const Challenge *c) {
    return idea_eq(c->phase, "open") && !idea_eq(it->stage, "merged") && !idea_is_author(r, it);
}

/* vote_box: the vote count and, when the caller may vote, a form that adds
 * or takes back the vote (vote=1/0). app.js sends it to the API instead and
 * updates [data-votes] and the button; back is where the form returns. */
static void vote_box(Req *r, const Idea *it, const Challenge *c, const char *back) {
    Buf *b = page(r);
    html_printf(b,
                "<div class=\"vote-box\" data-vote-box><span class=\"votes\"><strong data-votes>%d</strong> "
                "<span data-votes-label data-one=\"%h\" data-many=\"%h\">%h</span></span>",
                it->votes, T(r, "vote"), T(r, "votes"), TN(r, "vote", "votes", it->votes));
    if (may_vote(r, it, c)) {
        html_printf(b,
                    "<form method=\"post\" action=\"/ideas/%D/vote\" class=\"vote\" data-vote=\"%D\" data-voted=\"%s\">"
                    "<input type=\"hidden\" name=\"csrf_token\" value=\"%h\"><input type=\"hidden\" name=\"vote\" value=\"%s\">",
                    it->id, it->id, it->voted ? "1" : "0", r->who.csrf ? r->who.csrf : "", it->voted ? "0" : "1");
        if (back) html_printf(b, "<input type=\"hidden\" name=\"back\" value=\"%h\">", back);
        html_printf(b, "<button type=\"submit\" class=\"%s\" aria-describedby=\"idea-%D-title\">%s</button> "
                       "<span class=\"vote-msg\" data-vote-msg role=\"status\"></span></form>",
                    it->voted ? "secondary" : "", it->id, it->voted ? N_("Take back vote") : N_("Vote"));
    }
    buf_puts(b, "</div>");
}

/* idea_facts: why it is where it is: merged into, the reason, the owner. */
static void idea_facts(Req *r, const Idea *it) {
    Buf *b = page(r);
    if (it->merged_into_id) {
        char *into = idea_title_of(r, it->org_id, it->merged_into_id);
        html_printf(b, "<p class=\"flash\" role=\"status\">This idea was merged into <a href=\"/ideas/%D\">%h</a>; its votes moved there.</p>",
                    it->merged_into_id, into ? into : "another idea");
    }
    if (it->stage_reason && *it->stage_reason) html_printf(b, "<p><strong>Why %h:</strong> %h</p>", it->stage, it->stage_reason);
    if (it->owner_id) {
        html_printf(b, "<p>Carried by %h", it->owner_name);
        if (it->due_on) html_printf(b, ", due <time datetime=\"%h\">%h</time>", it->due_on, it->due_on);
        buf_puts(b, ".</p>");
    }
}

/* history_card: the stage history, oldest first, with who moved it. */
static void history_card(Req *r, const Idea *it) {
    Buf *b = page(r);
    int n;
    StageRow *h = idea_history(r, it->org_id, it->id, &n);
    buf_puts(b, "<section class=\"card\" aria-labelledby=\"history-h\"><h2 id=\"history-h\">Stage history</h2>");
    if (!n) buf_puts(b, "<p class=\"muted empty\">Nobody has moved it yet.</p>");
    else buf_puts(b, "<ol class=\"plain history\">");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<li><time datetime=\"%h\">%h</time> ", iso_time(r->arena, h[i].at), when(r->arena, h[i].at));
        stage_badge(b, h[i].from);
        buf_puts(b, " → ");
        stage_badge(b, h[i].to);
        if (h[i].actor_name) html_printf(b, " <span class=\"muted\">by %h</span>", h[i].actor_name);
        if (*h[i].reason) html_printf(b, "<p>%h</p>", h[i].reason);
        buf_puts(b, "</li>");
    }
    if (n) buf_puts(b, "</ol>");
    buf_puts(b, "</section>");
}

/* comment_list: the comments, oldest first, markdown rendered safely. */
static void comment_list(Req *r, const Idea *it, bool link_people) {
    Buf *b = page(r);
    int n;
    IdeaComment *v = idea_comments(r, it->org_id, it->id, 0, COMMENTS_MAX, &n);
    if (!n) {
        buf_puts(b, "<p class=\"muted empty\">No comments yet.</p>");
        return;
    }
    buf_puts(b, "<ol class=\"plain comments\">");
    for (int i = 0; i < n; i++) {
        html_printf(b, "<li id=\"comment-%D\"><p class=\"muted\">", v[i].id);
        if (v[i].author_name && link_people) html_printf(b, "<a href=\"/people/%D\">%h</a>", v[i].author_id, v[i].author_name);
        else html_printf(b, "%h", v[i].author_name ? v[i].author_name : "Someone");
        html_printf(b, " · <time datetime=\"%h\">%h</time></p>", iso_time(r->arena, v[i].created_at), when(r->arena, v[i].created_at));
        html_markdown(b, v[i].body);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ol>");
}

/* ---------- the challenge page's pieces ---------- */

/* submit_form: the "share an idea" form with what was typed and the
 * problems (e may be NULL). The title input names the similar-ideas API
 * for app.js; the list it fills is announced politely. */
static void submit_form(Req *r, const Challenge *c, const IdeaIn *typed, const Errors *e) {
    Buf *b = page(r);
    const char *terr = e ? err_for(e, "title") : NULL;
    buf_puts(b, "<section class=\"card idea-submit\" aria-labelledby=\"share-h\"><h2 id=\"share-h\">Share an idea</h2>");
    form_begin(r, arena_printf(r->arena, "/challenges/%lld/ideas", (long long)c->id), NULL);
    html_printf(b,
                "<div class=\"field%s\"><label for=\"f-title\">Title</label><input id=\"f-title\" name=\"title\" type=\"text\" value=\"%h\" "
                "required maxlength=\"200\" autocomplete=\"off\" data-similar=\"/api/v1/challenges/%D/similar\" aria-describedby=\"%s%s\"%s>",
                terr ? " has-error" : "", typed && typed->title ? typed->title : "", c->id, terr ? "f-title-err " : "", "f-title-similar",
                terr ? " aria-invalid=\"true\"" : "");
    if (terr) html_printf(b, "<p class=\"error\" id=\"f-title-err\">%h</p>", terr);
    buf_puts(b, "<div id=\"f-title-similar\" class=\"similar\" data-similar-list aria-live=\"polite\"></div></div>");
    form_textarea(r, "body", "Describe it", typed ? typed->body : NULL, e ? err_for(e, "body") : NULL,
                  "What would you change, and what would it bring? Markdown works.");
    html_printf(b,
                "<div class=\"field\"><label><input type=\"checkbox\" name=\"anonymous\" value=\"1\" aria-describedby=\"f-anonymous-hint\"%s> "
                "Submit anonymously</label><p class=\"hint\" id=\"f-anonymous-hint\">Then remit keeps no trace of you: no name, no address, "
                "only the day it was shared. Others see it from the next day, together with the day's other anonymous ideas, so nobody can "
                "tell when you sent it, not even admins. You get a private link instead, the only way to follow what happens to it. "
                "Because remit does not know the idea is yours, it cannot stop you voting for it.</p></div>",
                typed && typed->anonymous ? " checked" : "");
    form_end(r, "Share the idea");
    buf_puts(b, "</section>");
}

/* ideas_render_submit: see ideas.h. Nothing while the challenge is not
 * open (the challenge page says which phase it is in). */
void ideas_render_submit(Req *r, const Challenge *c) {
    if (idea_eq(c->phase, "open")) submit_form(r, c, NULL, NULL);
}

/* list_href: the challenge page at page pg of sort (page 1 names no page),
 * for an href; arena-owned, escaped by the caller's %h. */
static const char *list_href(Req *r, const Challenge *c, const char *sort, int64_t pg, const char *anchor) {
    return pg > 1 ? arena_printf(r->arena, "/challenges/%lld?sort=%s&page=%lld%s", (long long)c->id, sort, (long long)pg, anchor)
                  : arena_printf(r->arena, "/challenges/%lld?sort=%s%s", (long long)c->id, sort, anchor);
}

/* ideas_render_list: see ideas.h. sort is one of IDEA_SORTS; anything
 * else shows top. Shows IDEA_PAGE ideas at a time: ?page= (from 1; past
 * the end shows the last page, anything else the first) with plain links
 * to the pages before and after, keeping the sort. The heading counts them
 * all. Each vote form returns to this page of the list, at its idea. */
void ideas_render_list(Req *r, const Challenge *c, const char *sort) {
    static const char *const labels[] = {N_("Top"), N_("Trending"), N_("New"), N_("Pairwise")};
    if (!idea_one_of(sort, IDEA_SORTS)) sort = "top";
    Buf *b = page(r);
    int n;
    Idea *v = ideas_ranked(r, c, sort, &n);
    int64_t pages = (n + IDEA_PAGE - 1) / IDEA_PAGE, pg = 1;
    const char *q = req_query(r, "page");
    if (!q || !parse_id(q, &pg)) pg = 1;
    if (pg > pages) pg = pages > 0 ? pages : 1;
    int off = (int)(pg - 1) * IDEA_PAGE, shown = n - off < IDEA_PAGE ? n - off : IDEA_PAGE;
    html_printf(b, "<section class=\"ideas\" id=\"ideas\" aria-labelledby=\"ideas-h\"><h2 id=\"ideas-h\">Ideas <span class=\"muted\">(%d)</span></h2>", n);
    buf_puts(b, "<nav class=\"tabs\" aria-label=\"Sort the ideas\"><ul>");
    for (int i = 0; IDEA_SORTS[i]; i++)
        html_printf(b, "<li><a href=\"/challenges/%D?sort=%s#ideas\"%s>%s</a></li>", c->id, IDEA_SORTS[i],
                    idea_eq(sort, IDEA_SORTS[i]) ? " aria-current=\"page\"" : "", T(r, labels[i]));
    buf_puts(b, "</ul></nav>");
    if (!n) {
        html_printf(b, "<p class=\"muted empty\">No ideas yet.%s</p></section>", idea_eq(c->phase, "open") ? " Be the first to share one." : "");
        return;
    }
    shown = ideas_fill(r, c, v + off, shown, n);
    v += off;
    if (pages > 1) html_printf(b, "<p class=\"muted\">Ideas %d to %d of %d.</p>", off + 1, off + shown, n);
    if (off) html_printf(b, "<ol class=\"plain idea-list\" start=\"%d\">", off + 1);
    else buf_puts(b, "<ol class=\"plain idea-list\">");
    for (int i = 0; i < shown; i++) {
        const Idea *it = &v[i];
        html_printf(b, "<li class=\"idea\" id=\"idea-%D\"><div class=\"idea-main\"><a id=\"idea-%D-title\" href=\"/ideas/%D\">%h</a> ", it->id, it->id, it->id,
                    it->title);
        stage_badge(b, it->stage);
        html_printf(b, "<br><span class=\"muted\">%h · %h · <time datetime=\"%h\">%h</time></span></div>",
                    it->anonymous || !it->author_name ? T(r, "Anonymous") : it->author_name,
                    arena_printf(r->arena, TN(r, "%d comment", "%d comments", it->comments), it->comments), idea_date(r->arena, it->created_at),
                    idea_date(r->arena, it->created_at));
        vote_box(r, it, c, list_href(r, c, sort, pg, arena_printf(r->arena, "#idea-%lld", (long long)it->id)));
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ol>");
    if (pages > 1) {
        buf_puts(b, "<nav class=\"pager\" aria-label=\"More ideas\"><ul class=\"plain\">");
        if (pg > 1)
            html_printf(b, "<li><a href=\"%h\" rel=\"prev\">Previous %d ideas</a></li>", list_href(r, c, sort, pg - 1, "#ideas"), IDEA_PAGE);
        if (pg < pages) {
            int next = n - off - IDEA_PAGE < IDEA_PAGE ? n - off - IDEA_PAGE : IDEA_PAGE;
            html_printf(b, "<li><a href=\"%h\" rel=\"next\">Next %d %s</a></li>", list_href(r, c, sort, pg + 1, "#ideas"), next,
                        next == 1 ? "idea" : "ideas");
        }
        buf_puts(b, "</ul></nav>");
    }
    buf_puts(b, "</section>");
}

/* ---------- the idea page ---------- */

/* What a failed form brings back: its problems and what was typed. */
typedef struct View {
    const Errors *e;
    const char *failed;   /* "vote", "comment", "stage" or NULL */
    const char *comment;  /* typed comment */
    const StageIn *stage; /* typed stage form */
    const char *flash;
} View;

static const char *done_flash(const char *done) {
    if (idea_eq(done, "created")) return "Your idea is shared. You will be told when someone comments on it or moves it.";
    if (idea_eq(done, "voted")) return "Your vote is in.";
    if (idea_eq(done, "unvoted")) return "Your vote is taken back.";
    if (idea_eq(done, "commented")) return "Your comment is posted; the author and the voters have been told.";
    if (idea_eq(done, "stage")) return "The idea has moved; its author and voters have been told.";
    return NULL;
}

/* stage_form: the managers' form: stage, reason, owner, due date, and the
 * idea to merge into. Typed values win over the stored ones. */
static void stage_form(Req *r, const Idea *it, const Challenge *c, const View *v) {
    Buf *b = page(r);
    const StageIn *t = v->stage;
    const Errors *e = idea_eq(v->failed, "stage") ? v->e : NULL;
    buf_puts(b, "<section class=\"card\" aria-labelledby=\"stage-h\"><h2 id=\"stage-h\">Move to a stage</h2>"
                "<p class=\"hint\">The author and everyone who voted are told. Declining needs a reason; a pilot needs an owner and a due "
                "date; merging moves the votes to the other idea.</p>");
    form_begin(r, arena_printf(r->arena, "/ideas/%lld/stage", (long long)it->id), NULL);
    form_select_str(r, "stage", "Stage", t ? t->stage : it->stage, IDEA_STAGES, e ? err_for(e, "stage") : NULL);
    form_textarea(r, "reason", "Reason", t ? t->reason : NULL, e ? err_for(e, "reason") : NULL, "Why it moves; required when declining.");
    int np, ni;
    Option *people = options_from(r, db_q(r->db, SQL_PEOPLE_OPTIONS, "i", r->who.org_id), &np);
    form_select_id(r, "owner_id", "Owner (who carries a pilot)", t ? t->owner_id : it->owner_id, people, np, "Nobody", e ? err_for(e, "owner_id") : NULL);
    form_text(r, "due_on", "Due on (for a pilot)", t ? t->due_on : it->due_on, e ? err_for(e, "due_on") : NULL, "date", false);
    Option *ideas = options_from(r, db_q(r->db, SQL_INTO_OPTIONS, "iii", r->who.org_id, c->id, it->id), &ni);
    form_select_id(r, "into_id", "Merge into (for merged)", t ? t->into_id : 0, ideas, ni, "Choose an idea", e ? err_for(e, "into_id") : NULL);
    form_end(r, "Move the idea");
    buf_puts(b, "</section>");
}

/* idea_view: the idea page; v says what a failed form brings back. */
static void idea_view(Req *r, const Idea *it, const Challenge *c, const View *v) {
    Arena *a = r->arena;
    page_begin(r, it->title);
    Buf *b = page(r);
    html_printf(b, "<p class=\"muted\">Challenge: <a href=\"/challenges/%D\">%h</a></p>", c->id, c->title);
    html_printf(b, "<div class=\"title-row\"><h1 id=\"idea-%D-title\">%h</h1><div>", it->id, it->title);
    stage_badge(b, it->stage);
    buf_puts(b, "</div></div>");
    page_flash(r, v->flash);
    if (v->e && v->e->n) {
        if (!v->e->items[0].field || idea_eq(v->failed, "vote")) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", v->e->items[0].msg);
        else form_error_summary(r, v->e->n);
    }
    char *day = idea_date(a, it->created_at);
    if (it->anonymous) html_printf(b, "<p class=\"muted\">Shared anonymously on <time datetime=\"%h\">%h</time></p>", day, day);
    else if (it->author_id)
        html_printf(b, "<p class=\"muted\">By <a href=\"/people/%D\">%h</a> on <time datetime=\"%h\">%h</time></p>", it->author_id, it->author_name, day, day);
    idea_facts(r, it);
    if (*it->body) {
        buf_puts(b, "<section class=\"card idea-body\">");
        html_markdown(b, it->body);
        buf_puts(b, "</section>");
    }

    buf_puts(b, "<section class=\"card\" aria-labelledby=\"votes-h\"><h2 id=\"votes-h\">Votes</h2>");
    vote_box(r, it, c, NULL);
    if (idea_is_author(r, it)) buf_puts(b, "<p class=\"muted\">This is your idea; others vote for it.</p>");
    else if (!idea_eq(c->phase, "open")) html_printf(b, "<p class=\"muted\">Voting is closed: the challenge is in its %h phase.</p>", c->phase);
    buf_puts(b, "</section>");

    html_printf(b, "<section class=\"card\" id=\"comments\" aria-labelledby=\"comments-h\"><h2 id=\"comments-h\">Comments <span class=\"muted\">(%d)</span></h2>",
                it->comments);
    comment_list(r, it, true);
    form_begin(r, arena_printf(a, "/ideas/%lld/comments", (long long)it->id), NULL);
    form_textarea(r, "body", "Your comment", v->comment, idea_eq(v->failed, "comment") && v->e ? err_for(v->e, "body") : NULL,
                  "Markdown works. The author and everyone who voted are told.");
    form_end(r, "Comment");
    buf_puts(b, "</section>");

    history_card(r, it);
    reviews_render_for_idea(r, it->id, c); /* pairwise.c: scorecards and the reviewer's form */
    roi_render_idea_value(r, it->id, challenge_can_manage(r, c)); /* roi.c: the estimated value */
    if (challenge_can_manage(r, c) && !idea_eq(it->stage, "merged")) stage_form(r, it, c, v);
    html_printf(b, "<p><a href=\"/challenges/%D\">All ideas for this challenge</a> · <a href=\"/ideas/mine\">My ideas</a></p>", c->id);
    page_end(r);
}

/* GET /ideas/{id}?done=: one idea with its votes, comments, stage history
 * and, for managers of its challenge, the stage form (member who can see
 * its challenge; 404 otherwise). */
int ideas_page_view(Req *r) {
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    View v = {0};
    v.flash = done_flash(req_query(r, "done"));
    idea_view(r, &it, &c, &v);
    return 0;
}

/* rerender: the idea page again after a failed form, with its status; an
 * error page for 403 and 503 (the form was not the caller's to use). */
static int rerender(Req *r, int64_t id, const Errors *e, View *v) {
    if (e->status == 503 || (e->status == 403 && !idea_eq(v->failed, "vote"))) return resp_error(r, e->status, e->code, "%s", e->items[0].msg);
    Idea it;
    Challenge c;
    if (!idea_find(r, id, &it, &c)) return resp_error(r, 404, "not_found", "There is no such idea.");
    v->e = e;
    idea_view(r, &it, &c, v);
    r->resp.status = e->status ? e->status : 422;
    return 0;
}

/* POST /ideas/{id}/vote (vote=1|0, back): adds or takes back the caller's
 * vote (without vote: toggles); then back to back (a path on this site) or
 * the idea (member who can see it). */
int ideas_page_vote(Req *r) {
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    const char *want = req_form(r, "vote");
    bool on = want && *want ? idea_eq(want, "1") : !it.voted;
    Errors e = {0};
    if (idea_vote_set(r, &it, &c, on, &e)) {
        View v = {.failed = "vote"};
        return rerender(r, it.id, &e, &v);
    }
    const char *back = safe_back(r);
    resp_redirect(r, back ? back : arena_printf(r->arena, "/ideas/%lld?done=%s", (long long)it.id, on ? "voted" : "unvoted"));
    return 0;
}

/* POST /ideas/{id}/comments (body): comments on the idea (member who can
 * see it); the page again with the problem otherwise. */
int ideas_page_comment(Req *r) {
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    const char *body = req_form(r, "body");
    Errors e = {0};
    int64_t id;
    if (idea_comment_add(r, &it, body, &e, &id)) {
        View v = {.failed = "comment", .comment = body};
        return rerender(r, it.id, &e, &v);
    }
    resp_redirect(r, arena_printf(r->arena, "/ideas/%lld?done=commented#comment-%lld", (long long)it.id, (long long)id));
    return 0;
}

/* POST /ideas/{id}/stage (stage, reason, owner_id, due_on, into_id): moves
 * the idea (admins; managers of a team challenge's scope: 403 otherwise);
 * the page again with the problems and what was typed. */
int ideas_page_stage(Req *r) {
    Idea it;
    Challenge c;
    if (idea_load(r, &it, &c)) return -1;
    StageIn in = {req_form(r, "stage"), req_form(r, "reason"), req_form(r, "due_on"), 0, 0};
    Errors e = {0};
    form_id_field(r, "owner_id", &in.owner_id, &e, "Choose a person from the list.");
    form_id_field(r, "into_id", &in.into_id, &e, "Choose an idea from the list.");
    if (!idea_eq(in.stage, "merged")) in.into_id = 0; /* the select keeps no choice unless merging */
    if (e.n == 0 && idea_stage_set(r, &it, &c, &in, &e) == 0) {
        resp_redirect(r, arena_printf(r->arena, "/ideas/%lld?done=stage", (long long)it.id));
        return 0;
    }
    View v = {.failed = "stage", .stage = &in};
    return rerender(r, it.id, &e, &v);
}

/* follow_host: the address a person can copy, "https://host/path" when the
 * request named a plausible host, else the path alone. */
static const char *follow_address(Req *r, const char *path) {
    const char *host = req_header(r, "host");
    if (!host || !*host || strlen(host) > 200) return path;
    for (const char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-:[]", *p))) return path;
    return arena_printf(r->arena, "%s://%s%s", g_config.secure_cookies ? "https" : "http", host, path);
}

/* POST /challenges/{id}/ideas (title, body, anonymous): shares an idea
 * (member who can see the challenge, while it is open). A named idea goes
 * to its page; an anonymous one shows its private follow link, this once.
 * The form again with the problems otherwise. */
int ideas_page_create(Req *r) {
    Challenge c;
    if (challenge_load(r, r->params[0], &c)) return -1;
    const char *anon = req_form(r, "anonymous");
    IdeaIn in = {req_form(r, "title"), req_form(r, "body"), anon && *anon && !idea_eq(anon, "0")};
    Errors e = {0};
    int64_t id;
    char token[44];
    Buf *b = page(r);
    if (idea_create(r, &c, &in, &e, &id, token)) {
        if (e.status == 503) return resp_error(r, e.status, e.code, "%s", e.items[0].msg);
        page_begin(r, "Share an idea");
        html_printf(b, "<p class=\"muted\">Challenge: <a href=\"/challenges/%D\">%h</a></p><h1>Share an idea</h1>", c.id, c.title);
        if (!e.items[0].field) html_printf(b, "<p class=\"error\" role=\"alert\">%h</p>", e.items[0].msg);
        else form_error_summary(r, e.n);
        if (idea_eq(c.phase, "open")) submit_form(r, &c, &in, &e);
        page_end(r);
        r->resp.status = e.status ? e.status : 422;
        return 0;
    }
    if (!in.anonymous) {
        resp_redirect(r, arena_printf(r->arena, "/ideas/%lld?done=created", (long long)id));
        return 0;
    }
    const char *path = arena_printf(r->arena, "/follow?token=%s", token);
    page_begin(r, "Your idea is in");
    html_printf(b, "<p class=\"muted\">Challenge: <a href=\"/challenges/%D\">%h</a></p><h1>Your idea is in</h1>", c.id, c.title);
    html_printf(b,
                "<section class=\"card follow-link\" aria-labelledby=\"keep-h\"><h2 id=\"keep-h\">Keep this private link</h2>"
                "<p><strong>It is shown only this once.</strong> remit did not record that the idea is yours, so this link is the only way "
                "to follow what happens to it: stage changes, comments, a merge. Anyone who has the link can read that page, so keep it to "
                "yourself (a bookmark or a password manager is a good place). A comment you post while logged in carries your name.</p>"
                "<div class=\"field\"><label for=\"follow-url\">Your private link</label><input id=\"follow-url\" type=\"text\" readonly value=\"%h\"></div>"
                "<p><a href=\"%h\">Open your idea's private page</a></p></section>"
                "<p>Others will see it from <time datetime=\"%h\">%h</time>: anonymous ideas appear together once their day is over, so "
                "that the moment you sent it cannot point to you.</p>",
                follow_address(r, path), path, anon_date(r->arena, anon_release_on(r->now)), anon_date(r->arena, anon_release_on(r->now)));
    html_printf(b, "<p><a href=\"/challenges/%D\">Back to the challenge</a></p>", c.id);
    page_end(r);
    r->resp.status = 201;
    return 0;
}

/* GET /ideas/mine: the caller's named ideas with their stage, votes and
 * whether anyone has answered yet (member). */
int ideas_page_mine(Req *r) {
    page_begin(r, "My ideas");
    Buf *b = page(r);
    buf_puts(b, "<h1>My ideas</h1><p class=\"lead\">The ideas you shared under your name, and whether anyone has answered yet. Ideas you "
                "shared anonymously are not here: remit does not know they are yours. Follow them with their private links.</p>");
    int n;
    Idea *v = idea_rows(r, db_q(r->db, SQL_IDEA_MINE, "iiii", r->who.person_id, r->who.person_id, r->who.org_id, (int64_t)MINE_ROWS), &n);
    int shown = 0;
    for (int i = 0; i < n; i++) {
        const Idea *it = &v[i];
        Challenge c;
        if (!challenge_find(r, it->challenge_id, &c)) continue; /* moved out of its scope */
        if (shown++ == 0)
            buf_puts(b, "<table class=\"list\"><thead><tr><th scope=\"col\">Idea</th><th scope=\"col\">Challenge</th><th scope=\"col\">Stage</th>"
                        "<th scope=\"col\" class=\"num\">Votes</th><th scope=\"col\">First response</th></tr></thead><tbody>");
        html_printf(b, "<tr><td><a href=\"/ideas/%D\">%h</a></td><td data-label=\"Challenge\"><a href=\"/challenges/%D\">%h</a></td><td>", it->id,
                    it->title, c.id, c.title);
        stage_badge(b, it->stage);
        html_printf(b, "</td><td class=\"num\" data-label=\"Votes\">%d</td><td data-label=\"First response\">", it->votes);
        if (it->first_response_at) {
            int64_t days = (it->first_response_at - it->created_at) / 86400;
            if (days < 1) buf_puts(b, "Answered within a day");
            else html_printf(b, "Answered after %D %s", days, days == 1 ? "day" : "days");
        } else {
            int64_t days = (r->now - it->created_at) / 86400;
            html_printf(b, "<span class=\"badge%s\">No answer yet</span> <span class=\"muted\">%D %s</span>", days > 14 ? " status-pending" : "", days,
                        days == 1 ? "day" : "days");
        }
        buf_puts(b, "</td></tr>");
    }
    if (shown) buf_puts(b, "</tbody></table>");
    else buf_puts(b, "<p class=\"muted empty\">You have not shared an idea under your name yet. <a href=\"/challenges\">See the challenges</a>.</p>");
    page_end(r);
    return 0;
}

/* GET /follow?token=: the private page of an anonymous idea: its stage,
 * the stage history and the comments, read-only (public: the token is the
 * key; 404 for an unknown one). A merged idea points to where it went. */
int ideas_page_follow(Req *r) {
    Idea it;
    if (!idea_by_token(r, req_query(r, "token"), &it)) return resp_error(r, 404, "not_found", "There is no idea at this link.");
    char *challenge = NULL;
    Stmt *s = db_q(r->db, SQL_CHALLENGE_TITLE, "ii", it.challenge_id, it.org_id);
    if (db_step(s) == DB_ROW) challenge = db_dup(s, 0, r->arena);
    db_reset(s);
    page_begin(r, "Your idea");
    Buf *b = page(r);
    html_printf(b, "<div class=\"title-row\"><h1>%h</h1><div>", it.title);
    stage_badge(b, it.stage);
    char *day = idea_date(r->arena, it.created_at);
    html_printf(b, "</div></div><p class=\"muted\">Shared anonymously on <time datetime=\"%h\">%h</time> for the challenge \"%h\". "
                   "%d %s.</p>",
                day, day, challenge ? challenge : "", it.votes, it.votes == 1 ? "vote" : "votes");
    buf_puts(b, "<p class=\"hint\">This is your idea's private page. Keep its address to yourself: anyone who has it can read this page, and "
                "remit does not know the idea is yours. A comment you post while logged in carries your name.</p>");
    if (it.pending) {
        char *from = anon_date(r->arena, anon_release_on(it.created_at));
        html_printf(b, "<p class=\"notice\" role=\"status\">Only you see it for now. Others will see it from <time datetime=\"%h\">%h</time>, "
                       "together with the day's other anonymous ideas, so that nobody can tell when you sent it.</p>", from, from);
    }
    idea_facts(r, &it);
    if (*it.body) {
        buf_puts(b, "<section class=\"card idea-body\">");
        html_markdown(b, it.body);
        buf_puts(b, "</section>");
    }
    history_card(r, &it);
    html_printf(b, "<section class=\"card\" aria-labelledby=\"comments-h\"><h2 id=\"comments-h\">Comments <span class=\"muted\">(%d)</span></h2>", it.comments);
    comment_list(r, &it, false);
    buf_puts(b, "</section>");
    page_end(r);
    return 0;
}
