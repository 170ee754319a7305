/* review360_test.c: the grouping rules of 360 reviews (review360.h): peers'
 * and reports' ratings show only as groups of at least three, a smaller
 * group folds every group into "others", and "others" below three is
 * refused; then the scores per skill against hand-computed values. */
#include "review360.h"
#include "check.h"
#include <math.h>

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

int main(void) {
    int s[2];
    /* thresholds */
    CHECK("r360-1.1: three peers and three reports: each their own group", r360_fold(3, 3, s) == 6 && s[0] == R360_PEER && s[1] == R360_REPORT);
    CHECK("r360-1.2: three peers, no reports: peers shown, reports absent", r360_fold(3, 0, s) == 3 && s[0] == R360_PEER && s[1] == R360_ABSENT);
    CHECK("r360-1.3: two peers alone are refused (2 < 3)", r360_fold(2, 0, s) == 0 && s[0] == R360_REFUSED && s[1] == R360_ABSENT);
    CHECK("r360-1.4: one peer alone is refused", r360_fold(1, 0, s) == 0 && s[0] == R360_REFUSED);
    CHECK("r360-1.5: nobody: both absent, nothing shown", r360_fold(0, 0, s) == 0 && s[0] == R360_ABSENT && s[1] == R360_ABSENT);
    /* folding */
    CHECK("r360-2.1: two peers and two reports fold into others (4)", r360_fold(2, 2, s) == 4 && s[0] == R360_OTHERS && s[1] == R360_OTHERS);
    CHECK("r360-2.2: five peers and one report: all into others, peers not shown beside it",
          r360_fold(5, 1, s) == 6 && s[0] == R360_OTHERS && s[1] == R360_OTHERS);
    CHECK("r360-2.3: one peer and three reports: all into others", r360_fold(1, 3, s) == 4 && s[0] == R360_OTHERS && s[1] == R360_OTHERS);
    CHECK("r360-2.4: two peers and one report: others is 3, shown", r360_fold(2, 1, s) == 3 && s[0] == R360_OTHERS && s[1] == R360_OTHERS);
    /* refusal */
    CHECK("r360-3.1: one peer and one report: others is 2, refused", r360_fold(1, 1, s) == 0 && s[0] == R360_REFUSED && s[1] == R360_REFUSED);
    CHECK("r360-3.2: no reports and two peers: refused", r360_fold(2, 0, s) == 0 && s[0] == R360_REFUSED);

    /* scores: behaviours 0,1 are skill 0; behaviour 2 is skill 1 */
    const int skill_of[] = {0, 0, 1};
    const int self[] = {5, 5, 2}, mgr[] = {3, 3, 4}, p1[] = {3, 4, 5}, p2[] = {2, 3, 4}, p3[] = {3, 3, 5}, r1[] = {1, 1, 1};
    R360Ballot b[] = {{R360_SELF, self}, {R360_MANAGER, mgr}, {R360_PEER, p1}, {R360_PEER, p2}, {R360_PEER, p3}, {R360_REPORT, r1}};
    R360Score out[2];
    /* three peers, one report: everything folds into others (p1 p2 p3 r1) */
    r360_fold(3, 1, s);
    r360_score(b, 6, 3, skill_of, 2, s, out);
    CHECK("r360-4.1: self's mean per skill (5, 2)", near(out[0].mean[R360_SELF], 5) && near(out[1].mean[R360_SELF], 2));
    CHECK("r360-4.2: the manager attributed (3, 4)", near(out[0].mean[R360_MANAGER], 3) && near(out[1].mean[R360_MANAGER], 4));
    CHECK("r360-4.3: folded: no peer or report figure", out[0].mean[R360_PEER] < 0 && out[0].mean[R360_REPORT] < 0);
    /* others skill 0: 3,4,2,3,3,3,1,1 = 20/8 = 2.5 */
    CHECK("r360-4.4: others' mean (20 / 8)", near(out[0].mean[R360_OTHERS], 2.5));
    /* everyone but self, skill 0: manager 3,3 + others 20 = 26/10 */
    CHECK("r360-4.5: everyone but self (26 / 10)", near(out[0].others, 2.6));
    CHECK("r360-4.6: self 5 vs 2.6: a blind spot, not a strength", out[0].blind_spot && !out[0].strength);
    /* skill 1: manager 4, others 5,4,5,1 -> (4+15)/5 = 3.8: neither */
    CHECK("r360-4.7: skill 1: 3.8, no strength (below 4), self below: no blind spot", near(out[1].others, 3.8) && !out[1].strength && !out[1].blind_spot);
    /* without the report: peers shown as peers (3) */
    r360_fold(3, 0, s);
    r360_score(b, 5, 3, skill_of, 2, s, out);
    CHECK("r360-4.8: peers shown as their own group (skill 1: 14 / 3)", near(out[1].mean[R360_PEER], 14.0 / 3) && out[1].mean[R360_OTHERS] < 0);
    CHECK("r360-4.9: skill 1 is a strength: (4 + 14) / 4 = 4.5", near(out[1].others, 4.5) && out[1].strength);
    /* refused: two peers only; their ratings count nowhere, not even in "everyone but self" */
    R360Ballot few[] = {{R360_SELF, self}, {R360_MANAGER, mgr}, {R360_PEER, p1}, {R360_PEER, p2}};
    r360_fold(2, 0, s);
    r360_score(few, 4, 3, skill_of, 2, s, out);
    CHECK("r360-5.1: refused peers count nowhere: others is the manager alone", near(out[0].others, 3) && out[0].mean[R360_PEER] < 0 && out[0].mean[R360_OTHERS] < 0);
    CHECK("r360-5.2: a rating out of range is skipped", (r360_score((R360Ballot[]){{R360_MANAGER, (int[]){9, 4, 0}}}, 1, 3, skill_of, 2, s, out), near(out[0].others, 4) && out[1].others < 0));
    CHECK_DONE();
}
