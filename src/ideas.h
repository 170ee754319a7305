/* ideas.h: what the challenge and idea modules share: the loaded
 * challenge, who may see and manage it, the pieces of the challenge page
 * each module renders, and the pure ranking functions (ranking.c). */
#ifndef IDEAS_H
#define IDEAS_H
#include "remit.h"

typedef struct Challenge {
    int64_t id, team_id, goal_id, owner_id;
    char *title, *body, *scope, *phase, *opens_on, *closes_on; /* opens_on/closes_on NULL when unset */
    char *team_name, *goal_title, *owner_name;                  /* NULL when unset */
    int64_t created_at, updated_at;
} Challenge;

/* challenges.c ------------------------------------------------------- */
/* challenge_find: the challenge if the caller may see it: organisation
 * challenges everyone in the organisation; team challenges the people whose
 * team is in that team's subtree, the team's lead, and admins. 1 found, 0
 * not (also for another organisation's id). */
int challenge_find(Req *r, int64_t id, Challenge *c);
/* challenge_load: challenge_find, or 404 sent and -1. */
int challenge_load(Req *r, int64_t id, Challenge *c);
/* challenge_can_manage: admins for every challenge; managers for team
 * challenges whose team lies in the subtree of a team they lead or belong
 * to. These publish, edit, assign reviewers and change idea stages. */
bool challenge_can_manage(Req *r, const Challenge *c);
/* team_in_subtree: whether team is root or below it (bounded walk). */
bool team_in_subtree(Db *db, int64_t org_id, int64_t team, int64_t root);
json_t *challenge_json(Req *r, const Challenge *c);
/* challenge_seen_cte: "WITH RECURSIVE ..., seen(id) AS (...) ", the
 * challenges the caller may see (?1 person, ?2 organisation, ?3 manager,
 * ?4 admin), by the rule that decides it everywhere else; the caller's own
 * parameters start at ?5. */
const char *challenge_seen_cte(void);

/* ideas.c: pieces of the challenge page ------------------------------- */
/* ideas_render_list: the challenge's ideas with sort tabs (top, trending,
 * new, pairwise) and vote buttons, 50 to a page (?page=N, with plain
 * previous/next links that keep the sort). */
void ideas_render_list(Req *r, const Challenge *c, const char *sort);
/* ideas_render_submit: the "share an idea" form (while open). */
void ideas_render_submit(Req *r, const Challenge *c);

/* pairwise.c: pieces of the challenge page ----------------------------- */
/* reviews_render_matrix: the risk/reward matrix of reviewed ideas as an
 * SVG (bubble size = effort), with a table fallback. */
void reviews_render_matrix(Req *r, const Challenge *c);
/* reviews_render_for_idea: the idea page's review card: scorecards,
 * averages or nothing depending on who looks, and a reviewer's form. */
void reviews_render_for_idea(Req *r, int64_t idea_id, const Challenge *c);

/* ranking.c: pure ranking functions ------------------------------------ */
/* trending_score: votes with a time decay; see ranking.c for the formula. */
double trending_score(int votes, double age_hours);
/* bt_fit: Bradley-Terry strengths for n items from m (winner, loser)
 * pairs of indexes 0..n-1, by the MM algorithm with a weak prior so that
 * items without wins keep a finite score. scores[n] is filled, normalised
 * to a geometric mean of 1. Returns the iterations used. */
typedef struct Duel { int winner, loser; } Duel;
int bt_fit(int n, const Duel *duels, int m, double *scores);
/* pair_pick: the next pair to show one person: the two least-compared items
 * (by everyone) that this person has not judged together yet. counts[i]:
 * comparisons of item i; seen(a, b, ctx): whether the person judged this
 * pair. 1 with *a < *b set, 0 when the person has judged every pair. */
int pair_pick(int n, const int *counts, bool (*seen)(void *ctx, int a, int b), void *ctx, int *a, int *b);

#endif
