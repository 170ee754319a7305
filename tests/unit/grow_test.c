/* grow_test.c: growcalc.c: training suggestions with their evidence, the
 * four-fifths rule and Fisher's exact test against hand-computed values
 * (each p-value below is a sum of hypergeometric terms worked out on paper:
 * for margins 4/4 of 8, P(a) = C(4,a)^2 / 70). */
#include "check.h"
#include "grow.h"
#include <math.h>
#include <string.h>

static bool near(double x, double y) { return fabs(x - y) < 1e-9; }

int main(void) {
    /* Fisher's exact test, two-sided */
    CHECK("fisher-1.1: [3 1 | 1 3] -> (1+16+16+1)/70", near(fair_fisher(3, 1, 1, 3), 34.0 / 70));
    CHECK("fisher-1.2: [4 0 | 0 4] (the tea-tasting table) -> 2/70", near(fair_fisher(4, 0, 0, 4), 2.0 / 70));
    CHECK("fisher-1.3: symmetric: [1 3 | 3 1] as [3 1 | 1 3]", near(fair_fisher(1, 3, 3, 1), 34.0 / 70));
    CHECK("fisher-1.4: [1 9 | 11 3] -> 0.0027594562 (the textbook example)", fabs(fair_fisher(1, 9, 11, 3) - 0.0027594562) < 1e-9);
    CHECK("fisher-1.5: [2 2 | 2 2] (nothing to see) -> 1", near(fair_fisher(2, 2, 2, 2), 1));
    CHECK("fisher-1.6: no successes anywhere -> 1", near(fair_fisher(0, 5, 0, 5), 1));
    CHECK("fisher-1.7: empty or negative tables -> 1", near(fair_fisher(0, 0, 0, 0), 1) && near(fair_fisher(-1, 2, 3, 4), 1));
    /* [0 5 | 5 0]: P = C(5,0)C(5,5)/C(10,5) = 1/252, both tails: 2/252 */
    CHECK("fisher-1.8: [0 5 | 5 0] -> 2/252", near(fair_fisher(0, 5, 5, 0), 2.0 / 252));

    /* the four-fifths rule */
    CHECK("fifths-1.1: 0.5 against 0.8 is below 0.64 -> flagged", fair_four_fifths(0.5, 0.8));
    CHECK("fifths-1.2: 0.64 against 0.8 is exactly four fifths -> not flagged", !fair_four_fifths(0.64, 0.8));
    CHECK("fifths-1.3: 0.63 against 0.8 -> flagged", fair_four_fifths(0.63, 0.8));
    CHECK("fifths-1.4: the best group itself is never flagged", !fair_four_fifths(0.8, 0.8));
    CHECK("fifths-1.5: when nobody succeeds, nobody is flagged", !fair_four_fifths(0, 0));

    /* tenure bands */
    CHECK("tenure-1.1: 11 months -> <1y", strcmp(fair_tenure_band("2026-01-05", "2026-12-03"), "<1y") == 0);
    CHECK("tenure-1.2: a year to the day -> 1-3y", strcmp(fair_tenure_band("2025-12-03", "2026-12-03"), "1-3y") == 0);
    CHECK("tenure-1.3: a day short of three years -> 1-3y", strcmp(fair_tenure_band("2023-12-04", "2026-12-03"), "1-3y") == 0);
    CHECK("tenure-1.4: three years -> 3y+", strcmp(fair_tenure_band("2023-12-03", "2026-12-03"), "3y+") == 0);
    CHECK("tenure-1.5: unknown start -> unknown", strcmp(fair_tenure_band(NULL, "2026-12-03"), "unknown") == 0);

    /* suggestions: Lea, Barista, needs complaint handling (7) at 3 and is at 2;
     * her refunds right up to 200.00 needs the complaint training (21) */
    SkNeed needs[] = {{7, 3, "complaint handling", "Barista"}, {8, 2, "latte art", "Barista"}};
    SkLevel lea[] = {{7, 2}, {8, 2}};
    SkLevel b20[] = {{7, 2}}, b21[] = {{7, 3}}, b22[] = {{7, 4}};
    SkTraining cat[] = {{20, "Shadow a shift lead", b20, 1}, {21, "Complaint handling", b21, 1}, {22, "Difficult conversations", b22, 1}};
    SkInput in = {needs, 2, lea, 2, cat, 3, NULL, 0, NULL, 0, NULL, 0};
    SkSuggestion out[8];
    char text[400];
    int n = skills_suggest(&in, out, 8);
    CHECK("suggest-1.1: one gap, one suggestion: the training that builds the lowest sufficient level", n == 1 && out[0].training_id == 21);
    CHECK("suggest-1.2: a training below the needed level is never suggested", n == 1 && out[0].training_id != 20);
    skills_suggestion_text(NULL, "Lea", &out[0], text, sizeof text);
    CHECK("suggest-1.3: the sentence gives the evidence: role, skill, levels, training",
          strcmp(text, "Lea's role Barista needs complaint handling at level 3 and Lea is at 2; the training 'Complaint handling' builds it.") == 0);
    int64_t taken[] = {21};
    in.taken = taken, in.ntaken = 1;
    n = skills_suggest(&in, out, 8);
    CHECK("suggest-1.4: a training planned or dismissed is not suggested again: the next one that suffices", n == 1 && out[0].training_id == 22);
    in.taken = NULL, in.ntaken = 0;
    lea[0].level = 3;
    CHECK("suggest-1.5: no gap, no suggestion", skills_suggest(&in, out, 8) == 0);
    lea[0].level = 2;

    SkRight rights[] = {{"refunds", 20000, 21, 0, 0, NULL}};
    in.rights = rights, in.nrights = 1;
    n = skills_suggest(&in, out, 8);
    CHECK("suggest-2.1: a right's required training comes first, once", n == 1 && out[0].kind == SK_RIGHT_TRAINING && out[0].training_id == 21);
    skills_suggestion_text(NULL, "Lea", &out[0], text, sizeof text);
    CHECK("suggest-2.2: ... and says which right it opens",
          strcmp(text, "Lea holds refunds up to 200.00 once the training 'Complaint handling' is completed; it is the right's prerequisite.") == 0);
    int64_t completed[] = {21};
    in.completed = completed, in.ncompleted = 1, in.taken = completed, in.ntaken = 1;
    n = skills_suggest(&in, out, 8);
    CHECK("suggest-2.3: completed: the right is no longer a reason, the role gap still is", n == 1 && out[0].kind == SK_ROLE_NEED && out[0].training_id == 22);
    SkRight skill_right[] = {{"refunds", -1, 0, 7, 4, "complaint handling"}};
    in.rights = skill_right, in.completed = NULL, in.ncompleted = 0, in.taken = NULL, in.ntaken = 0;
    n = skills_suggest(&in, out, 8);
    skills_suggestion_text(NULL, "Lea", &out[0], text, sizeof text);
    CHECK("suggest-2.4: a right that needs a skill level suggests the training that builds it, then the role gap",
          n == 2 && out[0].training_id == 22 && out[1].training_id == 21 && strcmp(text, "Lea holds refunds once at level 4 in complaint handling and is at 2; the training 'Difficult conversations' builds it.") == 0);
    CHECK("suggest-2.5: at most max", skills_suggest(&in, out, 0) == 0);
    CHECK_DONE();
}
