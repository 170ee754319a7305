/* evidence.h: the evidence part (issue 15): the pure KPI arithmetic of
 * kpicalc.c (months, turnover, medians, the difference-in-differences) and
 * the KPI registry of kpis.c, whose entries other parts add to. */
#ifndef EVIDENCE_H
#define EVIDENCE_H
#include "remit.h"

/* ---------- kpicalc.c: pure, unit-tested ---------- */
/* Months are counted as year * 12 + (month - 1); days as days since
 * 1970-01-01 (UTC). */
int ev_month_parse(const char *s);           /* "YYYY-MM" (or a date's first 7 bytes); -1 when not one */
void ev_month_format(int m, char out[8]);    /* "YYYY-MM" */
int ev_day_parse(const char *ymd);           /* a valid YYYY-MM-DD as a day number; -1 otherwise */
int ev_month_first_day(int m);
int ev_month_last_day(int m);
int ev_day_month(int day);                   /* the month a day is in */

enum { LEAVE_VOLUNTARY = 1, LEAVE_INVOLUNTARY = 2, LEAVE_OTHER = 3 };
int leave_reason_kind(const char *reason);   /* LEAVE_*; 0 when not a reason */
bool leave_reason_valid(const char *reason);

/* A person's history: start and leaving day (-1: has not left). */
typedef struct EvPerson { int start, left, kind; } EvPerson;
/* ev_headcount: people employed on day d (started on or before, not left
 * on or before). */
int ev_headcount(const EvPerson *p, int n, int day);
/* ev_turnover: over months m0..m1 (inclusive): separations (all, voluntary,
 * involuntary) and the mean over those months of each month's average
 * headcount ((first day + last day) / 2). */
typedef struct EvTurnover { int seps, vol, invol; double avg_headcount; } EvTurnover;
void ev_turnover(const EvPerson *p, int n, int m0, int m1, EvTurnover *out);

double ev_median(double *v, int n);          /* sorts v; 0 when n == 0 */

/* KpiPoint: one month of one series. n is the people behind it (the
 * headcount), which decides whether it may be shown (k). */
typedef struct KpiPoint { double value; int n; bool has, hidden; } KpiPoint;

/* The difference-in-differences of a pilot against a comparison group, from
 * their monthly values (has[] false: no value that month). d_t = pilot_t -
 * comparison_t over the months both have; the estimate is mean(d after) -
 * mean(d before); its 95% interval is the 2.5th and 97.5th percentile of
 * `boot` bootstrap estimates, each resampling the before months and the
 * after months with replacement (xorshift64* from `seed`, so the same data
 * give the same interval). */
enum { DID_OK = 0, DID_FEW_MONTHS = 1 };
#define DID_MIN_MONTHS 3
typedef struct DidResult {
    double pilot_before, pilot_after, comp_before, comp_after;
    double estimate, lo, hi;
    int months_before, months_after;
    int status;                              /* DID_* */
} DidResult;
void ev_did(const double *pilot, const bool *pilot_has, const double *comp, const bool *comp_has, int n, int start, int boot, uint64_t seed,
            DidResult *out);

/* ---------- import.c: a CSV table for the KPI imports ---------- */
typedef struct CsvTable {
    char **header;       /* lower-cased; NULL when the text is empty */
    int ncols;
    char ***rows;        /* trimmed fields */
    int *nf, *line;      /* fields in each row; the line it starts on */
    int nrows, cap;
} CsvTable;
int csv_table(Arena *a, const char *csv, size_t len, CsvTable *out, Buf *problems);
json_t *import_problems_json(const char *text); /* import.c: "line N: message" lines as [{"line","message"}] */

/* ---------- kpis.c: the registry ---------- */
/* KpiEnv: what a compute callback may use. teams is the team subtree asked
 * for (sorted ids, NULL and nteams 0 for the whole organisation). */
typedef struct KpiEnv KpiEnv;
struct KpiEnv {
    Db *db;
    Arena *a;
    int64_t org_id;
    int64_t root;                            /* the team asked for; 0: the organisation */
    const int64_t *teams;
    int nteams;
    int64_t kpi_id;                          /* the KPI being computed (its entered values) */
    int today;                               /* day number */
    int64_t now;                             /* unix seconds (the request's arrival) */
    /* kpis.c's cached monthly counts and which of their teams are in scope */
    const void *facts;
    const bool *in;
    /* loaded on first use by kpi_people() */
    EvPerson *people;
    int64_t *people_team;
    int npeople;
    bool people_loaded;
};
bool kpi_in_scope(const KpiEnv *env, int64_t team_id);  /* whole org: always */
/* kpi_people: the people history of the scope (loaded once per env). */
const EvPerson *kpi_people(KpiEnv *env, int *n);
double kpi_avg_headcount(KpiEnv *env, int m);            /* the month's (first + last day) / 2 */

/* A registry entry: a computed KPI. compute fills out[0..nm-1] for months
 * m0..m0+nm-1 (has false where there is nothing to compute from; n the
 * people behind the value). personal: a value for a group below k could
 * identify a person, so small groups (and their complements) are hidden. */
typedef struct KpiDef {
    const char *slug;
    const char *name, *unit;                 /* N_() */
    int direction;                           /* +1: up is good; -1: down is good */
    bool org_only;                           /* no team breakdown */
    bool personal;
    const char *how;                         /* N_(): how it is computed, shown on the KPI's page */
    void (*compute)(KpiEnv *env, int m0, int nm, KpiPoint *out);
} KpiDef;
extern const KpiDef g_kpi_defs[];
int kpi_sync(Db *db, int64_t org_id, int64_t now);   /* the registry's KPIs as rows of the organisation */
KpiPoint *kpi_group_series(Req *r, int64_t kpi_id, const int64_t *teams, int nteams, int m0, int nm, bool *below_k, const char **name, int *direction);
KpiPoint *kpi_series_org(Req *r, const char *slug, int m0, int nm);
typedef struct KpiDomainWait { int64_t domain; double median_hours; int n; } KpiDomainWait;
int kpi_domain_waits(Req *r, int months, KpiDomainWait *out, int max);
extern const int g_nkpi_defs;

#endif
