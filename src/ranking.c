/* ranking.c: the pure ranking functions behind a challenge's idea lists:
 * trending (votes with a time decay), the Bradley-Terry fit of pairwise
 * choices, and the choice of the next pair to show someone. No I/O, no
 * database, no request: numbers in, numbers out, unit-tested in
 * tests/unit/ranking_test.c. The callers (ideas.c, pairwise.c) load the
 * data and map ids to the indexes used here. */
#include "ideas.h"
#include <math.h>
#include <stdlib.h>

/* trending_score: votes with a time decay, Hacker News style:
 *
 *     score = votes / (age_hours + 2)^1.5
 *
 * The +2 hours keeps a brand-new idea from dividing by almost nothing, and
 * the gravity 1.5 (Hacker News uses 1.8 for news that lives a day) lets an
 * idea stay visible for the days a challenge runs while fresh support still
 * wins: 3 votes at 2 hours (0.375) beat 5 votes at 2 days (0.014), and 5
 * votes at a day (0.038) beat 50 at a week (0.023). Strictly increasing in
 * votes and decreasing in age; no votes score 0 (callers break ties by
 * time). A negative or unknown age (clock skew) counts as 0, negative
 * votes as none. */
double trending_score(int votes, double age_hours) {
    if (votes <= 0) return 0;
    if (!(age_hours > 0)) age_hours = 0; /* also NaN */
    return votes / pow(age_hours + 2.0, 1.5);
}

#define BT_MAX_ITER 1000
#define BT_TOLERANCE 1e-9
#define BT_PRIOR 0.5 /* virtual wins and losses against a reference of strength 1 */

/* bt_fit: see ideas.h. The model: P(i beats j) = g_i / (g_i + g_j). The
 * MM update of Hunter (2004, "MM algorithms for generalized Bradley-Terry
 * models", eq. 3) is
 *
 *     g_i <- W_i / sum_j n_ij / (g_i + g_j)
 *
 * with W_i the wins of i and n_ij the games between i and j. Alone it
 * sends an item without wins to 0 and one without losses to infinity, so
 * every item also plays one virtual game against a fixed reference of
 * strength 1 that it half wins and half loses: W_i + 0.5 on top and
 * 1 / (g_i + 1) in the sum. That prior pulls lightly towards 1, keeps every
 * score finite and positive, and makes the fit unique even when the
 * comparisons do not connect all items.
 *
 * The real duels say nothing about the overall scale (multiplying every g
 * by c changes no probability), so only the weak prior pins it, and plain
 * MM creeps along that direction for thousands of rounds. After each MM
 * round the scores are therefore multiplied by the c that maximises the
 * prior's likelihood, the root of sum (1 - c g_i) / (1 + c g_i) = 0
 * (best_scale): an exact ascent step along the slow direction, so the
 * likelihood still rises every round and the maximum is the same; a 4 item
 * example converges in about 50 rounds instead of 1300. Jacobi updates,
 * from all ones, until the largest relative change is below 1e-9 or after
 * 1000 rounds; then scaled to a geometric mean of 1 for display. Duels with
 * an index out of range or an item against itself are ignored. Scratch
 * memory is malloc'ed and freed here (aborts when out of memory, like the
 * arena). */
static double best_scale(const double *g, int n) {
    /* f(u) = sum (1 - e^u g) / (1 + e^u g) falls from n to -n as u grows:
     * bisection on u = log c, to well below the fit's tolerance. */
    double lo = -40, hi = 40;
    for (int step = 0; step < 64; step++) {
        double mid = (lo + hi) / 2, c = exp(mid), f = 0;
        for (int i = 0; i < n; i++) f += (1 - c * g[i]) / (1 + c * g[i]);
        if (f > 0) lo = mid;
        else hi = mid;
    }
    return exp((lo + hi) / 2);
}

int bt_fit(int n, const Duel *duels, int m, double *scores) {
    if (n <= 0) return 0;
    double *wins = calloc((size_t)n, sizeof *wins), *denom = calloc((size_t)n, sizeof *denom);
    if (!wins || !denom) abort();
    for (int i = 0; i < n; i++) {
        scores[i] = 1;
        wins[i] = BT_PRIOR;
    }
    for (int k = 0; k < m; k++)
        if (duels[k].winner >= 0 && duels[k].winner < n && duels[k].loser >= 0 && duels[k].loser < n && duels[k].winner != duels[k].loser)
            wins[duels[k].winner] += 1;
    int iter = 0;
    while (iter < BT_MAX_ITER) {
        iter++;
        for (int i = 0; i < n; i++) denom[i] = 2 * BT_PRIOR / (scores[i] + 1);
        for (int k = 0; k < m; k++) {
            int w = duels[k].winner, l = duels[k].loser;
            if (w < 0 || w >= n || l < 0 || l >= n || w == l) continue;
            double d = 1 / (scores[w] + scores[l]);
            denom[w] += d;
            denom[l] += d;
        }
        for (int i = 0; i < n; i++) denom[i] = wins[i] / denom[i]; /* the MM step, into denom */
        double c = best_scale(denom, n), change = 0;
        for (int i = 0; i < n; i++) {
            double next = denom[i] * c;
            double rel = fabs(next - scores[i]) / scores[i];
            if (rel > change) change = rel;
            scores[i] = next;
        }
        if (change < BT_TOLERANCE) break;
    }
    double logsum = 0;
    for (int i = 0; i < n; i++) logsum += log(scores[i]);
    double mean = exp(logsum / n);
    for (int i = 0; i < n; i++) scores[i] /= mean;
    free(wins);
    free(denom);
    return iter;
}

/* pair_pick: see ideas.h. Least-compared first, so that every item gets
 * the same exposure however many people take part: the items are ordered
 * by (comparisons, index); a is the first item in that order that still
 * has a partner this person has not judged it with, b the first such
 * partner in the same order. Answers *a < *b (the order pair_choice keys
 * use); the caller decides which side each is shown on. O(n^2) calls to
 * seen() at worst, when the person has judged almost everything. The
 * order is an insertion sort in malloc'ed scratch (aborts on OOM). */
int pair_pick(int n, const int *counts, bool (*seen)(void *ctx, int a, int b), void *ctx, int *a, int *b) {
    if (n < 2) return 0;
    int *order = malloc(sizeof *order * (size_t)n);
    if (!order) abort();
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && counts[order[j - 1]] > counts[i]) { /* stable: equal counts stay in index order */
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    int found = 0;
    for (int x = 0; x < n && !found; x++) {
        for (int y = 0; y < n; y++) {
            int p = order[x], q = order[y];
            if (p == q) continue;
            int lo = p < q ? p : q, hi = p < q ? q : p;
            if (seen && seen(ctx, lo, hi)) continue;
            *a = lo;
            *b = hi;
            found = 1;
            break;
        }
    }
    free(order);
    return found;
}
