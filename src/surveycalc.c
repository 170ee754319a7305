/* surveycalc.c: scoring a group's survey answers. Pure functions (see
 * survey.h): which answers a question kind takes, reverse scoring,
 * favourability, eNPS, factor scores, the trend test between rounds and
 * the correlation behind "drivers". Nothing here knows who answered: it
 * gets arrays of values. Whether a group is big enough to be shown is
 * decided before, by anon.c. */
#include "survey.h"
#include <math.h>
#include <string.h>

static const char *const KIND_NAMES[Q_NKINDS] = {"agree5", "agree7", "scale10", "choice", "multi", "text"};

int survey_kind_parse(const char *s) {
    for (int i = 0; s && i < Q_NKINDS; i++)
        if (strcmp(s, KIND_NAMES[i]) == 0) return i;
    return -1;
}

const char *survey_kind_name(int kind) { return kind >= 0 && kind < Q_NKINDS ? KIND_NAMES[kind] : "?"; }

bool survey_kind_scaled(int kind) { return kind == Q_AGREE5 || kind == Q_AGREE7 || kind == Q_SCALE10; }

bool survey_value_ok(int kind, int v, int noptions) {
    switch (kind) {
    case Q_AGREE5: return v >= 1 && v <= 5;
    case Q_AGREE7: return v >= 1 && v <= 7;
    case Q_SCALE10: return v >= 0 && v <= 10;
    case Q_CHOICE:
    case Q_MULTI: return v >= 0 && v < noptions && v < SURVEY_DIST_MAX;
    default: return false;
    }
}

int survey_scored(int kind, bool reverse, int v) {
    if (!reverse) return v;
    switch (kind) {
    case Q_AGREE5: return 6 - v;
    case Q_AGREE7: return 8 - v; /* Edmondson's reversed items: 8 - x */
    case Q_SCALE10: return 10 - v;
    default: return v;
    }
}

bool survey_is_favourable(int kind, int scored) {
    switch (kind) {
    case Q_AGREE5: return scored >= 4;  /* agree, strongly agree */
    case Q_AGREE7: return scored >= 5;  /* somewhat agree and above */
    case Q_SCALE10: return scored >= 9; /* the promoters' range */
    default: return false;
    }
}

void survey_qstats(int kind, bool reverse, int noptions, const int *values, int n, QStats *out) {
    memset(out, 0, sizeof *out);
    out->ndist = kind == Q_AGREE5 ? 6 : kind == Q_AGREE7 ? 8 : kind == Q_SCALE10 ? 11
                 : noptions > SURVEY_DIST_MAX ? SURVEY_DIST_MAX : noptions > 0 ? noptions : 0;
    double sum = 0;
    int fav = 0;
    for (int i = 0; i < n; i++) {
        int v = values[i];
        if (!survey_value_ok(kind, v, noptions)) continue;
        out->n++;
        out->dist[v]++;
        if (survey_kind_scaled(kind)) {
            int s = survey_scored(kind, reverse, v);
            sum += s;
            fav += survey_is_favourable(kind, s);
        }
    }
    if (out->n && survey_kind_scaled(kind)) {
        out->mean = sum / out->n;
        out->favourable = 100.0 * fav / out->n;
    }
}

void survey_enps(const int *values, int n, Enps *out) {
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++) {
        int v = values[i];
        if (v < 0 || v > 10) continue;
        out->n++;
        if (v >= 9) out->promoters++;
        else if (v >= 7) out->passives++;
        else out->detractors++;
    }
    if (out->n) out->score = 100.0 * (out->promoters - out->detractors) / out->n;
}

double survey_factor(const QStats *items, int n) {
    double sum = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (items[i].n > 0) sum += items[i].favourable, k++;
    return k ? sum / k : -1;
}

/* normal_p2: the two-sided p-value of a standard normal z. */
static double normal_p2(double z) { return erfc(fabs(z) / sqrt(2.0)); }

void survey_trend(int fav1, int n1, int fav2, int n2, Trend *out) {
    memset(out, 0, sizeof *out);
    out->p = 1;
    if (n1 <= 0 || n2 <= 0 || fav1 < 0 || fav2 < 0 || fav1 > n1 || fav2 > n2) return;
    double p1 = (double)fav1 / n1, p2 = (double)fav2 / n2, pool = (double)(fav1 + fav2) / (n1 + n2);
    out->change = 100.0 * (p2 - p1);
    double se = sqrt(pool * (1 - pool) * (1.0 / n1 + 1.0 / n2));
    if (!(se > 0)) return;
    out->z = (p2 - p1) / se;
    out->p = normal_p2(out->z);
    out->significant = fabs(out->z) >= 1.96;
}

double survey_correlation(const double *x, const double *y, int n) {
    if (n < 3) return NAN;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) mx += x[i], my += y[i];
    mx /= n;
    my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (!(sxx > 0) || !(syy > 0)) return NAN;
    return sxy / sqrt(sxx * syy);
}
