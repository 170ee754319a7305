/* kpicalc.c: the arithmetic of the evidence part, pure (no I/O): months and
 * days, leaving reasons, headcount and turnover, medians, and the
 * difference-in-differences with its bootstrap interval. kpis.c loads the
 * data and calls these; tests/unit/kpicalc_test.c checks them against
 * values worked out by hand. */
#include "evidence.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* days_from_civil: Howard Hinnant's algorithm, proleptic Gregorian. */
static int days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int ev_month_parse(const char *s) {
    if (!s || strlen(s) < 7) return -1;
    for (int i = 0; i < 7; i++)
        if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return -1;
    if (s[7] && s[7] != '-') return -1;
    int y = atoi(s), m = atoi(s + 5);
    if (y < 1900 || y > 9999 || m < 1 || m > 12) return -1;
    return y * 12 + m - 1;
}

void ev_month_format(int m, char out[8]) {
    if (m < 0) m = 0;
    unsigned y = (unsigned)(m / 12) % 10000, mo = (unsigned)(m % 12) + 1;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10), out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10);
    out[4] = '-', out[5] = (char)('0' + mo / 10), out[6] = (char)('0' + mo % 10), out[7] = 0;
}

int ev_day_parse(const char *ymd) {
    if (!ymd || !valid_date(ymd)) return -1;
    return days_from_civil(atoi(ymd), atoi(ymd + 5), atoi(ymd + 8));
}

int ev_month_first_day(int m) { return days_from_civil(m / 12, m % 12 + 1, 1); }
int ev_month_last_day(int m) { return ev_month_first_day(m + 1) - 1; }

int ev_day_month(int day) {
    /* civil_from_days, the inverse of days_from_civil */
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int m = mp + (mp < 10 ? 3 : -9);
    return (y + (m <= 2)) * 12 + m - 1;
}

/* The reasons of migration 0013; voluntary first, then involuntary. */
static const char *const REASONS[] = {"resigned", "retired", "relocated", "career", "dismissed", "redundancy", "contract_end", "other"};

int leave_reason_kind(const char *reason) {
    for (int i = 0; reason && i < 8; i++)
        if (strcmp(reason, REASONS[i]) == 0) return i < 4 ? LEAVE_VOLUNTARY : i < 7 ? LEAVE_INVOLUNTARY : LEAVE_OTHER;
    return 0;
}

bool leave_reason_valid(const char *reason) { return leave_reason_kind(reason) != 0; }

int ev_headcount(const EvPerson *p, int n, int day) {
    int c = 0;
    for (int i = 0; i < n; i++)
        if (p[i].start <= day && (p[i].left < 0 || p[i].left > day)) c++;
    return c;
}

void ev_turnover(const EvPerson *p, int n, int m0, int m1, EvTurnover *out) {
    memset(out, 0, sizeof *out);
    if (m1 < m0) return;
    int first = ev_month_first_day(m0), last = ev_month_last_day(m1);
    double sum = 0;
    for (int m = m0; m <= m1; m++) sum += (ev_headcount(p, n, ev_month_first_day(m)) + ev_headcount(p, n, ev_month_last_day(m))) / 2.0;
    out->avg_headcount = sum / (m1 - m0 + 1);
    for (int i = 0; i < n; i++) {
        if (p[i].left < first || p[i].left > last) continue;
        out->seps++;
        if (p[i].kind == LEAVE_VOLUNTARY) out->vol++;
        else if (p[i].kind == LEAVE_INVOLUNTARY) out->invol++;
    }
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

double ev_median(double *v, int n) {
    if (n <= 0) return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t xorshift(uint64_t *s) {
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ULL;
}

static double mean_of(const double *v, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += v[i];
    return n ? s / n : 0;
}

void ev_did(const double *pilot, const bool *pilot_has, const double *comp, const bool *comp_has, int n, int start, int boot, uint64_t seed,
            DidResult *out) {
    memset(out, 0, sizeof *out);
    double *before = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1)), *after = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    double pb = 0, pa = 0, cb = 0, ca = 0;
    int nb = 0, na = 0;
    for (int t = 0; t < n; t++) {
        if (!pilot_has[t] || !comp_has[t]) continue;
        if (t < start) {
            before[nb++] = pilot[t] - comp[t];
            pb += pilot[t];
            cb += comp[t];
        } else {
            after[na++] = pilot[t] - comp[t];
            pa += pilot[t];
            ca += comp[t];
        }
    }
    out->months_before = nb;
    out->months_after = na;
    if (nb) out->pilot_before = pb / nb, out->comp_before = cb / nb;
    if (na) out->pilot_after = pa / na, out->comp_after = ca / na;
    out->estimate = mean_of(after, na) - mean_of(before, nb);
    out->lo = out->hi = out->estimate;
    if (nb < DID_MIN_MONTHS || na < DID_MIN_MONTHS) {
        out->status = DID_FEW_MONTHS;
        free(before);
        free(after);
        return;
    }
    if (boot < 100) boot = 100;
    double *est = malloc(sizeof(double) * (size_t)boot);
    uint64_t s = seed ? seed : 0x9E3779B97F4A7C15ULL;
    for (int b = 0; b < boot; b++) {
        double sb = 0, sa = 0;
        for (int i = 0; i < nb; i++) sb += before[xorshift(&s) % (uint64_t)nb];
        for (int i = 0; i < na; i++) sa += after[xorshift(&s) % (uint64_t)na];
        est[b] = sa / na - sb / nb;
    }
    qsort(est, (size_t)boot, sizeof *est, cmp_double);
    out->lo = est[(int)floor(0.025 * (boot - 1))];
    out->hi = est[(int)ceil(0.975 * (boot - 1))];
    out->status = DID_OK;
    free(est);
    free(before);
    free(after);
}
