/* db_test.c: the statement cache never fills, however much SQL is built at
 * run time, as long as db_request_start runs between requests. */
#include "remit.h"
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    char path[] = "/tmp/remit-db-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    char *err = NULL;
    Db *db = db_open(path, &err);
    CHECK("db-1.1: a new database opens and migrates", db != NULL);
    if (!db) return 1;
    char sql[64];
    int64_t v = 0, sum = 0;
    /* 3,000 distinct statements, 100 per "request": ten times the cache */
    for (int i = 0; i < 3000; i++) {
        if (i % 100 == 0) db_request_start(db);
        snprintf(sql, sizeof sql, "SELECT %d + ?", i);
        if (db_one_int(db, &v, sql, "i", (int64_t)1)) sum += v;
    }
    CHECK("db-1.2: 3,000 distinct statements run, none lost, no abort", sum == 3000LL * 2999 / 2 + 3000);
    /* below the limit, a request's start forgets nothing */
    db_request_start(db);
    Stmt *s = db_q(db, "SELECT 7", "");
    db_request_start(db);
    CHECK("db-1.3: below the limit, request start keeps the cache", db_step(s) == DB_ROW && db_int(s, 0) == 7);
    db_reset(s);
    db_close(db);
    char wal[80];
    unlink(path);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    CHECK_DONE();
}
