/* search.c: keeps the decision log's full-text index (decision_fts) up to
 * date in batches. Decisions are written without touching the index; the
 * ones above search_state.upto wait here (migration 0007 explains why and
 * when this runs). Ids only grow (AUTOINCREMENT) and writers take turns, so
 * "everything up to upto is indexed" holds after every transaction. */
#include "remit.h"

static const char SQL_UPTO[] = "SELECT upto FROM search_state WHERE name = 'decision'";
static const char SQL_NEWEST[] = "SELECT coalesce(max(id), 0) FROM decision";
/* the id that ends a batch of at most `batch` decisions after upto */
static const char SQL_BATCH_END[] = "SELECT coalesce(max(id), 0) FROM (SELECT id FROM decision WHERE id > ? ORDER BY id LIMIT ?)";
static const char SQL_INDEX[] =
    "INSERT INTO decision_fts(rowid, title, context, rationale, learning) "
    "SELECT id, title, context, rationale, coalesce(learning, '') FROM decision WHERE id > ? AND id <= ? ORDER BY id";
static const char SQL_SET_UPTO[] = "UPDATE search_state SET upto = ? WHERE name = 'decision'";

/* search_backlog: how many decision ids wait to be indexed (0 when none). */
int64_t search_backlog(Db *db) {
    int64_t upto = 0, newest = 0;
    db_one_int(db, &upto, SQL_UPTO, "");
    db_one_int(db, &newest, SQL_NEWEST, "");
    return newest > upto ? newest - upto : 0;
}

/* search_catch_up: indexes up to `batch` waiting decisions (0: all) in one
 * transaction. The number indexed, 0 when there were none, -1 when the
 * database was busy or failed (nothing changed). */
int search_catch_up(Db *db, int batch) {
    if (search_backlog(db) == 0) return 0; /* the usual case: two reads, no lock */
    if (db_begin(db) != DB_OK) return -1;
    int64_t upto = 0, end = 0;
    db_one_int(db, &upto, SQL_UPTO, "");
    if (batch > 0) db_one_int(db, &end, SQL_BATCH_END, "ii", upto, (int64_t)batch);
    else db_one_int(db, &end, SQL_NEWEST, "");
    int rc = DB_OK;
    if (end > upto) {
        rc = db_exec(db, SQL_INDEX, "ii", upto, end);
        if (rc == DB_OK) rc = db_exec(db, SQL_SET_UPTO, "i", end);
    }
    if (rc != DB_OK) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db) == DB_OK ? (int)(end > upto ? end - upto : 0) : -1;
}

/* The same for a database file outside the server (a backup being made):
 * everything at once, as one script. */
const char SEARCH_CATCH_UP_SQL[] =
    "BEGIN IMMEDIATE;"
    "INSERT INTO decision_fts(rowid, title, context, rationale, learning) SELECT id, title, context, rationale, coalesce(learning, '') "
    "FROM decision WHERE id > (SELECT upto FROM search_state WHERE name = 'decision') ORDER BY id;"
    "UPDATE search_state SET upto = (SELECT coalesce(max(id), 0) FROM decision) WHERE name = 'decision';"
    "COMMIT;";
