/* ranking_test.c: the pure ranking functions of ranking.c: trending decay,
 * the Bradley-Terry fit (order recovered on known examples, finite scores
 * without wins, symmetry, normalisation) and pair_pick (equal exposure,
 * never the same pair twice for one person, done when all are seen). */
#include "check.h"
#include "ideas.h"
#include <math.h>
#include <string.h>

/* ---------- pair_pick helpers: one person's judged pairs as a matrix ---------- */
#define MAXN 16
typedef struct Seen { bool m[MAXN][MAXN]; } Seen;
static bool seen_cb(void *ctx, int a, int b) { return ((Seen *)ctx)->m[a][b]; }
static void mark(Seen *s, int a, int b) { s->m[a][b] = s->m[b][a] = true; }

static int spread(const int *counts, int n) {
    int lo = counts[0], hi = counts[0];
    for (int i = 1; i < n; i++) {
        if (counts[i] < lo) lo = counts[i];
        if (counts[i] > hi) hi = counts[i];
    }
    return hi - lo;
}

static bool ordered(const double *s, const int *order, int n) {
    for (int i = 0; i + 1 < n; i++)
        if (!(s[order[i]] > s[order[i + 1]])) return false;
    return true;
}

static bool all_finite_positive(const double *s, int n) {
    for (int i = 0; i < n; i++)
        if (!isfinite(s[i]) || !(s[i] > 0)) return false;
    return true;
}

static double geo_mean(const double *s, int n) {
    double l = 0;
    for (int i = 0; i < n; i++) l += log(s[i]);
    return exp(l / n);
}

int main(void) {
    /* ---------- trending ---------- */
    CHECK("trend-1.1: no votes score 0", trending_score(0, 1) == 0 && trending_score(0, 0) == 0);
    bool mono_age = true, mono_votes = true;
    for (int v = 1; v <= 50; v += 7)
        for (double h = 0; h < 24 * 60; h += 5.5)
            if (!(trending_score(v, h) > trending_score(v, h + 1))) mono_age = false;
    for (int v = 0; v < 200; v++)
        for (double h = 0; h < 2000; h += 97)
            if (!(trending_score(v + 1, h) > trending_score(v, h))) mono_votes = false;
    CHECK("trend-1.2: strictly decreasing in age", mono_age);
    CHECK("trend-1.3: strictly increasing in votes", mono_votes);
    CHECK("trend-1.4: a fresh idea with 3 votes beats one with 5 votes from two days ago", trending_score(3, 2) > trending_score(5, 48));
    CHECK("trend-1.5: 5 votes in a day beat 50 from a week ago", trending_score(5, 24) > trending_score(50, 168));
    CHECK("trend-1.6: equal age: more votes win", trending_score(6, 30) > trending_score(5, 30));
    CHECK("trend-1.7: the formula: votes / (age + 2)^1.5", fabs(trending_score(3, 2) - 0.375) < 1e-12 && fabs(trending_score(8, 14) - 0.125) < 1e-12);
    CHECK("trend-1.8: negative and NaN ages count as 0", trending_score(4, -10) == trending_score(4, 0) && trending_score(4, NAN) == trending_score(4, 0));
    CHECK("trend-1.9: negative votes count as none", trending_score(-3, 5) == 0);

    /* ---------- Bradley-Terry ---------- */
    {
        /* True strengths 8, 4, 2, 1: each pair plays 12 games and the
         * stronger wins round(12 * g_i / (g_i + g_j)) of them, so the data
         * are exactly in proportion (up to rounding). */
        static const double truth[4] = {8, 4, 2, 1};
        Duel d[200];
        int m = 0;
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++) {
                int wi = (int)lround(12 * truth[i] / (truth[i] + truth[j]));
                for (int k = 0; k < 12; k++) d[m++] = k < wi ? (Duel){i, j} : (Duel){j, i};
            }
        double s[4];
        int it = bt_fit(4, d, m, s);
        int order[4] = {0, 1, 2, 3};
        CHECK("bt-1.1: strengths 8,4,2,1 in proportion: order recovered", ordered(s, order, 4));
        CHECK("bt-1.2: converges well before the iteration cap", it > 0 && it < 200);
        CHECK("bt-1.3: normalised to a geometric mean of 1", fabs(geo_mean(s, 4) - 1) < 1e-9);
        CHECK("bt-1.4: ratios near the truth (8 and 2)", s[0] / s[3] > 5 && s[0] / s[3] < 12 && s[0] / s[1] > 1.5 && s[0] / s[1] < 2.5);
    }
    {
        /* A transitive tournament C > A > D > B, 5 games each pair, the
         * stronger always winning; item indexes deliberately shuffled. */
        Duel d[64];
        int m = 0, rank[4] = {2, 0, 3, 1}; /* best first */
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++)
                for (int k = 0; k < 5; k++) d[m++] = (Duel){rank[i], rank[j]};
        double s[4];
        bt_fit(4, d, m, s);
        CHECK("bt-2.1: transitive tournament: order recovered", ordered(s, rank, 4));
        CHECK("bt-2.2: undefeated and winless items stay finite", all_finite_positive(s, 4));
        CHECK("bt-2.3: the winless item is the weakest but not 0", s[1] > 0 && s[1] < s[3]);
    }
    {
        /* Zero-win items: 0 beats everyone; 1, 2, 3 never win. */
        Duel d[] = {{0, 1}, {0, 2}, {0, 3}};
        double s[5];
        bt_fit(5, d, 3, s);
        CHECK("bt-3.1: items without wins and an item never compared stay finite", all_finite_positive(s, 5));
        CHECK("bt-3.2: losers tie, below the unseen item, below the winner", fabs(s[1] - s[2]) < 1e-9 && fabs(s[2] - s[3]) < 1e-9 && s[4] > s[1] && s[0] > s[4]);
    }
    {
        /* Symmetric inputs: a cycle 0>1>2>0 and equal head-to-head records. */
        Duel cyc[] = {{0, 1}, {1, 2}, {2, 0}, {0, 1}, {1, 2}, {2, 0}};
        double s[3];
        bt_fit(3, cyc, 6, s);
        CHECK("bt-4.1: a perfect cycle gives equal scores", fabs(s[0] - 1) < 1e-9 && fabs(s[1] - 1) < 1e-9 && fabs(s[2] - 1) < 1e-9);
        Duel even[] = {{0, 1}, {1, 0}, {2, 3}, {3, 2}, {0, 2}, {2, 0}, {1, 3}, {3, 1}};
        double t[4];
        bt_fit(4, even, 8, t);
        CHECK("bt-4.2: even records give equal scores", fabs(t[0] - t[1]) < 1e-9 && fabs(t[1] - t[2]) < 1e-9 && fabs(t[2] - t[3]) < 1e-9);
        double u[3];
        bt_fit(3, NULL, 0, u);
        CHECK("bt-4.3: no duels: everyone 1", u[0] == 1 && u[1] == 1 && u[2] == 1);
        Duel mirror_a[] = {{0, 1}, {0, 1}, {1, 0}}, mirror_b[] = {{1, 0}, {1, 0}, {0, 1}};
        double ma[2], mb[2];
        bt_fit(2, mirror_a, 3, ma);
        bt_fit(2, mirror_b, 3, mb);
        CHECK("bt-4.4: swapping the items swaps the scores", fabs(ma[0] - mb[1]) < 1e-12 && fabs(ma[1] - mb[0]) < 1e-12 && ma[0] > ma[1]);
    }
    {
        Duel bad[] = {{0, 0}, {-1, 1}, {1, 7}, {1, 0}};
        double s[2];
        bt_fit(2, bad, 4, s);
        CHECK("bt-5.1: self-duels and indexes out of range are ignored", s[1] > s[0] && all_finite_positive(s, 2));
        CHECK("bt-5.2: n = 0 does nothing", bt_fit(0, bad, 4, s) == 0);
    }
    {
        /* A larger field: 12 items, strengths 2^(i/2), every pair 20 games
         * in proportion: the fit ranks them all. */
        enum { N = 12 };
        static Duel d[N * N * 20];
        int m = 0;
        for (int i = 0; i < N; i++)
            for (int j = i + 1; j < N; j++) {
                double gi = pow(2, (N - i) / 2.0), gj = pow(2, (N - j) / 2.0);
                int wi = (int)lround(20 * gi / (gi + gj));
                for (int k = 0; k < 20; k++) d[m++] = k < wi ? (Duel){i, j} : (Duel){j, i};
            }
        double s[N];
        int it = bt_fit(N, d, m, s), order[N];
        for (int i = 0; i < N; i++) order[i] = i;
        CHECK("bt-6.1: 12 items in proportion: full order recovered", ordered(s, order, N));
        CHECK("bt-6.2: converges before the cap", it < 1000);
    }

    /* ---------- pair_pick ---------- */
    {
        int counts[6] = {0}, a = -1, b = -1;
        Seen none = {0};
        CHECK("pick-1.1: first pick: the two lowest indexes", pair_pick(6, counts, seen_cb, &none, &a, &b) == 1 && a == 0 && b == 1);
        int c2[6] = {3, 0, 2, 0, 1, 1};
        CHECK("pick-1.2: least-compared first (1 and 3)", pair_pick(6, c2, seen_cb, &none, &a, &b) == 1 && a == 1 && b == 3);
        Seen s = {0};
        mark(&s, 1, 3);
        CHECK("pick-1.3: a judged pair is skipped for the next least-compared partner", pair_pick(6, c2, seen_cb, &s, &a, &b) == 1 && a == 1 && b == 4);
        for (int j = 0; j < 6; j++)
            if (j != 1) mark(&s, 1, j);
        CHECK("pick-1.4: a with no unseen partner: move on to the next least-compared", pair_pick(6, c2, seen_cb, &s, &a, &b) == 1 && a == 3 && b == 4);
        CHECK("pick-1.5: fewer than two items: nothing", pair_pick(1, counts, seen_cb, &none, &a, &b) == 0 && pair_pick(0, counts, seen_cb, &none, &a, &b) == 0);
    }
    {
        /* One person judges all 15 pairs of 6 items: never a pair twice,
         * then done. */
        int counts[6] = {0}, a, b, picks = 0;
        bool twice = false, ordered_ab = true;
        Seen s = {0};
        while (pair_pick(6, counts, seen_cb, &s, &a, &b)) {
            if (s.m[a][b]) twice = true;
            if (!(a < b)) ordered_ab = false;
            mark(&s, a, b);
            counts[a]++;
            counts[b]++;
            if (++picks > 20) break;
        }
        CHECK("pick-2.1: one person gets all 15 pairs, then 0", picks == 15);
        CHECK("pick-2.2: never the same pair twice", !twice);
        CHECK("pick-2.3: a < b always", ordered_ab);
        CHECK("pick-2.4: all seen: 0", pair_pick(6, counts, seen_cb, &s, &a, &b) == 0);
    }
    {
        /* Exposure: 30 picks over 6 items, each by a different person
         * (nobody has judged anything yet): after every pick the counts
         * differ by at most 1. */
        int counts[6] = {0}, a, b, worst = 0, got = 0;
        Seen fresh = {0};
        for (int k = 0; k < 30; k++) {
            if (!pair_pick(6, counts, seen_cb, &fresh, &a, &b)) break;
            got++;
            counts[a]++;
            counts[b]++;
            if (spread(counts, 6) > worst) worst = spread(counts, 6);
        }
        CHECK("pick-3.1: 30 picks by 30 people: max - min <= 1 after every pick", got == 30 && worst <= 1);
        CHECK("pick-3.2: ... and every item compared 10 times", counts[0] == 10 && spread(counts, 6) == 0);
    }
    {
        /* The same 30 picks by three people taking turns: what each has
         * already judged sometimes forces a pair that is not the least
         * compared (e.g. 7 7 7 7 6 6 when the turn's person has judged the
         * two 6s together), but never by more than one step, and the
         * counts come back level: max - min <= 1 at the end. */
        int counts[6] = {0}, a, b, worst = 0, got = 0;
        Seen people[3];
        memset(people, 0, sizeof people);
        for (int k = 0; k < 30; k++) {
            Seen *p = &people[k % 3];
            if (!pair_pick(6, counts, seen_cb, p, &a, &b)) break;
            got++;
            mark(p, a, b);
            counts[a]++;
            counts[b]++;
            if (spread(counts, 6) > worst) worst = spread(counts, 6);
        }
        CHECK("pick-3.3: 30 picks over 6 items by 3 people all succeed", got == 30);
        CHECK("pick-3.4: exposure balanced at the end (max - min <= 1), within 2 throughout", spread(counts, 6) <= 1 && worst <= 2);
    }
    {
        /* Exposure for one person alone: 30 picks asked, 15 possible. */
        int counts[6] = {0}, a, b, got = 0;
        Seen s = {0};
        for (int k = 0; k < 30; k++) {
            if (!pair_pick(6, counts, seen_cb, &s, &a, &b)) continue;
            got++;
            mark(&s, a, b);
            counts[a]++;
            counts[b]++;
        }
        CHECK("pick-3.5: one person: 15 pairs, then nothing more", got == 15 && counts[0] == 5 && spread(counts, 6) == 0);
    }
    {
        /* A newcomer item (added late) is offered first. */
        int counts[5] = {4, 4, 4, 4, 0}, a, b;
        Seen s = {0};
        CHECK("pick-4.1: a new item is offered first", pair_pick(5, counts, seen_cb, &s, &a, &b) == 1 && (a == 4 || b == 4));
    }
    CHECK_DONE();
}
