/* survey_test.c: survey scores against hand-computed values (survey.h),
 * the shipped instruments, and anon.c's group rules: the minimum k and
 * complementary suppression. */
#include "remit.h"
#include "survey.h"
#include "check.h"
#include <math.h>
#include <string.h>

static bool near(double a, double b) { return fabs(a - b) < 1e-3; }

int main(void) {
    /* kinds and values */
    CHECK("survey-1.1: kinds parse and print", survey_kind_parse("agree7") == Q_AGREE7 && strcmp(survey_kind_name(Q_MULTI), "multi") == 0 &&
                                                   survey_kind_parse("likert") == -1 && survey_kind_parse(NULL) == -1);
    CHECK("survey-1.2: agree5 takes 1..5 only", survey_value_ok(Q_AGREE5, 1, 0) && survey_value_ok(Q_AGREE5, 5, 0) &&
                                                    !survey_value_ok(Q_AGREE5, 0, 0) && !survey_value_ok(Q_AGREE5, 6, 0));
    CHECK("survey-1.3: 0-10 takes 0..10 only", survey_value_ok(Q_SCALE10, 0, 0) && survey_value_ok(Q_SCALE10, 10, 0) &&
                                                   !survey_value_ok(Q_SCALE10, -1, 0) && !survey_value_ok(Q_SCALE10, 11, 0));
    CHECK("survey-1.4: a choice takes an index of its options", survey_value_ok(Q_CHOICE, 2, 3) && !survey_value_ok(Q_CHOICE, 3, 3) &&
                                                                    !survey_value_ok(Q_CHOICE, -1, 3) && !survey_value_ok(Q_TEXT, 1, 0));
    CHECK("survey-1.5: reversed items: 8 - x on seven points, 6 - x on five",
          survey_scored(Q_AGREE7, true, 1) == 7 && survey_scored(Q_AGREE7, true, 7) == 1 && survey_scored(Q_AGREE5, true, 2) == 4 &&
              survey_scored(Q_AGREE5, false, 2) == 2);

    /* favourability and means: {5,4,3,2,1,4} -> 3 of 6 agree = 50%, mean 19/6 */
    QStats q;
    int a5[] = {5, 4, 3, 2, 1, 4, 9 /* out of range: skipped */};
    survey_qstats(Q_AGREE5, false, 0, a5, 7, &q);
    CHECK("survey-2.1: five points: top two are favourable (3 of 6 = 50%)", q.n == 6 && near(q.favourable, 50.0));
    CHECK("survey-2.2: the mean of the answers in range (19 / 6)", near(q.mean, 19.0 / 6));
    CHECK("survey-2.3: the distribution counts raw answers", q.dist[4] == 2 && q.dist[1] == 1 && q.ndist == 6);
    /* a reversed seven-point item: {1,2,7} scores {7,6,1}: 2 of 3 favourable, mean 14/3 */
    int a7[] = {1, 2, 7};
    survey_qstats(Q_AGREE7, true, 0, a7, 3, &q);
    CHECK("survey-2.4: seven points reversed: top three after reversing (2 of 3)", near(q.favourable, 200.0 / 3) && near(q.mean, 14.0 / 3));
    CHECK("survey-2.5: the distribution keeps what people answered, before reversing", q.dist[1] == 1 && q.dist[7] == 1);
    int none[1] = {0};
    survey_qstats(Q_AGREE5, false, 0, none, 0, &q);
    CHECK("survey-2.6: no answers: n 0, no figures", q.n == 0 && q.mean == 0 && q.favourable == 0);
    /* a multiple-choice question counts options */
    int m[] = {0, 2, 2, 1, 2};
    survey_qstats(Q_MULTI, false, 3, m, 5, &q);
    CHECK("survey-2.7: choices count per option, no mean", q.n == 5 && q.dist[2] == 3 && q.dist[0] == 1 && q.ndist == 3 && q.mean == 0);

    /* eNPS: {10,9,9,8,7,6,5,0,10,3}: 4 promoters, 2 passives, 4 detractors -> 0 */
    Enps e;
    int n1[] = {10, 9, 9, 8, 7, 6, 5, 0, 10, 3};
    survey_enps(n1, 10, &e);
    CHECK("survey-3.1: eNPS counts promoters, passives, detractors", e.n == 10 && e.promoters == 4 && e.passives == 2 && e.detractors == 4);
    CHECK("survey-3.2: eNPS = 40% - 40% = 0", near(e.score, 0));
    int n2[] = {10, 10, 9, 8, 2};
    survey_enps(n2, 5, &e);
    CHECK("survey-3.3: eNPS = 60% - 20% = 40", near(e.score, 40));
    int n3[] = {0, 6, 6};
    survey_enps(n3, 3, &e);
    CHECK("survey-3.4: all detractors: -100", near(e.score, -100));

    /* factors: the mean favourability of items with answers */
    QStats items[3] = {{.n = 6, .favourable = 50}, {.n = 3, .favourable = 200.0 / 3}, {.n = 0, .favourable = 0}};
    CHECK("survey-4.1: a factor is the mean favourability of its answered items", near(survey_factor(items, 3), (50 + 200.0 / 3) / 2));
    CHECK("survey-4.2: a factor without answers is -1", survey_factor(items + 2, 1) == -1);

    /* trends: 30/60 -> 45/60: pooled p .625, se .08839, z 2.828, p .00468 */
    Trend t;
    survey_trend(30, 60, 45, 60, &t);
    CHECK("survey-5.1: a rise of 25 points over 60 answers each", near(t.change, 25) && near(t.z, 2.8284) && fabs(t.p - 0.004678) < 1e-4);
    CHECK("survey-5.2: ... is larger than chance", t.significant);
    survey_trend(10, 20, 12, 20, &t);
    CHECK("survey-5.3: 50% -> 60% over 20 answers each is not (z 0.636, p 0.525)", !t.significant && fabs(t.z - 0.6356) < 1e-3 &&
                                                                                     fabs(t.p - 0.5250) < 1e-3);
    survey_trend(5, 5, 5, 5, &t);
    CHECK("survey-5.4: no variation: no test", t.z == 0 && t.p == 1 && !t.significant);
    survey_trend(1, 0, 1, 5, &t);
    CHECK("survey-5.5: impossible counts: no test", t.p == 1 && !t.significant);

    /* drivers: Pearson's r */
    double x[] = {1, 2, 3, 4, 5}, y[] = {2, 4, 6, 8, 10}, yr[] = {5, 4, 3, 2, 1}, yc[] = {3, 3, 3, 3, 3};
    double x4[] = {1, 2, 3, 4}, y4[] = {1, 3, 2, 4};
    CHECK("survey-6.1: r = 1 and -1 for straight lines", near(survey_correlation(x, y, 5), 1) && near(survey_correlation(x, yr, 5), -1));
    CHECK("survey-6.2: r = 0.8 on a hand-computed example", near(survey_correlation(x4, y4, 4), 0.8));
    CHECK("survey-6.3: no variation, or fewer than three pairs: undefined", isnan(survey_correlation(x, yc, 5)) && isnan(survey_correlation(x, y, 2)));

    /* instruments */
    const SurveyTemplate *ps = survey_template("psych-safety");
    CHECK("survey-7.1: Edmondson's scale: 7 items, 7 points, items 1, 3 and 5 reversed",
          ps && ps->n == 7 && ps->items[0].reverse && !ps->items[1].reverse && ps->items[2].reverse && !ps->items[3].reverse &&
              ps->items[4].reverse && !ps->items[5].reverse && !ps->items[6].reverse && ps->items[3].kind == Q_AGREE7);
    const SurveyTemplate *em = survey_template("empowerment");
    int dims = 0;
    for (int i = 0; em && i < em->n; i += 3)
        dims += strcmp(em->items[i].factor, em->items[i + 1].factor) == 0 && strcmp(em->items[i].factor, em->items[i + 2].factor) == 0;
    CHECK("survey-7.2: Spreitzer's scale: 12 items, four dimensions of three", em && em->n == 12 && dims == 4);
    const SurveyTemplate *ca = survey_template("culture-audit");
    int covered = 0;
    for (int f = 0; SURVEY_FACTORS[f]; f++)
        for (int i = 0; ca && i < ca->n; i++)
            if (strcmp(ca->items[i].factor, SURVEY_FACTORS[f]) == 0) {
                covered++;
                break;
            }
    CHECK("survey-7.3: the culture audit: about 20 agree items covering all seven factors", ca && ca->n >= 18 && ca->n <= 24 && covered == 7);
    const SurveyTemplate *en = survey_template("enps"), *pu = survey_template("pulse");
    CHECK("survey-7.4: eNPS is one 0-10 question naming the organisation", en && en->n == 1 && en->items[0].kind == Q_SCALE10 &&
                                                                              strstr(en->items[0].text_en, "%s") && strstr(en->items[0].text_de, "%s"));
    CHECK("survey-7.5: the pulse has 5 to 8 items", pu && pu->n >= 5 && pu->n <= 8);
    CHECK("survey-7.6: unknown templates are refused", survey_template("likert") == NULL && survey_template(NULL) == NULL);

    /* anonymity: k and complementary suppression */
    CHECK("anon-3.1: k is 5 unless set, never below 3, never above 10", anon_k(0) == 5 && anon_k(2) == 3 && anon_k(11) == 10 && anon_k(7) == 7);
    bool h[4];
    int c1[] = {12, 3, 8};
    anon_suppress(c1, 3, 5, true, h);
    CHECK("anon-3.2: a group of 3 is hidden, and so is the next smallest, else parent minus the rest gives it away", !h[0] && h[1] && h[2]);
    anon_suppress(c1, 3, 5, false, h);
    CHECK("anon-3.3: without the parent's total only the small group is hidden", !h[0] && h[1] && !h[2]);
    int c2[] = {2, 2, 20};
    anon_suppress(c2, 3, 5, true, h);
    CHECK("anon-3.4: two hidden groups holding 4 < k: a third is hidden too", h[0] && h[1] && h[2]);
    int c3[] = {6, 7, 9};
    anon_suppress(c3, 3, 5, true, h);
    CHECK("anon-3.5: groups at k or above all show", !h[0] && !h[1] && !h[2]);
    int c4[] = {4, 6, 0, 7};
    anon_suppress(c4, 4, 5, true, h);
    CHECK("anon-3.6: a group with no answers is 'no data' and protects nothing", h[0] && h[1] && !h[2] && !h[3]);
    int c5[] = {5, 4};
    anon_suppress(c5, 2, 5, true, h);
    CHECK("anon-3.7: the exact boundary: 5 shows, 4 hides, and its sibling with it", h[0] && h[1]);
    CHECK_DONE();
}
