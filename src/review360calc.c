/* review360calc.c: the pure arithmetic of 360 reviews: folding small rater
 * groups and scoring skills (review360.h). No I/O, no allocation. */
#include "review360.h"

int r360_fold(int npeer, int nreport, int shown[2]) {
    const int n[2] = {npeer, nreport}, own[2] = {R360_PEER, R360_REPORT};
    bool small = false;
    int total = 0;
    for (int i = 0; i < 2; i++) {
        if (n[i] > 0 && n[i] < R360_MIN_GROUP) small = true;
        if (n[i] > 0) total += n[i];
    }
    for (int i = 0; i < 2; i++) {
        if (n[i] <= 0) shown[i] = R360_ABSENT;
        else if (!small) shown[i] = own[i];
        else shown[i] = total >= R360_MIN_GROUP ? R360_OTHERS : R360_REFUSED;
    }
    if (!small) return total;
    return total >= R360_MIN_GROUP ? total : 0;
}

/* group_of: the group a ballot's ratings show in, or -1 when nowhere. */
static int group_of(int relation, const int shown[2]) {
    if (relation == R360_SELF || relation == R360_MANAGER) return relation;
    if (relation == R360_PEER) return shown[0] >= 0 ? shown[0] : -1;
    if (relation == R360_REPORT) return shown[1] >= 0 ? shown[1] : -1;
    return -1;
}

void r360_score(const R360Ballot *b, int nb, int nbehaviours, const int *skill_of, int nskills, const int shown[2], R360Score *out) {
    for (int s = 0; s < nskills; s++) {
        double sum[R360_NGROUPS] = {0}, osum = 0;
        int cnt[R360_NGROUPS] = {0}, ocnt = 0;
        for (int i = 0; i < nb; i++) {
            int g = group_of(b[i].relation, shown);
            if (g < 0) continue;
            for (int k = 0; k < nbehaviours; k++) {
                int v = b[i].ratings[k];
                if (skill_of[k] != s || v < 1 || v > R360_SCALE_MAX) continue;
                sum[g] += v;
                cnt[g]++;
                if (g != R360_SELF) osum += v, ocnt++;
            }
        }
        for (int g = 0; g < R360_NGROUPS; g++) out[s].mean[g] = cnt[g] ? sum[g] / cnt[g] : -1;
        out[s].others = ocnt ? osum / ocnt : -1;
        out[s].strength = ocnt && out[s].others >= R360_STRENGTH;
        out[s].blind_spot = ocnt && cnt[R360_SELF] && out[s].mean[R360_SELF] - out[s].others >= R360_BLIND;
    }
}
