/* bench.c: `remit bench can`: how many "Can I?" verdicts one core gives on
 * a real organisation, in-process (no HTTP): the rights engine alone with
 * the world in memory, the path a request takes (the cache check, one
 * indexed read, then the engine), and loading the world from SQLite. Each
 * is timed for a share of --seconds; the verdicts are tallied and printed
 * so that none of the work can be optimised away. */
#include "cli.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* the people asked about, and amounts from nothing to well over limits */
typedef struct Asks { int64_t *people; int n; uint64_t rng; } Asks;

static void next_ask(Asks *q, int64_t *person, int64_t *amount) {
    uint64_t x = rng_next(&q->rng);
    *person = q->people[x % (uint64_t)q->n];
    *amount = (x >> 20) % 5 == 0 ? -1 : (int64_t)((x >> 24) % 300000);
}

int bench_can(Db *db, int64_t org, const char *slug, double seconds) {
    Arena *a = arena_new();
    int64_t domain = 0;
    if (!db_one_int(db, &domain, "SELECT id FROM domain WHERE org_id = ? AND slug = ?", "it", org, slug)) {
        fprintf(stderr, "remit bench can: no decision domain \"%s\"\n", slug);
        arena_free(a);
        return 1;
    }
    Asks q = {.rng = 0x9E3779B97F4A7C15ULL};
    int64_t npeople = 0;
    db_one_int(db, &npeople, "SELECT count(*) FROM person WHERE org_id = ? AND status != 'left'", "i", org);
    if (npeople == 0) {
        fprintf(stderr, "remit bench can: the organisation has nobody to ask about\n");
        arena_free(a);
        return 1;
    }
    q.people = arena_alloc(a, sizeof(int64_t) * (size_t)npeople);
    Stmt *s = db_q(db, "SELECT id FROM person WHERE org_id = ? AND status != 'left' ORDER BY id", "i", org);
    while (q.n < npeople && db_step(s) == DB_ROW) q.people[q.n++] = db_int(s, 0);
    db_reset(s);

    int64_t now = now_seconds(), tally[V_PROPOSE + 1] = {0};
    CanWorld w;
    can_load(db, a, org, domain, slug, now, &w);
    int64_t rights = 0;
    for (int i = 0; i < w.n; i++) rights += w.people[i].nrights;

    /* 1. the engine alone, the world in memory */
    double t0 = now_s(), t1 = t0;
    int64_t n1 = 0;
    CanResult c;
    while (t1 - t0 < seconds * 0.6) {
        for (int k = 0; k < 10000; k++, n1++) {
            int64_t person, amount;
            next_ask(&q, &person, &amount);
            can_evaluate(&w, person, amount, &c);
            tally[c.verdict]++;
        }
        t1 = now_s();
    }
    double engine = (double)n1 / (t1 - t0);

    /* 2. what a request pays: the cache check (one read) and the engine */
    double t2 = now_s(), t3 = t2;
    int64_t n2 = 0;
    while (t3 - t2 < seconds * 0.3) {
        for (int k = 0; k < 1000; k++, n2++) {
            int64_t person, amount;
            next_ask(&q, &person, &amount);
            can_load_cached(db, org, domain, slug, now, &w);
            can_evaluate(&w, person, amount, &c);
            tally[c.verdict]++;
        }
        t3 = now_s();
    }
    double cached = (double)n2 / (t3 - t2);

    /* 3. loading the whole world from SQLite, as a cache miss does */
    double t4 = now_s(), t5 = t4;
    int64_t n3 = 0;
    while (t5 - t4 < seconds * 0.1) {
        Arena *la = arena_new();
        can_load(db, la, org, domain, slug, now, &w);
        arena_free(la);
        n3++;
        t5 = now_s();
    }
    double loads = (double)n3 / (t5 - t4);

    printf("\"Can I?\" on this organisation: %d people, %lld rights, domain %s, %lld + %lld verdicts\n", w.n, (long long)rights, slug,
           (long long)n1, (long long)n2);
    printf("verdicts:");
    for (int v = 0; v <= V_PROPOSE; v++)
        if (tally[v]) printf(" %s %lld", verdict_name(v), (long long)tally[v]);
    printf("\n");
    printf("  engine, world in memory      %12.0f verdicts/s\n", engine);
    printf("  per request (cache + engine) %12.0f verdicts/s\n", cached);
    printf("  world loaded from SQLite     %12.0f loads/s\n", loads);
    printf("can_inproc_per_s=%.0f\ncan_cached_per_s=%.0f\ncan_world_loads_per_s=%.0f\n", engine, cached, loads);
    arena_free(a);
    return 0;
}
