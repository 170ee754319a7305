/* grow.h: skills, training and the fairness audit (issue 14 part B): the
 * pure rules of growcalc.c and what the feature files share. */
#ifndef GROW_H
#define GROW_H
#include "remit.h"

typedef struct SkLevel { int64_t skill_id; int level; } SkLevel;
/* A role's need: skill at level, with names for the sentence. */
typedef struct SkNeed { int64_t skill_id; int level; const char *skill, *role; } SkNeed;
typedef struct SkTraining { int64_t id; const char *title; const SkLevel *builds; int nbuilds; } SkTraining;
/* A prerequisite of a right the person holds on paper: a training, or a
 * skill at a level. */
typedef struct SkRight {
    const char *domain;      /* the domain's label */
    int64_t limit_cents;     /* -1: no limit */
    int64_t training_id;     /* or */
    int64_t skill_id;
    int level;
    const char *skill;
} SkRight;
typedef struct SkInput {
    const SkNeed *needs; int nneeds;            /* the person's roles' needs */
    const SkLevel *levels; int nlevels;         /* the person's confirmed levels */
    const SkTraining *trainings; int ntrainings; /* the catalogue */
    const SkRight *rights; int nrights;         /* prerequisites of rights held on paper */
    const int64_t *completed; int ncompleted;   /* trainings completed */
    const int64_t *taken; int ntaken;           /* trainings completed, planned or dismissed: not suggested again */
} SkInput;
enum { SK_ROLE_NEED = 0, SK_RIGHT_SKILL = 1, SK_RIGHT_TRAINING = 2 };
typedef struct SkSuggestion {
    int kind;                /* SK_* */
    int64_t training_id, skill_id;
    const char *training, *skill, *role, *domain;
    int from, to;            /* levels: is at, needs */
    int64_t limit_cents;
} SkSuggestion;
/* skills_suggest: trainings for one person, at most max, each with its
 * evidence: first those that open a right they hold on paper, then those
 * that close a gap to their roles' needs. Never one completed, planned or
 * dismissed. Returns the count. */
int skills_suggest(const SkInput *in, SkSuggestion *out, int max);
/* skills_suggestion_text: the one sentence that explains s, in l. */
void skills_suggestion_text(const Lang *l, const char *person, const SkSuggestion *s, char *out, size_t size);

/* fairness: the four-fifths rule (rate below 0.8 of the best group's) and
 * Fisher's exact test, two-sided, for the 2x2 table
 * [a successes, b others | c successes, d others] (group vs the rest). */
bool fair_four_fifths(double rate, double best);
double fair_fisher(int a, int b, int c, int d);
const char *fair_tenure_band(const char *started_on, const char *today); /* "<1y", "1-3y", "3y+", "unknown" */

/* skills.c, training.c: shared helpers */
const char *skill_level_name(Req *r, int level);  /* "aware" .. "can teach", translated; "not yet" for 0 */
bool skills_may_confirm(Req *r, int64_t person_id); /* the person's manager (up the chain) or an admin */
int skills_raise(Req *r, int64_t person_id, int64_t skill_id, int level); /* never lowers; inside the caller's transaction */
void fairness_account_card(Req *r);                 /* the account page's self-described attributes */
#endif
