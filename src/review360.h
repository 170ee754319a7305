/* review360.h: the pure part of 360 reviews (review360calc.c): which rater
 * groups may be shown, and the scores per skill. No I/O; unit-tested in
 * tests/unit/review360_test.c. */
#ifndef REVIEW360_H
#define REVIEW360_H
#include <stdbool.h>

enum { R360_SELF, R360_MANAGER, R360_PEER, R360_REPORT, R360_OTHERS, R360_NGROUPS };
#define R360_MIN_GROUP 3   /* peers' and reports' ratings show only as a group of at least this many */
#define R360_ABSENT (-1)   /* nobody of the group answered */
#define R360_REFUSED (-2)  /* too few, even folded into "others": not shown at all */
#define R360_SCALE_MAX 5   /* never 1, rarely 2, sometimes 3, often 4, always 5 */
#define R360_STRENGTH 4.0  /* others' mean at or above: a strength */
#define R360_BLIND 1.0     /* self above others' mean by at least: a blind spot */

/* r360_fold: where the peers' (npeer ballots) and the reports' (nreport)
 * ratings show. shown[0] for peers, shown[1] for reports: R360_PEER or
 * R360_REPORT (their own group), R360_OTHERS (folded together), R360_ABSENT
 * or R360_REFUSED. A group below R360_MIN_GROUP folds every present group
 * into "others" (a group shown beside "others" would subtract to the small
 * one), and "others" below the minimum is refused. Returns the number of
 * ballots shown. */
int r360_fold(int npeer, int nreport, int shown[2]);

typedef struct R360Ballot {
    int relation;       /* R360_SELF, R360_MANAGER, R360_PEER, R360_REPORT */
    const int *ratings; /* one per behaviour: 1..5, 0 when not given */
} R360Ballot;

typedef struct R360Score {
    double mean[R360_NGROUPS]; /* per group as shown; -1 when nothing to show */
    double others;             /* everyone but self that is shown (manager and groups); -1 when none */
    bool strength, blind_spot;
} R360Score;

/* r360_score: per skill (skill_of[b] is behaviour b's skill, 0..nskills-1),
 * the mean rating of each shown group (peers and reports where shown[]
 * says, or "others"), of the manager and self, and of everyone but self;
 * strength when that is at least R360_STRENGTH, blind spot when self
 * exceeds it by at least R360_BLIND. Ratings of refused groups count
 * nowhere. out has nskills entries. */
void r360_score(const R360Ballot *b, int nb, int nbehaviours, const int *skill_of, int nskills, const int shown[2], R360Score *out);

#endif
