/* ranking.c: STUB, being written. */
#include "ideas.h"
double trending_score(int votes, double age_hours) { (void)age_hours; return votes; }
int bt_fit(int n, const Duel *duels, int m, double *scores) { (void)duels; (void)m; for (int i = 0; i < n; i++) scores[i] = 1; return 0; }
int pair_pick(int n, const int *counts, bool (*seen)(void *ctx, int a, int b), void *ctx, int *a, int *b) { (void)n; (void)counts; (void)seen; (void)ctx; (void)a; (void)b; return 0; }
