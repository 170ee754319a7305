/* demo_evidence.c: the evidence part of `remit demo` (issue 15): two years
 * of people history (start days for everyone, former staff who left with
 * their reasons), monthly absence per team, CSAT per café, and an
 * empowerment programme that started nine months ago with Café Riverside as
 * the pilot and Café Old Town as the comparison. Riverside's figures improve
 * after the start (fewer leavers, less absence, happier customers) while
 * Old Town's stay where they were, with month-to-month noise, so the
 * comparison shows a believable effect. The large demo gets the same for
 * each of its cafés. English only (like all demo data). */
#include "cli.h"
#include "notify.h"
#include "evidence.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAY 86400

static char *ymd(char out[11], int day) {
    time_t t = (time_t)day * DAY;
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    memcpy(out, tmp, 10);
    out[10] = 0;
    return out;
}

static int64_t id_of(Db *db, const char *sql, int64_t org, const char *text) {
    int64_t id = 0;
    db_one_int(db, &id, sql, "it", org, text);
    return id;
}

static const char *const FIRST[] = {"Alex", "Bea", "Cem", "Dana", "Eli", "Fenna", "Gus", "Hilde", "Ivo", "Jana", "Karim", "Lotte", "Milan", "Nora", "Oskar",
                                    "Paula", "Quinn", "Rosa", "Selim", "Tess", "Uwe", "Vera", "Wim", "Xenia", "Yara", "Zeno"};
static const char *const LAST[] = {"Albers", "Brandt", "Costa", "Dietz", "Engel", "Frey", "Gruber", "Hahn", "Iversen", "Jung", "Keller", "Lang", "Moser",
                                   "Nagel", "Ortiz", "Pohl", "Quast", "Ritter", "Sommer", "Thiel", "Ulrich", "Vogt", "Wolf", "Yilmaz", "Zander"};
static const char *const VOLUNTARY[] = {"resigned", "career", "relocated", "resigned", "career", "retired"};
static const char *const INVOLUNTARY[] = {"contract_end", "dismissed", "redundancy"};

/* A team's story: leavers before and after the pilot's start month, and
 * the base rates its absence and CSAT move between. */
typedef struct Story {
    int64_t team;
    int before, after;                  /* leavers in the 12 months before / the months since */
    double absence_before, absence_after; /* days per person per month */
    double csat_before, csat_after;     /* percent; < 0: no CSAT (not a café) */
} Story;

/* former: a person who worked in team and left on day `left`. */
static int former(Db *db, int64_t org, int64_t now, int64_t team, int left, uint64_t *rng, int *seq) {
    char start[11], end[11], name[80], email[120];
    int n = (*seq)++;
    const char *first = FIRST[n % 26], *last = LAST[(n / 26 + n * 7) % 25];
    snprintf(name, sizeof name, "%s %s", first, last);
    snprintf(email, sizeof email, "former%d.%s@example.com", n + 1, first);
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    int started = left - (int)rng_between(rng, 120, 1400);
    int roll = (int)rng_between(rng, 0, 9);
    const char *reason = roll < 7 ? VOLUNTARY[rng_between(rng, 0, 5)] : INVOLUNTARY[rng_between(rng, 0, 2)];
    return db_exec(db,
                   "INSERT INTO person(org_id, name, email, email_lc, team_id, title, access, status, created_at, started_on, left_on, leave_reason) "
                   "VALUES (?, ?, ?, ?, ?, 'Team member', 'member', 'left', ?, ?, ?, ?)",
                   "itttiittt", org, name, email, email, team, now - 800 * (int64_t)DAY, ymd(start, started), ymd(end, left), reason);
}

static int value(Db *db, int64_t kpi, int64_t org, int64_t team, int month, double v, int64_t now) {
    char m[8], num[32];
    ev_month_format(month, m);
    snprintf(num, sizeof num, "%.2f", v);
    return db_exec(db, "INSERT INTO kpi_value(kpi_id, org_id, team_id, month, value, updated_at) VALUES (?, ?, ?, ?, CAST(? AS REAL), ?)", "iiItti", kpi, org,
                   team, m, num, now);
}

/* noise: -1..1, deterministic. */
static double noise(uint64_t *rng) { return (double)rng_between(rng, -1000, 1000) / 1000.0; }

int demo_evidence(Db *db, int64_t org, int64_t now, bool large) {
    uint64_t rng = 0x5EED15ULL;
    int today = (int)(now / DAY), month = ev_day_month(today), start = month - 9;
    int rc = kpi_sync(db, org, now) == 0 ? DB_OK : DB_ERROR;
    Arena *ar = arena_new();

    /* start days: everyone employed now started between 2 months and 7
     * years ago; those who have left leave within the last two years */
    Stmt *s = db_q(db, "SELECT id, status FROM person WHERE org_id = ? ORDER BY id", "i", org);
    int64_t ids[2000];
    bool gone[2000];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 2000) ids[n] = db_int(s, 0), gone[n++] = strcmp(db_text(s, 1), "left") == 0;
    db_reset(s);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        char d[11], l[11];
        /* most have been here a while; about one in six is a recent hire (a replacement) */
        int started = today - (i < 3 ? 2500 - i * 200 : rng_between(&rng, 0, 5) == 0 ? (int)rng_between(&rng, 60, 380) : (int)rng_between(&rng, 800, 2500));
        if (gone[i]) {
            int left = today - (int)rng_between(&rng, 30, 700);
            if (started >= left) started = left - 200;
            rc = db_exec(db, "UPDATE person SET started_on = ?, left_on = ?, leave_reason = ? WHERE id = ?", "ttti", ymd(d, started), ymd(l, left),
                         VOLUNTARY[rng_between(&rng, 0, 5)], ids[i]);
        } else rc = db_exec(db, "UPDATE person SET started_on = ? WHERE id = ?", "ti", ymd(d, started), ids[i]);
    }

    /* the stories: the pilot and comparison cafés, then the others */
    Story st[64];
    int ns = 0;
    st[ns++] = (Story){id_of(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, "Café Riverside"), 4, 1, 0.95, 0.55, 81, 89};
    st[ns++] = (Story){id_of(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, "Café Old Town"), 3, 3, 0.9, 0.92, 82, 82.5};
    st[ns++] = (Story){id_of(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, "Bakery"), 2, 2, 1.1, 1.05, -1, -1};
    st[ns++] = (Story){id_of(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, "Customer Care & Catering"), 1, 1, 0.7, 0.7, -1, -1};
    st[ns++] = (Story){id_of(db, "SELECT id FROM team WHERE org_id = ? AND name = ?", org, "Leadership"), 0, 0, 0.4, 0.4, -1, -1};
    if (large) {
        s = db_q(db, "SELECT id FROM team WHERE org_id = ? AND name LIKE 'Café %' AND name NOT IN ('Café Riverside', 'Café Old Town') ORDER BY id LIMIT 40", "i", org);
        while (db_step(s) == DB_ROW && ns < 64) {
            int i = ns++;
            st[i] = (Story){db_int(s, 0), 3, 2, 0.85 + 0.05 * (i % 4), 0.85 + 0.05 * (i % 4), 80 + i % 6, 80.5 + i % 6};
        }
        db_reset(s);
    }

    /* former staff: each story's leavers spread over its months */
    int seq = 0;
    for (int t = 0; rc == DB_OK && t < ns; t++) {
        if (!st[t].team) continue;
        for (int i = 0; rc == DB_OK && i < st[t].before; i++) {
            int m = start - 12 + (int)((i * 12 + 5) / (st[t].before ? st[t].before : 1)) % 12;
            rc = former(db, org, now, st[t].team, ev_month_first_day(m) + (int)rng_between(&rng, 0, 27), &rng, &seq);
        }
        for (int i = 0; rc == DB_OK && i < st[t].after; i++) {
            int m = start + (int)((i * 9 + 4) / (st[t].after ? st[t].after : 1)) % 9;
            int d = ev_month_first_day(m) + (int)rng_between(&rng, 0, 27);
            if (d >= today) d = today - 3;
            rc = former(db, org, now, st[t].team, d, &rng, &seq);
        }
        /* two years before the stories, a few more leavers for the baseline's first year */
        if (rc == DB_OK && st[t].before) rc = former(db, org, now, st[t].team, ev_month_first_day(start - 20) + 9, &rng, &seq);
    }

    /* absence (team totals per month) and CSAT (per café), 24 months */
    int64_t absence = id_of(db, "SELECT id FROM kpi WHERE org_id = ? AND slug = ?", org, "absenteeism");
    int64_t csat = id_of(db, "SELECT id FROM kpi WHERE org_id = ? AND slug = ?", org, "csat");
    for (int t = 0; rc == DB_OK && t < ns; t++) {
        if (!st[t].team) continue;
        int64_t heads = 0;
        db_one_int(db, &heads, "SELECT count(*) FROM person p JOIN team t ON t.id = p.team_id WHERE p.org_id = ? AND (t.id = ? OR t.parent_id = ?) AND p.status <> 'left'",
                   "iii", org, st[t].team, st[t].team);
        for (int m = month - 24; rc == DB_OK && m < month; m++) {
            bool after = m >= start;
            /* the change takes about two months to show */
            double w = after ? (m - start >= 2 ? 1.0 : (m - start + 1) / 3.0) : 0;
            double rate = st[t].absence_before + (st[t].absence_after - st[t].absence_before) * w + 0.18 * noise(&rng);
            if (rate < 0.05) rate = 0.05;
            if (absence && heads) rc = value(db, absence, org, st[t].team, m, rate * (double)heads, now);
            if (rc == DB_OK && csat && st[t].csat_before > 0) {
                double c = st[t].csat_before + (st[t].csat_after - st[t].csat_before) * w + 1.6 * noise(&rng);
                rc = value(db, csat, org, st[t].team, m, c > 100 ? 100 : c, now);
            }
        }
    }

    /* the programme: nine months into its pilot */
    char d[11];
    if (rc == DB_OK)
        rc = db_exec(db,
                     "INSERT INTO programme(org_id, phase, pilot_start, changes, created_at, updated_at) VALUES (?, 'pilot', ?, ?, ?, ?)", "ittii", org,
                     ymd(d, ev_month_first_day(start)),
                     "- Shift leads at Riverside decide **refunds up to 50** and **rota swaps** themselves (delegate, level 7).\n"
                     "- Two half-days of training on the delegation board and on giving feedback.\n"
                     "- A monthly retrospective with the café manager instead of approvals by e-mail.",
                     now - 300 * (int64_t)DAY, now - 20 * (int64_t)DAY);
    int64_t prog = db_last_id(db);
    if (rc == DB_OK && st[0].team) rc = db_exec(db, "INSERT INTO programme_team(programme_id, team_id, grp) VALUES (?, ?, 'pilot')", "ii", prog, st[0].team);
    if (rc == DB_OK && st[1].team) rc = db_exec(db, "INSERT INTO programme_team(programme_id, team_id, grp) VALUES (?, ?, 'comparison')", "ii", prog, st[1].team);
    const char *const WATCH[] = {"csat", "absenteeism", "turnover_12m", "decisions_without_waiting"};
    for (int i = 0; rc == DB_OK && i < 4; i++) {
        int64_t k = id_of(db, "SELECT id FROM kpi WHERE org_id = ? AND slug = ?", org, WATCH[i]);
        if (k) rc = db_exec(db, "INSERT INTO programme_kpi(programme_id, kpi_id) VALUES (?, ?)", "ii", prog, k);
    }
    int64_t owner = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "owner@example.com");
    int64_t admin = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "admin@example.com");
    int64_t maria = id_of(db, "SELECT id FROM person WHERE org_id = ? AND email_lc = ?", org, "maria.lopez@example.com");
    struct { const char *phase, *title; int64_t who; int due; bool done; } CHECK[] = {
        {"assessment", "Run the culture audit as the baseline", admin, -330, true},
        {"assessment", "Find where decisions wait longest (decision insights)", admin, -310, true},
        {"pilot", "Delegate refunds up to 50 and rota swaps to Riverside's shift leads", maria, -270, true},
        {"pilot", "Train Riverside's shift leads on the delegation board", maria, -250, true},
        {"pilot", "Monthly pilot review with Riverside", maria, 10, false},
        {"rollout", "Decide on the rollout to Old Town and the Bakery", owner, 75, false},
    };
    for (size_t i = 0; rc == DB_OK && i < sizeof CHECK / sizeof CHECK[0]; i++) {
        int64_t a = actions_create(db, ar, org, CHECK[i].title, CHECK[i].who ? CHECK[i].who : owner, ymd(d, today + CHECK[i].due), "programme", prog, owner,
                                   now - 320 * (int64_t)DAY);
        if (!a) rc = DB_ERROR;
        if (rc == DB_OK) rc = db_exec(db, "INSERT INTO programme_action(programme_id, action_id, phase) VALUES (?, ?, ?)", "iit", prog, a, CHECK[i].phase);
        if (rc == DB_OK && CHECK[i].done) rc = db_exec(db, "UPDATE action_item SET status = 'done', due_told = 1, overdue_told = 1 WHERE id = ?", "i", a);
    }
    /* the owner watches three figures on the home page */
    const char *const STARS[] = {"csat", "turnover_12m", "absenteeism"};
    for (int i = 0; rc == DB_OK && i < 3; i++) {
        int64_t k = id_of(db, "SELECT id FROM kpi WHERE org_id = ? AND slug = ?", org, STARS[i]);
        if (k && owner) rc = db_exec(db, "INSERT INTO kpi_star(person_id, kpi_id) VALUES (?, ?)", "ii", owner, k);
    }
    /* targets, and estimated values on a few implemented ideas */
    if (rc == DB_OK) rc = db_exec(db, "UPDATE kpi SET target = 88 WHERE org_id = ? AND slug = 'csat'", "i", org);
    if (rc == DB_OK) rc = db_exec(db, "UPDATE kpi SET target = 15 WHERE org_id = ? AND slug = 'turnover_12m'", "i", org);
    if (rc == DB_OK) rc = db_exec(db, "UPDATE kpi SET target = 0.6 WHERE org_id = ? AND slug = 'absenteeism'", "i", org);
    if (rc == DB_OK)
        rc = db_exec(db, "UPDATE idea SET value_cents = 120000 + (id % 7) * 45000 WHERE org_id = ? AND stage = 'implemented' AND id % 2 = 0", "i", org);
    arena_free(ar);
    return rc == DB_OK ? 0 : -1;
}
