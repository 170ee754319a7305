/* anon.c: what anonymity means, in one place (DESIGN.md, "Shared services").
 * Ideas today, and later survey answers, reports and 360 comments, call it;
 * none re-implements it. The promise: nobody, not even with the database
 * file, can narrow an anonymous item's author below the people who were
 * active that day. What it takes, and where it is kept:
 *   - no author and no address stored (the features' tables have no column
 *     for them);
 *   - no time finer than the day (anon_day);
 *   - no id that follows creation order: every row of a kind that can be
 *     anonymous, named or not, gets a random id (anon_new_id), so neither an
 *     id nor a neighbour's exact time dates an anonymous item;
 *   - no moment of appearance: anonymous items wait unseen until the UTC day
 *     they were sent is over, then the whole day is released together, in
 *     random-id order (anon_release_due and its table of releasers), so a
 *     member polling a list learns the day and nothing finer;
 *   - no trace in the author's activity: the request that submits an
 *     anonymous item does not touch the session's or token's last-used time
 *     (r->no_trace, honoured by the router), writes no audit line and causes
 *     no notification about its author;
 *   - the author's private follow link is stored only as a hash.
 * This file must not know any feature's tables: each feature that holds
 * items back registers one release function here. */
#include "remit.h"
#include "handlers.h"
#include <string.h>

/* anon_day: the start (00:00 UTC) of the day that holds t. */
int64_t anon_day(int64_t t) { return t - ((t % 86400) + 86400) % 86400; }

/* anon_date: "YYYY-MM-DD" of t, arena-owned. */
char *anon_date(Arena *a, int64_t t) {
    char *s = iso_time(a, anon_day(t));
    s[10] = 0;
    return s;
}

/* anon_release_on: the day on which an item sent at t becomes visible to
 * others (the next UTC day). */
int64_t anon_release_on(int64_t t) { return anon_day(t) + 86400; }

/* anon_new_id: a random id in [2^32, 2^53) that `taken` (a query with two
 * ? for the same id, answering a count) says is free. Below 2^53 so that
 * JavaScript clients read it exactly; at or above 2^32 so that it never
 * meets the sequential ids older databases handed out. 0 when the database
 * cannot answer (the caller reports busy). */
int64_t anon_new_id(Db *db, const char *taken) {
    const uint64_t lo = (uint64_t)1 << 32, span = ((uint64_t)1 << 53) - lo;
    for (int tries = 0; tries < 8; tries++) {
        int64_t id = (int64_t)(lo + auth_random_u64() % span), n = 0;
        if (!db_one_int(db, &n, taken, "ii", id, id)) return 0;
        if (n == 0) return id;
    }
    return 0;
}

/* The features that hold anonymous items back until their day is over. Each
 * moves every item of a day before `today` into view, in one transaction,
 * and answers how many it moved (-1 when the database was busy: it will be
 * asked again). */
static int (*const RELEASERS[])(Db *db, int64_t today) = {
    ideas_release_pending,
    suggestions_release_pending,
    reports_release_pending,
};

/* anon_release_due: releases what is due at `now`. Cheap when nothing is
 * (each releaser first reads one indexed row). The server calls it at start
 * and every half second; the count released, or -1 if any was busy. */
int anon_release_due(Db *db, int64_t now) {
    int total = 0, busy = 0;
    for (size_t i = 0; i < sizeof RELEASERS / sizeof RELEASERS[0]; i++) {
        int n = RELEASERS[i](db, anon_day(now));
        if (n < 0) busy = 1;
        else total += n;
    }
    return busy ? -1 : total;
}

/* anon_release_batch: the common release of a hold-back table: when
 * due_sql (a count, ? = today) finds rows, runs release_sql (copies the
 * rows sent before today into view, in random-id order) and drop_sql
 * (deletes them from the hold-back table) in one transaction. The count
 * released, 0 when nothing was due, -1 when busy. */
int anon_release_batch(Db *db, int64_t today, const char *due_sql, const char *release_sql, const char *drop_sql) {
    int64_t due = 0;
    if (!db_one_int(db, &due, due_sql, "i", today) || !due) return 0;
    if (db_begin(db) != DB_OK) return -1;
    int rc = db_exec(db, release_sql, "i", today);
    int n = rc == DB_OK ? db_changes(db) : 0;
    if (rc == DB_OK) rc = db_exec(db, drop_sql, "i", today);
    if (rc != DB_OK) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == DB_OK ? n : -1;
}

/* anon_k: a survey's minimum group size: 5 unless set, never below 3 (the
 * contract) and never above 10 (beyond that small teams see nothing). */
int anon_k(int asked) { return asked <= 0 ? ANON_K_DEFAULT : asked < 3 ? 3 : asked > 10 ? 10 : asked; }

/* anon_suppress: which of n sibling groups (their answer counts) must be
 * hidden so that nothing about fewer than k people shows. A group with
 * 1..k-1 answers is hidden (0 answers is "no data", not hidden: there is
 * nothing to protect and it protects nothing). When the parent's total is
 * shown (parent_shown), hidden groups could be recovered by subtraction
 * (parent minus the shown siblings), so more siblings are hidden, smallest
 * first, until the hidden ones together are at least two groups holding at
 * least k answers: then the difference is a mix of k or more people
 * (complementary suppression). The caller passes every child of the parent,
 * including "people directly in the parent" as a group of its own, so that
 * the shown siblings and the hidden ones add up to the parent. */
void anon_suppress(const int *counts, int n, int k, bool parent_shown, bool *hidden) {
    int nh = 0, sum = 0;
    for (int i = 0; i < n; i++) {
        hidden[i] = counts[i] > 0 && counts[i] < k;
        if (hidden[i]) nh++, sum += counts[i];
    }
    if (!parent_shown) return;
    while (nh > 0 && (nh < 2 || sum < k)) {
        int pick = -1;
        for (int i = 0; i < n; i++)
            if (!hidden[i] && counts[i] > 0 && (pick < 0 || counts[i] < counts[pick])) pick = i;
        if (pick < 0) break; /* every group hidden: the parent alone shows, over k */
        hidden[pick] = true;
        nh++;
        sum += counts[pick];
    }
}
