/* autonomy_test.c: earned autonomy and the insights arithmetic: the Wilson
 * bound against known values, the bar per risk class, the raise and coach
 * rules, the cap at what the approver holds, percentiles, and
 * autonomy_recompute against a real (temporary) database. */
#include "check.h"
#include "remit.h"
#include "handlers.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* from src/autonomy.c and src/insights.c (keep in step) */
enum { AUTO_NONE = 0, AUTO_RAISE = 1, AUTO_COACH = 2 };
int autonomy_bar(const char *risk);
int autonomy_kind(int n, int good_halves, int bar, int over_half, bool has_limit, bool recent_change, double *bound);
bool autonomy_raise(int cur_level, int64_t cur_limit, int cap_level, int64_t cap_limit, int *level, int64_t *limit);
double percentile(double *v, int n, double p);

static bool near(double a, double b, double eps) { return fabs(a - b) < eps; }

/* ---------- a small organisation in a temporary database ---------- */

#define NOW 1767225600LL /* 2026-01-01T00:00:00Z */
#define DAYS(n) ((int64_t)(n) * 86400)
static Db *db;
static int ndomains;

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...) {
    char q[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    char *err = NULL;
    if (db_exec_script(db, q, &err)) {
        fprintf(stderr, "SQL failed: %s\n  %s\n", err, q);
        free(err);
        exit(2);
    }
}

/* db_prepare caches statements by the address of their SQL, which must
 * stay valid and unchanged while the connection lives: queries built here
 * are interned, and freed after db_close. */
static char *interned[512];
static int ninterned;

static const char *intern(const char *q) {
    for (int i = 0; i < ninterned; i++)
        if (strcmp(interned[i], q) == 0) return interned[i];
    if (ninterned == 512) exit(2);
    return interned[ninterned++] = strdup(q);
}

static int64_t one(const char *q) {
    int64_t v = -1;
    if (!db_one_int(db, &v, intern(q), "")) return -1;
    return v;
}

/* people: 1 Olive (owner), 2 Max (manager, reports to 1), 3 Mia (member,
 * reports to 2), 4 Lee (member, left, reports to 2), 5 Ada (admin). */
static void setup(const char *path) {
    char *err = NULL;
    db = db_open(path, &err);
    if (!db) {
        fprintf(stderr, "db_open: %s\n", err);
        exit(2);
    }
    sql("INSERT INTO org(id, name, created_at) VALUES (1, 'Org', 0)");
    sql("INSERT INTO person(id, org_id, name, email, email_lc, manager_id, access, status, created_at) VALUES "
        "(1, 1, 'Olive', 'o@x.test', 'o@x.test', NULL, 'owner', 'active', 0), (2, 1, 'Max', 'm@x.test', 'm@x.test', 1, 'manager', 'active', 0), "
        "(3, 1, 'Mia', 'i@x.test', 'i@x.test', 2, 'member', 'active', 0), (4, 1, 'Lee', 'l@x.test', 'l@x.test', 2, 'member', 'left', 0), "
        "(5, 1, 'Ada', 'a@x.test', 'a@x.test', 1, 'admin', 'active', 0)");
}

/* domain: a new domain of this risk; returns its id. */
static int64_t domain(const char *risk) {
    ndomains++;
    sql("INSERT INTO domain(id, org_id, slug, label, risk, created_at) VALUES (%d, 1, 'd%d', 'Domain %d', '%s', 0)", ndomains, ndomains, ndomains, risk);
    return ndomains;
}

/* right: a personal right (limit -1: none), created long ago; returns its id. */
static int64_t right(int64_t person, int64_t dom, int level, int64_t limit) {
    char lim[32];
    if (limit < 0) snprintf(lim, sizeof lim, "NULL");
    else snprintf(lim, sizeof lim, "%lld", (long long)limit);
    sql("INSERT INTO decision_right(org_id, person_id, domain_id, level, limit_cents, created_at, updated_at) VALUES (1, %lld, %lld, %d, %s, %lld, %lld)",
        (long long)person, (long long)dom, level, lim, NOW - DAYS(300), NOW - DAYS(300));
    return db_last_id(db);
}

/* decisions: count reviewed decisions by person in dom (amount -1: none). */
static void decisions(int64_t person, int64_t dom, int count, const char *outcome, int64_t amount) {
    for (int i = 0; i < count; i++) {
        char am[32];
        if (amount < 0) snprintf(am, sizeof am, "NULL");
        else snprintf(am, sizeof am, "%lld", (long long)amount);
        int64_t t = NOW - DAYS(150) + DAYS(i);
        sql("INSERT INTO decision(org_id, author_id, domain_id, title, amount_cents, risk, reward, verdict, status, requested_at, created_at, outcome, "
            "outcome_at) VALUES (1, %lld, %lld, 'Decision', %s, 2, 3, 'decide', 'decided', %lld, %lld, '%s', %lld)",
            (long long)person, (long long)dom, am, (long long)t, (long long)t, outcome, (long long)(t + DAYS(7)));
    }
}

static void recompute(int64_t person, int64_t dom) {
    Arena *a = arena_new();
    autonomy_recompute(db, a, 1, person, dom, NOW);
    arena_free(a);
}

static int64_t count_sugg(int64_t person, int64_t dom, const char *kind) {
    char q[256];
    snprintf(q, sizeof q, "SELECT count(*) FROM autonomy_suggestion WHERE person_id = %lld AND domain_id = %lld AND kind = '%s'", (long long)person,
             (long long)dom, kind);
    return one(q);
}

/* sugg_col: a column of the newest suggestion for person and domain. */
static int64_t sugg_col(int64_t person, int64_t dom, const char *col) {
    char q[256];
    snprintf(q, sizeof q, "SELECT coalesce(%s, -1) FROM autonomy_suggestion WHERE person_id = %lld AND domain_id = %lld ORDER BY id DESC LIMIT 1", col,
             (long long)person, (long long)dom);
    return one(q);
}

static void db_tests(void) {
    char path[] = "/tmp/remit-autonomy-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) exit(2);
    close(fd);
    unlink(path);
    setup(path);
    /* Max holds everything without a limit unless a test says otherwise */

    /* raise on a low-risk domain: 16 good of 16 passes (bound 0.806), 15 does not (0.796) */
    int64_t d = domain("low"), r = right(3, d, 7, 10000);
    right(2, d, 7, -1);
    decisions(3, d, 15, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-1.1: 15 good of 15 (bound 0.796) suggests nothing", count_sugg(3, d, "raise") == 0 && count_sugg(3, d, "coach") == 0);
    decisions(3, d, 1, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-1.2: 16 good of 16 on a low-risk domain suggests a raise", count_sugg(3, d, "raise") == 1);
    CHECK("auto-db-1.3: the limit doubles", sugg_col(3, d, "suggested_limit_cents") == 20000 && sugg_col(3, d, "suggested_level") == 7);
    CHECK("auto-db-1.4: it names the personal right and the current state",
          sugg_col(3, d, "right_id") == r && sugg_col(3, d, "current_limit_cents") == 10000 && sugg_col(3, d, "current_level") == 7);
    CHECK("auto-db-1.5: n and good halves are stored", sugg_col(3, d, "n") == 16 && sugg_col(3, d, "good_halves") == 32);
    CHECK("auto-db-1.6: the suggestion is open", one("SELECT count(*) FROM autonomy_suggestion WHERE status = 'open'") == 1);
    CHECK("auto-db-1.7: nothing changes automatically", one("SELECT limit_cents FROM decision_right WHERE id = 1") == 10000);
    decisions(3, d, 1, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-1.8: an open suggestion is not repeated", count_sugg(3, d, "raise") == 1);
    CHECK("auto-db-1.9: the suggestion is audited", one("SELECT count(*) FROM audit WHERE action = 'autonomy.suggest'") == 1);

    /* the bar per risk class */
    d = domain("medium");
    right(3, d, 7, 10000);
    right(2, d, 7, -1);
    decisions(3, d, 19, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-2.1: medium risk: 19 good of 19 is below the bar of 20", count_sugg(3, d, "raise") == 0);
    decisions(3, d, 1, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-2.2: medium risk: 20 good of 20 suggests a raise", count_sugg(3, d, "raise") == 1);
    d = domain("high");
    right(3, d, 7, 10000);
    right(2, d, 7, -1);
    decisions(3, d, 39, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-2.3: high risk: 39 good of 39 is below the bar of 40", count_sugg(3, d, "raise") == 0);
    decisions(3, d, 1, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-2.4: high risk: 40 good of 40 suggests a raise", count_sugg(3, d, "raise") == 1);

    /* at least 3 decisions above half the current limit (100.00) */
    d = domain("low");
    right(3, d, 7, 10000);
    right(2, d, 7, -1);
    decisions(3, d, 14, "good", 2000);
    decisions(3, d, 2, "good", 5001);
    decisions(3, d, 1, "good", 5000); /* exactly half is not more than half */
    recompute(3, d);
    CHECK("auto-db-3.1: two decisions above half the limit are not enough", count_sugg(3, d, "raise") == 0);
    decisions(3, d, 1, "good", 9000);
    recompute(3, d);
    CHECK("auto-db-3.2: the third decision above half the limit opens a raise", count_sugg(3, d, "raise") == 1);

    /* no change to the right in the last 60 days */
    d = domain("low");
    r = right(3, d, 7, 10000);
    right(2, d, 7, -1);
    decisions(3, d, 16, "good", 6000);
    sql("UPDATE decision_right SET updated_at = %lld WHERE id = %lld", NOW - DAYS(59), (long long)r);
    recompute(3, d);
    CHECK("auto-db-4.1: a right changed 59 days ago: no suggestion", count_sugg(3, d, "raise") == 0);
    sql("UPDATE decision_right SET updated_at = %lld WHERE id = %lld", NOW - DAYS(61), (long long)r);
    sql("INSERT INTO right_history(org_id, right_id, at, actor_id, action, state_json) VALUES (1, %lld, %lld, 1, 'update', '{}')", (long long)r,
        NOW - DAYS(30));
    recompute(3, d);
    CHECK("auto-db-4.2: a history entry 30 days ago: no suggestion", count_sugg(3, d, "raise") == 0);
    sql("UPDATE right_history SET at = %lld WHERE right_id = %lld", NOW - DAYS(61), (long long)r);
    recompute(3, d);
    CHECK("auto-db-4.3: 61 days after the last change: a raise", count_sugg(3, d, "raise") == 1);

    /* the cap: never beyond what the approver (the nearest decider) holds */
    d = domain("low");
    right(3, d, 7, 10000);
    right(2, d, 7, 15000);
    decisions(3, d, 16, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-5.1: capped at the manager's own limit (150.00, not 200.00)", sugg_col(3, d, "suggested_limit_cents") == 15000);
    d = domain("low");
    right(3, d, 7, 10000);
    right(2, d, 7, 10000);
    decisions(3, d, 16, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-5.2: a manager who holds no more than the person: no raise", count_sugg(3, d, "raise") == 0);
    d = domain("low");
    right(3, d, 7, 10000);
    right(2, d, 5, 5000); /* does not cover 100.00: the owner decides, and may grant anything */
    decisions(3, d, 16, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-5.3: when the owner is the decider, the limit doubles", sugg_col(3, d, "suggested_limit_cents") == 20000);

    /* a right without a limit is raised by level, at most to 7 */
    d = domain("low");
    right(3, d, 5, -1);
    right(2, d, 7, -1);
    decisions(3, d, 16, "good", -1);
    recompute(3, d);
    CHECK("auto-db-6.1: no limit: level 5 -> 6", sugg_col(3, d, "suggested_level") == 6 && sugg_col(3, d, "suggested_limit_cents") == -1);
    d = domain("low");
    right(3, d, 7, -1);
    decisions(3, d, 16, "good", -1);
    recompute(3, d);
    CHECK("auto-db-6.2: level 7 without a limit cannot go higher", count_sugg(3, d, "raise") == 0);
    d = domain("low");
    right(3, d, 5, -1);
    right(2, d, 7, 100000);
    decisions(3, d, 16, "good", -1);
    recompute(3, d);
    CHECK("auto-db-6.3: a manager with a limit cannot grant a right without one", count_sugg(3, d, "raise") == 0);

    /* a right from a role becomes a new personal right on accept */
    d = domain("low");
    sql("INSERT INTO role(id, org_id, name, created_at, updated_at) VALUES (1, 1, 'Cashier', 0, 0)");
    sql("INSERT INTO role_holder(role_id, person_id, org_id, since) VALUES (1, 3, 1, %lld)", NOW - DAYS(400));
    sql("INSERT INTO decision_right(org_id, role_id, domain_id, level, limit_cents, created_at, updated_at) VALUES (1, 1, %lld, 7, 10000, %lld, %lld)",
        (long long)d, NOW - DAYS(300), NOW - DAYS(300));
    right(2, d, 7, -1);
    decisions(3, d, 16, "good", 6000);
    recompute(3, d);
    CHECK("auto-db-7.1: a role's right: raise with no right_id (a new personal right)",
          count_sugg(3, d, "raise") == 1 && sugg_col(3, d, "right_id") == -1 && sugg_col(3, d, "suggested_limit_cents") == 20000);
    int64_t d2 = domain("low");
    sql("INSERT INTO role(id, org_id, name, created_at, updated_at) VALUES (2, 1, 'Buyer', 0, 0)");
    sql("INSERT INTO role_holder(role_id, person_id, org_id, since) VALUES (2, 3, 1, %lld)", NOW - DAYS(10));
    sql("INSERT INTO decision_right(org_id, role_id, domain_id, level, limit_cents, created_at, updated_at) VALUES (1, 2, %lld, 7, 10000, %lld, %lld)",
        (long long)d2, NOW - DAYS(300), NOW - DAYS(300));
    decisions(3, d2, 16, "good", 6000);
    recompute(3, d2);
    CHECK("auto-db-7.2: a role given 10 days ago counts as a recent change", count_sugg(3, d2, "raise") == 0);

    /* coaching, never a cut */
    d = domain("low");
    r = right(3, d, 7, 10000);
    decisions(3, d, 2, "good", 1000);
    decisions(3, d, 1, "mixed", 1000);
    decisions(3, d, 6, "bad", 1000);
    recompute(3, d);
    CHECK("auto-db-8.1: 9 outcomes on a low-risk domain: below the bar, nothing", count_sugg(3, d, "coach") == 0);
    decisions(3, d, 1, "bad", 1000);
    recompute(3, d);
    CHECK("auto-db-8.2: 10 outcomes with a bound below 0.5: a coaching suggestion", count_sugg(3, d, "coach") == 1);
    CHECK("auto-db-8.3: a mixed outcome counts as half", sugg_col(3, d, "good_halves") == 5 && sugg_col(3, d, "n") == 10);
    CHECK("auto-db-8.4: coaching suggests no new right", sugg_col(3, d, "suggested_level") == -1 && sugg_col(3, d, "suggested_limit_cents") == -1);
    CHECK("auto-db-8.5: and nothing is cut", one("SELECT level * 100000 + limit_cents FROM decision_right WHERE id = (SELECT max(id) FROM decision_right "
                                                 "WHERE person_id = 3)") == 710000);

    /* the middle ground, people who left, a rejected suggestion's quiet time */
    d = domain("low");
    right(3, d, 7, 10000);
    decisions(3, d, 9, "good", 6000);
    decisions(3, d, 1, "bad", 6000);
    recompute(3, d);
    CHECK("auto-db-9.1: 9 good of 10 (bound 0.60, between 0.5 and 0.8): nothing", count_sugg(3, d, "raise") == 0 && count_sugg(3, d, "coach") == 0);
    d = domain("low");
    right(4, d, 7, 10000);
    decisions(4, d, 16, "good", 6000);
    recompute(4, d);
    CHECK("auto-db-9.2: no suggestion for a person who left", count_sugg(4, d, "raise") == 0);
    d = domain("low");
    right(3, d, 7, 10000);
    right(2, d, 7, -1);
    decisions(3, d, 16, "good", 6000);
    sql("INSERT INTO autonomy_suggestion(org_id, person_id, domain_id, kind, n, good_halves, lower_bound, status, decided_by, decided_at, created_at) "
        "VALUES (1, 3, %lld, 'raise', 16, 32, 0.806, 'rejected', 2, %lld, %lld)",
        (long long)d, NOW - DAYS(10), NOW - DAYS(11));
    recompute(3, d);
    CHECK("auto-db-9.3: a raise rejected 10 days ago is not asked again yet", count_sugg(3, d, "raise") == 1);
    sql("UPDATE autonomy_suggestion SET decided_at = %lld WHERE domain_id = %lld", NOW - DAYS(61), (long long)d);
    recompute(3, d);
    CHECK("auto-db-9.4: 61 days after the rejection it is", count_sugg(3, d, "raise") == 2);

    /* inside a caller's transaction: the caller commits or rolls back */
    d = domain("low");
    right(3, d, 7, 10000);
    right(2, d, 7, -1);
    decisions(3, d, 16, "good", 6000);
    db_begin(db);
    recompute(3, d);
    CHECK("auto-db-10.1: inside a transaction the caller's transaction stays open", db_in_tx(db));
    db_rollback(db);
    CHECK("auto-db-10.2: and the caller's rollback undoes the suggestion", count_sugg(3, d, "raise") == 0);

    db_close(db);
    for (int i = 0; i < ninterned; i++) free(interned[i]);
    char side[64];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void) {
    /* the Wilson bound against known values */
    CHECK("wilson-1.1: 20 good of 20 gives 0.839", near(wilson_lower(20, 20), 0.839, 0.0005));
    CHECK("wilson-1.2: 45 good of 50 gives 0.786", near(wilson_lower(45, 50), 0.786, 0.0005));
    CHECK("wilson-1.3: nothing reviewed gives 0", wilson_lower(0, 0) == 0);
    CHECK("wilson-1.4: halves count (9.5 of 10 lies between 9 and 10)", wilson_lower(9.5, 10) > wilson_lower(9, 10) && wilson_lower(9.5, 10) < wilson_lower(10, 10));

    /* the bar per risk class */
    CHECK("bar-1.1: low risk needs 10", autonomy_bar("low") == 10);
    CHECK("bar-1.2: medium risk needs 20", autonomy_bar("medium") == 20);
    CHECK("bar-1.3: high risk needs 40", autonomy_bar("high") == 40);
    CHECK("bar-1.4: an unknown class is treated as high", autonomy_bar("extreme") == 40 && autonomy_bar(NULL) == 40);

    /* what the evidence suggests */
    double b;
    CHECK("kind-1.1: 20/20 at the medium bar with 3 over half: raise", autonomy_kind(20, 40, 20, 3, true, false, &b) == AUTO_RAISE && near(b, 0.839, 0.0005));
    CHECK("kind-1.2: 19/19 at the medium bar: nothing", autonomy_kind(19, 38, 20, 19, true, false, &b) == AUTO_NONE);
    CHECK("kind-1.3: 45/50 (0.786) is below 0.80: nothing", autonomy_kind(50, 90, 20, 50, true, false, &b) == AUTO_NONE);
    CHECK("kind-1.4: only 2 decisions over half the limit: nothing", autonomy_kind(20, 40, 20, 2, true, false, &b) == AUTO_NONE);
    CHECK("kind-1.5: without a limit the over-half rule does not apply", autonomy_kind(20, 40, 20, 0, false, false, &b) == AUTO_RAISE);
    CHECK("kind-1.6: a recent change blocks a raise", autonomy_kind(20, 40, 20, 20, true, true, &b) == AUTO_NONE);
    CHECK("kind-1.7: weak outcomes at the bar: coach", autonomy_kind(10, 6, 10, 0, true, false, &b) == AUTO_COACH && b < 0.5);
    CHECK("kind-1.8: a recent change does not block coaching", autonomy_kind(10, 0, 10, 0, true, true, &b) == AUTO_COACH);
    CHECK("kind-1.9: weak outcomes below the bar: nothing", autonomy_kind(9, 0, 10, 0, true, false, &b) == AUTO_NONE);
    CHECK("kind-1.10: nothing reviewed: nothing", autonomy_kind(0, 0, 0, 0, true, false, &b) == AUTO_NONE);

    /* the raise and its cap */
    int lv;
    int64_t lim;
    CHECK("raise-1.1: the limit doubles", autonomy_raise(7, 10000, 0, -1, &lv, &lim) && lv == 7 && lim == 20000);
    CHECK("raise-1.2: capped at the approver's limit", autonomy_raise(7, 10000, 7, 15000, &lv, &lim) && lim == 15000);
    CHECK("raise-1.3: an approver without a limit caps nothing", autonomy_raise(6, 10000, 7, -1, &lv, &lim) && lv == 6 && lim == 20000);
    CHECK("raise-1.4: an approver at the person's limit: no raise", !autonomy_raise(7, 10000, 7, 10000, &lv, &lim));
    CHECK("raise-1.5: an approver at a lower level: no raise", !autonomy_raise(7, 10000, 6, 50000, &lv, &lim));
    CHECK("raise-1.6: a limit of 0 cannot double", !autonomy_raise(7, 0, 0, -1, &lv, &lim));
    CHECK("raise-1.7: no limit: one level up", autonomy_raise(4, -1, 0, -1, &lv, &lim) && lv == 5 && lim == -1);
    CHECK("raise-1.8: no limit at level 7: no raise", !autonomy_raise(7, -1, 0, -1, &lv, &lim));
    CHECK("raise-1.9: one level up, but not above the approver", !autonomy_raise(6, -1, 6, -1, &lv, &lim));
    CHECK("raise-1.10: an approver with a limit cannot grant none", !autonomy_raise(5, -1, 7, 100000, &lv, &lim));
    CHECK("raise-1.11: a huge limit does not overflow", autonomy_raise(7, INT64_MAX / 2 + 1, 0, -1, &lv, &lim) && lim == INT64_MAX);

    /* percentiles */
    double v1[] = {4, 1, 3, 2};
    CHECK("pct-1.1: the median of 1..4 is 2.5", percentile(v1, 4, 50) == 2.5);
    CHECK("pct-1.2: the 90th percentile of 1..4 is 3.7", near(percentile(v1, 4, 90), 3.7, 1e-9));
    CHECK("pct-1.3: the input is sorted in place", v1[0] == 1 && v1[3] == 4);
    double v2[] = {10};
    CHECK("pct-1.4: one value is every percentile", percentile(v2, 1, 50) == 10 && percentile(v2, 1, 90) == 10);
    CHECK("pct-1.5: no values: NAN", isnan(percentile(NULL, 0, 50)));
    double v3[] = {5, 1, 9};
    CHECK("pct-1.6: odd count: the middle value", percentile(v3, 3, 50) == 5);
    CHECK("pct-1.7: 0 and 100 are the extremes", percentile(v3, 3, 0) == 1 && percentile(v3, 3, 100) == 9);
    double v4[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK("pct-1.8: p90 of 1..10 is 9.1", near(percentile(v4, 10, 90), 9.1, 1e-9));

    db_tests();
    CHECK_DONE();
}
