/* db.c: the only file that includes <sqlite3.h>. One connection per worker
 * thread, a prepared-statement cache per connection, BEGIN IMMEDIATE for
 * writes, numbered migrations embedded in the binary. SQL stays in the
 * portable subset (? placeholders, INTEGER/TEXT, no SQLite-only functions in
 * feature code) so that a PostgreSQL backend is a second file. */
#include "remit.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#define CACHE_SLOTS 512
#define CACHE_KEEP 160 /* see db_request_start */

typedef struct Slot { const char *sql; sqlite3_stmt *st; } Slot;
struct Db {
    sqlite3 *h;
    bool in_tx;
    Slot cache[CACHE_SLOTS];
    int cached; /* slots in use */
    struct Db *next_all;
    ConnCache *kept; /* conncache.c: objects kept between requests */
};

ConnCache **db_conn_cache(Db *db) { return &db->kept; }

static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER; /* see db_begin */
static Db *all_dbs;
static _Thread_local Db *tl_db;

static int map_rc(int rc) {
    switch (rc & 0xff) {
    case SQLITE_OK: case SQLITE_DONE: return DB_DONE;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_BUSY: case SQLITE_LOCKED: return DB_BUSY;
    default: return DB_ERROR;
    }
}

/* migrations: every embedded asset named migrations/NNNN_*.sql, in order. */
static int migrate(Db *db, char **err) {
    if (db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migration(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);", err)) return -1;
    for (int i = 0; i < g_nassets; i++) {
        const Asset *a = &g_assets[i];
        if (strncmp(a->name, "migrations/", 11) != 0) continue;
        int version = atoi(a->name + 11);
        if (version <= 0) continue;
        int64_t have = 0;
        if (db_one_int(db, &have, "SELECT count(*) FROM schema_migration WHERE version = ?", "i", (int64_t)version) && have) continue;
        char *sql = malloc(a->len + 1);
        if (!sql) abort();
        memcpy(sql, a->data, a->len);
        sql[a->len] = 0;
        if (db_exec_script(db, "BEGIN IMMEDIATE", err) == 0) {
            int rc = db_exec_script(db, sql, err);
            if (rc == 0) rc = db_exec(db, "INSERT INTO schema_migration(version, applied_at) VALUES (?, ?)", "ii", (int64_t)version, now_seconds());
            if (rc == 0) rc = db_exec_script(db, "COMMIT", err);
            if (rc) {
                db_exec_script(db, "ROLLBACK", NULL);
                free(sql);
                return -1;
            }
        }
        free(sql);
    }
    return 0;
}

/* REMIT_SQL_TRACE=MS: every statement that ran for MS milliseconds or more
 * goes to stderr with its time (a development aid; 0 logs everything). */
static int sql_trace(unsigned kind, void *ctx, void *stmt, void *ns) {
    (void)ctx;
    double ms = (double)*(sqlite3_int64 *)ns / 1e6;
    const char *limit = getenv("REMIT_SQL_TRACE");
    if (kind == SQLITE_TRACE_PROFILE && limit && ms >= atof(limit))
        { const char *q = sqlite3_sql((sqlite3_stmt *)stmt); size_t n = strlen(q); fprintf(stderr, "sql %8.3f ms  %.160s%s%s\n", ms, q, n > 320 ? " ... " : "", n > 320 ? q + n - 160 : ""); }
    return 0;
}

/* db_open: a new connection with remit's pragmas; NULL with *err (malloc'd)
 * on failure. The caller owns the Db and closes it with db_close. */
Db *db_open(const char *path, char **err) {
    Db *db = calloc(1, sizeof *db);
    if (!db) abort();
    int rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (err) *err = strdup(db->h ? sqlite3_errmsg(db->h) : "cannot open database");
        sqlite3_close(db->h);
        free(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->h, 5000);
    sqlite3_extended_result_codes(db->h, 0);
    if (getenv("REMIT_SQL_TRACE")) sqlite3_trace_v2(db->h, SQLITE_TRACE_PROFILE, sql_trace, NULL);
    if (db_exec_script(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                              "PRAGMA journal_size_limit=8388608; PRAGMA cache_size=-1024;", err) ||
        migrate(db, err)) {
        db_close(db);
        return NULL;
    }
    return db;
}

void db_close(Db *db) {
    if (!db) return;
    sqlite3_exec(db->h, "PRAGMA optimize", NULL, NULL, NULL);
    conn_cache_free(db->kept);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (db->cache[i].st) sqlite3_finalize(db->cache[i].st);
        free((char *)db->cache[i].sql);
    }
    sqlite3_close(db->h);
    free(db);
}

/* db_global_init: checks the file (create: must not exist; else: must),
 * opens it once to apply migrations. 0 ok, -1 with a message on stderr. */
int db_global_init(const char *path, bool create) {
    bool exists = access(path, F_OK) == 0;
    if (create && exists) {
        fprintf(stderr, "remit: %s already exists; refusing to touch it\n", path);
        return -1;
    }
    if (!create && !exists) {
        fprintf(stderr, "remit: no database at %s (create one with `remit init` or `remit demo`)\n", path);
        return -1;
    }
    char *err = NULL;
    Db *db = db_open(path, &err);
    if (!db) {
        fprintf(stderr, "remit: %s: %s\n", path, err ? err : "cannot open");
        free(err);
        return -1;
    }
    db_close(db);
    g_config.db_path = path;
    return 0;
}

/* db_analyze: fresh statistics for the query planner (bounded work, so a
 * large file costs tens of milliseconds). Run when serving starts and after
 * bulk writes (demo, import); connections also run PRAGMA optimize when they
 * close. 0 ok. */
int db_analyze(Db *db) { return db_exec_script(db, "PRAGMA analysis_limit=400; ANALYZE;", NULL); }

/* db_thread: this thread's connection, opened on first use and closed by
 * db_close_all at shutdown. Aborts if the database vanished under us. */
Db *db_thread(void) {
    if (tl_db) return tl_db;
    char *err = NULL;
    Db *db = db_open(g_config.db_path, &err);
    if (!db) {
        fprintf(stderr, "remit: cannot open %s: %s\n", g_config.db_path, err ? err : "?");
        abort();
    }
    pthread_mutex_lock(&all_lock);
    db->next_all = all_dbs;
    all_dbs = db;
    pthread_mutex_unlock(&all_lock);
    tl_db = db;
    return db;
}

void db_close_all(void) {
    pthread_mutex_lock(&all_lock);
    Db *db = all_dbs;
    all_dbs = NULL;
    pthread_mutex_unlock(&all_lock);
    while (db) {
        Db *n = db->next_all;
        if (getenv("REMIT_SQL_TRACE")) { /* where SQLite's memory went, for the soak's record */
            int cache = 0, stmts = 0, hi = 0;
            sqlite3_db_status(db->h, SQLITE_DBSTATUS_CACHE_USED, &cache, &hi, 0);
            sqlite3_db_status(db->h, SQLITE_DBSTATUS_STMT_USED, &stmts, &hi, 0);
            fprintf(stderr, "sql memory: connection with %d cached statements: page cache %d KiB, statements %d KiB\n", db->cached, cache / 1024,
                    stmts / 1024);
        }
        db_close(db);
        db = n;
    }
    if (getenv("REMIT_SQL_TRACE"))
        fprintf(stderr, "sql memory: %lld KiB in use, %lld KiB at the peak\n", (long long)sqlite3_memory_used() / 1024,
                (long long)sqlite3_memory_highwater(0) / 1024);
}

/* db_prepare: the cached statement for this SQL text (keyed by its
 * content, so SQL built at run time is cached as safely as constants),
 * reset with bindings cleared. A statement must not be reused for the same
 * SQL while a caller still iterates it. Bad SQL is a programming error and
 * aborts. */
Stmt *db_prepare(Db *db, const char *sql) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) h = (h ^ *p) * 1099511628211ULL;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        Slot *s = &db->cache[(h + i) % CACHE_SLOTS];
        if (s->sql && strcmp(s->sql, sql) == 0) {
            sqlite3_reset(s->st);
            sqlite3_clear_bindings(s->st);
            return (Stmt *)s->st;
        }
        if (!s->sql) {
            if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
                fprintf(stderr, "remit: bad SQL: %s\n  %s\n", sqlite3_errmsg(db->h), sql);
                abort();
            }
            s->sql = strdup(sql); /* the cache owns its key */
            if (!s->sql) abort();
            db->cached++;
            return (Stmt *)s->st;
        }
    }
    fprintf(stderr, "remit: statement cache full\n");
    abort();
}

/* db_request_start: called before each request's first statement, when none
 * of this connection's statements is in use: forgets every cached statement
 * once there are CACHE_KEEP of them, so that SQL built at run time from a
 * request's filters can neither fill the cache (db_prepare aborts when full)
 * nor hold more than about a MiB per connection (about 100 statements are
 * in use in a busy day's mix). */
void db_request_start(Db *db) {
    if (db->cached < CACHE_KEEP) return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (db->cache[i].st) sqlite3_finalize(db->cache[i].st);
        free((char *)db->cache[i].sql);
        db->cache[i] = (Slot){0};
    }
    db->cached = 0;
}

static void bind_va(Stmt *s, const char *types, va_list ap) {
    sqlite3_stmt *st = (sqlite3_stmt *)s;
    /* A type string that does not match the placeholders is a bug that
     * would read the wrong arguments: stop at once, naming the SQL. */
    if ((int)strlen(types ? types : "") != sqlite3_bind_parameter_count(st)) {
        fprintf(stderr, "remit: %d parameters but types \"%s\" for: %s\n", sqlite3_bind_parameter_count(st), types ? types : "", sqlite3_sql(st));
        abort();
    }
    for (int i = 0; types && types[i]; i++) {
        switch (types[i]) {
        case 'i': sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t)); break;
        case 't': {
            const char *t = va_arg(ap, const char *);
            if (t) sqlite3_bind_text(st, i + 1, t, -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(st, i + 1);
            break;
        }
        case 'I': { /* an optional id: 0 binds NULL */
            int64_t v = va_arg(ap, int64_t);
            if (v) sqlite3_bind_int64(st, i + 1, v);
            else sqlite3_bind_null(st, i + 1);
            break;
        }
        case 'n': sqlite3_bind_null(st, i + 1); break; /* consumes no argument */
        default: abort();
        }
    }
}

Stmt *db_q(Db *db, const char *sql, const char *types, ...) {
    Stmt *s = db_prepare(db, sql);
    va_list ap;
    va_start(ap, types);
    bind_va(s, types, ap);
    va_end(ap);
    return s;
}

int db_step(Stmt *s) { return map_rc(sqlite3_step((sqlite3_stmt *)s)); }

int db_exec(Db *db, const char *sql, const char *types, ...) {
    Stmt *s = db_prepare(db, sql);
    va_list ap;
    va_start(ap, types);
    bind_va(s, types, ap);
    va_end(ap);
    /* a write outside a transaction waits its turn like a transaction */
    bool lock = !db->in_tx && !sqlite3_stmt_readonly((sqlite3_stmt *)s);
    if (lock) pthread_mutex_lock(&write_lock);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {}
    sqlite3_reset((sqlite3_stmt *)s);
    if (lock) pthread_mutex_unlock(&write_lock);
    return rc;
}

int db_one_int(Db *db, int64_t *out, const char *sql, const char *types, ...) {
    Stmt *s = db_prepare(db, sql);
    va_list ap;
    va_start(ap, types);
    bind_va(s, types, ap);
    va_end(ap);
    int found = 0;
    if (db_step(s) == DB_ROW) {
        *out = sqlite3_column_int64((sqlite3_stmt *)s, 0);
        found = 1;
    }
    sqlite3_reset((sqlite3_stmt *)s);
    return found;
}

void db_reset(Stmt *s) { sqlite3_reset((sqlite3_stmt *)s); }
int64_t db_int(Stmt *s, int col) { return sqlite3_column_int64((sqlite3_stmt *)s, col); }
bool db_null(Stmt *s, int col) { return sqlite3_column_type((sqlite3_stmt *)s, col) == SQLITE_NULL; }

const char *db_text(Stmt *s, int col) {
    const unsigned char *t = sqlite3_column_text((sqlite3_stmt *)s, col);
    return t ? (const char *)t : "";
}

char *db_dup(Stmt *s, int col, Arena *a) {
    if (db_null(s, col)) return NULL;
    return arena_strdup(a, db_text(s, col));
}

int64_t db_last_id(Db *db) { return sqlite3_last_insert_rowid(db->h); }
int db_changes(Db *db) { return sqlite3_changes(db->h); }
const char *db_errmsg(Db *db) { return sqlite3_errmsg(db->h); }
bool db_in_tx(Db *db) { return db->in_tx; }

/* Writers in this process take turns on write_lock before SQLite's own
 * lock: waiting on a mutex wakes the next writer the moment the last one
 * commits, where SQLite's busy handler would sleep and retry (measured with
 * 64 writers: about 1,400 writes/s and a p99 of 240 ms without it). Other
 * processes (the CLI) still meet SQLite's lock and its busy timeout. */
int db_begin(Db *db) {
    if (db->in_tx) return DB_ERROR; /* no nesting (and no waiting on ourselves) */
    pthread_mutex_lock(&write_lock);
    int rc = map_rc(sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL));
    if (rc == DB_OK) db->in_tx = true;
    else pthread_mutex_unlock(&write_lock);
    return rc;
}

int db_commit(Db *db) {
    int rc = map_rc(sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL));
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    if (db->in_tx) pthread_mutex_unlock(&write_lock);
    db->in_tx = false;
    return rc;
}

void db_rollback(Db *db) {
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    if (db->in_tx) pthread_mutex_unlock(&write_lock);
    db->in_tx = false;
}

/* db_exec_script: runs semicolon-separated SQL without parameters (schema,
 * pragmas). 0 ok; -1 with *err malloc'd when err is not NULL. */
int db_exec_script(Db *db, const char *sql, char **err) {
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (err) *err = strdup(msg ? msg : "SQL error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* db_backup: a consistent copy of `from` into `to` with SQLite's online
 * backup API, written to a temporary file and renamed into place, so a
 * reader never sees half a backup. `to` must not exist. */
int db_backup(const char *from, const char *to, char **err) {
    if (access(to, F_OK) == 0) {
        *err = strdup("destination already exists");
        return -1;
    }
    size_t n = strlen(to) + 16;
    char *tmp = malloc(n);
    if (!tmp) abort();
    snprintf(tmp, n, "%s.partial", to);
    unlink(tmp);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(src, 5000);
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (!b) rc = sqlite3_errcode(dst);
        else {
            do {
                rc = sqlite3_backup_step(b, -1);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
    /* a backup is complete, its search index included (src/search.c) */
    sqlite3_stmt *st = NULL;
    bool has_backlog_table = false;
    if (rc == SQLITE_OK && sqlite3_prepare_v2(dst, "SELECT 1 FROM sqlite_master WHERE name = 'search_state'", -1, &st, NULL) == SQLITE_OK)
        has_backlog_table = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && has_backlog_table) rc = sqlite3_exec(dst, SEARCH_CATCH_UP_SQL, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) *err = strdup(sqlite3_errstr(rc));
    sqlite3_close(src);
    sqlite3_close(dst);
    if (rc == SQLITE_OK && rename(tmp, to) != 0) {
        *err = strdup("cannot rename the finished backup into place");
        rc = SQLITE_ERROR;
    }
    if (rc == SQLITE_OK) { /* make the new name itself survive a power cut */
        char *dir = strdup(to);
        if (!dir) abort();
        char *slash = strrchr(dir, '/');
        if (slash) *(slash == dir ? slash + 1 : slash) = 0;
        int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
        free(dir);
    }
    if (rc != SQLITE_OK) unlink(tmp);
    free(tmp);
    return rc == SQLITE_OK ? 0 : -1;
}
