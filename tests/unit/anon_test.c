/* anon_test.c: the anonymity module's rules (src/anon.c): day-only times,
 * the release day, and ids that are random, in range and free. */
#include "remit.h"
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    Arena *a = arena_new();
    /* 2026-12-03 13:45:07 UTC = 1796305507 */
    const int64_t t = 1796305507, day = 1796256000;
    CHECK("anon-1.1: a time becomes the start of its UTC day", anon_day(t) == day);
    CHECK("anon-1.2: midnight stays midnight", anon_day(day) == day);
    CHECK("anon-1.3: one second before midnight is the day before", anon_day(day - 1) == day - 86400);
    CHECK("anon-1.4: times before 1970 round down too", anon_day(-1) == -86400);
    CHECK("anon-1.5: the date has no time", strcmp(anon_date(a, t), "2026-12-03") == 0);
    CHECK("anon-1.6: sent any time of a day, an item appears the next day", anon_release_on(day) == day + 86400 && anon_release_on(day + 86399) == day + 86400);

    char path[] = "/tmp/remit-anon-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    char *err = NULL;
    Db *db = db_open(path, &err);
    CHECK("anon-2.1: a database to draw ids against", db != NULL);
    if (!db) return 1;
    const char *none = "SELECT 0 * ? * ?";
    int64_t prev = 0, ordered = 0, in_range = 0;
    for (int i = 0; i < 200; i++) {
        int64_t id = anon_new_id(db, none);
        if (id >= ((int64_t)1 << 32) && id < ((int64_t)1 << 53)) in_range++;
        if (id > prev) ordered++;
        prev = id;
    }
    CHECK("anon-2.2: every id lies in [2^32, 2^53): clear of old sequential ids, exact in JavaScript", in_range == 200);
    CHECK("anon-2.3: ids do not follow the order they were drawn in", ordered > 50 && ordered < 150);
    CHECK("anon-2.4: an id the table says is taken is never handed out", anon_new_id(db, "SELECT 1 + 0 * ? * ?") == 0);
    db_close(db);
    unlink(path);
    arena_free(a);
    CHECK_DONE();
}
